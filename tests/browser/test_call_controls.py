"""Push-to-talk, interrupt and usage in the live call panel (static/call-controls.js,
static/call-usage.js), against the built-in mock in headless Chromium with the fake microphone,
over both transports: WebRTC, and WebSocket bridged by the server."""

from __future__ import annotations

import time
from typing import Any

import pytest

from playground.web.call_prices import load_prices

pytestmark = pytest.mark.browser

TRANSPORTS = ["webrtc", "websocket"]


def _start(call_ui: Any, page: Any, transport: str, turn_detection: str = "null") -> None:
    """Start a mock call over ``transport`` with the model gpt-realtime, the turn detection
    mode ``turn_detection``, and the call's modules in ``window.__modules``."""
    call_ui.open_realtime(page, transport, turn_detection)
    page.get_by_test_id("call-start").click()
    assert call_ui.settled_status(page) == "connected"
    call_ui.wait_event(page, "server", "session.created")
    call_ui.load_scripts(page)


def _done(call_ui: Any, page: Any, count: int) -> list[dict[str, Any]]:
    """Give the server's response.done events once there are ``count`` of them."""
    return call_ui.until(
        lambda: (d := call_ui.events(page, "server", "response.done")) and len(d) >= count and d,
        30,
        f"{count} response.done",
    )


def _expected_cost(usages: list[dict[str, Any]], model: str) -> float:
    """Give the cost of ``usages`` at the package's prices for ``model``."""
    table = load_prices()
    row = table["models"][model]
    total = 0.0
    for usage in usages:
        inp, out = usage["input_token_details"], usage["output_token_details"]
        cached = inp["cached_tokens_details"]
        total += (inp["text_tokens"] - cached["text_tokens"]) * row["text_input"]
        total += cached["text_tokens"] * row["text_cached_input"]
        total += (inp["audio_tokens"] - cached["audio_tokens"]) * row["audio_input"]
        total += cached["audio_tokens"] * row["audio_cached_input"]
        total += out["text_tokens"] * row["text_output"] + out["audio_tokens"] * row["audio_output"]
    return total / table["per_tokens"]


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_usage_is_the_sum_of_the_response_done_events(
    call_ui: Any, call_page: Any, peers: Any, transport: str
) -> None:
    """Two answered messages: the panel's tokens are the sums of the usage of the
    response.done events the inspector shows, and the cost is priced with the dated table."""
    page = call_page
    _start(call_ui, page, transport)
    call_ui.say(page, "Hello there")
    _done(call_ui, page, 1)
    call_ui.say(page, "And once more, please")
    usages = [d["response"]["usage"] for d in _done(call_ui, page, 2)]
    total = sum(u["total_tokens"] for u in usages)
    assert total > 0
    section = page.get_by_test_id("call-usage")
    call_ui.until(lambda: section.get_attribute("data-total-tokens") == str(total), 10, "usage")

    def shown(name: str) -> int:
        return int(section.locator(f"dd[data-usage={name}]").text_content() or "-1")

    inputs = [u["input_token_details"] for u in usages]
    outputs = [u["output_token_details"] for u in usages]
    assert shown("input") == sum(u["input_tokens"] for u in usages)
    assert shown("output") == sum(u["output_tokens"] for u in usages)
    assert shown("cached") == sum(i["cached_tokens"] for i in inputs)
    assert shown("audio") == sum(i["audio_tokens"] for i in inputs + outputs)
    assert shown("text") == sum(i["text_tokens"] for i in inputs + outputs)
    assert shown("cached") > 0  # the second response reused the first one's input
    cost = page.get_by_test_id("call-cost")
    assert f"prices of {load_prices()['date']}" in (cost.text_content() or "")
    assert float(cost.get_attribute("data-cost") or "nan") == pytest.approx(
        _expected_cost(usages, "gpt-realtime"), abs=1e-6
    )
    # After the hang-up the figures stay to be read.
    page.get_by_test_id("call-hangup").click()
    call_ui.until(lambda: peers.live_count() == 0, 10, "the mock call to end")
    assert section.is_visible() and section.get_attribute("data-total-tokens") == str(total)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_interrupt_stops_a_spoken_reply(
    call_ui: Any, call_page: Any, peers: Any, transport: str
) -> None:
    """Interrupt during a spoken answer: response.cancel goes, the answer ends cancelled, and
    the page's audio is cleared (WebRTC: output_audio_buffer.clear, answered cleared;
    WebSocket: the playback worklet's queue emptied)."""
    page = call_page
    _start(call_ui, page, transport)
    interrupt = page.get_by_test_id("call-interrupt")
    assert interrupt.is_disabled()  # nothing to interrupt yet
    call_ui.say(page, "Tell me a long story")
    speaking = (
        "output_audio_buffer.started" if transport == "webrtc" else "response.output_audio.delta"
    )
    call_ui.wait_event(page, "server", speaking)
    assert not call_ui.events(page, "server", "response.done")  # still speaking
    interrupt.click()
    done = _done(call_ui, page, 1)[-1]
    assert done["response"]["status"] == "cancelled"
    client = [e["type"] for e in call_ui.events(page, "client")]
    assert "response.cancel" in client
    if transport == "webrtc":
        assert "output_audio_buffer.clear" in client
        call_ui.wait_event(page, "server", "output_audio_buffer.cleared")
    else:
        cleared = call_ui.wait_for(page, "window.__modules.call.current().playbackCleared")
        assert len(cleared) >= 1  # the worklet emptied its queue
    call_ui.until(interrupt.is_disabled, 10, "Interrupt to be disabled again")


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_push_to_talk_commits_and_gets_a_response(
    call_ui: Any, call_page: Any, peers: Any, transport: str
) -> None:
    """Turn detection off: the microphone is closed until call-ptt is held; releasing it
    commits the audio and asks for a response, which comes. Space does the same, except while
    typing in the message box. At 375 px the controls fit."""
    page = call_page
    _start(call_ui, page, transport)
    ptt = page.get_by_test_id("call-ptt")
    call_ui.until(ptt.is_visible, 10, "push-to-talk to show")
    mic_on = "window.__modules.call.current().mic.getAudioTracks().every(t => t.enabled)"
    assert page.evaluate(f"!({mic_on})")
    assert page.get_by_test_id("call-mute").is_disabled()  # the hold opens the microphone
    box = ptt.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    assert ptt.get_attribute("aria-pressed") == "true" and page.evaluate(mic_on)
    time.sleep(1.0)  # speak for a second (the fake microphone's beeps)
    page.mouse.up()
    assert ptt.get_attribute("aria-pressed") == "false" and page.evaluate(f"!({mic_on})")
    call_ui.wait_event(page, "server", "input_audio_buffer.committed")
    client = [e["type"] for e in call_ui.events(page, "client")]
    held = client.index("input_audio_buffer.clear")
    assert client[held:][:3] == [
        "input_audio_buffer.clear",
        "input_audio_buffer.commit",
        "response.create",
    ]
    assert _done(call_ui, page, 1)[-1]["response"]["status"] == "completed"
    assert not call_ui.events(page, "server", "error")
    # Space in the message box types a space; outside a field it talks.
    page.get_by_test_id("call-message").fill("Hi")
    page.get_by_test_id("call-message").press("Space")
    assert page.get_by_test_id("call-message").input_value() == "Hi "
    assert len(call_ui.events(page, "client", "input_audio_buffer.commit")) == 1
    page.get_by_test_id("call-usage").click()  # focus leaves the field
    page.evaluate("document.activeElement.blur()")
    page.keyboard.down("Space")
    assert ptt.get_attribute("aria-pressed") == "true"
    time.sleep(1.0)
    page.keyboard.up("Space")
    call_ui.until(
        lambda: len(call_ui.events(page, "client", "input_audio_buffer.commit")) == 2, 10, "commit"
    )
    _done(call_ui, page, 2)
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= 375")
    assert ptt.is_visible() and page.get_by_test_id("call-interrupt").is_visible()


def test_push_to_talk_is_hidden_with_turn_detection_on(
    call_ui: Any, call_page: Any, peers: Any
) -> None:
    """With server VAD the microphone stays open and there is no push-to-talk."""
    page = call_page
    _start(call_ui, page, "webrtc", turn_detection="server_vad")
    assert not page.get_by_test_id("call-ptt").is_visible()
    assert page.get_by_test_id("call-interrupt").is_visible()
    assert page.evaluate("window.__modules.call.current().mic.getAudioTracks()[0].enabled")
    assert not page.get_by_test_id("call-mute").is_disabled()
