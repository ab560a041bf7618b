"""The "Browser (WebRTC)" tab, run as the page script it is: headless Chromium (fake microphone)
loads it from a test server on 127.0.0.1 whose ``/session`` POSTs the body the snippet's comment
shows to the mock for a key, and which passes ``/v1/*`` on to the mock (one origin, no CORS).
The call reaches the mock's real aiortc peer: its events, the microphone and the hang-up."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests

from playground.mock.session import SessionRules
from playground.model.operations import get_operation
from playground.presets import presets_for
from playground.snippets import render_snippet

pytestmark = pytest.mark.browser

OP = get_operation("client-secrets")
PRESET = presets_for(OP.id)["voice-agent"]
CALLS = "/realtime/calls"
PAGE = b"""<!doctype html>
<meta charset="utf-8">
<title>call</title>
<link rel="icon" href="data:,">
<button id="start-call">Start call</button>
<button id="hang-up" disabled>Hang up</button>
<audio id="remote-audio" autoplay></audio>
<script src="/call.js"></script>
"""


class SnippetSite:
    """A WSGI app playing a developer's site: the page, the snippet as ``/call.js``, the server
    half at ``/session`` (a real POST to the mock) and ``/v1/*`` passed on to the mock."""

    def __init__(self, mock_url: str, comment_body: Callable[[str], Any]) -> None:
        self.mock_url = mock_url  # the playground's mock: http://127.0.0.1:PORT/mock/v1
        self.comment_body = comment_body
        self.script = ""
        self.url = ""  # its own, once served
        self.seen: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ["PATH_INFO"]
        if path == "/":
            return self._reply(start_response, "200 OK", "text/html; charset=utf-8", PAGE)
        if path == "/call.js":
            script = self.script.encode()
            return self._reply(start_response, "200 OK", "text/javascript", script)
        if path == "/session":
            # The server half: exactly the body the snippet's comment shows, with the API key.
            minted = requests.post(
                self.mock_url + OP.path,
                json=self.comment_body(self.script),
                headers={"Authorization": "Bearer sk-test-site"},
                timeout=30,
            )
            return self._reply(
                start_response, f"{minted.status_code} -", "application/json", minted.content
            )
        if path.startswith("/v1/"):
            return self._pass_on(environ, start_response, path.removeprefix("/v1"))
        return self._reply(start_response, "404 Not Found", "text/plain", b"")

    def _pass_on(self, environ: dict[str, Any], start_response: Any, path: str) -> list[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        headers = {
            "Authorization": environ.get("HTTP_AUTHORIZATION", ""),
            "Content-Type": environ.get("CONTENT_TYPE", ""),
        }
        body = environ["wsgi.input"].read(length) if length else b""
        answer = requests.request(
            environ["REQUEST_METHOD"], self.mock_url + path, data=body, headers=headers, timeout=30
        )
        with self.lock:
            self.seen.append(
                {"path": path, **headers, "status": answer.status_code, **answer.headers}
            )
        kind = answer.headers.get("Content-Type", "text/plain")
        return self._reply(start_response, f"{answer.status_code} -", kind, answer.content)

    @staticmethod
    def _reply(start_response: Any, status: str, kind: str, body: bytes) -> list[bytes]:
        start_response(status, [("Content-Type", kind), ("Cache-Control", "no-store")])
        return [body]


def _until(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    """Give the first truthy ``predicate()``, polled until ``timeout`` (a guard against a hang)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def site(make_app: Any, serve_wsgi: Any, comment_body: Any) -> SnippetSite:
    """Give the site serving the voice-agent preset's snippet, its ``/v1`` the mock's."""
    # The watchdog's idle limit is far off: only the hang-up can end the call in time.
    mock = serve_wsgi(make_app(CALL_MOCK_IDLE_SECONDS=300))
    app = SnippetSite(mock.url + "/mock/v1", comment_body)
    served = serve_wsgi(app)
    app.script = render_snippet(OP, "browser_call", PRESET.body, base_url=served.url + "/v1")
    app.url = served.url
    return app


def _start_call(site: SnippetSite, call_context_on: Any, mock_calls: Any) -> tuple[Any, Any, str]:
    """Open the page, press Start call; give the page, ``session.created`` and the call id."""
    page = call_context_on(site.url).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto("/")
    with page.expect_console_message(
        lambda msg: msg.text.startswith("session.created"), timeout=30_000
    ) as logged:
        page.click("#start-call")
    assert not errors, errors
    created = logged.value.args[1].json_value()
    (call,) = [seen for seen in site.seen if seen["path"] == CALLS]
    call_id = call["Location"].rsplit("/", 1)[-1]
    assert mock_calls.get(call_id) is not None
    return page, created, call_id


def test_the_snippet_calls_the_mock_with_the_key_its_server_half_minted(
    site: SnippetSite, call_context_on: Any, mock_calls: Any, comment_body: Any
) -> None:
    """The key's session reaches ``session.created`` (the preset's, defaults filled in), the
    offer goes as ``application/sdp`` with the ``ek_`` key, the microphone is heard, and
    Hang up leaves no live call."""
    assert comment_body(site.script) == PRESET.body  # what /session sends is the form's body
    page, created, call_id = _start_call(site, call_context_on, mock_calls)
    (call,) = [seen for seen in site.seen if seen["path"] == CALLS]
    assert call["Authorization"].startswith("Bearer ek_") and call["status"] == 201
    assert call["Content-Type"] == "application/sdp"
    assert created["type"] == "session.created"
    session = created["session"]
    assert session["expires_at"] > time.time()  # when the mock will end the call
    expected = SessionRules(OP.request_schema, OP.root).effective(
        PRESET.body["session"], session["id"], session["expires_at"]
    )
    assert session == expected
    assert session["audio"]["output"]["voice"] == "marin"
    assert session["instructions"] == PRESET.body["session"]["instructions"]
    assert session["audio"]["input"]["turn_detection"]["type"] == "semantic_vad"
    heard = _until(lambda: mock_calls.get(call_id).mic_frames, 20, "mic frames at the mock")
    assert heard > 0
    assert page.evaluate("document.getElementById('remote-audio').srcObject !== null")
    page.click("#hang-up")
    _until(lambda: mock_calls.live_count() == 0, 15, "the mock call to end after Hang up")
    assert page.is_enabled("#start-call") and not page.is_enabled("#hang-up")


def test_closing_the_page_ends_the_call(
    site: SnippetSite, call_context_on: Any, mock_calls: Any
) -> None:
    page, _created, call_id = _start_call(site, call_context_on, mock_calls)
    _until(lambda: mock_calls.get(call_id).mic_frames, 20, "mic frames at the mock")
    page.close()
    _until(lambda: mock_calls.live_count() == 0, 15, "the mock call to end with the page")
