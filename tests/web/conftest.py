"""Fixtures of the web layer's tests: an app with only some of the playground's parts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask

from playground.web import templating

#: What a bare app needs that ``create_app`` would set.
BARE_CONFIG = {"TESTING": True, "SECRET_KEY": "bare-" * 8, "DEFAULT_OPERATION": "sessions"}


@pytest.fixture
def bare_app(app: Flask) -> Callable[..., Flask]:
    """Give a function making a Flask app with the playground's templates and static files, the
    template globals (:func:`playground.web.templating.init_app`) and only the parts given
    (each a function taking the app, e.g. ``lambda a: a.register_blueprint(page.bp)``)."""

    def make(*parts: Callable[[Flask], object]) -> Flask:
        bare = Flask("bare", template_folder=app.template_folder, static_folder=app.static_folder)
        bare.config.from_mapping(BARE_CONFIG)
        templating.init_app(bare)
        for part in parts:
            part(bare)
        return bare

    return make


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


@pytest.fixture(scope="session")
def children_of() -> Callable[[int], list[int]]:
    """Give a function giving the processes whose parent is a pid (a server's workers)."""
    return _children


class ProdServer:
    """``serve --prod`` in a subprocess: its process, URL and a session that skips the env."""

    def __init__(
        self, folder: Path, port: int, *args: str, env: dict[str, str] | None = None
    ) -> None:
        self.log_path = folder / "serve.log"
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "playground", "serve", "--prod", "--port", str(port), *args],
            cwd=folder,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
        self.url = f"http://127.0.0.1:{port}"
        self.session = requests.Session()
        self.session.trust_env = False
        deadline = time.monotonic() + 30
        while True:
            try:
                self.session.get(self.url + "/", timeout=2)
                return
            except (requests.ConnectionError, requests.Timeout):  # not up, or still loading
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    pytest.fail(f"serve --prod did not start: {self.log_path.read_text()}")
                time.sleep(0.2)

    def stop(self) -> None:
        """Stop the server (SIGTERM, as an operator would) and close what was opened."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        self.session.close()


@pytest.fixture
def start_prod(tmp_path: Path, free_port: Callable[[], int]) -> Iterator[Any]:
    """Give a function starting ``serve --prod ARGS`` (stopped when the test ends)."""
    started: list[ProdServer] = []

    def start(*args: str, env: dict[str, str] | None = None) -> ProdServer:
        folder = tmp_path / f"prod-{len(started)}"
        folder.mkdir()
        started.append(ProdServer(folder, free_port(), *args, env=env))
        return started[-1]

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def node_script(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], str]:
    """Give ``run(script, stdin)``: the ES module ``script`` run in node beside a copy of every
    static/*.js as ``*.mjs`` (``import * as Z from './call-zip.mjs'``), its stdout given."""
    import shutil

    binary = shutil.which("node")
    if binary is None:
        if os.environ.get("CI"):
            raise AssertionError("node is not installed (scripts/test.sh installs it)")
        pytest.skip("node is not installed")
    folder = tmp_path_factory.mktemp("static")
    root = Path(__file__).resolve().parent.parent.parent
    for module in (root / "static").glob("*.js"):
        shutil.copy(module, folder / (module.stem + ".mjs"))

    def run(script: str, stdin: str) -> str:
        (folder / "run.mjs").write_text(script, encoding="utf-8")
        done = subprocess.run(
            [str(binary), "run.mjs"], input=stdin, capture_output=True, text=True, cwd=folder
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    return run
