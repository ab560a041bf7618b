"""Benchmarks (not tests): print one table of how fast and how light the playground is.

Run from the repository, after the README's set-up:  .venv/bin/python -m benchmarks

Every time is a median of many runs in this process, given as a ratio to a baseline measured in
the same process, so the figures compare across machines. Targets (issue 8):

* preview and snippet render: at most 3x a trivial route that reads the same posted form (the
  ratio to a trivial GET is shown too: it adds the cost of sending and parsing the form); a
  keystroke's one request (/update: preview, problems and snippet from one body) costs less
  than the /preview and /snippet it replaces;
* proxy overhead of /send: at most 2 ms added at the median (ratio at most 1.2 on a 10 ms upstream);
* first load: at most 41 KB gzip for HTML + CSS + JS (the GA form at /);
* keystroke to snippet: within 100 ms beyond the debounce;
* adversarial pastes at the size limit: read in linear time, a small multiple of a plain one.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests
from flask import Flask, request
from werkzeug.datastructures import MultiDict
from werkzeug.serving import make_server

from playground import create_app
from playground.codecs.pasted import MAX_PASTE_CHARS, PasteError, parse_pasted, redact
from playground.model.form_filler import form_from_body
from playground.model.operations import get_operation
from playground.snippets import render_snippet, render_snippets
from playground.snippets.highlight import highlight
from playground.snippets.text_cache import DRAWN

ROOT = Path(__file__).resolve().parent.parent
BODY = json.loads((ROOT / "tests" / "fixtures" / "snippet_bodies.json").read_text())[
    "every_parameter"
]
DEBOUNCE_MS = 150  # hx-trigger="input delay:150ms" in templates/index.html
Row = tuple[str, str, str, str]


def _times_ms(fn: Callable[[int], object], runs: int, warm: int = 30) -> list[float]:
    for i in range(warm):
        fn(i)
    times = []
    for i in range(runs):
        start = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)


def _interleaved(
    calls: dict[str, Callable[[int], object]], runs: int, warm: int = 30
) -> dict[str, list[float]]:
    """Give each call's times in ms, sorted, timed in turn within every round (the order
    rotating), so a baseline and what is compared with it see the same machine state: a slower
    minute of a shared machine moves both, not their ratio."""
    names = list(calls)
    times: dict[str, list[float]] = {name: [] for name in names}
    for i in range(warm + runs):
        shift = i % len(names)
        for name in names[shift:] + names[:shift]:
            start = time.perf_counter()
            calls[name](i)
            if i >= warm:
                times[name].append((time.perf_counter() - start) * 1000)
    return {name: sorted(values) for name, values in times.items()}


def _median(fn: Callable[[int], object], runs: int = 400) -> float:
    return statistics.median(_times_ms(fn, runs))


def _p99(times: list[float]) -> float:
    return times[min(len(times) - 1, int(len(times) * 0.99))]


def _client_with_token(app: Any) -> Any:
    """Give a test client that sends the page's CSRF token with every post, as htmx does."""
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    client.environ_base["HTTP_X_CSRFTOKEN"] = token
    return client


def render_rows() -> list[Row]:
    """Give the in-process render times of the page's routes against trivial routes."""
    op = get_operation("sessions")
    app = create_app({"TESTING": True})

    @app.get("/_trivial")
    def _trivial() -> str:
        return "ok"

    @app.post("/_trivial")
    def _trivial_post() -> str:
        return str(len(request.form))  # reads the form, as any handler of the post must

    client = _client_with_token(app)
    pairs = [*form_from_body(op.root, BODY).form.items(multi=True), ("op", "sessions")]
    same = MultiDict(pairs)

    runs = 300
    # Forms made before the clock starts, each with other instructions (a new body each time).
    typed = [
        MultiDict([(k, f"{v} {i}" if k == "instructions" else v) for k, v in pairs])
        for i in range(3 * (runs + 30))
    ]
    timed = _interleaved(
        {
            "get": lambda i: client.get("/_trivial"),
            "post": lambda i: client.post("/_trivial", data=same),
            "page": lambda i: client.get("/"),
            "preview": lambda i: client.post("/preview", data=typed[3 * i]),
            "snippet_new": lambda i: client.post("/snippet", data=typed[3 * i + 1]),
            "update": lambda i: client.post("/update", data=typed[3 * i + 2]),
            "snippet_same": lambda i: client.post("/snippet", data=same),
        },
        runs,
    )
    medians = {name: statistics.median(values) for name, values in timed.items()}
    get, post, page = medians["get"], medians["post"], medians["page"]
    preview, snippet_new = medians["preview"], medians["snippet_new"]
    snippet_same, update = medians["snippet_same"], medians["update"]
    plain = _median(lambda i: render_snippets(op, BODY), 1000)
    text = render_snippet(op, "typescript_openai", BODY)
    DRAWN.clear()
    one = _median(lambda i: highlight("typescript", text + " " * (i + 31)), 1000)
    return [
        ("GET trivial route (baseline)", f"{get:.3f}", "1.0x GET", ""),
        ("POST trivial route reading the form (baseline)", f"{post:.3f}", "1.0x POST", ""),
        ("GET / (whole page, every field)", f"{page:.3f}", f"{page / get:.1f}x GET", ""),
        (
            "POST /preview, new body each time",
            f"{preview:.3f}",
            f"{preview / post:.1f}x POST, {preview / get:.1f}x GET",
            "<= 3x",
        ),
        (
            "POST /snippet, new body (all tabs, one highlighted)",
            f"{snippet_new:.3f}",
            f"{snippet_new / post:.1f}x POST, {snippet_new / get:.1f}x GET",
            "<= 3x",
        ),
        (
            "POST /update, new body: what a keystroke asks",
            f"{update:.3f}",
            f"{update / post:.1f}x POST, {update / get:.1f}x GET",
            f"< {preview + snippet_new:.3f} (both above)",
        ),
        (
            "POST /snippet, same body (cached)",
            f"{snippet_same:.3f}",
            f"{snippet_same / post:.1f}x POST, {snippet_same / get:.1f}x GET",
            "<= 3x",
        ),
        ("render all six snippets, plain text", f"{plain:.3f}", "", "< 1 ms"),
        ("highlight one snippet (cache miss)", f"{one:.3f}", "", ""),
    ]


class _SlowUpstream:
    """A WSGI upstream that answers a plausible session after ``delay`` seconds."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.body = json.dumps(
            {
                "id": "sess_1",
                "object": "realtime.session",
                "client_secret": {"value": "ek_bench", "expires_at": 2_000_000_000},
            }
        ).encode()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        time.sleep(self.delay)
        start_response("200 OK", [("Content-Type", "application/json")])
        return [self.body]


def _bare_proxy(upstream: str) -> Flask:
    """Give the least a Flask proxy can be: no CSRF, validation, guard, deadline or template;
    its overhead is the floor of the framework and the test client on this machine."""
    app = Flask("bare_proxy")
    session = requests.Session()
    session.trust_env = False

    @app.post("/send")
    def send() -> str:
        body = {"temperature": float(request.form["temperature"]), "voice": request.form["voice"]}
        key = request.headers["X-Playground-Key"]
        with session.post(
            upstream + "/realtime/sessions", json=body, headers={"Authorization": f"Bearer {key}"}
        ) as answer:
            return answer.text

    return app


def proxy_rows(runs: int = 200) -> list[Row]:
    """Give /send's overhead over a direct ``requests`` call to the same 10 ms upstream, timed
    in turn with that call and with a bare Flask proxy (the framework's floor)."""
    server = make_server("127.0.0.1", 0, _SlowUpstream(0.010), threaded=True)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    upstream = f"http://127.0.0.1:{server.socket.getsockname()[1]}/v1"
    direct_session = requests.Session()
    direct_session.trust_env = False
    body = {"temperature": 0.9, "voice": "verse", "turn_detection": None}
    # The upstream is on loopback, which the SSRF guard (on outside `serve`) refuses.
    client = _client_with_token(create_app({"TESTING": True, "SSRF_GUARD": False}))
    form = {"op": "sessions", "temperature": "0.9", "voice": "verse", "turn_detection@mode": "null"}
    headers = {"X-Playground-Gateway": quote(upstream), "X-Playground-Key": "sk-bench"}

    def direct_call(i: int) -> None:
        direct_session.post(
            upstream + "/realtime/sessions",
            json=body,
            headers={"Authorization": "Bearer sk-bench"},
            timeout=5,
        ).close()

    def via_call(i: int) -> None:
        client.post("/send", data=form, headers=headers).close()

    bare = _bare_proxy(upstream).test_client()

    def bare_call(i: int) -> None:
        bare.post("/send", data=form, headers=headers).close()

    try:
        check = client.post("/send", data=form, headers=headers)
        if check.status_code != 200 or b"ek_bench" not in check.data:  # time sends, not refusals
            raise SystemExit(f"/send did not reach the upstream: {check.status_code}")
        calls = {"direct": direct_call, "via": via_call, "bare": bare_call}
        timed = _interleaved(calls, runs, warm=10)
    finally:
        direct_session.close()
        server.shutdown()
        server.server_close()
    direct, via = timed["direct"], timed["via"]
    d, v, b = (statistics.median(timed[name]) for name in ("direct", "via", "bare"))
    return [
        ("direct requests call to a 10 ms upstream", f"{d:.2f}", "1.0x", ""),
        ("POST /send to the same upstream", f"{v:.2f}", f"{v / d:.2f}x", "<= 1.2x"),
        ("added by /send, median", f"{v - d:.2f}", "", "<= 2 ms"),
        ("added by /send, p99 (p99 via - p99 direct)", f"{_p99(via) - _p99(direct):.2f}", "", ""),
        ("added by a bare Flask proxy (floor), median", f"{b - d:.2f}", f"{b / d:.2f}x", ""),
    ]


_PASTE = MAX_PASTE_CHARS - 64
#: Shapes that were quadratic once (a here-document pattern retried the rest of a paste from
#: every ``<<``; shlex grew a word a character at a time): 1 s to minutes at this size.
ADVERSARIAL_PASTES = {
    "'<<' then letters, no newline": "curl -d '{}' <<" + "a" * _PASTE,
    "'<<a' repeated, no newline": "curl -d '{}' " + "<<a" * (_PASTE // 3),
    "one 256 KB word": "curl -d '{}' " + "a" * _PASTE,
    "one 256 KB quoted body": "curl -d '" + "[" * _PASTE + "'",
    "backslashes": "curl -d '{}' " + "\\" * _PASTE,
    "open quotes": 'curl -d \'{"a": "' + "'\"" * (_PASTE // 2),
    "-d repeated": "curl " + "-d '{}' " * (_PASTE // 8),
}


def _read_paste(text: str) -> Callable[[int], object]:
    def read(i: int) -> object:
        try:
            return parse_pasted(text)
        except PasteError:
            return redact(text)  # the page shows a refused paste back through it

    return read


def paste_rows(runs: int = 15) -> list[Row]:
    """Give the median time to read each adversarial paste as ratios to a plain JSON paste and
    to a plain curl command of the same size, timed in turn with them, and the worst of them."""
    plain = json.dumps({"instructions": "a" * _PASTE})
    calls = {"json": _read_paste(plain), "curl": _read_paste(f"curl -d '{plain}'")}
    calls.update((name, _read_paste(text)) for name, text in ADVERSARIAL_PASTES.items())
    medians = {name: statistics.median(t) for name, t in _interleaved(calls, runs, 2).items()}
    base, curl = medians["json"], medians["curl"]

    def row(what: str, ms: float, target: str = "") -> Row:
        return (what, f"{ms:.2f}", f"{ms / base:.0f}x JSON, {ms / curl:.1f}x curl", target)

    worst = max(ADVERSARIAL_PASTES, key=medians.__getitem__)
    return [
        row(f"plain JSON paste, {len(plain) // 1024} KB (baseline)", base),
        row("plain curl -d of that JSON (baseline)", curl),
        *(row(f"  {name}", medians[name]) for name in ADVERSARIAL_PASTES),
        row(f"worst: {worst}", medians[worst], "linear (was 1 s to minutes)"),
    ]


#: The first load's budget, in bytes sent (gzip): HTML + CSS + JS of the GA form at /.
FIRST_LOAD_BUDGET = 41 * 1024


def first_load_sent() -> int:
    """Give the bytes a browser that accepts gzip is sent for ``/`` and what it loads."""
    return sum(size for _, _, size in _first_load())


def weight_rows() -> list[Row]:
    """Give the first-load weight of ``/`` as served: HTML plus every stylesheet and script it
    loads, raw and as the server sends them to a browser that accepts gzip."""
    files = _first_load()
    raw = sum(len(data) for _, data, _ in files)
    sent = sum(size for _, _, size in files)
    rows = [
        (f"  {name}", f"{len(data) / 1024:.1f} KB", f"{size / 1024:.1f} KB sent", "")
        for name, data, size in files
    ]
    return [
        *rows,
        (
            "first load, total",
            f"{raw / 1024:.1f} KB",
            f"{sent / 1024:.1f} KB sent ({sent:,} bytes)",
            f"<= {FIRST_LOAD_BUDGET / 1024:.0f} KB gz",
        ),
    ]


def _first_load() -> list[tuple[str, bytes, int]]:
    """Give each file of the first load: its name, its bytes, and the bytes sent for it."""
    client = create_app({"TESTING": True}).test_client()
    gz = {"Accept-Encoding": "gzip, deflate, br"}
    page = client.get("/", headers=gz)
    html = gzip.decompress(page.data)
    files = [("HTML /", html, len(page.data))]
    for url in re.findall(rb'(?:src|href)="(/static/[^"]+)"', html):
        response = client.get(url.decode(), headers=gz)
        packed = response.headers.get("Content-Encoding") == "gzip"
        data = gzip.decompress(response.data) if packed else response.data
        files.append((url.decode().split("?")[0], data, len(response.data)))
        response.close()
    return files


def keystroke_rows(samples: int = 50) -> list[Row]:
    """Give the time from an input event to the updated snippet text, in headless Chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return [("keystroke to snippet", "skipped", "playwright not installed", "")]
    server = make_server("127.0.0.1", 0, create_app(), threaded=True)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    url = f"http://127.0.0.1:{server.socket.getsockname()[1]}/"
    updated = """(marker) => {
      const code = document.querySelector('#snippet [role=tabpanel]:not([hidden]) code');
      return code !== null && code.textContent.includes(marker);
    }"""
    # The same span timed in the page: from the input event to the mutation that shows the
    # marker, without the driver's round trips and the polling's frames.
    probe = """() => {
      window.__times = [];
      document.getElementById('session-form').addEventListener('input', () => {
        window.__start = performance.now();
      }, true);
      new MutationObserver(() => {
        const code = document.querySelector('#snippet [role=tabpanel]:not([hidden]) code');
        if (window.__start && code && code.textContent.includes(window.__marker)) {
          window.__times.push(performance.now() - window.__start);
          window.__start = 0;
        }
      }).observe(document.getElementById('snippet-panels'),
                 {childList: true, subtree: true, characterData: true});
    }"""
    times: list[float] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page()
            posts: list[str] = []
            page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
            page.goto(url)
            page.evaluate(probe)
            field = page.locator("#f-instructions")
            for i in range(samples + 5):  # the first five warm the server and the browser
                if i == 5:
                    posts.clear()
                marker = f"typed k{i}x"
                page.evaluate("(marker) => { window.__marker = marker; }", marker)
                start = time.perf_counter()
                field.fill(marker)  # one input event, as a keystroke gives
                page.wait_for_function(updated, arg=marker, polling="raf", timeout=10_000)
                if i >= 5:
                    times.append((time.perf_counter() - start) * 1000)
            in_page = page.evaluate("window.__times.slice(5)")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    median = statistics.median(times)
    measured = statistics.median(in_page) - DEBOUNCE_MS
    return [
        ("requests a keystroke sends", f"{len(posts) / samples:.1f}", "POST", "1"),
        ("input event to updated snippet text, median of 50", f"{median:.1f}", "ms", ""),
        ("  of which the debounce (hx-trigger delay)", f"{DEBOUNCE_MS}", "ms", ""),
        ("  beyond the debounce", f"{median - DEBOUNCE_MS:.1f}", "ms", "<= 100 ms"),
        ("  the same, timed in the page: beyond the debounce", f"{measured:.1f}", "ms", ""),
    ]


def main() -> None:
    """Print every section as one table."""
    # Imported here: the tests load run.py alone, outside its package.
    from benchmarks.bench_bundle import bundle_rows
    from benchmarks.bench_call import call_rows, click_rows, offer_rows
    from benchmarks.bench_in_flight import in_flight_rows
    from benchmarks.bench_pages import page_rows
    from benchmarks.bench_socket import socket_rows
    from benchmarks.bench_timeline import timeline_rows

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log between the rows
    sections = [
        ("In-process render (median ms)", render_rows),
        ("Proxy overhead (median ms over 200 sends)", proxy_rows),
        ("A place among the sends in flight: hold and give back (median us)", in_flight_rows),
        ("First-load page weight (as served, gzip accepted)", weight_rows),
        ("Keystroke to snippet (headless Chromium)", keystroke_rows),
        ("Adversarial pastes at the 256 KB limit (median ms)", paste_rows),
        ("Largest page for a 256 KB body, opened as a link (median of 3)", page_rows),
        ("Mock call (aiortc peer, Python caller, server in its own process)", call_rows),
        ("Live call in the page (headless Chromium against the mock)", click_rows),
        ("Mock call offers flooded with candidates (time to answer, median ms)", offer_rows),
        ("Call over WebSocket: the bridge against a direct client (ms)", socket_rows),
        ("Call timeline drawn for a 10-minute call (headless Chromium)", timeline_rows),
        ("A 5-minute call's bundle: built and read back (headless Chromium, ms)", bundle_rows),
    ]
    for title, rows_of in sections:
        print(f"\n{title}")
        for what, value, ratio, target in rows_of():
            print(f"  {what:<54} {value:>10}  {ratio:<22} {target}")


if __name__ == "__main__":
    main()
