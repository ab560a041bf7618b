"""Share links, presets, import and export as a person uses them, in headless Chromium."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from playground.codecs.share_token import decode_token
from playground.presets import presets_for

pytestmark = pytest.mark.browser

KEY, ORG, PROJECT = "sk-FAKE-share-test-0123456789", "org-FAKEORG42", "proj_FAKEPROJ42"
GATEWAY = "https://gateway.fake-share-test.internal/v1"
SECRETS = (KEY, ORG, PROJECT)
STORE_CREDENTIALS = f"""
for (const store of [window.sessionStorage, window.localStorage]) {{
  store.setItem("playground.key", {json.dumps(KEY)});
  store.setItem("playground.organization", {json.dumps(ORG)});
  store.setItem("playground.project", {json.dumps(PROJECT)});
}}
"""
EXPECTED = {
    "instructions": "Be brief.",
    "voice": "ash",
    "turn_detection": {"type": "semantic_vad", "eagerness": "low"},
    "input_audio_noise_reduction": {"type": "far_field"},
    "tools": [{"type": "function", "name": "lookup", "parameters": {"type": "object"}}],
    "temperature": 0.9,
}


def preset_url(name: str) -> re.Pattern[str]:
    """Give a pattern matching the page's address for a preset."""
    return re.compile(rf"/\?op=sessions&preset={re.escape(name)}$")


def preview(page: Any) -> Any:
    return json.loads(page.get_by_test_id("request-body").inner_text())


def wait_for_preview(page: Any, body: Any, expect) -> None:
    """Wait until the preview shows ``body`` (it follows the form after a short debounce)."""
    expect(page.get_by_test_id("request-body")).to_have_text(json.dumps(body, indent=2))


@pytest.fixture
def sharer(browser: Any, live_server: Any) -> Iterator[Any]:
    """Give a page whose browser storage holds a key, an organization and a project."""
    context = browser.new_context(
        base_url=live_server.url, permissions=["clipboard-read", "clipboard-write"]
    )
    context.add_init_script(STORE_CREDENTIALS)
    page = context.new_page()
    yield page
    context.close()


def fill_configuration(page: Any) -> None:
    page.locator("#f-instructions").fill("Be brief.")
    page.locator("#f-voice").select_option("ash")
    page.locator("#g-f-turn_detection").get_by_label("Configure").check()
    page.locator("#f-turn_detection-type").select_option("semantic_vad")
    page.locator("#f-turn_detection-eagerness").select_option("low")
    page.locator("#g-f-input_audio_noise_reduction").get_by_label("Configure").check()
    page.locator("#f-input_audio_noise_reduction-type").select_option("far_field")
    page.get_by_role("button", name="Add tool").click()
    page.locator("#f-tools-0-name").fill("lookup")
    page.locator("#f-tools-0-parameters").fill('{"type": "object"}')
    page.locator("#f-temperature").fill("0.9")


def test_a_link_made_in_one_browser_reproduces_the_configuration_in_another(
    sharer: Any, browser: Any, live_server: Any, expect
) -> None:
    sent: list[Any] = []
    sharer.on("request", lambda request: sent.append(request))
    sharer.goto("/?op=sessions")
    assert sharer.evaluate("sessionStorage.getItem('playground.key')") == KEY
    fill_configuration(sharer)
    wait_for_preview(sharer, EXPECTED, expect)

    sharer.get_by_test_id("share-button").click()
    field = sharer.get_by_test_id("share-url")
    expect(field).to_be_visible()
    expect(sharer.locator("[data-share-status]")).to_have_text("Copied to the clipboard.")
    url = field.input_value()
    assert sharer.evaluate("navigator.clipboard.readText()") == url
    assert url.startswith(f"{live_server.url}/?op=sessions&p=1.")
    assert json.dumps(decode_token(url.split("p=")[-1])) == json.dumps(EXPECTED)
    for request in sent:  # nothing the page sent, the link least of all, holds a credential
        seen = " ".join([request.url, request.post_data or "", *request.headers.values()])
        assert not any(secret in seen for secret in SECRETS), request.url
    assert not any(secret in url for secret in (*SECRETS, "gateway.fake-share-test"))

    fresh = browser.new_context(base_url=live_server.url)  # empty storage, other cookies
    other = fresh.new_page()
    other.goto(url)
    stored = "[...Object.keys(sessionStorage), ...Object.keys(localStorage)]"
    assert [k for k in other.evaluate(stored) if k.startswith("playground.")] == []
    assert json.dumps(preview(other)) == json.dumps(EXPECTED)
    assert json.dumps(preview(sharer)) == json.dumps(EXPECTED)
    assert other.locator("#f-temperature").input_value() == "0.9"
    assert other.locator("#f-turn_detection-eagerness").input_value() == "low"
    assert other.locator("#f-tools-0-name").input_value() == "lookup"
    expect(other.get_by_test_id("loaded-banner")).to_contain_text("Loaded from a share link")
    assert other.locator(".marked .badge").count() == len(EXPECTED)
    # Every snippet tab matches too: read it in the fresh page, expect the same in the first.
    snippets = other.locator("[data-testid^='snippet-']")
    assert snippets.count() > 1
    for index in range(snippets.count()):
        testid = snippets.nth(index).get_attribute("data-testid")
        expect(sharer.get_by_test_id(testid)).to_have_text(snippets.nth(index).text_content())

    # Editing in the fresh browser and sharing again gives that browser's configuration.
    other.locator("#f-temperature").fill("1.1")
    wait_for_preview(other, {**EXPECTED, "temperature": 1.1}, expect)
    other.get_by_test_id("share-button").click()
    expect(other.get_by_test_id("share-url")).to_be_visible()
    again = other.get_by_test_id("share-url").input_value()
    assert decode_token(again.split("p=")[-1])["temperature"] == 1.1
    fresh.close()


def test_a_gateway_in_storage_changes_nothing_in_the_link(sharer: Any) -> None:
    sharer.goto("/?op=sessions&preset=voice-assistant")
    sharer.get_by_test_id("share-button").click()
    first = sharer.get_by_test_id("share-url").input_value()
    sharer.evaluate(f"localStorage.setItem('playground.gateway', {json.dumps(GATEWAY)})")
    sharer.reload()
    sharer.get_by_test_id("share-button").click()
    second = sharer.get_by_test_id("share-url").input_value()
    assert first == second and "gateway" not in second


def test_presets_update_the_address_bar_and_back_and_forward_work(page: Any, expect) -> None:
    text_only = presets_for("sessions")["text-only"].body
    voice = presets_for("sessions")["voice-assistant"].body
    page.goto("/?op=sessions")
    page.get_by_test_id("presets").locator("summary").click()
    page.locator("[data-preset='text-only']").click()
    expect(page).to_have_url(preset_url("text-only"))
    wait_for_preview(page, text_only, expect)
    expect(page.get_by_test_id("loaded-banner")).to_be_focused()
    page.get_by_test_id("presets").locator("summary").click()
    page.locator("[data-preset='voice-assistant']").click()
    expect(page).to_have_url(preset_url("voice-assistant"))
    wait_for_preview(page, voice, expect)

    page.go_back()  # htmx keeps no history cache: the page comes from the server again
    expect(page).to_have_url(preset_url("text-only"))
    wait_for_preview(page, text_only, expect)
    page.go_back()
    wait_for_preview(page, {}, expect)
    page.go_forward()
    expect(page).to_have_url(preset_url("text-only"))
    wait_for_preview(page, text_only, expect)
    # The restored page still works: edit it and the preview follows.
    page.locator("#f-temperature").fill("0.6")
    wait_for_preview(page, {**text_only, "temperature": 0.6}, expect)


def test_import_a_curl_command_and_the_link_is_pushed(page: Any, expect) -> None:
    page.goto("/?op=sessions")
    page.get_by_test_id("import").locator("summary").click()
    body = {"voice": "sage", "temperature": 0.7}
    page.locator("#import-text").fill(
        "curl https://api.openai.com/v1/realtime/sessions \\\n"
        f'  -H "Authorization: Bearer {KEY}" \\\n'
        f"  -d '{json.dumps(body)}'"
    )
    page.get_by_role("button", name="Load into the form").click()
    wait_for_preview(page, body, expect)
    assert "/?op=sessions&p=1." in page.url and KEY not in page.url
    expect(page.get_by_test_id("loaded-banner")).to_contain_text("key and headers were ignored")
    assert KEY not in page.content()


def test_import_error_keeps_the_pasted_text(page: Any, expect) -> None:
    page.goto("/?op=sessions&preset=text-only")
    page.get_by_test_id("import").locator("summary").click()
    page.locator("#import-text").fill('{"voice": "ash",')
    page.get_by_role("button", name="Load into the form").click()
    expect(page.locator("#import-error")).to_contain_text("not valid JSON")
    assert page.locator("#import-text").input_value() == '{"voice": "ash",'
    assert json.dumps(preview(page)) == json.dumps(presets_for("sessions")["text-only"].body)


def test_export_downloads_the_body(page: Any, tmp_path: Path) -> None:
    page.goto("/?op=sessions&preset=function-calling")
    with page.expect_download() as info:
        page.get_by_test_id("export-button").click()
    download = info.value
    assert download.suggested_filename == "realtime-session.json"
    saved = tmp_path / "body.json"
    download.save_as(saved)
    assert json.loads(saved.read_text()) == presets_for("sessions")["function-calling"].body


def test_links_and_share_work_with_javascript_off(browser: Any, live_server: Any) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    body = presets_for("sessions")["semantic-vad-far-field"].body
    page.goto("/?op=sessions&preset=semantic-vad-far-field")
    assert json.dumps(preview(page)) == json.dumps(body)
    page.get_by_test_id("share-button").click()
    url = page.get_by_test_id("share-url").input_value()
    assert json.dumps(decode_token(url.split("p=")[-1])) == json.dumps(body)
    page.goto(url)
    assert json.dumps(preview(page)) == json.dumps(body)
    page.get_by_test_id("reset").click()
    assert preview(page) == {}
    context.close()
