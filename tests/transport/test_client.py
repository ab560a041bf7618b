"""The transport: real HTTP servers on 127.0.0.1, no patched ``requests``."""

from __future__ import annotations

import json
import socket
import threading
import time
from typing import Any

import pytest
import requests
from urllib3.exceptions import NameResolutionError

from playground.transport.checks import RequestRefused, check_credential, check_gateway_url
from playground.transport.client import Limits, Upstream, request_headers
from playground.transport.explanations import describe_failure

BODY = {"model": "gpt-4o-realtime-preview", "temperature": 0.8, "instructions": "Grüß dich"}


def _client(**limits: Any) -> Upstream:
    return Upstream(Limits(**limits))


def _json(status: str, payload: Any, *extra: tuple[str, str]) -> tuple[str, list, bytes]:
    return status, [("Content-Type", "application/json"), *extra], json.dumps(payload).encode()


def test_sends_exactly_the_body_and_the_headers(upstream) -> None:
    app, server = upstream
    app.reply = _json("200 OK", {"ok": True})
    headers = request_headers("sk-test-123", "org-abc", "proj_def")
    result = _client().post_json(server.url + "/v1/realtime/sessions", BODY, headers)
    assert result.status == 200 and result.ok and result.data == {"ok": True}
    (seen,) = app.requests
    assert (seen["method"], seen["path"], seen["query"]) == ("POST", "/v1/realtime/sessions", "")
    assert json.loads(seen["body"].decode("utf-8")) == BODY
    sent = seen["headers"]
    assert sent["Authorization"] == "Bearer sk-test-123"
    assert sent["Openai-Organization"] == "org-abc"
    assert sent["Openai-Project"] == "proj_def"
    assert sent["Content-Type"] == "application/json"
    assert sent["Accept"] == "application/json"
    assert sent["Content-Length"] == str(len(seen["body"]))
    assert sent["User-Agent"].startswith("realtime-playground")
    assert set(sent) == {
        "Host",
        "User-Agent",
        "Accept-Encoding",
        "Accept",
        "Connection",
        "Authorization",
        "Openai-Organization",
        "Openai-Project",
        "Content-Type",
        "Content-Length",
    }


def test_organization_and_project_are_left_out_when_empty(upstream) -> None:
    app, server = upstream
    _client().post_json(server.url + "/x", {}, request_headers("sk-1"))
    sent = app.requests[0]["headers"]
    assert "Openai-Organization" not in sent and "Openai-Project" not in sent
    _client().post_json(server.url + "/x", {}, request_headers())
    assert "Authorization" not in app.requests[1]["headers"]


def test_environment_proxies_and_netrc_are_ignored(upstream, tmp_path, monkeypatch) -> None:
    app, server = upstream
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password hunter2\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{_free_port()}")
    monkeypatch.setenv("NO_PROXY", "")
    result = _client().post_json(server.url + "/x", {}, request_headers("sk-env"))
    assert result.status == 200
    assert app.requests[0]["headers"]["Authorization"] == "Bearer sk-env"


def test_a_session_reuses_its_connection(keep_alive) -> None:
    client = _client()
    for _ in range(3):
        assert client.post_json(keep_alive.url + "/x", {}, request_headers("k")).ok
    assert len(keep_alive.ports) == 3 and len(set(keep_alive.ports)) == 1


@pytest.mark.parametrize("status", ["400 Bad Request", "401 Unauthorized", "429 Too Many", "500 X"])
def test_api_errors_are_passed_through_with_an_explanation(upstream, status) -> None:
    app, server = upstream
    error = {"message": "Nope", "type": "invalid_request_error", "param": "voice", "code": None}
    app.reply = _json(
        status,
        {"error": error},
        ("x-request-id", "req_1"),
        ("x-ratelimit-remaining-requests", "0"),
        ("retry-after", "7"),
        ("openai-organization", "org-private"),
        ("set-cookie", "a=b"),
    )
    result = _client().post_json(server.url + "/x", BODY, request_headers("k"))
    assert result.status == int(status[:3]) and not result.ok
    assert result.api_error == error and not result.failure
    assert result.hint
    assert dict(result.headers) == {
        "x-request-id": "req_1",
        "x-ratelimit-remaining-requests": "0",
        "retry-after": "7",
    }


def test_read_timeout_is_a_one_line_failure(upstream) -> None:
    app, server = upstream

    app.hang()
    result = _client(read_timeout=0.2).post_json(server.url + "/x", {}, request_headers("k"))
    assert result.status is None and result.failure_kind == "timeout"
    assert "did not answer in time" in result.failure


def test_wall_clock_deadline_stops_a_dripping_answer(upstream) -> None:
    app, server = upstream

    def drip(environ: Any, start_response: Any) -> Any:
        start_response("200 OK", [("Content-Type", "application/json")])
        for _ in range(100):
            if app.release.wait(0.05):
                break
            yield b" "

    app.handler = drip
    client = _client(read_timeout=5, deadline=0.3)
    result = client.post_json(server.url + "/x", {}, request_headers("k"))
    assert result.failure_kind == "timeout" and "still sending" in result.failure


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_connection_refused() -> None:
    result = _client().post_json(f"http://127.0.0.1:{_free_port()}/x", {}, request_headers("k"))
    assert result.status is None and result.failure_kind == "refused"
    assert "refused the connection" in result.failure


def test_tls_failure_against_a_plain_http_server(upstream) -> None:
    _, server = upstream
    url = server.url.replace("http://", "https://") + "/x"
    result = _client().post_json(url, {}, request_headers("sk-tls"))
    assert result.failure_kind == "tls" and "TLS" in result.failure
    assert "sk-tls" not in result.failure


def test_name_resolution_failure_is_told_by_its_type() -> None:
    inner = NameResolutionError("nowhere.invalid", None, socket.gaierror(-2, "Name unknown"))
    exc = requests.exceptions.ConnectionError(inner)
    kind, line = describe_failure(exc)
    assert kind == "dns" and "could not be resolved" in line and "nowhere" not in line


def test_redirect_is_not_followed(upstream) -> None:
    app, server = upstream
    app.reply = ("302 Found", [("Location", server.url + "/elsewhere")], b"")
    result = _client().post_json(server.url + "/x", {}, request_headers("k"))
    assert len(app.requests) == 1
    assert result.status == 302 and result.failure_kind == "redirect"
    assert "not followed" in result.failure


def test_oversized_answer_is_cut_with_a_message(upstream) -> None:
    app, server = upstream
    app.reply = ("200 OK", [("Content-Type", "application/json")], b"[" + b"1," * 700_000 + b"1]")
    result = _client().post_json(server.url + "/x", {}, request_headers("k"))
    assert result.failure_kind == "too_large" and "larger than 1 MiB" in result.failure
    assert not result.ok and len(result.text) <= 2000


def test_the_size_cap_is_configurable(upstream) -> None:
    app, server = upstream
    app.reply = _json("200 OK", {"pad": "x" * 5000})
    result = _client(max_bytes=1024).post_json(server.url + "/x", {}, request_headers("k"))
    assert result.failure_kind == "too_large" and "1 KiB" in result.failure


def test_html_instead_of_json(upstream) -> None:
    app, server = upstream
    app.reply = ("200 OK", [("Content-Type", "text/html")], b"<html><body>Login</body></html>")
    result = _client().post_json(server.url + "/x", {}, request_headers("k"))
    assert result.status == 200 and not result.ok and result.failure_kind == "not_json"
    assert "text/html" in result.failure and "/v1" in result.failure
    assert result.text.startswith("<html>")


@pytest.mark.parametrize("answer", [b"[" * 100_000 + b"]" * 100_000, b'{"a": "\\udc00"}'])
def test_json_the_page_could_not_show_is_given_as_text(upstream, answer) -> None:
    """A gateway's answer nested past the recursion limit, or with half a character, would have
    broken the response pane: it is shown as text instead."""
    app, server = upstream
    app.reply = ("200 OK", [("Content-Type", "application/json")], answer)
    result = _client().post_json(server.url + "/x", {}, request_headers("k"))
    assert result.failure_kind == "not_json" and not result.is_json
    assert "JSON the page cannot show" in result.failure
    assert result.text == answer[:2000].decode()


def test_the_key_is_blotted_out_of_what_comes_back(upstream) -> None:
    app, server = upstream
    key = "sk-very-secret-9"
    app.reply = _json(
        "401 Unauthorized", {"error": {"message": f"Incorrect API key provided: {key}."}}
    )
    result = _client().post_json(
        server.url + "/x", {}, request_headers(key), redact={key: "[your key]"}
    )
    assert key not in json.dumps(result.data) and "[your key]" in result.data["error"]["message"]


@pytest.mark.parametrize("at", [1990, 1999])
def test_a_key_echoed_where_the_shown_text_ends_is_hidden_whole(upstream, at) -> None:
    app, server = upstream
    key = "sk-echoed-0123456789"
    app.reply = ("502 Bad Gateway", [("Content-Type", "text/plain")], b"x" * at + key.encode())
    result = _client().post_json(server.url + "/x", {}, request_headers(key), redact={key: "[k]"})
    assert result.failure_kind == "not_json" and result.text.startswith("x" * at)
    assert "sk-" not in result.text and result.text[at:] in ("[k]", "[k"[: 2000 - at])


def test_a_key_the_size_cap_cuts_through_is_not_shown_in_part(upstream) -> None:
    app, server = upstream
    key = "sk-echoed-0123456789"
    app.reply = ("200 OK", [("Content-Type", "text/plain")], b"x" * 50 + key.encode() * 3)
    limited = _client(max_bytes=60).post_json(
        server.url + "/x", {}, request_headers(key), redact={key: "[k]"}
    )
    assert limited.failure_kind == "too_large" and limited.text == "x" * 50


def test_gateway_details_stay_out_of_the_logs(upstream, caplog) -> None:
    _, server = upstream
    caplog.set_level("DEBUG")
    _client().post_json(server.url + "/hidden-path-7/realtime/sessions", {}, request_headers("k"))
    # werkzeug's records are the fake upstream's own access log, not the playground's.
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith("werkzeug")]
    assert not [m for m in ours if "hidden-path-7" in m or str(server.port) in m]


def test_a_malformed_answer_logs_no_gateway_detail_either(caplog) -> None:
    """urllib3.connection (not only its pool) logs the URL when an answer's headers are bad."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def answer_once() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nno colon here\r\n"
                b"Content-Length: 2\r\n\r\n{}"
            )

    thread = threading.Thread(target=answer_once, daemon=True)
    thread.start()
    caplog.set_level("DEBUG")
    try:
        url = f"http://127.0.0.1:{port}/v1/hidden-path-8/realtime/sessions"
        result = _client().post_json(url, {}, request_headers("k"))
    finally:
        thread.join(5)
        listener.close()
    assert result.status == 200  # the answer itself is still taken
    logged = " ".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert "hidden-path-8" not in logged and str(port) not in logged


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://example.com/v1", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("api.openai.com/v1", "http:// or https://"),
        ("https://user:pass@example.com/v1", "user name or password"),
        ("https://user@example.com/v1", "user name or password"),
        ("https://example.com/v1?key=1", "query"),
        ("https://example.com/v1?", "query"),
        ("https://example.com/v1#x", "fragment"),
        ("https:///v1", "no host"),
        ("https://example.com:99999/v1", "not a valid URL"),
        ("http://[::1/v1", "not a valid URL"),
        ("http://127.0.0.1:1/v1\r\nX-Injected: 1", "spaces or control"),
        ("http://exa mple/v1", "spaces or control"),
        ("", "Enter a gateway URL"),
    ],
)
def test_gateway_urls_that_are_refused(url, words) -> None:
    with pytest.raises(RequestRefused, match=words):
        check_gateway_url(url)


@pytest.mark.parametrize("host", ["a..b", "a" * 300])
def test_a_host_urllib3_cannot_parse_is_a_failure_not_an_exception(host) -> None:
    result = _client().post_json(f"http://{host}/v1", {}, request_headers("sk-parse"))
    assert result.failure_kind == "invalid" and "not a valid URL" in result.failure
    assert host not in result.failure


def test_gateway_url_loses_its_trailing_slash() -> None:
    assert check_gateway_url(" https://api.openai.com/v1/ ") == "https://api.openai.com/v1"
    assert check_gateway_url("http://127.0.0.1:8000/mock/v1") == "http://127.0.0.1:8000/mock/v1"


@pytest.mark.parametrize("key", ["sk-a b", "sk-a\nb", "sk-a\tb", "sk-\x00", "sk-é", " sk-a"])
def test_keys_that_cannot_be_a_header_are_refused(key) -> None:
    with pytest.raises(RequestRefused, match="(?i)invalid key format") as caught:
        request_headers(key)
    assert key.strip() not in str(caught.value)


def test_empty_credentials_are_allowed() -> None:
    assert check_credential("", "project") == ""


def test_timeouts_never_exceed_the_deadline(upstream) -> None:
    app, server = upstream

    app.hang()
    started = time.monotonic()
    result = _client(read_timeout=30, deadline=0.2).post_json(server.url, {}, request_headers())
    assert result.failure_kind == "timeout"
    assert time.monotonic() - started < 5  # bounded by the deadline, not the 30 s read timeout


def test_a_cookie_one_send_gets_is_never_sent_again(upstream) -> None:
    """One Upstream serves every visitor: a gateway's cookie (Cloudflare sets some on OpenAI's
    answers) must not ride along on someone else's send."""
    app, server = upstream
    app.reply = _json("200 OK", {}, ("Set-Cookie", "__cf_bm=visitor-a; Path=/"))
    client = _client()
    client.post_json(server.url + "/x", {}, request_headers("sk-visitor-a"))
    client.post_json(server.url + "/x", {}, request_headers("sk-visitor-b"))
    assert [seen["headers"].get("Cookie") for seen in app.requests] == [None, None]
