"""The call panel in the page: where it is drawn, what it names, and that the call's modules
stay out of the first load (static/call-loader.js imports them on the first click)."""

from __future__ import annotations

import io
import re
import wave
from pathlib import Path

import pytest

from playground.model.call_spec import call_spec, where_calls_start
from playground.model.operations import all_operations

TESTIDS = [
    "call-start",
    "call-connect-key",
    "call-hangup",
    "call-mute",
    "call-level",
    "call-status",
    "bundle-open",
]
LAZY = [
    "call-session.js",
    "call-inspector.js",
    "call-view.js",
    "call-refusal.js",
    "call-timeline.js",
    "call-input.js",
    "call-runs.js",
    "call-bundle.js",
    "call-bundle-open.js",
    "call-recording.js",
    "call-zip.js",
    "call.js",
]
SAMPLES = Path(__file__).resolve().parents[2] / "static" / "samples"


def _page(client, op: str) -> str:
    return client.get("/", query_string={"op": op}).get_data(as_text=True)


def test_the_panel_is_on_every_page_whose_operation_starts_a_call(client) -> None:
    for op in all_operations().values():
        html = _page(client, op.id)
        drawn = 'id="call"' in html
        assert drawn == (call_spec(op) is not None), op.id
        if drawn:
            for testid in TESTIDS:
                assert f'data-testid="{testid}"' in html, testid
            assert re.search(r'<audio data-testid="call-audio"[^>]* autoplay>', html)


def test_the_call_modules_are_imported_later_not_loaded_first(client) -> None:
    html = _page(client, "client-secrets")
    loaded = re.findall(r'<script type="module" src="/static/m/[0-9a-f]+/([^"]+)"', html)
    assert "call-loader.js" in loaded
    assert not set(loaded) & set(LAZY)
    prefix = re.search(r'src="(/static/m/[0-9a-f]+/)call-loader.js"', html)
    assert prefix
    loader = client.get(prefix.group(1) + "call-loader.js")
    assert b'import("./call.js")' in loader.data  # relative: under the same version
    loader.close()
    for name in LAZY:
        served = client.get(prefix.group(1) + name)
        assert served.status_code == 200 and served.mimetype == "text/javascript", name
        assert "immutable" in served.headers["Cache-Control"]  # the path carries the version
        served.close()


def test_the_call_stylesheet_is_named_for_the_first_click_not_linked(client) -> None:
    html = _page(client, "client-secrets")
    assert '<link rel="stylesheet" href="/static/call.css' not in html
    named = re.search(r'data-call-stylesheet="(/static/call\.css\?v=[0-9a-f]+)"', html)
    assert named  # static/call-loader.js links it on the first Start call or Connect click
    style = client.get(named.group(1))
    assert style.status_code == 200 and b".call-transcript" in style.data
    style.close()


def test_the_first_load_of_the_default_page_carries_nothing_of_the_call(client) -> None:
    html = _page(client, "sessions")
    assert "call-loader.js" not in html and "call.css" not in html and 'id="call"' not in html


@pytest.mark.parametrize(
    ("op", "said"),
    [
        ("translation-client-secrets", "A call starts from Client secret (GA): choose it above."),
        # The beta page converts first: its own notice has the "Open as" button already.
        ("sessions", None),
    ],
)
def test_a_page_that_cannot_call_says_where_a_call_starts(client, op, said) -> None:
    html = _page(client, op)
    note = re.search(r'data-testid="call-elsewhere">([^<]*)<', html)
    if said is None:
        assert note is None
        assert "Open as Client secret (GA)" in html
    else:
        assert note and said in note.group(1)
        assert said == where_calls_start(all_operations()[op], all_operations())


def test_the_panel_posts_to_the_call_routes(client) -> None:
    html = _page(client, "client-secrets")
    assert 'data-call-url="/call"' in html and 'data-hangup-url="/call/hangup"' in html


def test_each_sample_the_input_offers_is_served_as_a_small_mono_16_bit_wav(client) -> None:
    html = _page(client, "client-secrets")
    select = re.search(r'<select id="call-input"[^>]*>(.*?)</select>', html, re.S)
    assert select, "the call's input select"
    offered = re.findall(r"<option>([^<]+)</option>", select.group(1))
    assert '<option value="">Microphone</option>' in select.group(1)
    assert sorted(offered) == sorted(p.name for p in SAMPLES.glob("*.wav")) and len(offered) >= 2
    for name in offered:
        # call-input.js fetches ../../samples/NAME from /static/m/<version>/call-input.js.
        served = client.get(f"/static/samples/{name}")
        assert served.status_code == 200, name
        with wave.open(io.BytesIO(served.data)) as sample:
            assert (sample.getnchannels(), sample.getsampwidth()) == (1, 2), name
            assert 1 <= sample.getnframes() / sample.getframerate() <= 5, name
        assert len(served.data) <= 150 * 1024, name
        served.close()
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    assert "CC0-1.0" in readme and "GPL-3.0-or-later" in readme
    assert all(f"-w static/samples/{name}" in readme for name in offered)
