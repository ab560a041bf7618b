"""The GA client-secrets operation in the page: nested fields, send to the mock, convert."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.browser


def preview(page) -> dict:
    return json.loads(page.get_by_test_id("request-body").inner_text())


def test_ga_nested_fields_send_to_the_mock_and_convert_a_beta_preset(page, expect) -> None:
    page.goto("/")
    page.get_by_role("link", name="Client secret (GA) — POST /realtime/client_secrets").click()
    expect(page).to_have_url(re.compile(r"op=client-secrets"))
    page.locator("#g-f-session > .modes").get_by_label("realtime session", exact=True).check()
    voice = page.locator("#g-f-session-realtime-audio-output-voice")
    voice.get_by_label("Voice", exact=True).select_option("marin")  # one select, one step
    page.locator("#g-f-session-realtime-audio-input-turn_detection > .modes").get_by_label(
        "Off (null)"
    ).check()
    page.wait_for_function(
        "() => document.querySelector('#request-body').textContent.includes('\"turn_detection\": null')"
    )
    assert preview(page) == {
        "session": {
            "type": "realtime",
            "audio": {"input": {"turn_detection": None}, "output": {"voice": "marin"}},
        }
    }
    text = page.get_by_test_id("request-body").inner_text()
    assert '      "input": {\n        "turn_detection": null' in text  # nested, as sent
    snippet = page.get_by_test_id("snippet")
    expect(snippet).to_contain_text("client.realtime.clientSecrets.create")
    expect(snippet).to_contain_text("marin")
    assert "@utdk/openai" not in snippet.inner_text()

    page.get_by_role("button", name="Built-in mock (offline)").click()
    page.get_by_label("API key").fill("sk-test-ga-0000")
    page.get_by_role("button", name="Send").click()
    response = page.get_by_test_id("response")
    expect(response.get_by_test_id("response-status")).to_have_text("200 OK")
    key = page.locator("#ephemeral-key")
    expect(key).to_have_value(re.compile(r"^ek_"))
    assert "realtime/client_secrets" in response.inner_text()

    page.goto("/?op=sessions&preset=function-calling")
    page.get_by_role("button", name="Open as Client secret (GA)").first.click()
    expect(page).to_have_url(re.compile(r"/convert\?from=sessions&p=1\."))
    for _ in range(2):  # as converted, and again after a reload
        notes = page.get_by_test_id("migration-notes")
        expect(notes).to_contain_text("Converted from Realtime session (beta)")
        expect(notes).to_contain_text("modalities")
        expect(notes).to_contain_text("600 s")
        page.reload()
    body = preview(page)
    assert body["session"]["tool_choice"] == "auto"
    assert [t["name"] for t in body["session"]["tools"]] == ["lookup_order", "book_callback"]
    assert body["session"]["output_modalities"] == ["audio"]


def test_translation_secret_from_the_picker_a_preset_and_the_mock(page, expect) -> None:
    """Choose the translation operation, start from a preset, change the language, send to the
    mock and get a key for a translation session."""
    page.goto("/")
    page.get_by_role("link", name=re.compile(r"^Translation client secret \(GA\)")).click()
    expect(page).to_have_url(re.compile(r"op=translation-client-secrets"))
    expect(page.locator("#e-f-session-model")).to_have_text("Required.")

    page.get_by_test_id("presets").locator("summary").click()
    page.locator("[data-preset='headset-with-source-transcript']").click()
    expect(page).to_have_url(re.compile(r"preset=headset-with-source-transcript"))
    expect(page.locator("#e-f-session-model")).to_have_text("")
    page.locator("#f-session-audio-output-language").fill("it")
    page.wait_for_function(
        "() => document.querySelector('#request-body').textContent.includes('\"it\"')"
    )
    assert preview(page) == {
        "session": {
            "model": "gpt-realtime-translate",
            "audio": {
                "input": {
                    "noise_reduction": {"type": "near_field"},
                    "transcription": {"model": "gpt-realtime-whisper"},
                },
                "output": {"language": "it"},
            },
        }
    }
    snippet = page.get_by_test_id("snippet")
    expect(snippet).to_contain_text("client.realtime.translations.clientSecrets.create")

    page.get_by_role("button", name="Built-in mock (offline)").click()
    page.get_by_label("API key").fill("sk-test-translation-0000")
    page.get_by_role("button", name="Send").click()
    response = page.get_by_test_id("response")
    expect(response.get_by_test_id("response-status")).to_have_text("200 OK")
    expect(page.locator("#ephemeral-key")).to_have_value(re.compile(r"^ek_[A-Za-z0-9_-]+$"))
    answer = json.loads(response.get_by_test_id("response-body").inner_text())
    assert answer["session"]["type"] == "translation"
    assert answer["session"]["audio"]["output"] == {"language": "it"}
    assert "realtime/translations/client_secrets" in response.inner_text()
