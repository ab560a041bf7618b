"""Benchmark (not a test): how long snippets take, in-process.

1. Rendering all six snippets for a full body as plain text (target: median under 1 ms).
2. POST /snippet as the page calls it (highlighting the visible tab), as a ratio to a trivial
   Flask route in the same app and process (target: at most 3x). Measured twice: with a new
   body each time (Pygments' cache misses, as while typing) and with a repeated body (hits).

Run: .venv/bin/python benchmarks/bench_snippets.py
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from flask import request
from werkzeug.datastructures import MultiDict

from playground import create_app
from playground.body import form_from_body
from playground.operations import get_operation
from playground.snippets import LANGUAGES, render_snippet
from playground.snippets.highlight import highlight

ROOT = Path(__file__).resolve().parent.parent
BODY = json.loads((ROOT / "tests" / "fixtures" / "snippet_bodies.json").read_text())[
    "every_parameter"
]


def _median_ms(fn: Callable[[int], object], runs: int) -> float:
    times = []
    for i in range(runs):
        start = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    """Print the figures as a small table."""
    op = get_operation("sessions")

    def render_all(_i: int) -> None:
        for lang in LANGUAGES:
            render_snippet(op, lang, BODY)

    for i in range(50):
        render_all(i)
    plain = _median_ms(render_all, 2000)

    # Rendering is measured here, not CSRF: the test client posts without the page's token.
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False})

    @app.get("/_trivial")
    def _trivial() -> str:
        return "ok"

    @app.post("/_trivial")
    def _trivial_post() -> str:
        return str(len(request.form))

    client = app.test_client()
    form = form_from_body(op.root, BODY).form
    pairs = [*form.items(), ("op", "sessions"), ("_snippet_lang", "typescript_openai")]

    def trivial(_i: int) -> None:
        client.get("/_trivial")

    def trivial_post(_i: int) -> None:
        client.post("/_trivial", data=MultiDict(pairs))

    def snippet_new_body(i: int) -> None:
        data = [(k, f"{v} {i}" if k == "instructions" else v) for k, v in pairs]
        client.post("/snippet", data=MultiDict(data))

    def snippet_same_body(_i: int) -> None:
        client.post("/snippet", data=MultiDict(pairs))

    def preview(_i: int) -> None:
        client.post("/preview", data=MultiDict(pairs))

    for fn in (trivial, trivial_post, snippet_same_body, preview):
        for i in range(30):
            fn(i)
    runs = 400
    base = _median_ms(trivial, runs)
    base_post = _median_ms(trivial_post, runs)
    new = _median_ms(snippet_new_body, runs)
    same = _median_ms(snippet_same_body, runs)
    prev = _median_ms(preview, runs)
    text = render_snippet(op, "typescript_openai", BODY)
    highlight.cache_clear()
    pyg = _median_ms(lambda i: highlight("typescript", text + " " * i), 400)

    rows = [
        ("render all 6 snippets, plain text", plain, None, "< 1 ms"),
        ("Pygments, one snippet (cache miss)", pyg, None, ""),
        ("GET trivial Flask route", base, 1.0, ""),
        ("POST same form to a trivial route", base_post, base_post / base, ""),
        ("POST /snippet, new body (highlight)", new, new / base, "<= 3x"),
        ("POST /snippet, same body (cached)", same, same / base, "<= 3x"),
        ("POST /preview (for comparison)", prev, prev / base, ""),
    ]
    print(f"{'what':40} {'median ms':>10} {'x trivial':>10}  target")
    for name, ms, ratio, target in rows:
        r = f"{ratio:.2f}" if ratio is not None else ""
        print(f"{name:40} {ms:10.3f} {r:>10}  {target}")


if __name__ == "__main__":
    main()
