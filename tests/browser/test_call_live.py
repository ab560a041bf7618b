"""Live calls from the page to the built-in mock's WebRTC peer, in headless Chromium with a fake
microphone: audio both ways, the effective configuration, text, a function round trip, live
updates, hang-up, two calls at once, a refused key, and the key kept out of everything.

Set ``PLAYGROUND_SCREENSHOT_DIR`` to save ``call.png`` (1280x900, after a text exchange) there:
the README's docs/call.png is made this way.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def test_a_call_plays_the_mock_and_sends_the_microphone(
    call_ui, call_page, live_server, peers
) -> None:
    page = call_page
    call_id = call_ui.start_call(page, turn_detection="server_vad")
    assert call_id.startswith("rtc_") and peers.live_count() == 1
    # The remote audio plays from a live track, and its packets arrive.
    assert page.evaluate(
        "document.querySelector('[data-testid=call-audio]').srcObject.getAudioTracks()"
        ".some(t => t.readyState === 'live')"
    )
    call_ui.say(page, "Hello")  # the mock answers with its tone
    call_ui.wait_for(
        page,
        "window.__modules.call.current().pc.getStats().then(r => Array.from(r.values())"
        ".some(s => s.type === 'inbound-rtp' && s.kind === 'audio' && s.bytesReceived > 0))",
    )
    # The fake microphone's frames reach the mock; its level moves the meter.
    mock_call = peers.get(call_id)
    call_ui.until(lambda: mock_call.mic_frames > 0, 10, "the mock to count microphone frames")
    call_ui.wait_for(page, "document.querySelector('[data-testid=call-level]').value > 0")
    mute = page.get_by_test_id("call-mute")
    mute.click()
    assert mute.get_attribute("aria-pressed") == "true" and mute.text_content() == "Unmute"
    assert page.evaluate(
        "window.__modules.call.current().mic.getAudioTracks().every(t => !t.enabled)"
    )
    mute.click()
    assert mute.get_attribute("aria-pressed") == "false"


def test_the_effective_view_shows_what_the_server_filled_in(
    call_ui, call_page, live_server, peers
) -> None:
    page = call_page
    call_ui.start_call(page, "Be brief.", turn_detection="omit")
    created = call_ui.events(page, "server", "session.created")[0]
    assert created["session"]["instructions"] == "Be brief."
    view = page.get_by_test_id("call-effective")
    threshold = view.locator("li[data-path='audio.input.turn_detection.threshold']")
    assert threshold.get_attribute("data-kind") == "default"
    assert (
        threshold.text_content() == "audio.input.turn_detection.threshold: unset, server used 0.5"
    )
    instructions = view.locator("li[data-path='instructions']")
    assert instructions.get_attribute("data-kind") == "match"
    voice = view.locator("li[data-path='audio.output.voice']")
    assert voice.text_content() == 'audio.output.voice: unset, server used "alloy"'
    assert view.locator("li[data-path='id']").get_attribute("data-kind") == "info"


def test_a_text_exchange_and_a_function_round_trip(call_ui, call_page, live_server, peers) -> None:
    page = call_page
    call_ui.start_call(page)
    call_ui.say(page, "Hello there")
    transcript = page.get_by_test_id("call-transcript")
    call_ui.transcript_has(page, "You said: Hello there")
    assert transcript.locator("li[data-role=user]").first.text_content() == "Hello there"
    sent = call_ui.events(page, "client", "conversation.item.create")[0]
    assert sent["item"]["content"] == [{"type": "input_text", "text": "Hello there"}]
    assert call_ui.events(page, "client", "response.create")
    deltas = call_ui.events(page, "server", "response.output_audio_transcript.delta")
    assert "".join(d["delta"] for d in deltas).startswith("You said: Hello there")
    call_ui.wait_event(page, "server", "response.done")
    directory = os.environ.get("PLAYGROUND_SCREENSHOT_DIR")
    if directory:
        page.locator("#call").scroll_into_view_if_needed()
        page.screenshot(path=str(Path(directory) / "call.png"))

    # A new call, with the preset's function tool (lookup_order).
    page.get_by_test_id("call-hangup").click()
    call_ui.start_call(page, preset="tools-and-mcp")
    call_ui.say(page, "Please call the tool")
    called = call_ui.wait_event(page, "server", "response.function_call_arguments.done")
    box = page.get_by_test_id("call-function")
    assert box.get_attribute("data-call-id") == called["call_id"]
    assert box.get_by_test_id("call-function-name").text_content() == called["name"]
    assert box.get_by_test_id("call-function-arguments").text_content() == called["arguments"]
    box.get_by_test_id("call-function-output").fill('{"temperature": 21}')
    box.get_by_test_id("call-function-send").click()
    call_ui.transcript_has(page, "The tool answered")
    output = [
        e
        for e in call_ui.events(page, "client", "conversation.item.create")
        if e["item"]["type"] == "function_call_output"
    ]
    assert output == [
        {
            "type": "conversation.item.create",
            "item": {
                "type": "function_call_output",
                "call_id": called["call_id"],
                "output": '{"temperature": 21}',
            },
            "event_id": output[0]["event_id"],
        }
    ]
    assert box.get_by_test_id("call-function-send").is_disabled()


def test_a_change_of_the_form_updates_the_session_live(
    call_ui, call_page, live_server, peers
) -> None:
    page = call_page
    call_ui.start_call(page)
    page.locator("#f-session-realtime-audio-output-speed").fill("1.2")
    update = call_ui.wait_event(page, "client", "session.update")
    assert update["session"] == {"type": "realtime", "audio": {"output": {"speed": 1.2}}}
    updated = call_ui.wait_event(page, "server", "session.updated")
    assert updated["session"]["audio"]["output"]["speed"] == 1.2
    call_ui.wait_for(
        page, "document.querySelector('[data-testid=call-updates] li[data-state=applied]') !== null"
    )
    note = page.locator("#g-f-session-realtime-audio-output-speed [data-testid=call-field-note]")
    assert note.text_content() == "Live call: applied (session.updated)"
    speed = page.get_by_test_id("call-effective").locator("li[data-path='audio.output.speed']")
    assert speed.get_attribute("data-kind") == "match"

    # The mock refuses what the API refuses: the error names the field, next to it.
    page.locator("#f-session-realtime-audio-output-speed").fill("9")
    call_ui.wait_event(page, "server", "error")
    call_ui.wait_for(
        page,
        "document.querySelector('#g-f-session-realtime-audio-output-speed [data-testid=call-field-note]').dataset.state === 'refused'",
    )
    assert "refused" in (note.text_content() or "")

    # What may not change mid-call is said, not sent.
    sent_before = len(call_ui.events(page, "client", "session.update"))
    call_ui.say(page, "Hello")  # the mock answers with audio: the voice is fixed from now on
    call_ui.wait_event(page, "server", "response.done")
    page.locator("#f-session-realtime-audio-output-voice").select_option("ash")
    call_ui.wait_for(
        page,
        "document.querySelector('#g-f-session-realtime-audio-output-voice [data-testid=call-field-note]') !== null",
    )
    voice_note = page.locator(
        "#g-f-session-realtime-audio-output-voice [data-testid=call-field-note]"
    )
    assert "voice cannot change once the model has answered with audio" in (
        voice_note.text_content() or ""
    )
    page.wait_for_timeout(800)  # past the debounce: nothing was sent for the voice
    assert all(
        "voice" not in json.dumps(e)
        for e in call_ui.events(page, "client", "session.update")[sent_before:]
    )


def test_hang_up_ends_the_call_here_and_at_the_mock(call_ui, call_page, live_server, peers) -> None:
    page = call_page
    call_id = call_ui.start_call(page)
    assert peers.get(call_id) is not None
    page.get_by_test_id("call-hangup").click()
    assert call_ui.status(page) == "Call ended."
    call_ui.until(lambda: peers.live_count() == 0, 10, "the mock to end the call")
    assert peers.get(call_id) is None
    assert page.evaluate("window.__modules.call.current()") is None
    assert page.evaluate("document.querySelector('[data-testid=call-audio]').srcObject") is None
    page.wait_for_timeout(300)  # the hang-up's answer would add to the status if it failed
    assert call_ui.status(page) == "Call ended."
    assert page.get_by_test_id("call-start").is_enabled()


def test_two_pages_hold_two_calls_at_once(call_ui, call_context, live_server, peers) -> None:
    first, second = call_context.new_page(), call_context.new_page()
    first_id = call_ui.start_call(first, "First.")
    second_id = call_ui.start_call(second, "Second.")
    assert first_id != second_id and peers.live_count() == 2
    call_ui.say(second, "Two")
    call_ui.transcript_has(second, "You said: Two")
    assert "You said" not in (first.get_by_test_id("call-transcript").text_content() or "")
    first.get_by_test_id("call-hangup").click()
    call_ui.until(lambda: peers.live_count() == 1, 10, "the mock to end the first call")
    assert peers.get(second_id) is not None
    assert call_ui.status(second) == "connected"


def test_connect_with_a_minted_key_and_a_refused_one(
    call_ui, call_page, live_server, peers
) -> None:
    page = call_page
    page.goto(call_ui.ga)
    page.get_by_role("button", name="Built-in mock (offline)").click()
    page.get_by_label("API key").fill(call_ui.key)
    call_ui.realtime_session(page, "From the key.")
    page.get_by_role("button", name="Send").click()
    connect = page.get_by_test_id("call-connect-key")
    call_ui.wait_for(
        page, "document.querySelector('[data-testid=call-connect-key]').disabled === false"
    )
    minted = page.locator("#ephemeral-key").input_value()
    connect.click()
    assert call_ui.settled_status(page) == "connected"
    created = call_ui.wait_event(page, "server", "session.created")
    assert created["session"]["instructions"] == "From the key."
    assert minted not in page.locator("#call").evaluate("panel => panel.outerHTML")
    page.get_by_test_id("call-hangup").click()

    # A key the mock did not sign is refused, and the refusal shows like a send's.
    page.locator("#ephemeral-key").evaluate(
        "(input, key) => { input.value = key; }", minted[:-4] + "0000"
    )
    call_ui.load_scripts(page)
    page.evaluate("window.__modules.loader.keyReady()")
    connect.click()
    said = call_ui.settled_status(page)
    assert said.startswith("Not started: 401")
    assert (
        page.get_by_test_id("response")
        .get_by_test_id("response-status")
        .text_content()
        .startswith("401")
    )
    assert peers.live_count() == 0


def test_the_key_is_nowhere_but_where_it_was_typed(
    call_ui, call_page, live_server, peers, caplog
) -> None:
    page = call_page
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    call_ui.start_call(page)
    call_ui.say(page, "Hello")
    call_ui.wait_event(page, "server", "response.done")
    with page.expect_download() as download_info:
        page.get_by_test_id("call-events-download").click()
    saved = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert saved.count("\n") == len(call_ui.events(page)) and "session.created" in saved
    page.get_by_test_id("call-hangup").click()
    html = page.content().replace(f'value="{call_ui.key}"', "")  # the API key input itself
    assert call_ui.key not in html
    assert call_ui.key not in saved and not [text for text in console if call_ui.key in text]
    assert not [text for text in console if "Content Security Policy" in text]  # nothing blocked
    assert call_ui.key not in caplog.text
    # The audio payloads were never dumped (a WebRTC call carries none on the channel anyway).
    assert all(len(line) < 20000 for line in saved.splitlines())


def test_a_calls_inspector_masks_the_visitors_own_key(
    call_ui, call_page, live_server, peers
) -> None:
    """What the call's inspector shows and downloads never holds the key the visitor typed."""
    page = call_page
    call_ui.start_call(page, instructions="Say hello.")
    call_ui.say(page, f"my key is {call_ui.key}")
    event = call_ui.wait_event(page, "client", "conversation.item.create")
    assert event["item"]["content"][0]["text"] == "my key is [your key]"
    events = page.locator("#call [data-testid=call-events]")
    assert call_ui.key not in events.evaluate("list => list.outerHTML")


def test_a_turn_detection_change_mid_call_is_sent_whole_and_applied(
    call_ui, call_page, live_server, peers
) -> None:
    page = call_page
    call_ui.start_call(page)
    group = "#g-f-session-realtime-audio-input-turn_detection"
    # The union is sent as itself: no update path is written where it is the field's own path.
    assert page.locator(group).get_attribute("data-json-path") == (
        "session.audio.input.turn_detection"
    )
    assert page.locator(group).get_attribute("data-update-path") is None
    page.locator(
        'input[name="session:realtime.audio.input.turn_detection@mode"][value="server_vad"]'
    ).check()
    field = "#f-session-realtime-audio-input-turn_detection-server_vad-threshold"
    assert page.locator("#g-" + field[1:]).get_attribute("data-update-path") == (
        "session.audio.input.turn_detection"  # a union: its leaves go with their branch's tag
    )
    page.locator(field).fill("0.8")
    call_ui.wait_for(
        page,
        "Array.from(document.querySelectorAll('[data-testid=call-events] > li'))"
        ".some(li => li.textContent.includes('0.8'))",
    )
    update = call_ui.wait_event(page, "client", "session.update")
    detection = update["session"]["audio"]["input"]["turn_detection"]
    assert detection["type"] == "server_vad" and detection["threshold"] == 0.8
    call_ui.until(
        lambda: any(
            e["session"]["audio"]["input"]["turn_detection"].get("threshold") == 0.8
            for e in call_ui.events(page, "server", "session.updated")
        ),
        20,
        "session.updated with threshold 0.8",
    )
    note = page.locator(group + " [data-testid=call-field-note]")  # the change was its branch
    call_ui.until(lambda: note.text_content() == "Live call: applied (session.updated)", 20, "note")
    # a second threshold is a change of one leaf: still sent with its branch's type
    page.locator(field).fill("0.6")
    call_ui.until(
        lambda: any(
            e["session"]["audio"]["input"]["turn_detection"]
            == {"type": "server_vad", "threshold": 0.6}
            for e in call_ui.events(page, "client", "session.update")
        ),
        20,
        "session.update with the whole turn_detection",
    )
    leaf = page.locator("#g-" + field[1:] + " [data-testid=call-field-note]")
    call_ui.until(lambda: leaf.text_content() == "Live call: applied (session.updated)", 20, "leaf")
    assert not call_ui.events(page, "server", "error")

    # semantic_vad's eagerness goes with its type too (it was "Unknown parameter" alone)
    page.locator(
        'input[name="session:realtime.audio.input.turn_detection@mode"][value="semantic_vad"]'
    ).check()
    eager = "#f-session-realtime-audio-input-turn_detection-semantic_vad-eagerness"
    page.locator(eager).select_option("high")
    call_ui.until(
        lambda: any(
            e["session"]["audio"]["input"]["turn_detection"].get("eagerness") == "high"
            for e in call_ui.events(page, "server", "session.updated")
        ),
        20,
        "session.updated with eagerness high",
    )
    assert not call_ui.events(page, "server", "error")


def test_the_transcript_shows_hidden_characters_the_model_says(
    call_ui, call_page, live_server, peers
) -> None:
    """The mock says back what it heard: a bidi override and a tag character in its words show
    as <U+XXXX> in the transcript, as every text the call draws does."""
    page = call_page
    call_ui.start_call(page)
    call_ui.say(page, "safe\u202eevil\U000e0041")
    call_ui.transcript_has(page, "You said: safe<U+202E>evil<U+E0041>")
    shown = page.get_by_test_id("call-transcript").text_content() or ""
    assert "\u202e" not in shown and "\U000e0041" not in shown
