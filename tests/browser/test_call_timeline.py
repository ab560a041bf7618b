"""The live call's timeline (static/call-timeline.js) against the mock in headless Chromium, over
both transports: the fake microphone's beeps are speech to the mock's server VAD, so segments,
responses and a latency per answered turn appear, consistent with the events the inspector shows;
the timeline stays inside a 375 px page, and a focused mark says the events behind it.

Set ``PLAYGROUND_SCREENSHOT_DIR`` to save ``timeline.png`` (the timeline's section of a WebRTC
call, a mark focused) there: the README's docs/timeline.png is made this way.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

#: Every mark of the timeline, as the page draws it.
MARKS = (
    "([id]) => Array.from(document.querySelectorAll(`[data-testid=call-timeline] [data-testid=${id}]`))"
    ".map(n => Object.assign({}, n.dataset))"
)


def _marks(page: Any, testid: str) -> list[dict[str, str]]:
    return list(page.evaluate(MARKS, [testid]))


def _vad_call(call_ui: Any, page: Any, transport: str) -> None:
    """Start a call with server VAD over ``transport`` (the mock hears the fake microphone)."""
    call_ui.open_ga(page)
    page.get_by_test_id("call-transport").select_option(transport)
    call_ui.realtime_session(page, "Answer briefly.")
    mode = "session:realtime.audio.input.turn_detection@mode"
    page.locator(f'input[name="{mode}"][value="server_vad"]').check()
    # Chromium's fake microphone beeps twice a second: 200 ms of quiet ends a segment.
    vad = "#f-session-realtime-audio-input-turn_detection-server_vad-"
    page.locator(vad + "silence_duration_ms").fill("200")
    # A WebSocket call names its model in the URL.
    page.locator("#f-session-realtime-model").select_option("gpt-realtime")
    call_ui.wait_for(
        page,
        "document.getElementById('request-body').textContent.includes('\"silence_duration_ms\": 200')"
        " && document.getElementById('request-body').textContent.includes('gpt-realtime')",
    )
    page.get_by_test_id("call-start").click()
    assert call_ui.settled_status(page) == "connected"


@pytest.mark.parametrize("transport", ["webrtc", "websocket"])
def test_speech_responses_and_latency_are_drawn_from_the_call(
    call_ui: Any, call_page: Any, peers: Any, transport: str
) -> None:
    page = call_page
    _vad_call(call_ui, page, transport)
    # Two closed segments and an answered turn: the beeps have been heard and answered.
    call_ui.until(
        lambda: (
            len([m for m in _marks(page, "timeline-speech") if "endMs" in m]) >= 2
            and _marks(page, "turn-latency")
        ),
        30,
        "two speech segments and an answered turn on the timeline",
    )
    page.get_by_test_id("call-hangup").click()  # nothing moves while it is read
    started = call_ui.events(page, "server", "input_audio_buffer.speech_started")
    stopped = call_ui.events(page, "server", "input_audio_buffer.speech_stopped")
    segments = _marks(page, "timeline-speech")
    # One segment per speech_started, from its audio_start_ms to its speech_stopped's audio_end_ms.
    assert [int(s["startMs"]) for s in segments] == [e["audio_start_ms"] for e in started]
    ends = {e["item_id"]: e["audio_end_ms"] for e in stopped}
    closed = [s for s in segments if "endMs" in s]
    assert [int(s["endMs"]) for s in closed] == [
        ends[e["item_id"]] for e in started if e["item_id"] in ends
    ]
    assert all(int(s["startMs"]) < int(s["endMs"]) for s in closed)
    # One response per response.created, in order; a finished one ends after it started.
    responses = _marks(page, "timeline-response")
    created = call_ui.events(page, "server", "response.created")
    assert [r["responseId"] for r in responses] == [e["response"]["id"] for e in created]
    done = {e["response"]["id"] for e in call_ui.events(page, "server", "response.done")}
    for response in responses:
        assert ("endMs" in response) == (response["responseId"] in done)
        if "endMs" in response:
            assert int(response["startMs"]) <= int(response["endMs"])
    # A latency per answered turn: at most one per end of speech, each naming a drawn response
    # that had started by then, and measured from the end of speech, so never negative.
    latencies = _marks(page, "turn-latency")
    assert 1 <= len(latencies) <= len(stopped)
    ids = [r["responseId"] for r in responses]
    assert len({m["responseId"] for m in latencies}) == len(latencies)
    for latency in latencies:
        assert latency["responseId"] in ids and int(latency["ms"]) >= 0
        first = next(r for r in responses if r["responseId"] == latency["responseId"])
        assert int(first["firstMs"]) >= int(first["startMs"])

    # Readable at 375 px: the page keeps its width, the timeline scrolls inside its box.
    page.set_viewport_size({"width": 375, "height": 800})
    widths = page.evaluate(
        "() => { const box = document.querySelector('.call-timeline-box');"
        " return [document.documentElement.scrollWidth, box.clientWidth, box.scrollWidth]; }"
    )
    assert widths[0] <= 375 and widths[1] <= 375
    # Focus on a mark names it and says the events behind it.
    mark = page.locator("[data-testid=call-timeline] [data-testid=timeline-speech]").first
    mark.focus()
    details = page.get_by_test_id("timeline-details").text_content() or ""
    assert details.startswith(mark.get_attribute("aria-label") or "(no name)")
    assert "input_audio_buffer.speech_started" in details
    assert "input_audio_buffer.speech_stopped" in details
    latency = page.locator("[data-testid=call-timeline] [data-testid=turn-latency]").first
    latency.hover()
    assert "first output" in (page.get_by_test_id("timeline-details").text_content() or "")
    directory = os.environ.get("PLAYGROUND_SCREENSHOT_DIR")
    if directory and transport == "webrtc":
        page.set_viewport_size({"width": 1280, "height": 900})
        latency.focus()
        section = page.locator("[data-call-part=call-timeline-panel]")
        section.screenshot(path=str(Path(directory) / "timeline.png"))


def test_a_typed_message_draws_a_response_and_no_latency(
    call_ui: Any, call_page: Any, peers: Any
) -> None:
    """A response nobody spoke for has no turn latency; the model's audio is drawn."""
    page = call_page
    call_ui.start_call(page)  # turn detection off
    call_ui.say(page, "Hello")
    call_ui.wait_event(page, "server", "response.done")
    call_ui.until(lambda: _marks(page, "timeline-response"), 5, "a response on the timeline")
    (response,) = _marks(page, "timeline-response")
    assert response["status"] == "completed" and int(response["endMs"]) >= int(response["startMs"])
    assert _marks(page, "timeline-speech") == [] and _marks(page, "turn-latency") == []
    call_ui.until(lambda: _marks(page, "timeline-audio"), 10, "the model's audio on the timeline")
