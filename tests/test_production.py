"""``serve --prod``: gunicorn with workers sized from the CPU count, serving what the app serves."""

from __future__ import annotations

import gzip
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from playground.assets import IMMUTABLE
from playground.production import default_workers


def test_workers_follow_the_cpu_count() -> None:
    assert default_workers(1) == 3
    assert default_workers(2) == 5
    assert default_workers(8) == 17
    assert default_workers() == 2 * (os.cpu_count() or 1) + 1


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    """Give the processes whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.fixture
def prod_server(tmp_path):
    port = _free_port()
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "playground", "serve", "--prod", "--port", str(port)]
        + ["--workers", "2", "--threads", "2"],
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    session = requests.Session()
    session.trust_env = False
    while True:
        try:
            session.get(url + "/", timeout=2)
            break
        except requests.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait()
                log.close()
                pytest.fail(f"serve --prod did not start: {(tmp_path / 'serve.log').read_text()}")
            time.sleep(0.2)
    yield process, url, session
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
    log.close()
    session.close()


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="counts workers through /proc")
def test_serve_prod_runs_gunicorn_with_the_asked_workers(prod_server) -> None:
    process, url, session = prod_server
    page = session.get(url + "/", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200 and page.headers["Server"].startswith("gunicorn")
    assert page.headers["Content-Encoding"] == "gzip" and "turn_detection" in page.text
    assert len(_children(process.pid)) == 2
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
