"""Sends answered in process (the page's own mock) keep nothing between visitors, and any path
or request gets a clear answer: never an exception, a 500 or a traceback."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any
from urllib.parse import quote

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from playground import create_app
from playground.mock import PREFIX
from playground.transport.client import Upstream, request_headers
from playground.transport.inprocess import BASE, WSGIAdapter

# Module-wide, for the fuzzers (hypothesis runs an example many times per test).
_FUZZ_APP = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "SSRF_GUARD": True})
_FUZZ_CLIENT = _FUZZ_APP.test_client()
_FUZZ_ADAPTER = WSGIAdapter(_FUZZ_APP, only=PREFIX)


def test_a_cookie_the_in_process_app_sets_is_never_sent_again() -> None:
    seen: list[str | None] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.append(environ.get("HTTP_COOKIE"))
        start_response("200 OK", [("Content-Type", "application/json"), ("Set-Cookie", "s=a")])
        return [b"{}"]

    upstream = Upstream()
    upstream.mount_app(BASE, app)
    for key in ("sk-visitor-a", "sk-visitor-b"):
        assert upstream.post_json(BASE + "/x", {}, request_headers(key)).ok
    assert seen == [None, None]


def _send(client: Any, gateway: str, form: dict[str, str] | None = None) -> str:
    headers = {"X-Playground-Gateway": quote(gateway, safe=""), "X-Playground-Key": "sk-fuzz"}
    response = client.post("/send", data={"op": "sessions", **(form or {})}, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _shown(html: str) -> tuple[str, str]:
    """Give the status the response pane shows and its failure line (or hint)."""
    status = re.search(r'data-testid="response-status">([^<]*)<', html)
    failure = re.search(r'data-testid="(?:send-failure|response-hint)">([^<]*)<', html)
    return (status.group(1) if status else ""), unescape(failure.group(1) if failure else "")


@pytest.mark.parametrize(
    "path",
    ["/mock/v1/../..", "/mock/v1/%2e%2e/%2E%2e", "/", "/static", "/mock/v1/..%2f..", "/%ff"],
)
def test_a_gateway_url_leaving_the_mock_is_answered_clearly(client, caplog, path) -> None:
    """Once an AttributeError (Werkzeug 3.1 has no ``Response.charset``), told as "the request
    to the gateway failed"; now a 404 that says what the mock's URL is."""
    html = _send(client, BASE + path)
    status, failure = _shown(html)
    assert status == "404 Not Found", (status, failure)
    assert "not the playground's mock" in unescape(html)
    assert not [r for r in caplog.records if "send failed" in r.getMessage()]


def test_the_mock_still_answers_in_process(client) -> None:
    assert _shown(_send(client, BASE + "/mock/v1"))[0] == "200 OK"
    assert _shown(_send(client, BASE + "/mock/v1/"))[0] == "200 OK"


_PATH_CHARS = st.sampled_from(
    list("/./.%2eEfF0a-_~é;:=+$,!*'()[]\\") + ["..", "%2f", "%00", "/mock/v1"]
)
paths = st.lists(_PATH_CHARS, max_size=12).map("".join)
FUZZ = settings(max_examples=60, deadline=None, database=None)


@FUZZ
@given(
    path=paths,
    instructions=st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30),
    temperature=st.sampled_from(["", "0.7", "9", "x", "1e309"]),
)
def test_any_path_through_send_to_the_in_process_mock_gets_a_clear_answer(
    path: str, instructions: str, temperature: str
) -> None:
    form = {"instructions": instructions, "temperature": temperature}
    html = _send(_FUZZ_CLIENT, BASE + "/" + path.lstrip("/"), form)
    assert "Traceback" not in html
    status, failure = _shown(html)
    refused = 'data-testid="send-failure"' in html and not status
    if refused:  # the URL itself was refused before any send: its message says why
        assert "gateway URL" in failure, failure
    else:
        assert re.fullmatch(r"\d{3} [A-Za-z ]+", status), (status, failure)
        assert "The request to the gateway failed" not in failure


@FUZZ
@given(
    path=paths,
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "BREW"]),
    body=st.one_of(st.binary(max_size=40), st.just(b'{"model": "gpt-realtime"}')),
)
def test_the_in_process_adapter_answers_any_request_without_an_exception(
    path: str, method: str, body: bytes
) -> None:
    request = requests.Request(
        method, BASE + "/" + path.lstrip("/"), data=body, headers={"Authorization": "Bearer k"}
    ).prepare()
    answer = _FUZZ_ADAPTER.send(request)
    assert 200 <= answer.status_code < 600
    if answer.status_code >= 400 and method != "HEAD":
        assert "error" in json.loads(answer.raw.read())  # the mock's kind of answer: JSON
