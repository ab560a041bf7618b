"""Load: concurrent clients mixing preview, snippet and send-to-mock against gunicorn on
127.0.0.1 (no assertions; prints requests/s, latency percentiles and errors, which must be 0).

.venv/bin/pip install -e '.[prod]'
.venv/bin/python benchmarks/bench_load.py [--clients 50] [--seconds 20] [--workers 2] [--threads 8]
    [--body-kb 32]

Every client loads the page once (its session cookie and CSRF token, as a browser does), then
loops: preview, snippet, preview, send to the built-in mock, and a keystroke's /update with
instructions of ``--body-kb`` KB that no other request sends (a new body each time: what grew
a worker's caches without bound); half the clients use the beta operation, half the GA one
(its voice-agent preset). Each worker's resident memory is read after a quarter of the time
(warmed up) and at the end: it must stay flat. Bounded to 60 s of load; loopback only;
exits 1 if any request failed. The server is ``realtime-playground serve --prod`` (gunicorn, the
app made once before the workers fork, so they share one CSRF key), with the SSRF guard on as in
hosted mode (the mock is answered in process).
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests

from playground.model.form_filler import form_from_body
from playground.model.operations import get_operation
from playground.presets import presets_for

ROOT = Path(__file__).resolve().parent.parent
FORM = {
    "op": "sessions",
    "voice": "verse",
    "temperature": "0.9",
    "instructions": "Be brief.",
    "turn_detection@mode": "null",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(workers: int, threads: int) -> tuple[subprocess.Popen[bytes], str]:
    """Start the documented production server, ``realtime-playground serve --prod``."""
    port = _free_port()
    env = {**os.environ, "PLAYGROUND_SSRF_GUARD": "true"}  # as in hosted mode
    process = subprocess.Popen(
        [sys.executable, "-m", "playground", "serve", "--prod", "--port", str(port)]
        + ["--workers", str(workers), "--threads", str(threads)],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            requests.get(base + "/static/app.css", timeout=1)
            return process, base
        except requests.RequestException:  # not listening yet, or still loading the app
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("serve --prod did not start")


def worker_rss_mb(master: int) -> list[float]:
    """Give the resident memory (MB) of each worker the gunicorn ``master`` process started."""
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:  # not Linux, or the server has gone
        return []
    sizes = []
    for child in children:
        try:
            status = Path(f"/proc/{child}/status").read_text()
        except OSError:
            continue
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        if found:
            sizes.append(int(found.group(1)) / 1024)
    return sizes


def _ga_form() -> list[tuple[str, str]]:
    """Give the form of the GA voice-agent preset, as the page posts it."""
    op = get_operation("client-secrets")
    body = presets_for(op.id)["voice-agent"].body
    return [*form_from_body(op.root, body).form.items(multi=True), ("op", op.id)]


def _client(
    base: str,
    stop: float,
    latencies: list[float],
    errors: list[str],
    ga: bool = False,
    body_kb: int = 32,
) -> None:
    session = requests.Session()
    session.trust_env = False
    page = session.get(base + "/", timeout=30).text
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    hx = {"X-CSRFToken": token, "HX-Request": "true"}
    send = {**hx, "X-Playground-Gateway": quote(base + "/mock/v1"), "X-Playground-Key": "sk-load"}
    form: Any = _ga_form() if ga else FORM
    shown = '"type": "realtime"' if ga else '"voice": "verse"'
    steps = [
        ("/preview", hx, shown),
        ("/snippet", hx, "snippet-panel"),
        ("/preview", hx, shown),
        ("/send", send, "ek_"),
        ("/update", hx, "snippet-panel"),
    ]
    field = "session:realtime.instructions" if ga else "instructions"
    i = 0
    while time.monotonic() < stop:
        path, headers, expected = steps[i % len(steps)]
        i += 1
        data = form
        if path == "/update":  # a body no other request sends
            text = f"{threading.get_ident()} {i} " + "x" * (body_kb * 1024)
            pairs = form.items() if isinstance(form, dict) else form
            data = [*((k, v) for k, v in pairs if k != field), (field, text)]
        started = time.perf_counter()
        try:
            answer = session.post(base + path, data=data, headers=headers, timeout=30)
            ok = answer.status_code == 200 and expected in answer.text.replace("&#34;", '"')
            if not ok:
                errors.append(f"{path}: {answer.status_code}")
        except requests.RequestException as exc:
            errors.append(f"{path}: {type(exc).__name__}")
        latencies.append((time.perf_counter() - started) * 1000)


def main() -> None:
    """Run the load and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--body-kb", type=int, default=32)
    args = parser.parse_args()
    seconds = min(args.seconds, 60.0)
    process, base = _start(args.workers, args.threads)
    try:
        latencies: list[float] = []
        errors: list[str] = []
        started = time.monotonic()
        stop = started + seconds
        clients = [
            threading.Thread(
                target=_client, args=(base, stop, latencies, errors, i % 2 == 1, args.body_kb)
            )
            for i in range(args.clients)
        ]
        for client in clients:
            client.start()
        time.sleep(seconds / 4)
        warm = worker_rss_mb(process.pid)
        for client in clients:
            client.join()
        elapsed = time.monotonic() - started
        end = worker_rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait(10)
    latencies.sort()
    count = len(latencies)

    def pct(p: float) -> float:
        return latencies[min(count - 1, int(count * p))] if count else float("nan")

    print(
        f"{args.clients} clients, {seconds:g} s, gunicorn {args.workers} workers x "
        f"{args.threads} threads: {count} requests, {count / elapsed:.0f} req/s, "
        f"p50 {pct(0.5):.0f} ms, p99 {pct(0.99):.0f} ms, errors {len(errors)}"
    )
    shown = ", ".join(f"{w:.0f} -> {e:.0f}" for w, e in zip(warm, end, strict=False))
    print(f"resident memory per worker (MB), after warm-up -> at the end: {shown}")
    if errors:
        print("first errors:", ", ".join(errors[:5]))
        raise SystemExit(1)


if __name__ == "__main__":
    main()
