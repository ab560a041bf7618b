"""The operator's key (a gateway configured with ``key_env``) reaches the browser by no path of
a call: ``POST /call`` and ``POST /call/hangup`` against a real upstream on 127.0.0.1 that echoes
it in a header's name, in ``Location`` (the call id), split inside the SDP answer, and in the
error messages of a failed start and a failed hang-up."""

from __future__ import annotations

import json
from html import unescape
from typing import Any

import pytest

from playground import create_app

OPERATOR_KEY = "sk-proj-OPERATORkey0123456789"
OFFER = "v=0\r\no=- 4611 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
ANSWER = "v=0\r\no=- 99 2 IN IP4 203.0.113.9\r\ns=-\r\nt=0 0\r\n"
SPLIT = f"{OPERATOR_KEY[:9]}\u200b{OPERATOR_KEY[9:]}"
SDP = [("Content-Type", "application/sdp")]
JSON = [("Content-Type", "application/json")]
ERROR = json.dumps(
    {"error": {"message": f"bad key {SPLIT} \u202eevil", "type": "x", "code": SPLIT}}
)
#: (status line, headers, body) of the gateway's answer to the call's start.
ECHOES: dict[str, tuple[str, list[tuple[str, str]], str]] = {
    "header name": ("429 Too Many Requests", [*JSON, ("X-RateLimit-" + OPERATOR_KEY, "1")], "{}"),
    "Location": ("201 Created", [*SDP, ("Location", "/v1/realtime/calls/" + OPERATOR_KEY)], ANSWER),
    "SDP answer": ("201 Created", SDP, ANSWER + f"a=x:{SPLIT}\r\n"),
    "error message": ("401 Unauthorized", [*JSON, ("x-request-id", SPLIT)], ERROR),
    "text error": ("502 Bad Gateway", [("Content-Type", "text/plain")], f"down: {SPLIT}"),
}


@pytest.fixture
def operator_client(upstream, monkeypatch) -> Any:
    """Give a client of an app whose only gateway is the upstream, with the operator's key."""
    _recorder, server = upstream
    monkeypatch.setenv("CALL_SECRETS_TEAM_KEY", OPERATOR_KEY)
    gateways = [
        {"name": "Team", "base_url": server.url + "/v1", "key_env": "CALL_SECRETS_TEAM_KEY"}
    ]
    config = {"TESTING": True, "WTF_CSRF_ENABLED": False, "SSRF_GUARD": False}
    app = create_app({**config, "GATEWAYS": gateways, "SEND_CONFIGURED_ONLY": True})
    return app.test_client()


def _read(text: str, reveal: Any) -> str:
    """Give an answer as a person hunting for the key reads it, in one letter case."""
    return reveal(unescape(text)).lower()


@pytest.mark.parametrize("echo", ECHOES.values(), ids=list(ECHOES))
def test_no_answer_to_a_call_shows_the_operators_key(
    upstream, operator_client, reveal, echo
) -> None:
    recorder, _server = upstream
    status, headers, body = echo
    recorder.reply = (status, headers, body.encode())
    form = {"op": "client-secrets", "_sdp": OFFER}
    answer = operator_client.post("/call", data=form, headers={"X-Playground-Gateway-Name": "Team"})
    assert recorder.requests[0]["headers"]["Authorization"] == f"Bearer {OPERATOR_KEY}"
    assert answer.status_code != 500  # an answer, never a trace (a failure may be a 502)
    assert OPERATOR_KEY.lower() not in _read(answer.get_data(as_text=True), reveal)


def test_a_failed_hang_up_does_not_show_the_operators_key(
    upstream, operator_client, reveal
) -> None:
    recorder, _server = upstream
    recorder.reply = ("400 Bad Request", JSON, ERROR.encode())
    answer = operator_client.post(
        "/call/hangup",
        data={"op": "client-secrets", "call_id": "rtc_1"},
        headers={"X-Playground-Gateway-Name": "Team"},
    )
    message = answer.get_json()["message"]
    assert answer.get_json()["ok"] is False and "bad key" in message
    assert "\u202e" not in message and "<U+202E>evil" in message  # the gateway's text, shown
    assert OPERATOR_KEY.lower() not in _read(answer.get_data(as_text=True), reveal)
