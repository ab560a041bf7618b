"""Shared fixtures: the app, its test client, a real server on 127.0.0.1, headless Chromium."""

from __future__ import annotations

import copy
import gc
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import threading
import wave
from collections.abc import Iterator
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from requests.adapters import HTTPAdapter
from werkzeug.serving import BaseWSGIServer, make_server

from playground import create_app
from playground.model.operations import Operation, all_operations, get_operation

ROOT = Path(__file__).resolve().parent.parent


def _page_posts() -> list[str]:
    """Give every state-changing address of the page (each POST route outside the mock API),
    read from the app itself, so a new route is in the CSRF and fuzz tests from the start."""
    from playground import create_app

    rules = create_app({"TESTING": True}).url_map.iter_rules()
    return sorted(
        r.rule for r in rules if "POST" in (r.methods or ()) and not r.rule.startswith("/mock")
    )


#: The page's state-changing addresses (see :func:`_page_posts`).
PAGE_POSTS = _page_posts()


def load_script(relative: str) -> ModuleType:
    """Give a script of the repository (``benchmarks/run.py``, ``scripts/golden.py``) loaded
    from its path, as running it would, though it is not in an importable package."""
    path = ROOT / relative
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: Test apps send to upstreams on 127.0.0.1, which the SSRF guard (tested on its own) refuses.
TEST_CONFIG: dict[str, Any] = {"TESTING": True, "SSRF_GUARD": False, "SECRET_KEY": "test-" * 8}


class CsrfClient(FlaskClient):
    """A test client that posts like the page does: with the CSRF token of a page it loaded.

    The token comes from ``<meta name="csrf-token">`` of ``GET /`` (once per client) and goes
    in the ``X-CSRFToken`` header, as ``static/request-headers.js`` sends it. Set ``csrf = False``
    to post without one; a request that names its own token or header is left alone.
    """

    csrf = True
    _token: str | None = None

    def token(self) -> str:
        """Give the token of the page this client loaded (loading it the first time)."""
        if self._token is None:
            any_op = next(iter(all_operations()))  # the default may be set to something else
            html = self.get("/", query_string={"op": any_op}).get_data(as_text=True)
            found = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
            assert found, "the page has no csrf-token meta"
            self._token = found.group(1)
        return self._token

    def open(self, *args: Any, **kwargs: Any) -> Any:
        method = str(kwargs.get("method", "GET")).upper()
        path = str(args[0]) if args and isinstance(args[0], str) else ""
        if self.csrf and method == "POST" and not path.startswith("/mock/"):
            headers = dict(kwargs.get("headers") or {})
            data = kwargs.get("data")
            named = isinstance(data, dict) and "csrf_token" in data
            if "X-CSRFToken" not in headers and not named:
                headers["X-CSRFToken"] = self.token()
                kwargs["headers"] = headers
        return super().open(*args, **kwargs)


@pytest.fixture
def make_app() -> Any:
    """Give a function making a test app (CSRF on, posting with the page's token) from config."""

    def make(**config: Any) -> Flask:
        made = create_app({**TEST_CONFIG, **config})
        made.test_client_class = CsrfClient
        return made

    return make


@pytest.fixture
def app(make_app: Any) -> Flask:
    """Give an app configured for tests: CSRF on; its test client posts with the token."""
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Give a test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Give a CLI runner for the app."""
    return app.test_cli_runner()


def _slot_messages(html: str) -> dict[str, str]:
    """Give what an answer writes into each field's error (``e-``) and warning (``w-``) slot, out
    of band, by slot id (an emptied slot is left out: partials/_problems.html)."""
    found = re.findall(
        r'<div hx-swap-oob="innerHTML:#([ew]-[\w-]+), #oob-fallback">(.*?)</div>', html
    )
    return {slot: unescape(message) for slot, message in found}


@pytest.fixture
def slot_messages() -> Any:
    """Give a function reading the field error slots an answer fills (by slot id)."""
    return _slot_messages


@pytest.fixture(scope="session")
def sessions_op() -> Operation:
    """Give the beta ``POST /realtime/sessions`` operation."""
    return get_operation("sessions")


@pytest.fixture(scope="session")
def ga_op() -> Operation:
    """Give the GA ``POST /realtime/client_secrets`` operation."""
    return get_operation("client-secrets")


@pytest.fixture(scope="session")
def translation_op() -> Operation:
    """Give the GA ``POST /realtime/translations/client_secrets`` operation."""
    return get_operation("translation-client-secrets")


#: The smallest body each operation takes where that is not ``{}`` (its required keys); tests
#: that send "any valid body" to every operation use it, and a test checks each is valid.
SMALLEST_BODIES: dict[str, dict[str, Any]] = {
    "translation-client-secrets": {"session": {"model": "gpt-realtime-translate"}},
}


@pytest.fixture(scope="session")
def smallest_body() -> Any:
    """Give a function from an operation to a fresh copy of the smallest body it takes."""

    def give(op: Operation) -> dict[str, Any]:
        return copy.deepcopy(SMALLEST_BODIES.get(op.id, {}))

    return give


def _reveal(shown: str) -> str:
    """Give ``shown`` as a reader could read a secret out of it: JSON escapes decoded (escapes
    of escapes too) and every character no credential holds dropped. (Written apart from
    playground.transport.masking, so the two are not one mistake twice.)"""
    for _ in range(4):
        shown = re.sub(r"\\+u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), shown)
        shown = re.sub(r'\\+(["\\/])', r"\1", shown)
    shown = re.sub(r"\\+[bfnrt]", "", shown)
    return re.sub(r"[^\x21-\x7e]", "", shown)


@pytest.fixture(scope="session")
def reveal() -> Any:
    """Give a function reading text as a person hunting for a secret in it would (see
    tests/transport/test_masking.py): a masked secret must not be found in what it gives."""
    return _reveal


def _strings_non_empty(schema: Any) -> Any:
    """Give the schema with ``minLength: 1`` on every string: an empty input means Unset.

    See ``test_form_codec.test_empty_string_is_named_not_carried`` for what the app does with ``""``.
    (Rows of a list of strings do carry ``""``; narrowing them too keeps this simple.)
    """
    if isinstance(schema, list):
        return [_strings_non_empty(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _strings_non_empty(v) for k, v in schema.items() if k != "default"}
    types = schema.get("type")
    if types == "string" or (isinstance(types, list) and "string" in types):
        out.setdefault("minLength", 1)
    return out


def _discriminators_required(schema: Any) -> Any:
    """Give the schema with each union branch's discriminator required.

    Choosing a branch in the form (``audio/pcm``) always sends its ``type``, as the reference
    advises for the GA formats; a branch object without its discriminator has no form (see
    ``test_form_codec.test_missing_discriminator_is_named_as_added``).
    """
    if isinstance(schema, list):
        return [_discriminators_required(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _discriminators_required(v) for k, v in schema.items()}
    for key in ("oneOf", "anyOf"):
        for branch in out.get(key, []):
            if "const" in branch.get("properties", {}).get("type", {}):
                branch["required"] = sorted({*branch.get("required", []), "type"})
    return out


def _no_empty_containers(schema: Any, required: bool = True) -> Any:
    """Give the schema with ``minProperties: 1`` on container objects (see ``is_container``).

    An optional object that cannot be null and requires nothing is sent when one of its fields
    is set; its ``{}`` says no more than leaving it out, and the form does not tell them apart
    (see ``test_form_codec.test_empty_container_object_is_named_not_carried``).
    """
    if isinstance(schema, list):
        return [_no_empty_containers(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = dict(schema)
    props = schema.get("properties")
    if isinstance(props, dict):
        wanted = set(schema.get("required", []))
        out["properties"] = {k: _no_empty_containers(v, k in wanted) for k, v in props.items()}
        nullable = "null" in (schema.get("type") if isinstance(schema.get("type"), list) else [])
        if not required and not nullable and not wanted:
            out["minProperties"] = 1
    for key in ("oneOf", "anyOf"):
        if key in schema:
            out[key] = [_no_empty_containers(s) for s in schema[key]]
    if isinstance(schema.get("items"), dict):
        out["items"] = _no_empty_containers(schema["items"])
    return out


def _has_cr(value: Any) -> bool:
    if isinstance(value, str):
        return "\r" in value
    if isinstance(value, dict):
        return any(_has_cr(k) or _has_cr(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_cr(v) for v in value)
    return False


@pytest.fixture(scope="session")
def round_trip_bodies() -> Any:
    """Give ``op -> strategy`` of valid bodies of ``op`` that a form carries exactly.

    What a form cannot carry is left out, by design, and tested on its own in ``test_body``:
    an empty string (an empty input means Unset), a carriage return (browsers send CRLF for
    LF), an empty container object, and a union branch object without its discriminator.
    """
    from hypothesis_jsonschema import from_schema

    # Made here, before any example runs: a strategy first made inside an example makes
    # Hypothesis replay a failing example differently (FlakyStrategyDefinition).
    made = {
        op.id: from_schema(
            _no_empty_containers(_discriminators_required(_strings_non_empty(op.request_schema)))
        ).filter(lambda body: not _has_cr(body))
        for op in all_operations().values()
    }
    return lambda op: made[op.id]


@pytest.fixture(scope="session")
def two_utterances(tmp_path_factory: Any) -> tuple[bytes, int]:
    """Give a recording of two utterances with 1 s of silence between them (mono 16-bit PCM and
    its rate), spoken by Debian's espeak-ng during the test run (scripts/test.sh installs it)."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        pytest.fail("These tests need Debian's espeak-ng: apt-get install -y espeak-ng")
    folder = tmp_path_factory.mktemp("utterances")
    pcm, rate = b"", 0
    for n, text in enumerate(["Turn one is the first thing I say.", "And here comes the second."]):
        path = folder / f"{n}.wav"
        subprocess.run([espeak, "-w", str(path), text], check=True, timeout=60)
        with wave.open(str(path)) as heard:
            rate = heard.getframerate()
            pcm += bytes(2 * rate // 2 if n == 0 else 2 * rate) + heard.readframes(
                heard.getnframes()
            )
    return pcm + bytes(2 * rate * 3), rate


@pytest.fixture(scope="session")
def two_utterances_wav(two_utterances: tuple[bytes, int], tmp_path_factory: Any) -> Path:
    """Give :func:`two_utterances` as a WAV file (mono, 16-bit), as a visitor would choose one."""
    pcm, rate = two_utterances
    path = tmp_path_factory.mktemp("recording") / "two-utterances.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm)
    return path


class LiveServer:
    """A WSGI app served by a real HTTP server on 127.0.0.1 in a background thread."""

    def __init__(self, wsgi_app: Any) -> None:
        self.server: BaseWSGIServer = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
        self.port = self.server.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    """Give the playground served on 127.0.0.1 (for the browser)."""
    server = LiveServer(app)
    yield server
    server.stop()


def chromium_path(own: str | None = None) -> str | None:
    """Give the Chromium to drive: $CHROMIUM if set, else Playwright's own browser when it is
    installed (``own``, its path; None is returned for it), else Debian's."""
    chosen = os.environ.get("CHROMIUM")
    if chosen and Path(chosen).exists():
        return chosen
    if own and Path(own).exists():
        return None
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def sync_api() -> Any:
    """Give Playwright's sync API; without Playwright the browser tests skip, except in CI."""
    if os.environ.get("CI"):  # in CI the browser tests must run, never skip
        import playwright.sync_api as api

        return api
    return pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="session")
def expect(sync_api: Any) -> Any:
    """Give Playwright's ``expect`` (a fixture, so a browser module imports without Playwright)."""
    return sync_api.expect


@pytest.fixture(scope="session")
def playwright_driver(sync_api: Any) -> Iterator[Any]:
    """Give the one Playwright driver of the session (a second sync driver cannot start while
    one runs): every browser fixture launches from it."""
    with sync_api.sync_playwright() as pw:
        yield pw


def _launch(pw: Any, args: list[str]) -> Any:
    """Give headless Chromium launched with ``args``; skip without one (fail in CI)."""
    path = chromium_path(pw.chromium.executable_path)
    try:
        return pw.chromium.launch(executable_path=path, headless=True, args=args)
    except Exception as exc:  # no browser at all on this machine
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Chromium to drive: {exc}")


@pytest.fixture(scope="session")
def browser(playwright_driver: Any) -> Iterator[Any]:
    """Give headless Chromium driven by Playwright; in CI a missing browser is a failure."""
    launched = _launch(playwright_driver, CHROMIUM_ARGS)
    yield launched
    launched.close()


#: A live call's extra switches: a fake microphone that asks no permission, WebRTC allowed over
#: loopback (the mock peer listens on 127.0.0.1), audio that plays without a gesture.
CALL_ARGS = [
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--autoplay-policy=no-user-gesture-required",
]


@pytest.fixture(scope="session")
def call_browser(playwright_driver: Any) -> Iterator[Any]:
    """Give headless Chromium that can hold a call (fake media devices, loopback ICE)."""
    launched = _launch(playwright_driver, [*CHROMIUM_ARGS, *CALL_ARGS])
    yield launched
    launched.close()


@pytest.fixture
def call_context(call_browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """Give a 1280x900 browser context on the served playground, the microphone allowed."""
    context = call_browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    context.grant_permissions(["microphone"], origin=live_server.url)
    yield context
    context.close()


@pytest.fixture
def call_page(call_context: Any) -> Any:
    """Give a fresh page of :func:`call_context` (a second one: ``call_context.new_page()``)."""
    return call_context.new_page()


@pytest.fixture
def page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """Give a fresh browser page (own context, empty storage) with the base URL set."""
    context = browser.new_context(base_url=live_server.url)
    pg = context.new_page()
    yield pg
    context.close()


class RecordingUpstream:
    """A WSGI upstream that records every request and answers with ``reply`` (or ``handler``).

    ``reply`` is ``(status line, headers, body bytes)``; ``handler`` is a WSGI app used instead.
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget the recorded requests and answer ``200 {}`` again."""
        self.requests: list[dict[str, Any]] = []
        self.reply: tuple[str, list[tuple[str, str]], bytes] = (
            "200 OK",
            [("Content-Type", "application/json")],
            b"{}",
        )
        self.handler: Any = None
        self.release = threading.Event()

    def hang(self) -> None:
        """Answer only once the test ends (or ``release`` is set), to make a client time out."""

        def slow(environ: dict[str, Any], start_response: Any) -> Any:
            self.release.wait(5)
            start_response("200 OK", [("Content-Type", "application/json")])
            return [b"{}"]

        self.handler = slow

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        headers = {
            key[5:].replace("_", "-").title(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if environ.get(key):
                headers[key.replace("_", "-").title()] = environ[key]
        self.requests.append(
            {
                "method": environ["REQUEST_METHOD"],
                "path": environ.get("PATH_INFO", ""),
                "query": environ.get("QUERY_STRING", ""),
                "headers": headers,
                "body": environ["wsgi.input"].read(length) if length else b"",
                "remote_port": environ.get("REMOTE_PORT"),
            }
        )
        if self.handler is not None:
            return self.handler(environ, start_response)
        status, reply_headers, body = self.reply
        start_response(status, reply_headers)
        return [body]


@pytest.fixture(scope="session")
def _upstream_server() -> Iterator[tuple[RecordingUpstream, LiveServer]]:
    app = RecordingUpstream()
    server = LiveServer(app)
    yield app, server
    app.release.set()
    server.stop()


@pytest.fixture
def upstream(
    _upstream_server: tuple[RecordingUpstream, LiveServer],
) -> Iterator[tuple[RecordingUpstream, LiveServer]]:
    """Give a recording upstream app (fresh for each test) and the real server on 127.0.0.1
    that serves it."""
    app, server = _upstream_server
    app.reset()
    yield app, server
    app.release.set()  # wakes a handler a test left waiting


def _wait_for(condition: Any, what: str, seen: Any = lambda: "") -> None:
    """Wait until ``condition()`` holds; fail naming ``what`` (and ``seen()``) after 30 s, a
    bound against a hang, not a timing claim."""
    import time

    deadline = time.monotonic() + 30
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"never happened: {what} {seen()}")
        time.sleep(0.02)


@pytest.fixture(scope="session")
def wait_for() -> Any:
    """Give a function waiting until a condition holds (see ``_wait_for``)."""
    return _wait_for


@pytest.fixture
def held_upstream(
    upstream: tuple[RecordingUpstream, LiveServer],
) -> tuple[RecordingUpstream, str]:
    """Give the recording upstream, made to answer ``{"id": "sess_slow"}`` only once the test
    sets its ``release`` (or after 60 s), and its base URL (``.../v1``)."""
    slow, server = upstream

    def hold(environ: dict[str, Any], start_response: Any) -> Any:
        slow.release.wait(60)
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b'{"id": "sess_slow"}']

    slow.handler = hold
    return slow, server.url + "/v1"


@pytest.fixture(scope="module")
def serve_wsgi() -> Iterator[Any]:
    """Give a function that serves a WSGI app on 127.0.0.1 (a ``LiveServer``) for the module."""
    servers: list[LiveServer] = []

    def serve(wsgi_app: Any) -> LiveServer:
        server = LiveServer(wsgi_app)
        servers.append(server)
        return server

    yield serve
    for server in servers:
        server.stop()


def _run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run ``python -m playground ARGS`` as a user would, and give its result."""
    return subprocess.run(
        [sys.executable, "-m", "playground", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def cli() -> Any:
    """Give a function that runs the command line in a subprocess."""
    return _run_cli


class _KeepAliveHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive (werkzeug's dev server closes every connection): answers ``{}``
    and notes each request's client port in its server's ``ports``."""

    protocol_version = "HTTP/1.1"
    server: KeepAliveServer

    def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.ports.append(self.client_address[1])
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: Any) -> None:
        pass


class KeepAliveServer(ThreadingHTTPServer):
    """A keep-alive HTTP server on 127.0.0.1; ``ports`` shows which requests shared a connection."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _KeepAliveHandler)
        self.ports: list[int] = []
        self.url = f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def keep_alive() -> Iterator[KeepAliveServer]:
    """Give a running :class:`KeepAliveServer`."""
    server = KeepAliveServer()
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


class _FromAddress(HTTPAdapter):
    """A transport adapter whose connections leave from ``address`` (any of 127/8 is local)."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


class Visitor:
    """A visitor of a served playground, from its own loopback address: loads the page (its
    cookie and CSRF token) and sends as the page does."""

    def __init__(self, base_url: str, address: str = "127.0.0.1") -> None:
        self.base_url = base_url
        self.session = requests.Session()
        self.session.trust_env = False
        self.session.mount("http://", _FromAddress(address))
        self.token = ""

    def load(self, timeout: float = 30) -> requests.Response:
        """Give the page, keeping its CSRF token."""
        page = self.session.get(self.base_url + "/", timeout=timeout)
        found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
        self.token = found.group(1) if found else ""
        return page

    def send(self, gateway_url: str, timeout: float = 60) -> requests.Response:
        """Give the answer to a send of the default form to ``gateway_url``."""
        if not self.token:
            self.load()
        headers = {
            "HX-Request": "true",
            "X-CSRFToken": self.token,
            "X-Playground-Gateway": quote(gateway_url),
            "X-Playground-Key": "sk-visitor",
        }
        return self.session.post(
            self.base_url + "/send", data={"op": "sessions"}, headers=headers, timeout=timeout
        )


@pytest.fixture
def visitor() -> Iterator[Any]:
    """Give a function making a :class:`Visitor` of ``base_url`` from ``address``."""
    made: list[Visitor] = []

    def make(base_url: str, address: str = "127.0.0.1") -> Visitor:
        made.append(Visitor(base_url, address))
        return made[-1]

    yield make
    for each in made:
        each.session.close()


def _multipart_fields(content_type: str, body: bytes) -> list[tuple[str, str, str | None, bytes]]:
    """Give the parts of a ``multipart/form-data`` body: ``(name, content type, file name,
    bytes)`` each, read by the standard library's MIME parser (not by the code under test)."""
    from email.parser import BytesParser
    from email.policy import HTTP

    assert content_type.startswith("multipart/form-data; boundary="), content_type
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    assert message.is_multipart() and not message.defects, message.defects
    return [
        (
            str(part.get_param("name", header="content-disposition")),
            part.get_content_type(),
            part.get_filename(),
            part.get_payload(decode=True),
        )
        for part in message.iter_parts()
    ]


@pytest.fixture(scope="session")
def multipart_fields() -> Any:
    """Give a function reading a ``multipart/form-data`` body into its parts."""
    return _multipart_fields


@pytest.fixture
def call_client(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Give a function making a WebRTC :class:`~playground.mock.webrtc_client.CallClient`; after the
    test every client is closed, every mock call ended, and no call thread is left running."""
    import aioice.ice

    from playground.mock.call_peer import peers
    from playground.mock.webrtc_client import CallClient

    # Calls offer 127.0.0.1 only by replacing aioice's gathering: put it back after the test.
    monkeypatch.setattr(aioice.ice, "get_host_addresses", aioice.ice.get_host_addresses)
    made: list[CallClient] = []

    def make(amplitude: float = 0.0) -> CallClient:
        made.append(CallClient(amplitude=amplitude))
        return made[-1]

    yield make
    for each in made:
        each.close()
    peers.shutdown()
    gc.collect()  # an unclosed socket is reported here, by the test that left it
    left = [t.name for t in threading.enumerate() if t.name in ("mock-call-peers", "call-client")]
    assert not left, f"threads left running: {left}"


@pytest.fixture
def mock_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Give the process's mock call registry; after the test every mock call is ended and its
    loop thread stopped (and aioice's address gathering, which a call replaces, put back)."""
    import aioice.ice

    from playground.mock.call_peer import peers

    monkeypatch.setattr(aioice.ice, "get_host_addresses", aioice.ice.get_host_addresses)
    yield peers
    peers.shutdown()
    left = [t.name for t in threading.enumerate() if t.name == "mock-call-peers"]
    assert not left, f"threads left running: {left}"


@pytest.fixture
def call_context_on(call_browser: Any) -> Iterator[Any]:
    """Give a function opening a call-capable browser context on ``origin`` (the microphone
    allowed there); every context it opened is closed after the test."""
    opened: list[Any] = []

    def open_on(origin: str) -> Any:
        context = call_browser.new_context(base_url=origin)
        context.grant_permissions(["microphone"], origin=origin)
        opened.append(context)
        return context

    yield open_on
    for context in opened:
        context.close()


class RecordingSocketGateway:
    """A gateway's Realtime WebSocket on 127.0.0.1 (a ``websockets`` server) that records each
    connection: path and query, headers, every message, how it was closed.

    By default it greets with ``session.created``, answers ``session.update`` with
    ``session.updated`` and ``{"type": "echo", "say": …}`` with what it says; ``refuse`` answers the
    upgrade with ``(status, body)`` instead; ``behaviour`` replaces the whole conversation
    (a function of the connection).
    """

    def __init__(self) -> None:
        from websockets.sync.server import serve

        self.server = serve(
            self._handle,
            "127.0.0.1",
            0,
            process_request=self._process,
            compression=None,
            max_size=None,
        )
        self.url = f"http://127.0.0.1:{self.server.socket.getsockname()[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.reset()

    def reset(self) -> None:
        """Forget the connections and go back to the default conversation."""
        self.connections: list[dict[str, Any]] = []
        self.refuse: tuple[int, str] | None = None
        self.behaviour: Any = None
        self.closed = threading.Event()

    def _process(self, connection: Any, request: Any) -> Any:
        from urllib.parse import parse_qs, urlsplit

        parts = urlsplit(request.path)
        self.connections.append(
            {
                "path": parts.path,
                "query": {k: v[0] for k, v in parse_qs(parts.query).items()},
                "headers": dict(request.headers.raw_items()),
                "messages": [],
                "close_code": None,
            }
        )
        if self.refuse is not None:
            status, body = self.refuse
            response = connection.respond(status, body)
            response.headers["Content-Type"] = "application/json"
            return response
        return None

    def _handle(self, connection: Any) -> None:
        import json

        from websockets.exceptions import ConnectionClosed

        record = self.connections[-1]
        try:
            if self.behaviour is not None:
                self.behaviour(connection, record)
                return
            connection.send(json.dumps({"type": "session.created", "session": {}}))
            for text in connection:
                record["messages"].append(json.loads(text))
                kind = record["messages"][-1].get("type")
                if kind == "session.update":
                    session = record["messages"][-1]["session"]
                    connection.send(json.dumps({"type": "session.updated", "session": session}))
                elif kind == "echo":  # what it says, padded to ``pad`` more characters
                    said, pad = record["messages"][-1]["say"], record["messages"][-1].get("pad")
                    connection.send(json.dumps({**said, "pad": "x" * pad} if pad else said))
        except ConnectionClosed:
            pass
        finally:
            record["close_code"] = connection.close_code
            self.closed.set()

    def stop(self) -> None:
        """Stop serving."""
        self.server.shutdown()


@pytest.fixture(scope="session")
def _socket_gateway() -> Iterator[RecordingSocketGateway]:
    gateway = RecordingSocketGateway()
    yield gateway
    gateway.stop()


@pytest.fixture
def socket_gateway(_socket_gateway: RecordingSocketGateway) -> RecordingSocketGateway:
    """Give the recording WebSocket gateway (fresh for each test); its base URL is ``.url``."""
    _socket_gateway.reset()
    return _socket_gateway


class BridgeVisitor:
    """A visitor of a served playground who calls through its WebSocket bridge as the page
    does: the page's cookie, its CSRF token as a subprotocol, the start message."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        self.session.trust_env = False
        page = self.session.get(base_url + "/", timeout=30)
        found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
        self.token = found.group(1) if found else ""

    def open(
        self,
        form: Any,
        auth: dict[str, str],
        token: str | None = None,
        origin: str | None = None,
        op: str = "client-secrets",
    ) -> Any:
        """Give the open bridge socket, its start message sent (``token``/``origin``: what
        the handshake carries instead of the page's own)."""
        import json
        from urllib.parse import urlencode

        from websockets.exceptions import ConnectionClosed
        from websockets.sync.client import connect

        from playground.web.call_socket import CSRF_PROTOCOL_PREFIX, PROTOCOL, START

        cookie = "; ".join(f"{c.name}={c.value}" for c in self.session.cookies)
        protocols = [PROTOCOL, CSRF_PROTOCOL_PREFIX + (self.token if token is None else token)]
        ws = connect(
            self.base_url.replace("http://", "ws://") + "/call/socket",
            subprotocols=protocols,
            additional_headers={"Cookie": cookie, "Origin": origin or self.base_url},
            open_timeout=10,
            proxy=None,
        ).__enter__()  # the test's ``with`` closes it
        pairs = list(form.items(multi=True)) if hasattr(form, "items") else list(form)
        start = {"type": START, "op": op, "form": urlencode(pairs), "auth": auth}
        try:
            ws.send(json.dumps(start))
        except ConnectionClosed:  # refused from the handshake alone: what it said is read next
            pass
        return ws


@pytest.fixture
def bridge_visitor() -> Any:
    """Give a function making a :class:`BridgeVisitor` of a served playground's ``base_url``."""
    made: list[BridgeVisitor] = []

    def make(base_url: str) -> BridgeVisitor:
        made.append(BridgeVisitor(base_url))
        return made[-1]

    yield make
    for each in made:
        each.session.close()


def _free_port() -> int:
    """Give a TCP port on 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def free_port() -> Any:
    """Give a function giving a TCP port on 127.0.0.1 that nothing listens on right now."""
    return _free_port


@pytest.fixture(scope="session")
def _redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Give the URL of Debian's ``redis-server`` run on a free 127.0.0.1 port for the session
    (no persistence); skip without one (fail in CI, where ``scripts/test.sh`` installs it)."""
    import redis

    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed (scripts/test.sh installs it)")
        pytest.skip("no redis-server: apt-get install -y redis-server")
    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    command = [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", ""]
    command += ["--appendonly", "no", "--dir", str(folder)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    with redis.Redis.from_url(url) as probe:
        for _ in range(200):  # a bound against a hang, not a timing claim
            try:
                probe.ping()
                break
            except redis.ConnectionError:
                if process.poll() is not None:
                    pytest.fail(f"redis-server exited with {process.returncode}")
                threading.Event().wait(0.05)
        else:
            process.kill()
            pytest.fail("redis-server did not answer")
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture
def redis_url(_redis_server: str) -> str:
    """Give the URL of a running ``redis-server`` on 127.0.0.1, emptied for this test."""
    import redis

    with redis.Redis.from_url(_redis_server) as empty:
        empty.flushall()
    return _redis_server


@pytest.fixture(scope="session")
def nested_rows_body() -> dict[str, Any]:
    """Give a GA body of rows nested in rows: 128 MCP tools with two lists of 128 tool names
    each (a 3 KB link that drew a 54 MB page)."""
    listed = [f"t{i}" for i in range(128)]
    approval = {"always": {"tool_names": listed}, "never": {"tool_names": listed}}
    tools = [
        {"type": "mcp", "server_label": f"s{i}", "server_url": "https://mcp.example.com/sse",
         "require_approval": approval}
        for i in range(128)
    ]  # fmt: skip
    return {"session": {"type": "realtime", "tools": tools}}


@pytest.fixture(scope="session")
def function_tools_body() -> dict[str, Any]:
    """Give a GA body of 128 function tools (each row draws every tool type's pane)."""
    tools = [
        {"type": "function", "name": f"fn_{i}", "parameters": {"type": "object"}}
        for i in range(128)
    ]
    return {"session": {"type": "realtime", "tools": tools}}
