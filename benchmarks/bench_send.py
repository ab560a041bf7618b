"""Time POST /send to the built-in mock over real HTTP on 127.0.0.1 (no assertions here).

.venv/bin/python benchmarks/bench_send.py [ROUNDS]
"""

from __future__ import annotations

import re
import statistics
import sys
import threading
import time
from urllib.parse import quote

import requests
from werkzeug.serving import make_server

from playground import create_app


def main(rounds: int = 200) -> None:
    """Print the median and 95th percentile of a send (page server → mock → viewer)."""
    server = make_server("127.0.0.1", 0, create_app(), threaded=True)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    base = f"http://127.0.0.1:{server.socket.getsockname()[1]}"
    headers = {"X-Playground-Gateway": quote(base + "/mock/v1"), "X-Playground-Key": "sk-bench"}
    form = {"op": "sessions", "voice": "verse", "temperature": "0.9", "turn_detection@mode": "null"}
    client = requests.Session()
    client.trust_env = False
    page = client.get(base + "/", timeout=10).text  # the CSRF token, as a browser gets it
    headers["X-CSRFToken"] = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        answer = client.post(base + "/send", data=form, headers=headers, timeout=10)
        times.append((time.perf_counter() - started) * 1000)
        assert "200 OK" in answer.text
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"{rounds} sends: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms")
    server.shutdown()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
