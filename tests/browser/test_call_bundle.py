"""A call's bundle (static/call-bundle.js, static/call-recording.js, static/call-zip.js) against
the mock in headless Chromium, over both transports: a call with server VAD on the fake
microphone and a typed message holding the visitor's key, hung up, then Download call bundle.
The zip is read with Python's zipfile, json and wave: its five files, events.jsonl the very
inspector download, the key nowhere, both sides' audio heard, the effective session the last
one the server reported. Then Open a call bundle in a fresh page (static/call-bundle-open.js)
draws the same events, speech segments, usage and both sides' audio; files that are not a
bundle are refused with what is wrong."""

from __future__ import annotations

import array
import io
import json
import re
import wave
import zipfile
from pathlib import Path
from typing import Any

import pytest

from .test_call_timeline import _marks, _vad_call

pytestmark = pytest.mark.browser

FILES = ["events.jsonl", "input.wav", "output.wav", "session.json", "timeline.json"]


def _download(page: Any, testid: str, folder: Path) -> Path:
    """Click ``testid`` and give the file it downloads, saved into ``folder``."""
    with page.expect_download() as info:
        page.get_by_test_id(testid).click()
    download = info.value
    path = folder / download.suggested_filename
    download.save_as(path)
    return path


def _loudest(data: bytes) -> tuple[int, int, int]:
    """Give a WAV file's (channels, rate, frames) after checking it is PCM16, and its loudest
    sample in place of nothing when it has no frames."""
    with wave.open(io.BytesIO(data)) as sound:
        assert sound.getsampwidth() == 2
        frames = sound.readframes(sound.getnframes())
        samples = array.array("h", frames)
        return sound.getnchannels(), sound.getframerate(), max(map(abs, samples), default=0)


def _fresh_page(call_browser: Any, live_server: Any, call_ui: Any) -> Any:
    context = call_browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto(call_ui.ga)
    return page


def _opened(call_ui: Any, page: Any, path: Path | list[Any]) -> str:
    """Choose ``path`` in the panel's bundle-open; give what the panel says once it said."""
    page.get_by_test_id("bundle-open").set_input_files(path)
    name = path.name if isinstance(path, Path) else path[0]["name"]
    call_ui.wait_for(  # said of this file (another may have been said before)
        page,
        "(() => { const s = document.querySelector('[data-testid=bundle-said]');"
        f" return s && s.dataset.state !== 'opening' && s.textContent.includes({name!r}); }})()",
    )
    return page.get_by_test_id("bundle-said").text_content() or ""


@pytest.mark.parametrize("transport", ["webrtc", "websocket"])
def test_a_calls_bundle_holds_it_and_opens_again_in_a_fresh_page(
    call_ui: Any,
    call_page: Any,
    call_browser: Any,
    live_server: Any,
    peers: Any,
    transport: str,
    tmp_path: Path,
    axe: Any,
) -> None:
    page = call_page
    _vad_call(call_ui, page, transport)
    call_ui.say(page, f"Hello, my key is {call_ui.key}")
    call_ui.until(
        lambda: (
            len([m for m in _marks(page, "timeline-speech") if "endMs" in m]) >= 2
            and any(
                e["response"].get("usage") for e in call_ui.events(page, "server", "response.done")
            )
        ),
        30,
        "two speech segments and a response with usage",
    )
    page.wait_for_timeout(1500)  # more of the model's audio
    page.get_by_test_id("call-hangup").click()
    call_ui.wait_for(
        page,
        "document.querySelector('[data-testid=call-status]').textContent.startsWith('Call ended')",
    )
    shown = call_ui.events(page)
    bundle = _download(page, "call-download-bundle", tmp_path)
    assert re.fullmatch(r"call-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.zip", bundle.name)
    data = bundle.read_bytes()
    assert call_ui.key.encode() not in data
    archive = zipfile.ZipFile(bundle)
    assert archive.namelist() == FILES
    assert archive.testzip() is None  # every CRC-32 right

    # events.jsonl: the inspector's own Download .jsonl, every event it shows, the key masked.
    events = archive.read("events.jsonl")
    (tmp_path / "inspector").mkdir()
    assert _download(page, "call-events-download", tmp_path / "inspector").read_bytes() == events
    lines = [json.loads(line) for line in events.decode().splitlines()]
    assert [line["event"] for line in lines] == shown
    said = next(line for line in lines if line["event"]["type"] == "conversation.item.create")
    assert said["event"]["item"]["content"][0]["text"] == "Hello, my key is [your key]"

    # Both sides' audio: PCM16 mono at 24 kHz, with sound in it.
    for name in ("input.wav", "output.wav"):
        channels, rate, loudest = _loudest(archive.read(name))
        assert (channels, rate) == (1, 24000), name
        assert loudest > 1000, f"{name} is silent"

    # session.json: asked at the start and the end, and the server's last word as effective.
    session = json.loads(archive.read("session.json"))
    reported = [e for e in shown if e["type"] in ("session.created", "session.updated")]
    assert session["effective"] == reported[-1]["session"]
    assert session["transport"] == transport and session["model"] == "gpt-realtime"
    asked = session["asked_at_start"]["audio"]["input"]["turn_detection"]
    assert asked["silence_duration_ms"] == 200
    assert session["asked_at_end"] == session["asked_at_start"]  # nothing changed mid-call

    # timeline.json: the marks as drawn.
    timeline = json.loads(archive.read("timeline.json"))
    drawn = _marks(page, "timeline-speech")
    kept = [m["data"] for m in timeline["marks"] if m["data"].get("testid") == "timeline-speech"]
    assert [(m["startMs"], m.get("endMs")) for m in kept] == [
        (m["startMs"], m.get("endMs")) for m in drawn
    ]
    assert any(level > 0 for level in timeline["levels"])
    usage = page.get_by_test_id("call-usage").get_attribute("data-total-tokens")
    assert usage and int(usage) > 0

    # Opened in a fresh page: the same events, segments, usage, and both sides to play.
    fresh = _fresh_page(call_browser, live_server, call_ui)
    said_text = _opened(call_ui, fresh, bundle)
    assert said_text == f"Opened {bundle.name}: {len(shown)} events."
    again = call_ui.events(fresh)
    assert [e["type"] for e in again] == [e["type"] for e in shown]
    assert again == shown
    segments = _marks(fresh, "timeline-speech")
    assert [(m["startMs"], m.get("endMs")) for m in segments] == [
        (m["startMs"], m.get("endMs")) for m in drawn
    ]
    assert len(_marks(fresh, "turn-latency")) == len(_marks(page, "turn-latency")) >= 1
    assert fresh.get_by_test_id("call-usage").get_attribute("data-total-tokens") == usage
    for testid in ("bundle-input-audio", "bundle-output-audio"):
        duration = fresh.evaluate(
            """(id) => new Promise((done) => {
              const audio = document.querySelector(`[data-testid=${id}]`);
              if (audio.readyState >= 1) done(audio.duration);
              if (audio.error) done(-1);
              audio.addEventListener('loadedmetadata', () => done(audio.duration));
              audio.addEventListener('error', () => done(-1));
            })""",
            testid,
        )
        assert duration > 0, testid
    # The transcript is drawn again: the typed message, masked.
    transcript = fresh.get_by_test_id("call-transcript").text_content() or ""
    assert "Hello, my key is [your key]" in transcript

    # At 375 px the page keeps its width.
    fresh.set_viewport_size({"width": 375, "height": 800})
    assert fresh.evaluate("document.documentElement.scrollWidth") <= 375
    # Readable by everyone, light and dark (axe: WCAG 2.1 A and AA).
    for scheme in ("light", "dark"):
        fresh.emulate_media(color_scheme=scheme)
        assert axe(fresh) == [], scheme
    # Re-zipped by a tool (deflate), it opens the same.
    rezipped = tmp_path / "rezipped.zip"
    rezipped.write_bytes(_zip({name: archive.read(name) for name in FILES}))
    assert _opened(call_ui, fresh, rezipped) == f"Opened rezipped.zip: {len(shown)} events."
    assert call_ui.events(fresh) == shown


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


WAV = b"RIFF\x24\x00\x00\x00WAVEfmt "  # enough of a header for the check


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.zip", b"just some text", "it is not a zip file"),
        ("empty.zip", _zip({"session.json": b"{}"}), "it has no events.jsonl, input.wav"),
        (
            "bad.zip",
            _zip(
                {
                    "events.jsonl": b'{"direction": "server", "event": {"type": "x"}}\nnot json\n',
                    "input.wav": WAV,
                    "output.wav": WAV,
                    "session.json": b"{}",
                    "timeline.json": b"{}",
                }
            ),
            "line 2 of events.jsonl is not JSON",
        ),
        (
            "sound.zip",
            _zip(
                {
                    "events.jsonl": b"",
                    "input.wav": b"ID3 an mp3",
                    "output.wav": WAV,
                    "session.json": b"{}",
                    "timeline.json": b"{}",
                }
            ),
            "input.wav is not a WAV file",
        ),
    ],
)
def test_a_file_that_is_not_a_bundle_is_refused_with_what_is_wrong(
    call_ui: Any, page: Any, name: str, data: bytes, message: str
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(call_ui.ga)
    payload = {"name": name, "mimeType": "application/zip", "buffer": data}
    said = _opened(call_ui, page, [payload])
    assert said.startswith(f"Not opened: {name} is not a call bundle: {message}")
    assert page.get_by_test_id("bundle-said").get_attribute("data-state") == "error"
    assert page.locator("#call-live").is_hidden() and not errors


def test_a_bundle_does_not_open_while_a_call_runs(call_ui: Any, call_page: Any, peers: Any) -> None:
    page = call_page
    call_ui.start_call(page)
    before = call_ui.events(page)
    payload = {"name": "old.zip", "mimeType": "application/zip", "buffer": _zip({"a": b"b"})}
    said = _opened(call_ui, page, [payload])
    assert said == "Not opened: old.zip opens when no call runs (hang up first)."
    # The call goes on, its events where they were.
    assert call_ui.status(page) == "connected"
    assert call_ui.events(page)[: len(before)] == before
