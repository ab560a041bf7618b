"""The largest page a 256 KB body draws, and how long it takes: bodies near the link limit
shaped to cost the most (rows in rows, many tools, deep JSON, one long string), opened as links.

.venv/bin/python -m benchmarks.bench_pages   (also a section of ``python -m benchmarks``)

Target (issue 19): every page at most 8x its body's JSON plus 150 KB, drawn in under 1 s.
The time is this thread's CPU time (the test client draws the page in it), so other work on
the machine does not count; it is also given as a ratio to the page drawn for the empty body,
in the same process.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from playground import create_app
from playground.codecs.share_token import MAX_JSON_BYTES, encode_token

Row = tuple[str, str, str, str]
_FILL = MAX_JSON_BYTES - 4096  # each body just under what a link may carry


def _session(**fields: Any) -> dict[str, Any]:
    return {"session": {"type": "realtime", **fields}}


def _grown(make: Callable[[int], dict[str, Any]]) -> dict[str, Any]:
    """Give ``make(n)`` for the largest ``n`` whose JSON fits under the link limit."""
    low, high = 1, 1
    while len(json.dumps(make(high), separators=(",", ":"))) <= _FILL:
        low, high = high, high * 2
    while high - low > 1:
        mid = (low + high) // 2
        fits = len(json.dumps(make(mid), separators=(",", ":"))) <= _FILL
        low, high = (mid, high) if fits else (low, mid)
    return make(low)


def _nested_rows(n: int) -> dict[str, Any]:
    names = [f"t{i}" for i in range(min(n, 128))]
    approval = {"always": {"tool_names": names}, "never": {"tool_names": names}}
    tools = [
        {"type": "mcp", "server_label": f"s{i}", "require_approval": approval}
        for i in range(max(1, n // 128))
    ]
    return _session(tools=tools)


def _function_tools(n: int) -> dict[str, Any]:
    params = {"type": "object", "properties": {"q": {"type": "string"}}}
    said = "d" * (n // 128)
    described = [
        {"type": "function", "name": f"fn_{i}", "description": said, "parameters": params}
        for i in range(128)
    ]
    return _session(tools=described)


def _deep_json(n: int) -> dict[str, Any]:
    inner: dict[str, Any] = {"type": "string"}
    for _ in range(25):
        inner = {"type": "object", "properties": {"a": inner}}
    tools = [{"type": "function", "name": f"fn_{i}", "parameters": inner} for i in range(n)]
    return _session(tools=tools)


def _long_string(n: int) -> dict[str, Any]:
    return _session(instructions='Say "hi" & <wave>. ' * n)


BODIES: dict[str, Callable[[int], dict[str, Any]]] = {
    "rows in rows (MCP tools x tool names)": _nested_rows,
    "128 function tools, long descriptions": _function_tools,
    "tools with JSON nested 50 deep": _deep_json,
    "one long string (quotes, <, &)": _long_string,
}


def _timed(fn: Callable[[], bytes], runs: int) -> tuple[float, bytes]:
    times, page = [], b""
    for _ in range(runs):
        started = time.thread_time()
        page = fn()
        times.append(time.thread_time() - started)
    return statistics.median(times) * 1000, page


def page_rows(runs: int = 3) -> list[Row]:
    """Give each body's page size and render time, and the largest."""
    app = create_app({"TESTING": True})
    client = app.test_client()
    empty, _ = _timed(lambda: client.get("/?op=client-secrets").data, 10)
    rows: list[Row] = []
    largest: tuple[int, float, str, int] = (0, 0.0, "", 0)
    for name, make in BODIES.items():
        body = _grown(make)
        size = len(json.dumps(body, separators=(",", ":")).encode())
        url = f"/?op=client-secrets&p={encode_token(body)}"
        ms, page = _timed(lambda url=url: client.get(url).data, runs)
        bound = 8 * size + 150 * 1024
        rows.append(
            (
                f"{name}: {size // 1024} KB body",
                f"{len(page) / 1024:,.0f} KB",
                f"{len(page) / size:.1f}x body, {ms:,.0f} ms CPU, {ms / empty:.1f}x empty",
                f"<= {bound // 1024:,} KB, < 1000 ms",
            )
        )
        if len(page) > largest[0]:
            largest = (len(page), ms, name, size)
    page_bytes, ms, name, size = largest
    rows.append(
        (
            f"largest page: {name}",
            f"{page_bytes / 1024:,.0f} KB",
            f"{ms:,.0f} ms CPU ({ms / empty:.1f}x the empty page, {empty:,.0f} ms)",
            f"<= {(8 * size + 150 * 1024) // 1024:,} KB",
        )
    )
    return rows


if __name__ == "__main__":
    for what, value, ratio, target in page_rows():
        print(f"  {what:<54} {value:>10}  {ratio:<40} {target}")
