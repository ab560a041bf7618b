"""Upstream faults, each from a real server on 127.0.0.1: a clear message within the limits,
and the app keeps serving other users while a send waits."""

from __future__ import annotations

import gzip
import re
import socket
import socketserver
import struct
import threading
import time
from collections.abc import Callable, Iterator
from html import unescape
from typing import Any
from urllib.parse import quote

import pytest
import requests

Scenario = Callable[[socket.socket, threading.Event], None]
KEY = "sk-fault-test-0123456789"


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        sock: socket.socket = self.request
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
        while len(body) < length:
            body += sock.recv(65536)
        self.server.scenario(sock, self.server.release)  # type: ignore[attr-defined]


class RawServer(socketserver.ThreadingTCPServer):
    """A TCP server on 127.0.0.1 that reads one request and acts out a scenario."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.scenario: Scenario = lambda sock, release: None
        self.release = threading.Event()
        self.url = f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture(scope="module")
def raw() -> Iterator[RawServer]:
    server = RawServer()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def fault_app(make_app: Any, raw: RawServer) -> Any:
    raw.release.clear()
    yield make_app(SEND_READ_TIMEOUT=1.0, SEND_DEADLINE=3.0)
    raw.release.set()


def _head(status: str, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def hang(sock: socket.socket, release: threading.Event) -> None:
    release.wait(10)


def reset_mid_body(sock: socket.socket, release: threading.Event) -> None:
    sock.sendall(_head("200 OK", {"Content-Type": "application/json", "Content-Length": "1000"}))
    sock.sendall(b'{"id": "sess_')
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST


def invalid_utf8(sock: socket.socket, release: threading.Event) -> None:
    body = b'{"id": "sess_\xff\xfe\xc3"}'
    sock.sendall(
        _head("200 OK", {"Content-Type": "application/json", "Content-Length": str(len(body))})
        + body
    )


def ten_megabytes(sock: socket.socket, release: threading.Event) -> None:
    size = 10 * 1024 * 1024
    sock.sendall(_head("200 OK", {"Content-Type": "application/json", "Content-Length": str(size)}))
    try:
        for _ in range(size // 65536):
            sock.sendall(b" " * 65536)
    except OSError:
        pass  # the client stopped reading at its cap


def _trickle(sock: socket.socket, release: threading.Event, start: bytes, byte: bytes) -> None:
    """Send ``start``, then ``byte`` every half second (50 s, or until the test ends): every
    read is within the read timeout, only a deadline ends it."""
    try:
        sock.sendall(start)
        for _ in range(100):
            sock.sendall(byte)
            if release.wait(0.5):
                return
    except OSError:
        pass


def drip(sock: socket.socket, release: threading.Event) -> None:
    head = _head("200 OK", {"Content-Type": "application/json", "Content-Length": "100"})
    _trickle(sock, release, head, b" ")


def header_drip(sock: socket.socket, release: threading.Event) -> None:
    """A status line, then a header a byte at a time."""
    _trickle(sock, release, b"HTTP/1.1 200 OK\r\nX-Slow: ", b"z")


def html_500(sock: socket.socket, release: threading.Event) -> None:
    body = b"<html><body><h1>Internal error</h1><script>alert(1)</script></body></html>"
    headers = {"Content-Type": "text/html", "Content-Length": str(len(body))}
    sock.sendall(_head("500 Internal Server Error", headers) + body)


def gzip_bomb(sock: socket.socket, release: threading.Event) -> None:
    body = gzip.compress(b"[" + b"0," * (10 * 1024 * 1024) + b"0]", 9)
    headers = {
        "Content-Type": "application/json",
        "Content-Encoding": "gzip",
        "Content-Length": str(len(body)),
    }
    sock.sendall(_head("200 OK", headers) + body)


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _send(client: Any, url: str) -> str:
    headers = {"X-Playground-Gateway": quote(url + "/v1"), "X-Playground-Key": KEY}
    response = client.post("/send", data={"op": "sessions"}, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("scenario", "words"),
    [
        (hang, "did not answer in time"),
        (reset_mid_body, "closed the connection in the middle of its answer"),
        (ten_megabytes, "larger than 1 MiB and was cut off"),
        (drip, "still sending after 3 s"),
        (header_drip, "had not answered after 3 s"),
        (html_500, "answered 500 with text/html, not JSON"),
        (gzip_bomb, "larger than 1 MiB and was cut off"),
    ],
    ids=["hang", "reset", "10MB", "drip", "header-drip", "500-html", "gzip-bomb"],
)
def test_each_fault_gives_a_clear_message_within_the_deadline(
    fault_app, raw, scenario, words
) -> None:
    raw.scenario = scenario
    started = time.monotonic()
    html = _send(fault_app.test_client(), raw.url)
    # SEND_DEADLINE is 3 s; the hang and the drips would go on for 10 to 50 s.
    assert time.monotonic() - started < 5.0
    assert words in _text(html)
    assert "<script>alert(1)</script>" not in html and KEY not in html


def test_a_gzip_bomb_is_never_inflated_past_the_cap(make_app, raw) -> None:
    raw.scenario = gzip_bomb
    app = make_app(SEND_MAX_BYTES=64 * 1024)
    html = _send(app.test_client(), raw.url)
    assert "larger than 64 KiB" in _text(html)


def test_invalid_utf8_is_shown_replaced_not_a_crash(fault_app, raw) -> None:
    raw.scenario = invalid_utf8
    html = _send(fault_app.test_client(), raw.url)
    assert "200 OK" in html and "sess_\ufffd" in unescape(html)


def test_other_users_are_served_while_a_send_hangs(fault_app, raw, serve_wsgi) -> None:
    raw.scenario = hang
    server = serve_wsgi(fault_app)
    page = requests.get(server.url + "/", timeout=5)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
    cookies = page.cookies
    finished: list[str] = []

    def hanging_send() -> None:
        headers = {
            "X-Playground-Gateway": quote(raw.url + "/v1"),
            "X-Playground-Key": KEY,
            "X-CSRFToken": token,
        }
        answer = requests.post(
            server.url + "/send",
            data={"op": "sessions"},
            headers=headers,
            cookies=cookies,
            timeout=10,
        )
        finished.append(answer.text)

    sender = threading.Thread(target=hanging_send)
    sender.start()
    time.sleep(0.2)  # the send is now waiting on the hung upstream
    other = requests.post(
        server.url + "/preview",
        data={"op": "sessions", "voice": "ash"},
        headers={"X-CSRFToken": token},
        cookies=cookies,
        timeout=5,
    )
    assert other.status_code == 200 and "ash" in other.text
    assert finished == []  # served while the send was still waiting
    sender.join(10)
    assert finished and "did not answer in time" in _text(finished[0])
