"""The call snippets' server half, run by the real ``openai`` Python SDK and real ``curl`` against a
recording server on 127.0.0.1, sends exactly the offer and the form's session, and prints the SDP
answer. (The browser half runs in Chromium: test_snippets_browser_call.py.)

Every body of the GA corpus (``tests/fixtures/snippet_bodies_ga.json``: every parameter, nulls,
custom values, hostile strings) is one case per call language.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from playground.model.call_spec import call_spec
from playground.model.operations import get_operation
from playground.snippets import call_languages_for, render_snippet

TESTS = Path(__file__).resolve().parents[1]
OP = get_operation("client-secrets")
CORPUS: dict[str, Any] = json.loads(
    (TESTS / "fixtures" / "snippet_bodies_ga.json").read_text(encoding="utf-8")
)
API_KEY = "sk-test-call-fidelity-0000"
PREFIX = "/gateway/v1"  # a gateway's base URL may carry a path; the snippet must keep it
OFFER = "v=0\r\no=- 4611 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
ANSWER = "v=0\r\no=- 99 2 IN IP4 203.0.113.9\r\ns=-\r\nt=0 0\r\n"
CASES = [
    pytest.param(case, lang.id, id=f"{case}-{lang.id}")
    for case in CORPUS
    for lang in call_languages_for(OP)
    if not lang.browser and not lang.socket  # the socket's: test_snippets_socket_fidelity.py
]


class CallRecorder:
    """A WSGI app that records each request and answers as the API answers a call."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        seen = {
            "method": environ["REQUEST_METHOD"],
            "path": environ["PATH_INFO"],
            "authorization": environ.get("HTTP_AUTHORIZATION", ""),
            "content_type": environ.get("CONTENT_TYPE", ""),
            "body": environ["wsgi.input"].read(length) if length else b"",
        }
        with self.lock:
            self.requests.append(seen)
        location = "/v1/realtime/calls/rtc_fidelity"
        start_response("201 Created", [("Content-Type", "application/sdp"), ("Location", location)])
        return [ANSWER.encode()]

    def take(self) -> list[dict[str, Any]]:
        """Give the requests recorded so far and forget them."""
        with self.lock:
            taken, self.requests = self.requests, []
        return taken


@pytest.fixture(scope="module")
def recorder(serve_wsgi: Any) -> Iterator[tuple[CallRecorder, str]]:
    """Give the recording server and the base URL the snippets are given."""
    app = CallRecorder()
    server = serve_wsgi(app)
    yield app, server.url + PREFIX


def _require(ok: bool, what: str) -> None:
    """Skip without the tool on a developer's machine; in CI a missing tool is a failure."""
    if ok:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not available (scripts/test.sh installs it)")
    pytest.skip(f"{what} is not available")


def _run(lang: str, text: str, folder: Path) -> str:
    """Run a snippet in its client, in ``folder`` (where ``offer.sdp`` is); give its output."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.upper().endswith("_PROXY") and not k.startswith("OPENAI_")
    }
    env.update(OPENAI_API_KEY=API_KEY, NO_PROXY="127.0.0.1,localhost", PYTHONIOENCODING="utf-8")
    if lang == "python_openai_call":
        _require(_has_module("openai"), "the openai Python SDK (test extra)")
        (folder / "snippet.py").write_text(text, encoding="utf-8")
        argv = [sys.executable, "snippet.py"]
    elif lang == "curl_call":
        _require(bool(shutil.which("curl") and shutil.which("bash")), "curl and bash")
        (folder / "snippet.sh").write_text(text, encoding="utf-8")
        argv = ["bash", "snippet.sh"]
    else:  # a new call language needs its client here
        raise AssertionError(f"no client runs {lang} snippets")
    done = subprocess.run(argv, cwd=folder, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{lang} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


@pytest.mark.parametrize(("case", "lang"), CASES)
def test_call_snippet_sends_the_offer_and_the_session(
    case: str,
    lang: str,
    recorder: tuple[CallRecorder, str],
    tmp_path: Path,
    multipart_fields: Any,
) -> None:
    """One request to the calls URL with the key from the environment: a multipart body of
    exactly ``sdp`` (the offer, byte for byte) and ``session`` (JSON equal to the body's
    session, key order kept); without a session, the offer alone. The answer is printed."""
    app, base_url = recorder
    spec = call_spec(OP)
    assert spec is not None
    body = CORPUS[case]
    session = spec.session_of(body)
    (tmp_path / "offer.sdp").write_bytes(OFFER.encode())
    text = render_snippet(OP, lang, body, base_url=base_url)
    assert API_KEY not in text
    app.take()
    output = _run(lang, text, tmp_path)
    (seen,) = app.take()
    assert (seen["method"], seen["path"]) == ("POST", PREFIX + spec.path)
    assert seen["authorization"] == f"Bearer {API_KEY}"
    assert output.replace("\r\n", "\n").strip() == ANSWER.replace("\r\n", "\n").strip()
    if session is None and lang == "python_openai_call":
        # The SDK posts a lone offer as the bare SDP (the API takes both forms).
        assert seen["content_type"] == "application/sdp"
        assert seen["body"].decode() == OFFER
        return
    parts = multipart_fields(seen["content_type"], seen["body"])
    names = [name for name, _kind, _filename, _data in parts]
    assert names == (["sdp"] if session is None else ["sdp", "session"])
    assert all(filename is None for _name, _kind, filename, _data in parts)  # fields, not files
    assert parts[0][3].decode() == OFFER
    if session is not None:
        sent = json.loads(parts[1][3])
        assert sent == session
        assert json.dumps(sent, sort_keys=False) == json.dumps(session, sort_keys=False)


def test_every_call_language_runs_in_a_client() -> None:
    """The WebRTC server-half tabs are proven here (a new one needs its client in ``_run``),
    the WebSocket tab by the SDK against the mock (test_snippets_socket_fidelity.py), the
    browser half in Chromium (test_snippets_browser_call.py)."""
    langs = call_languages_for(OP)
    assert [lang.id for lang in langs if not lang.browser] == [
        "python_openai_call",
        "python_openai_socket",
        "curl_call",
    ]
    assert [lang.id for lang in langs if lang.browser] == ["browser_call"]


def _code_lines(script: str) -> list[str]:
    """Give the lines of a script that are code (not ``//`` comments)."""
    return [line for line in script.split("\n") if not line.lstrip().startswith("//")]


#: Strings that would end a ``//`` comment (JavaScript's line separators), an inline <script>,
#: or UTF-8 encoding (a lone surrogate), written raw.
COMMENT_BREAKERS = {
    "session": {
        "type": "realtime",
        "instructions": "a\u2028alert(1)\u2029b </script><!-- */ \ud800 end",
        "audio": {"output": {"voice": "x\u2028y"}},
    }
}


@pytest.mark.parametrize("case", [*CORPUS, "comment_breakers"])
def test_the_browser_call_shows_the_exact_body_and_nothing_of_it_runs(
    case: str, comment_body: Any, tmp_path: Path
) -> None:
    """The comment reads back as the body (key order kept) however hostile its strings, the code
    is the same for every body (the key carries the session), and node parses the script."""
    body = CORPUS.get(case, COMMENT_BREAKERS)
    text = render_snippet(OP, "browser_call", body, base_url="http://127.0.0.1:9/gateway/v1")
    shown = comment_body(text)
    assert shown == body
    assert json.dumps(shown, sort_keys=False) == json.dumps(body, sort_keys=False)
    bare = render_snippet(OP, "browser_call", {}, base_url="http://127.0.0.1:9/gateway/v1")
    assert _code_lines(text) == _code_lines(bare)
    assert "const BASE_URL = 'http://127.0.0.1:9/gateway/v1';" in _code_lines(text)
    node = shutil.which("node")
    _require(node is not None, "node")
    (tmp_path / "call.js").write_text(text, encoding="utf-8")
    checked = subprocess.run(
        [str(node), "--check", "call.js"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert checked.returncode == 0, checked.stderr
