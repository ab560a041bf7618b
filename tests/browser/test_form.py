"""What a person does in the page, in headless Chromium."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.browser


def preview(page) -> dict:
    return json.loads(page.get_by_test_id("request-body").inner_text())


def test_temperature_and_turn_detection_off_show_in_the_preview(page) -> None:
    page.goto("/?op=sessions")
    page.get_by_label("Temperature", exact=True).fill("0.9")
    page.locator("#g-f-turn_detection").get_by_label("Off (null)").check()
    body = page.get_by_test_id("request-body")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=request-body]').textContent.includes('null')"
    )
    text = body.inner_text()
    assert '"temperature": 0.9' in text and '"turn_detection": null' in text
    assert preview(page) == {"turn_detection": None, "temperature": 0.9}


def test_configure_reveals_nested_fields_and_unset_hides_them(page) -> None:
    page.goto("/?op=sessions")
    threshold = page.locator("#f-turn_detection-threshold")
    assert not threshold.is_visible()
    page.locator("#g-f-turn_detection").get_by_label("Configure").check()
    assert threshold.is_visible()
    threshold.fill("0.7")
    page.wait_for_function(
        "() => document.querySelector('#request-body').textContent.includes('0.7')"
    )
    assert preview(page) == {"turn_detection": {"threshold": 0.7}}
    page.locator("#g-f-turn_detection").get_by_label("Unset").check()
    assert not threshold.is_visible()
    page.wait_for_function(
        "() => !document.querySelector('#request-body').textContent.includes('0.7')"
    )
    assert preview(page) == {}


def test_out_of_range_value_gets_its_message_next_to_the_field_then_clears(page) -> None:
    page.goto("/?op=sessions")
    field = page.locator("#f-temperature")
    field.fill("1.5")
    error = page.locator("#e-f-temperature")
    error.wait_for(state="visible")
    assert error.inner_text() == "Must be a number from 0.6 to 1.2; got 1.5."
    assert field.get_attribute("aria-invalid") == "true"
    assert field.input_value() == "1.5"  # what was typed stays
    field.fill("1.1")
    page.wait_for_function("() => document.querySelector('#e-f-temperature').textContent === ''")
    assert field.get_attribute("aria-invalid") is None
    assert preview(page) == {"temperature": 1.1}


def test_custom_model_and_tool_rows(page) -> None:
    page.goto("/?op=sessions")
    page.locator("#f-model").select_option("__custom__")
    custom = page.locator("#f-model-custom")
    assert custom.is_visible()
    custom.fill("gpt-realtime")
    page.get_by_role("button", name="Add tool").click()
    page.locator("#f-tools-0-name").fill("lookup")
    page.locator("#f-tools-0-parameters").fill('{"type": "object"}')
    page.locator("#f-tool_choice").select_option("__custom__")
    page.locator("#f-tool_choice-custom").fill("lookup")
    page.wait_for_function(
        "() => document.querySelector('#request-body').textContent.includes('\"tool_choice\"')"
    )
    assert preview(page) == {
        "model": "gpt-realtime",
        "tools": [{"type": "function", "name": "lookup", "parameters": {"type": "object"}}],
        "tool_choice": "lookup",
    }
    page.get_by_role("button", name="Remove tool 1").click()
    page.locator("#f-tools-0-name").wait_for(state="detached")
    page.wait_for_function("() => document.querySelector('#e-f-tool_choice').textContent !== ''")
    assert page.locator("#e-f-tool_choice").inner_text().startswith('No function named "lookup"')


def test_row_button_pressed_while_a_preview_is_pending(page) -> None:
    """Typing, then Add tool within the preview's debounce: the pending preview must not take
    the button's formaction (a whole page nested in the preview) nor cancel the row request."""
    page.goto("/?op=sessions")
    page.locator("#f-temperature").fill("0.9")
    page.get_by_role("button", name="Add tool").click()  # well within the 150 ms delay
    page.locator("#f-tools-0-name").wait_for()
    page.wait_for_function(
        "() => document.querySelector('#request-body').textContent.includes('function')"
    )
    page.wait_for_timeout(400)  # let every request of the burst land
    assert page.locator("#session-form").count() == 1
    assert page.locator("#request-body").count() == 1
    assert preview(page) == {"temperature": 0.9, "tools": [{"type": "function"}]}


def test_keyboard_only(page) -> None:
    page.goto("/?op=sessions")
    page.locator("#f-input_audio_format").focus()
    page.keyboard.press("ArrowDown")  # first choice after "unset"
    page.keyboard.press("Tab")  # on to the parameter's "About" disclosure
    assert page.evaluate("document.activeElement.textContent").startswith("About")
    page.keyboard.press("Enter")  # opens it
    assert page.locator("#g-f-input_audio_format details").get_attribute("open") is not None
    page.locator("#f-turn_detection-mode-0").focus()
    page.keyboard.press("ArrowRight")  # radios move with arrow keys: Configure
    page.keyboard.press("ArrowRight")  # Off (null)
    page.wait_for_function(
        "() => document.querySelector('#request-body').textContent.includes('null')"
    )
    assert preview(page) == {"input_audio_format": "pcm16", "turn_detection": None}


def test_narrow_screen_has_no_sideways_scroll(browser, live_server) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800}, base_url=live_server.url)
    page = context.new_page()
    page.goto("/?op=sessions")
    page.locator("#g-f-turn_detection").get_by_label("Configure").check()
    page.get_by_role("button", name="Add tool").click()
    page.locator("#f-tools-0-name").wait_for()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    context.close()


def test_dark_and_light_themes_follow_the_system(browser, live_server) -> None:
    colors = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme, base_url=live_server.url)
        page = context.new_page()
        page.goto("/?op=sessions")
        colors[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
        context.close()
    lum = {k: sum(map(int, re.findall(r"\d+", v)[:3])) for k, v in colors.items()}
    assert lum["light"] > 600 and lum["dark"] < 150


def test_the_page_runs_under_its_csp_without_violations(page) -> None:
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto("/?op=sessions")
    page.evaluate(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI))"
    )
    page.get_by_label("Temperature", exact=True).fill("0.9")
    page.get_by_role("button", name="Add tool").click()
    page.locator("#f-tools-0-name").wait_for()
    page.wait_for_function(
        "() => document.querySelector('#request-body').textContent.includes('function')"
    )
    # The snippet pane: another language's tab, refreshed from the form.
    page.locator("#snippet-tab-curl").click()
    page.locator("#snippet-panel-curl").wait_for(state="visible")
    # Send to the built-in mock: the response pane, the ephemeral key and its countdown.
    page.get_by_role("button", name="Built-in mock (offline)").click()
    page.get_by_label("API key").fill("sk-csp-check-1234")
    with page.expect_response("**/send") as sent:
        page.get_by_role("button", name=re.compile("^Send")).click()
    assert sent.value.headers["cache-control"] == "no-store"
    page.get_by_test_id("response-status").wait_for()
    # Share: the link made by the server, selected and copied by share.js.
    page.get_by_test_id("share-button").click()
    page.get_by_test_id("share-url").wait_for()
    assert "/?op=sessions&p=1." in page.get_by_test_id("share-url").input_value()
    assert page.evaluate("window.__csp") == [] and violations == []
