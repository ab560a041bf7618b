"""A recording as the call's input (static/call-input.js) and its runs compared
(static/call-runs.js), against the mock in headless Chromium with server VAD: the recording of
two utterances espeak-ng speaks during the test run (tests/conftest.py) is sent instead of the
fake microphone's beeps, Replay sends it again, and each play is a run whose turns sit beside
the run before, with the settings changed in between."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ..mock.conftest import mic_frames_pass

pytestmark = pytest.mark.browser

TRANSPORTS = ["webrtc", "websocket"]
VAD = "#f-session-realtime-audio-input-turn_detection-server_vad-"
#: How far the same audio's VAD segments may differ between two plays: frames of 20 ms (WebRTC)
#: or pieces of 100 ms (WebSocket) fall differently on it, and Opus moves levels near the edge.
SAME_MS = 250

SEGMENTS = (
    "() => Array.from(document.querySelectorAll('[data-testid=call-timeline] [data-testid=timeline-speech]'))"
    ".filter(n => n.dataset.endMs).map(n => [Number(n.dataset.startMs), Number(n.dataset.endMs)])"
)
LATENCIES = (
    "() => Array.from(document.querySelectorAll('[data-testid=call-timeline] [data-testid=turn-latency]'))"
    ".map(n => Number(n.dataset.ms))"
)
RUNS = (
    "() => Array.from(document.querySelectorAll('[data-testid=call-runs] section[data-run]')).map(s =>"
    " ({run: Number(s.dataset.run), changed: s.dataset.changed, text: s.textContent,"
    " turns: Array.from(s.querySelectorAll('tr[data-turn]')).filter(r => r.dataset.startMs !== undefined)"
    ".map(r => Object.assign({}, r.dataset))}))"
)


def _segments(page: Any) -> list[list[int]]:
    return list(page.evaluate(SEGMENTS))


def _runs(page: Any) -> dict[int, dict[str, Any]]:
    return {run["run"]: run for run in page.evaluate(RUNS)}


def _open(call_ui: Any, page: Any, transport: str, vad: bool = True) -> None:
    """Open the GA page on the mock with server VAD (its defaults) over ``transport``."""
    call_ui.open_realtime(page, transport, "server_vad" if vad else "null")


def _start(call_ui: Any, page: Any) -> None:
    page.get_by_test_id("call-start").click()
    assert call_ui.settled_status(page) == "connected"
    call_ui.wait_event(page, "server", "session.created")
    call_ui.load_scripts(page)


def _call_with(call_ui: Any, page: Any, recording: Path | str, transport: str = "webrtc") -> None:
    """Start a call with server VAD over ``transport``, its input ``recording`` (a file, or a
    sample by its name) chosen before."""
    _open(call_ui, page, transport)
    if isinstance(recording, Path):
        page.get_by_test_id("call-input-file").set_input_files(str(recording))
        shown = "file"
    else:
        page.get_by_label("Input", exact=True).select_option(recording)
        shown = recording
    call_ui.wait_for(page, f"document.getElementById('call-input').value === '{shown}'")
    _start(call_ui, page)


def _applied(call_ui: Any, page: Any, path: str) -> None:
    """Wait until the live update of ``path`` is applied (the panel says session.updated)."""
    call_ui.wait_for(
        page, f"!!document.querySelector('#call [data-path=\"{path}\"][data-state=applied]')"
    )


def _turns_done(call_ui: Any, page: Any, run: int, turns: int) -> dict[str, Any]:
    """Wait until run ``run`` has ``turns`` closed and answered turns; give that run."""

    def done() -> Any:
        found = _runs(page).get(run)
        rows = found["turns"] if found else []
        closed = [r for r in rows if "endMs" in r and "latencyMs" in r]
        return found if len(closed) >= turns else None

    return dict(call_ui.until(done, 40, f"run {run} with {turns} answered turns"))


def _change_and_replay(
    call_ui: Any, page: Any, setting: str, value: int, turns: tuple[int, int]
) -> dict[int, dict[str, Any]]:
    """Once run 1 has ``turns[0]`` answered turns, set the server VAD's ``setting`` to ``value``
    in the form, and once that is applied, Replay; give the runs once run 2 has ``turns[1]``.
    Run 2 names the change, run 1 and 2 have the turns they were to have."""
    _turns_done(call_ui, page, 1, turns[0])
    page.locator(VAD + setting).fill(str(value))
    path = "audio.input.turn_detection." + setting
    _applied(call_ui, page, path)
    page.get_by_test_id("call-replay").click()
    _turns_done(call_ui, page, 2, turns[1])
    runs = _runs(page)
    assert [len(runs[n]["turns"]) for n in (1, 2)] == list(turns)
    assert runs[2]["changed"] == path and f"{path} = {value}" in runs[2]["text"]
    return runs


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_recording_replayed_gives_the_same_turns_as_a_second_run(
    call_ui: Any, call_page: Any, peers: Any, two_utterances_wav: Any, transport: str
) -> None:
    page = call_page
    _call_with(call_ui, page, two_utterances_wav, transport)
    # The recording, not the fake microphone's beeps (twice a second): two utterances, two turns.
    first = _turns_done(call_ui, page, 1, 2)
    assert len(first["turns"]) == 2
    assert len(_segments(page)) == 2
    replay = page.get_by_test_id("call-replay")
    assert replay.is_enabled()
    replay.click()
    second = _turns_done(call_ui, page, 2, 2)
    page.get_by_test_id("call-hangup").click()  # nothing moves while it is read
    segments = _segments(page)
    assert len(segments) == 4
    # The same audio again: the same two segments, as long as the first two.
    before, after = segments[:2], segments[2:]
    for (s1, e1), (s2, e2) in zip(before, after, strict=True):
        assert abs((e1 - s1) - (e2 - s2)) <= SAME_MS
    # A latency per answered turn, the timeline's and the runs' the same.
    latencies = page.evaluate(LATENCIES)
    runs = _runs(page)
    assert len(runs[2]["turns"]) == len(runs[1]["turns"]) == 2
    listed = [int(t["latencyMs"]) for run in (runs[1], runs[2]) for t in run["turns"]]
    assert len(latencies) == 4
    assert all(abs(a - b) <= 1 for a, b in zip(latencies, listed, strict=True))
    # Each run's turns from its own start: where they fall in the recording, the same twice.
    for one, two in zip(runs[1]["turns"], runs[2]["turns"], strict=True):
        assert abs(int(one["startMs"]) - int(two["startMs"])) <= SAME_MS
        assert abs(int(one["endMs"]) - int(two["endMs"])) <= SAME_MS
    turn_one, turn_two = runs[1]["turns"]
    assert int(turn_one["endMs"]) < int(turn_two["startMs"])
    # Run 2 beside run 1: run 1's times are in run 2's rows, and nothing changed between them.
    assert "No setting changed since run 1" in runs[2]["text"] and runs[2]["changed"] == ""
    assert second["run"] == 2
    assert page.get_by_test_id("call-replay").is_disabled()


def test_a_setting_changed_between_runs_is_named_and_moves_the_turns(
    call_ui: Any, call_page: Any, peers: Any, two_utterances_wav: Any
) -> None:
    page = call_page
    _call_with(call_ui, page, two_utterances_wav)
    # Less prefix padding: the VAD reports each start later by the difference, the ends alike.
    runs = _change_and_replay(call_ui, page, "prefix_padding_ms", 0, (2, 2))
    for one, two in zip(runs[1]["turns"], runs[2]["turns"], strict=True):
        assert abs(int(two["startMs"]) - int(one["startMs"]) - 300) <= SAME_MS
        assert abs(int(two["endMs"]) - int(one["endMs"])) <= SAME_MS


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_file_chosen_during_a_call_is_sent_from_then_on(
    call_ui: Any, call_page: Any, peers: Any, two_utterances_wav: Any, transport: str
) -> None:
    page = call_page
    _open(call_ui, page, transport, vad=False)
    _start(call_ui, page)
    assert page.get_by_test_id("call-replay").is_disabled()
    assert "choose a recording" in (page.locator("#call-replay-hint").text_content() or "")
    # Turn detection on now, then the file: it is the input, run 1 starts.
    page.locator(
        'input[name="session:realtime.audio.input.turn_detection@mode"][value="server_vad"]'
    ).check()
    call_ui.wait_event(page, "server", "session.updated")
    page.get_by_test_id("call-input-file").set_input_files(str(two_utterances_wav))
    run = _turns_done(call_ui, page, 1, 2)
    assert "two-utterances.wav" in run["text"]
    assert len(run["turns"]) == 2
    # Back to the microphone: the select says so, the file input is cleared, Replay waits.
    page.locator("#call-input").select_option("")
    assert page.get_by_test_id("call-input-file").input_value() == ""
    assert page.get_by_test_id("call-replay").is_disabled()


def test_a_sample_chosen_before_the_call_is_its_input(
    call_ui: Any, call_page: Any, peers: Any, axe: Any
) -> None:
    page = call_page
    _open(call_ui, page, "webrtc")
    page.get_by_label("Input", exact=True).select_option("two-questions.wav")
    # Replay is drawn when the input is chosen, and says why it waits.
    call_ui.wait_for(page, "!!document.querySelector('[data-testid=call-replay]')")
    assert "start a call" in (page.locator("#call-replay-hint").text_content() or "")
    _start(call_ui, page)
    run = _turns_done(call_ui, page, 1, 2)
    assert "two-questions.wav" in run["text"]
    assert len(run["turns"]) == 2
    page.get_by_test_id("call-replay").click()
    _turns_done(call_ui, page, 2, 2)
    # Two runs side by side: accessible, and inside a 375 px page (the tables scroll in a box).
    assert axe(page) == []
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_file_that_is_not_audio_is_said_and_the_call_goes_on(
    call_ui: Any, call_page: Any, peers: Any, tmp_path: Any, transport: str
) -> None:
    page = call_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _open(call_ui, page, transport, vad=False)
    _start(call_ui, page)
    text = tmp_path / "notes.wav"
    text.write_text("These are notes, not audio.\n" * 20)
    page.get_by_test_id("call-input-file").set_input_files(str(text))
    message = page.get_by_test_id("call-input-error")
    call_ui.until(lambda: message.text_content(), 10, "the input's message")
    said = message.text_content() or ""
    assert "notes.wav" in said and "the call goes on with the microphone" in said
    assert page.locator("#call-input").input_value() == ""
    assert page.get_by_test_id("call-input-file").input_value() == ""
    # The call goes on: a typed message is still answered, the microphone still sent.
    assert call_ui.status(page) == "connected"
    call_ui.say(page, "Still there?")
    call_ui.wait_event(page, "server", "response.done")
    assert (
        page.evaluate("window.__modules.call.current().mic.getAudioTracks()[0].readyState")
        == "live"
    )
    assert errors == []


def test_a_shorter_silence_on_replay_splits_the_sample_in_two(
    call_ui: Any, call_page: Any, peers: Any
) -> None:
    """The README's comparison: short-pause.wav at the default 500 ms is one turn; Replay after
    silence_duration_ms 200 gives two, and run 2 names the change."""
    page = call_page
    _call_with(call_ui, page, "short-pause.wav")
    runs = _change_and_replay(call_ui, page, "silence_duration_ms", 200, (1, 2))
    # The speech begins the sample: run 1 has audio before it, as run 2 has, so both start alike.
    starts = [int(runs[n]["turns"][0]["startMs"]) for n in (1, 2)]
    assert abs(starts[0] - starts[1]) <= SAME_MS


def test_without_a_microphone_the_call_still_sends_the_recording(
    call_ui: Any, call_page: Any, peers: Any, two_utterances_wav: Any
) -> None:
    page = call_page
    page.add_init_script(
        "navigator.mediaDevices.getUserMedia = () =>"
        " Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));"
    )
    _call_with(call_ui, page, two_utterances_wav)
    note = page.get_by_test_id("call-mic-note").text_content() or ""
    assert "microphone access was denied" in note and "sends two-utterances.wav" in note
    assert "a=sendrecv" in page.evaluate("window.__modules.call.current().pc.localDescription.sdp")
    assert len(_turns_done(call_ui, page, 1, 2)["turns"]) == 2


def test_a_sample_the_browser_restored_in_the_select_is_what_the_call_sends(
    call_ui: Any, call_page: Any, peers: Any
) -> None:
    """The select shows a sample the call's modules never saw chosen (a reload restores it)."""
    page = call_page
    _open(call_ui, page, "webrtc")
    page.evaluate("document.getElementById('call-input').value = 'two-questions.wav'")
    _start(call_ui, page)
    run = _turns_done(call_ui, page, 1, 2)
    assert "two-questions.wav" in run["text"]


def test_a_file_over_20_mb_is_refused_before_a_call(call_ui: Any, call_page: Any) -> None:
    page = call_page
    call_ui.open_ga(page)
    big = {"name": "long.wav", "mimeType": "audio/wav", "buffer": bytes(20 * 1024 * 1024 + 1)}
    page.get_by_test_id("call-input-file").set_input_files(big)
    message = page.get_by_test_id("call-input-error")
    call_ui.until(lambda: message.text_content(), 10, "the input's message")
    said = message.text_content() or ""
    assert "long.wav" in said and "over 20 MB" in said and "the input stays the microphone" in said
    assert page.locator("#call-input").input_value() == ""


def test_mute_holds_for_a_recording(call_ui: Any, call_page: Any, peers: Any) -> None:
    """Mute switches the call's outgoing track: a replay while muted is a run the VAD hears
    nothing of."""
    page = call_page
    _call_with(call_ui, page, "two-questions.wav")
    _turns_done(call_ui, page, 1, 2)
    page.get_by_test_id("call-mute").click()
    page.get_by_test_id("call-replay").click()
    call_ui.until(lambda: 2 in _runs(page), 10, "run 2")
    stopped = len(call_ui.events(page, "server", "input_audio_buffer.speech_stopped"))
    mic_frames_pass(250)  # 5 s of audio heard: the sample (2.8 s) and a turn's silence
    assert len(call_ui.events(page, "server", "input_audio_buffer.speech_started")) == 2
    assert len(call_ui.events(page, "server", "input_audio_buffer.speech_stopped")) == stopped
    assert _runs(page)[2]["turns"] == []
