"""The live call over WebSocket, bridged by the server, in headless Chromium with the fake
microphone: the mock end to end offline (PCM16 appends from the worklet, the voice played from
its deltas, the panel's features), and a call through a recording WebSocket gateway that only the
server talks to."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def _choose_socket(page: Any) -> None:
    page.get_by_test_id("call-transport").select_option("websocket")


def _model(call_ui: Any, page: Any) -> None:
    """Name the model (a WebSocket call names it in its URL)."""
    page.locator("#f-session-realtime-model").select_option("gpt-realtime")
    call_ui.wait_for(
        page, "document.getElementById('request-body').textContent.includes('gpt-realtime')"
    )


def test_the_mock_over_websocket_end_to_end(call_ui: Any, call_page: Any, peers: Any) -> None:
    """Chosen once, the transport is remembered; the call connects through the bridge; the
    fake microphone's audio reaches the mock as PCM16 appends (20 ms frames it hears);
    a typed message is answered in the transcript and its audio deltas play; the panel's
    inspector and effective view work; live session.update; hang-up ends the mock call."""
    page = call_page
    call_ui.open_ga(page)
    _choose_socket(page)
    page.reload()
    assert page.get_by_test_id("call-transport").input_value() == "websocket"
    call_ui.open_ga(page)
    call_ui.realtime_session(page, "Answer briefly.")
    # Turn detection off: the fake microphone's beeps would interrupt the typed exchange.
    mode = "session:realtime.audio.input.turn_detection@mode"
    page.locator(f'input[name="{mode}"][value="null"]').check()
    _model(call_ui, page)
    call_ui.wait_for(
        page,
        "document.getElementById('request-body').textContent.includes('\"turn_detection\": null')",
    )
    page.get_by_test_id("call-start").click()
    assert call_ui.settled_status(page) == "connected"
    transport = page.get_by_test_id("call-transport")
    assert transport.input_value() == "websocket" and transport.is_disabled()
    call_ui.wait_event(page, "server", "session.created")  # the API's defaults, then the form's:
    first = call_ui.wait_event(page, "server", "session.updated")
    assert first["session"]["instructions"] == "Answer briefly."
    assert (
        page.get_by_test_id("call-effective")
        .locator("li[data-path='instructions']")
        .get_attribute("data-kind")
        == "match"
    )
    call_ui.until(lambda: peers.live_count() == 1, 10, "the mock call")
    (mock_call,) = [peers.get(i) for i in list(peers._calls)]  # noqa: SLF001 (the one call)
    # Turn detection off: the microphone is live while Hold to talk is held (its release
    # commits and asks for a response, which the typed message below waits for).
    page.get_by_test_id("call-ptt").hover()
    page.mouse.down()
    call_ui.until(lambda: mock_call.engine.mic_frames > 10, 15, "appended microphone audio")
    page.mouse.up()
    call_ui.say(page, "Hello there")
    call_ui.transcript_has(page, "You said: Hello there")
    call_ui.wait_event(page, "server", "response.output_audio.delta")
    delta = call_ui.events(page, "server", "response.output_audio.delta")[0]
    assert delta["delta"]  # base64 PCM16 (shown by its size or in full)
    # Live tuning: a change of the form goes as session.update and comes back applied.
    page.locator("#f-session-realtime-instructions").fill("Answer at length.")
    call_ui.until(
        lambda: any(
            e["session"]["instructions"] == "Answer at length."
            for e in call_ui.events(page, "server", "session.updated")
        ),
        20,
        "the live session.update to be applied",
    )
    page.get_by_test_id("call-hangup").click()
    call_ui.until(lambda: peers.live_count() == 0, 10, "the mock call to end")
    assert not transport.is_disabled()


def test_a_call_through_a_websocket_gateway_keeps_the_key_on_the_server(
    call_ui: Any, call_page: Any, socket_gateway: Any
) -> None:
    """A WebSocket-only gateway: the server connects with the key and sends the session first;
    the fake microphone's PCM16 appends arrive (two seconds of them); the gateway's events show in the page; hang-up
    closes the gateway's socket. The browser never connects to it."""

    def gateway(connection: Any, record: dict[str, Any]) -> None:
        connection.send(json.dumps({"type": "session.created", "session": {"object": "x"}}))
        for text in connection:
            event = json.loads(text)
            record["messages"].append(event)
            if event["type"] == "input_audio_buffer.append" and len(record["messages"]) == 21:
                connection.send(json.dumps({"type": "gateway.heard", "appends": 20}))

    socket_gateway.behaviour = gateway
    page = call_page
    call_ui.open_ga(page, gateway=socket_gateway.url)
    _choose_socket(page)
    call_ui.realtime_session(page, "Be brief.")
    _model(call_ui, page)
    page.get_by_test_id("call-start").click()
    assert call_ui.settled_status(page) == "connected"
    call_ui.wait_event(page, "server", "gateway.heard")
    page.get_by_test_id("call-hangup").click()
    assert socket_gateway.closed.wait(10)
    (seen,) = socket_gateway.connections
    assert seen["headers"]["Authorization"] == f"Bearer {call_ui.key}"
    assert seen["query"] == {"model": "gpt-realtime"}
    first, *appends = seen["messages"]
    assert first["type"] == "session.update" and first["session"]["instructions"] == "Be brief."
    audio = [
        base64.b64decode(m["audio"]) for m in appends if m["type"] == "input_audio_buffer.append"
    ]
    assert len(audio) >= 3 and all(len(a) == 4800 for a in audio)  # 100 ms of PCM16 24 kHz
    assert any(
        max(memoryview(a).cast("h")) > 100 for a in audio
    )  # the fake mic's beep, not silence
    assert seen["close_code"] == 1000
    # The key never reached the page's inspector.
    assert call_ui.key not in page.get_by_test_id("call-events").inner_text()
