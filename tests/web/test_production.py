"""``serve --prod``: gunicorn with workers sized from the CPU count, serving what the app serves."""

from __future__ import annotations

import gzip
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from playground.web.assets import IMMUTABLE
from playground.web.production import default_workers


def test_workers_follow_the_cpu_count() -> None:
    assert default_workers(1) == 3
    assert default_workers(2) == 5
    assert default_workers(8) == 17
    assert default_workers() == 2 * (os.cpu_count() or 1) + 1


@pytest.fixture
def prod_server(start_prod):
    server = start_prod("--workers", "2", "--threads", "2")
    return server.process, server.url, server.session


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="counts workers through /proc")
def test_serve_prod_runs_gunicorn_with_the_asked_workers(prod_server, children_of) -> None:
    process, url, session = prod_server
    page = session.get(url + "/", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200 and page.headers["Server"].startswith("gunicorn")
    assert page.headers["Content-Encoding"] == "gzip" and "turn_detection" in page.text
    assert len(children_of(process.pid)) == 2
    css = re.search(r'href="(/static/app\.css\?v=[0-9a-f]+)"', page.text).group(1)
    raw = session.get(url + css, headers={"Accept-Encoding": "gzip"}, stream=True).raw
    assert raw.headers["Cache-Control"] == IMMUTABLE
    assert b"prefers-color-scheme" in gzip.decompress(raw.read())
    # A token from one worker is good at any other: one CSRF key, made before they forked.
    for _ in range(12):
        with requests.Session() as fresh:
            fresh.trust_env = False
            html = fresh.get(url + "/").text
            token = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
            preview = fresh.post(
                url + "/preview", data={"temperature": "0.9"}, headers={"X-CSRFToken": token}
            )
        assert preview.status_code == 200 and "0.9" in preview.text
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0


def test_serve_prod_without_gunicorn_says_how_to_get_it(tmp_path) -> None:
    script = (
        "import sys; sys.modules['gunicorn'] = None;"
        "from playground.cli import main; sys.exit(main(['serve', '--prod', '--port', '1']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert result.returncode == 1
    assert "pip install 'realtime-playground[prod]'" in result.stderr


def test_serve_prod_refuses_debug(cli) -> None:
    result = cli("serve", "--prod", "--debug", "--port", "1")
    assert result.returncode == 2 and "--debug" in result.stderr


def test_serve_prod_guards_sends_even_on_a_loopback_bind(prod_server, upstream, visitor) -> None:
    # Behind a reverse proxy on the same host, --prod listens on 127.0.0.1: still guarded.
    app, server = upstream
    _, url, _ = prod_server
    answer = visitor(url).send(server.url + "/v1", timeout=30)
    assert answer.status_code == 200 and "internal addresses" in answer.text
    assert app.requests == []


def test_serve_prod_stays_available_while_slow_sends_hold_threads(
    start_prod, held_upstream, visitor
) -> None:
    slow, gateway = held_upstream
    # One worker of four threads: without a cap, four slow sends would take all four.
    server = start_prod("--workers", "1", "--threads", "4", env={"PLAYGROUND_SSRF_GUARD": "false"})
    senders = [visitor(server.url, f"127.0.0.{n}") for n in range(1, 5)]
    for sender in senders:
        sender.load()
    answers: list[requests.Response] = []
    threads = [
        threading.Thread(target=lambda s=s: answers.append(s.send(gateway))) for s in senders
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 20  # a bound against a hang, not a timing claim
    while len(slow.requests) < 2 or len(answers) < 2:
        assert time.monotonic() < deadline, "the sends never settled"
        time.sleep(0.05)
    refused = [a for a in answers if a.status_code == 429]
    assert len(refused) == 2 and len(slow.requests) == 2  # two held, two answered at once
    assert all(int(a.headers["Retry-After"]) >= 1 for a in refused)
    assert all("Too many sends in progress on this server" in a.text for a in refused)
    # Another visitor's page loads while the two sends still wait on the upstream.
    page = visitor(server.url, "127.0.0.9").load(timeout=10)
    assert page.status_code == 200 and "turn_detection" in page.text
    slow.release.set()
    for thread in threads:
        thread.join(30)
    assert sorted(a.status_code for a in answers) == [200, 200, 429, 429]
