"""The front door (issue 21): the GA page at ``/``, offline in one click, a form that reads like a
voice agent, a call on a phone (375 px, touch) and by keyboard, and what an import says."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = pytest.mark.browser

MOCK = "Built-in mock (offline)"


def _body(page: Any) -> Any:
    return json.loads(page.get_by_test_id("request-body").inner_text())


def _open_call(call_ui: Any, page: Any) -> None:
    """Open ``/`` (the GA page), choose the mock, type nothing else, start a call."""
    page.goto("/")
    page.get_by_role("button", name=MOCK).click()
    page.get_by_test_id("call-start").click()
    assert call_ui.settled_status(page) == "connected"
    call_ui.wait_event(page, "server", "session.created")


# --- 1. the GA page at / ----------------------------------------------------------------------


def test_the_front_page_is_the_ga_client_secret_with_a_realtime_session(page: Any, expect) -> None:
    page.goto("/")
    expect(page.locator('#session-form input[name="op"]')).to_have_value("client-secrets")
    assert _body(page) == {"session": {"type": "realtime"}}
    expect(page.locator('#g-f-session input[value="realtime"]')).to_be_checked()
    # The beta page stays at its own address, and its links keep naming it.
    page.goto("/?op=sessions")
    assert _body(page) == {}
    page.get_by_test_id("presets").locator("summary").click()
    href = page.locator("[data-preset='text-only']").get_attribute("href") or ""
    assert href.startswith("/?op=sessions&")


# --- 2. offline in one click -------------------------------------------------------------------


def test_the_mock_sends_with_nothing_typed_and_start_waits_for_a_gateway(page: Any, expect) -> None:
    page.goto("/")
    start = page.get_by_test_id("call-start")
    expect(start).to_be_disabled()
    reason = page.locator("#call-start-hint")
    expect(reason).to_be_visible()
    assert start.get_attribute("aria-describedby") == "call-start-hint"
    page.get_by_role("button", name=MOCK).click()
    expect(start).to_be_enabled()
    expect(reason).to_be_hidden()
    page.locator("#send-button").click()  # no key typed: the server gives its mock's own
    expect(page.get_by_test_id("response-status")).to_have_text("200 OK")
    expect(page.get_by_test_id("ephemeral")).to_be_visible()
    page.get_by_label("Gateway URL").fill("")
    expect(start).to_be_disabled()


def test_the_gateway_hints_cannot_be_taken_for_values(page: Any) -> None:
    page.goto("/")
    hint = page.get_by_label("Gateway URL").get_attribute("placeholder") or ""
    assert "://" not in hint and hint.startswith("Not set")
    assert "sk-" not in (page.get_by_label("API key").get_attribute("placeholder") or "")


def test_a_failed_start_draws_no_in_call_panels(call_ui: Any, call_page: Any, expect) -> None:
    page = call_page
    with socket.socket() as probe:  # a port nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    call_ui.open_ga(page, f"http://127.0.0.1:{port}/v1")
    page.get_by_test_id("call-start").click()
    assert call_ui.settled_status(page).startswith("Not started:")
    expect(page.locator("#call-live")).to_be_hidden()
    expect(page.get_by_test_id("call-message")).to_be_hidden()
    expect(page.get_by_test_id("call-start")).to_be_enabled()


def test_after_hang_up_every_in_call_control_is_disabled_and_focus_moves_on(
    call_ui: Any, call_page: Any, peers: Any, expect
) -> None:
    page = call_page
    page.goto("/")
    page.get_by_role("button", name=MOCK).click()
    page.get_by_test_id("call-start").focus()
    page.keyboard.press("Enter")  # Start call disables itself: focus goes to Hang up
    assert call_ui.settled_status(page) == "connected"
    expect(page.get_by_test_id("call-hangup")).to_be_focused()
    expect(page.get_by_test_id("call-message")).to_be_enabled()
    page.keyboard.press("Enter")  # Hang up disables itself: focus goes back to Start call
    expect(page.get_by_test_id("call-status")).to_contain_text("ended")
    expect(page.get_by_test_id("call-start")).to_be_focused()
    for testid in ("call-message", "call-message-send", "call-hangup", "call-mute"):
        expect(page.get_by_test_id(testid)).to_be_disabled()


# --- 3. a form that reads like a voice agent -----------------------------------------------


def test_fields_have_human_labels_with_the_key_beside_and_voice_has_no_early_error(
    page: Any, expect
) -> None:
    page.goto("/?preset=voice-agent")
    field = page.locator("#g-f-session-realtime-instructions")
    expect(field.locator("label")).to_have_text("Instructions")
    expect(field.locator("code.key")).to_have_text("instructions")
    expect(page.get_by_test_id("settings-count")).to_have_text("17 settings set")


def test_the_voice_is_chosen_in_one_step_from_one_select(page: Any, expect) -> None:
    page.goto("/")
    voice = page.locator("#g-f-session-realtime-audio-output-voice")
    select = page.get_by_label("Voice", exact=True)
    expect(voice.locator("input[type=radio]")).to_have_count(0)  # no branch to pick first
    expect(select).to_have_value("")
    expect(voice.locator(".error:not(:empty)")).to_have_count(0)
    expect(voice.locator(".pane")).to_be_hidden()
    # By keyboard: the select takes focus, and one choice sets the voice.
    select.focus()
    expect(select).to_be_focused()
    select.select_option("marin")
    expect(page.get_by_test_id("request-body")).to_contain_text('"voice": "marin"')
    page.wait_for_timeout(600)  # the preview's answer (150 ms debounce) and its error slots
    expect(voice.locator(".error:not(:empty)")).to_have_count(0)
    # The custom voice is a choice of the same select; its ID input shows only then.
    select.select_option(label="Custom voice ID…")
    id_input = page.get_by_label("ID", exact=False).and_(voice.locator("input[name$=':object.id']"))
    expect(id_input).to_be_visible()
    id_input.fill("voice_1234")
    expect(page.get_by_test_id("request-body")).to_contain_text('"id": "voice_1234"')
    assert _body(page)["session"]["audio"]["output"]["voice"] == {"id": "voice_1234"}
    page.wait_for_timeout(600)
    expect(voice.locator(".error:not(:empty)")).to_have_count(0)
    select.select_option("")  # unset: the server's default, nothing sent
    expect(id_input).to_be_hidden()
    expect(page.get_by_test_id("request-body")).not_to_contain_text('"voice"')
    assert _body(page) == {"session": {"type": "realtime"}}


# --- 4. a phone -----------------------------------------------------------------------------


@pytest.fixture
def phone(call_browser: Any, live_server: Any) -> Iterator[Any]:
    """Give a page in a 375 px touch context that can hold a call."""
    context = call_browser.new_context(
        base_url=live_server.url,
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    context.grant_permissions(["microphone"], origin=live_server.url)
    yield context.new_page()
    context.close()


def test_on_a_phone_a_connected_call_fits_the_screen_and_answers_taps(
    call_ui: Any, phone: Any, peers: Any, expect
) -> None:
    page = phone
    page.goto("/?preset=voice-agent")
    jump = page.get_by_test_id("jump")
    for name in ("Form", "Request body", "Call"):
        box = jump.get_by_role("link", name=name).bounding_box()
        assert box and box["y"] + box["height"] <= 740, name
    page.get_by_role("button", name=MOCK).tap()
    page.get_by_test_id("call-start").tap()
    assert call_ui.settled_status(page) == "connected"
    page.get_by_test_id("call-message").fill("Hello")
    page.get_by_test_id("call-message-send").tap()
    call_ui.transcript_has(page, "Hello")  # the tap sent it
    call_ui.wait_event(page, "server", "response.done")
    page.locator("[data-testid=call-events] > li details").first.evaluate("d => d.open = true")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    wider = page.evaluate(
        "Array.from(document.querySelectorAll('#call *')).filter(e => !e.closest('pre')"
        " && e.getBoundingClientRect().right > 376).map(e => e.tagName + '.' + e.className)"
    )
    assert wider == []
    page.evaluate("window.scrollTo(0, 0)")
    hang_up = page.get_by_test_id("call-hangup")
    box = hang_up.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= 740
    hang_up.tap()
    expect(page.get_by_test_id("call-status")).to_contain_text("ended")


# --- 5. keyboard and screen reader -----------------------------------------------------------


def test_the_first_tab_stops_skip_to_the_request_and_the_call(page: Any, expect) -> None:
    page.goto("/")
    names = []
    for _ in range(3):
        page.keyboard.press("Tab")
        names.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert names == ["Form", "Request body", "Call"]
    page.keyboard.press("Enter")  # on "Call": the call panel takes the focus
    assert page.evaluate("document.activeElement.id") == "call"
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # on "Request body"
    assert page.evaluate("document.activeElement.id") == "preview"


def test_a_function_call_and_a_refusal_are_announced(
    call_ui: Any, call_page: Any, peers: Any, expect
) -> None:
    page = call_page
    call_ui.start_call(page, preset="tools-and-mcp")
    call_ui.say(page, "Please call the function")
    expect(page.get_by_test_id("call-function")).to_be_visible()
    announce = page.locator('#call-live [role="status"].sr')
    expect(announce).to_contain_text("The model called the function")
    # An event the mock does not take: its error event comes back over the call's transport.
    page.evaluate(
        "window.__modules.call.current().link.send(JSON.stringify({type: 'no.such.event'}))"
    )
    expect(page.locator('#call-live [role="alert"]')).to_contain_text("The server refused")


# --- 6. import ------------------------------------------------------------------------------


def test_a_pasted_session_object_is_taken_as_session_and_says_so(page: Any, expect) -> None:
    page.goto("/")
    page.get_by_test_id("import").locator("summary").click()
    page.locator("#import-text").fill('{"type": "realtime", "instructions": "Be brief."}')
    page.get_by_role("button", name="Load into the form").click()
    banner = page.get_by_test_id("loaded-banner")
    expect(banner).to_contain_text("Loaded from pasted text")
    expect(banner).to_contain_text("taken as session")
    expect(page.get_by_test_id("request-body")).to_contain_text('"instructions": "Be brief."')
