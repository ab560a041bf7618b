"""``POST /call`` and ``POST /call/hangup``: real upstream servers on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from html import unescape
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict

from playground import create_app
from playground.model.form_filler import form_from_body
from playground.model.operations import get_operation
from playground.presets import presets_for
from playground.web.constants import FRESH_CSRF_TOKEN_HEADER

KEY = "sk-call-key-0123456789"
OFFER = "v=0\r\no=- 4611 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
ANSWER = (
    "v=0\r\no=- 99 2 IN IP4 203.0.113.9\r\ns=-\r\nt=0 0\r\nm=audio 3478 UDP/TLS/RTP/SAVPF 111\r\n"
)
CREATED = (
    "201 Created",
    [("Content-Type", "application/sdp"), ("Location", "/v1/realtime/calls/rtc_u1_abc123")],
    ANSWER.encode(),
)


def _app(**config: Any) -> Flask:
    # CSRF is on in the app of test_a_post_without_the_pages_token_is_refused only.
    return create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "SSRF_GUARD": False, **config})


def _voice_agent_form() -> MultiDict[str, str]:
    """Give the form the GA voice-agent preset fills (a session with nested objects)."""
    op = get_operation("client-secrets")
    filled = form_from_body(op.root, presets_for(op.id)["voice-agent"].body)
    return MultiDict([("op", op.id), *filled.form.items()])


def _call(client: Any, form: MultiDict[str, str] | dict[str, str], **headers: str) -> Any:
    data = MultiDict(form)
    data.setdefault("op", "client-secrets")
    data.setdefault("_sdp", OFFER)
    sent = {"X-Playground-" + name.replace("_", "-").title(): v for name, v in headers.items()}
    return client.post("/call", data=data, headers=sent)


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _preview_body(client: Any, form: MultiDict[str, str]) -> Any:
    html = client.post("/preview", data=form).get_data(as_text=True)
    shown = re.search(r'data-testid="request-body"[^>]*>(.*?)</pre>', html, re.S)
    assert shown, html
    return json.loads(unescape(shown.group(1)))


def _error(param: str | None, message: str = "Bad value.") -> bytes:
    error = {"message": message, "type": "invalid_request_error", "param": param, "code": None}
    return json.dumps({"error": error}).encode()


def test_a_call_posts_the_offer_and_the_previewed_session(upstream, multipart_fields) -> None:
    """The multipart body holds exactly ``sdp`` (the offer) and ``session`` (the preview's
    session, not the rest of the body), with the send's credentials; the page gets the answer
    and the call id as JSON."""
    recorder, server = upstream
    recorder.reply = CREATED
    client = _app().test_client()
    form = _voice_agent_form()
    body = _preview_body(client, form)
    assert set(body) == {"expires_after", "session"}
    response = _call(
        client,
        form,
        gateway=quote(server.url + "/v1/"),
        key=KEY,
        organization="org-1",
        project="p2",
    )
    assert response.status_code == 200 and response.is_json
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json() == {"ok": True, "sdp": ANSWER, "call_id": "rtc_u1_abc123"}
    (seen,) = recorder.requests
    assert (seen["method"], seen["path"]) == ("POST", "/v1/realtime/calls")
    assert seen["headers"]["Authorization"] == f"Bearer {KEY}"
    assert seen["headers"]["Openai-Organization"] == "org-1"
    assert seen["headers"]["Openai-Project"] == "p2"
    assert seen["headers"]["Accept"] == "application/sdp"
    parts = multipart_fields(seen["headers"]["Content-Type"], seen["body"])
    assert [(name, kind, filename) for name, kind, filename, _ in parts] == [
        ("sdp", "application/sdp", None),
        ("session", "application/json", None),
    ]
    assert parts[0][3].decode() == OFFER  # CRLF line ends kept
    assert json.loads(parts[1][3]) == body["session"]
    assert list(json.loads(parts[1][3])) == list(body["session"])  # in the preview's order


def test_a_form_without_a_session_sends_the_offer_alone(upstream, multipart_fields) -> None:
    recorder, server = upstream
    recorder.reply = CREATED
    response = _call(_app().test_client(), {}, gateway=server.url, key=KEY)
    assert response.get_json()["call_id"] == "rtc_u1_abc123"
    parts = multipart_fields(
        recorder.requests[0]["headers"]["Content-Type"], recorder.requests[0]["body"]
    )
    assert [(name, data.decode()) for name, _kind, _file, data in parts] == [("sdp", OFFER)]


def test_an_ephemeral_key_posts_the_bare_offer_with_that_key(upstream, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    recorder, server = upstream
    recorder.reply = CREATED
    ephemeral = "ek_68af2b4f0a1c8190b1f2e3d4c5b6a798"
    response = _call(
        _app().test_client(),
        _voice_agent_form(),
        gateway=server.url + "/v1",
        key=KEY,
        organization="org-1",
        ephemeral_key=ephemeral,
    )
    assert response.get_json() == {"ok": True, "sdp": ANSWER, "call_id": "rtc_u1_abc123"}
    (seen,) = recorder.requests
    assert seen["path"] == "/v1/realtime/calls"
    assert seen["headers"]["Authorization"] == f"Bearer {ephemeral}"
    assert seen["headers"]["Content-Type"] == "application/sdp"
    assert seen["body"].decode() == OFFER  # no session: the key carries it
    assert "Openai-Organization" not in seen["headers"]
    assert ephemeral not in caplog.text and KEY not in caplog.text


def test_an_ephemeral_key_echoed_in_an_error_is_masked(upstream) -> None:
    recorder, server = upstream
    ephemeral = "ek_echoed_0123456789"
    recorder.reply = (
        "401 Unauthorized",
        [("Content-Type", "application/json")],
        _error(None, f"Key {ephemeral} has expired."),
    )
    response = _call(_app().test_client(), {}, gateway=server.url, ephemeral_key=ephemeral)
    assert response.get_json()["error"]["message"] == "Key [the ephemeral key] has expired."
    assert ephemeral not in response.text


@pytest.mark.parametrize(
    ("op_id", "words"),
    [
        ("sessions", "A call starts from Client secret (GA): use “Open as Client secret (GA)”"),
        ("translation-client-secrets", "A call starts from Client secret (GA): choose it above."),
    ],
)
def test_only_an_operation_with_a_call_starts_one(upstream, op_id, words) -> None:
    recorder, server = upstream
    response = _call(_app().test_client(), {"op": op_id}, gateway=server.url, key=KEY)
    assert response.status_code == 400 and words in response.get_json()["refused"]
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("offer", "words"),
    [
        ("v=0\r\n" + "a=x\r\n" * 40, "more than this server sends (100)"),
        ("", "The browser sent no SDP offer"),
        ("hello", "not an SDP offer"),
    ],
)
def test_an_offer_that_cannot_be_sent_is_refused_before_sending(upstream, offer, words) -> None:
    recorder, server = upstream
    client = _app(CALL_MAX_OFFER_BYTES=100).test_client()
    answer = _call(client, {"_sdp": offer}, gateway=server.url, key=KEY).get_json()
    assert answer["ok"] is False and words in answer["refused"] and answer["status"] is None
    assert recorder.requests == []


def test_an_answer_over_the_cap_is_cut_and_not_used(upstream) -> None:
    recorder, server = upstream
    recorder.reply = (CREATED[0], CREATED[1], (ANSWER + "a=candidate:x\r\n" * 200).encode())
    response = _call(_app(CALL_MAX_ANSWER_BYTES=512).test_client(), {}, gateway=server.url, key=KEY)
    answer = response.get_json()
    assert answer["ok"] is False and "sdp" not in answer  # no answer the browser would use
    text = answer["failure"]
    assert "larger than 512 bytes and was cut off" in text and "CALL_MAX_ANSWER_BYTES" in text
    assert len(answer["body"]) <= 512


def test_a_2xx_without_an_sdp_answer_is_explained(upstream) -> None:
    recorder, server = upstream  # answers 200 {} by default: a gateway without calls
    answer = _call(_app().test_client(), {}, gateway=server.url, key=KEY).get_json()
    assert "answered 200 with application/json, not an SDP answer" in answer["message"]


def test_a_redirect_is_not_followed(upstream) -> None:
    recorder, server = upstream
    recorder.reply = ("307 Temporary Redirect", [("Location", server.url + "/elsewhere")], b"")
    answer = _call(_app().test_client(), {}, gateway=server.url, key=KEY).get_json()
    assert "redirect, which is not followed" in answer["message"]
    assert [r["path"] for r in recorder.requests] == ["/realtime/calls"]


def test_a_gateway_that_does_not_answer_is_abandoned_at_the_deadline(upstream) -> None:
    recorder, server = upstream
    recorder.hang()
    client = _app(SEND_VISITOR_DEADLINE=0.5).test_client()
    started = time.monotonic()
    answer = _call(client, {}, gateway=server.url, key=KEY).get_json()
    assert answer["status"] is None and answer["message"].startswith("No response: ")
    assert "had not answered after 0.5 s" in answer["failure"]
    assert time.monotonic() - started < 10  # a generous bound against a hang


def test_the_ssrf_guard_refuses_an_internal_gateway(upstream) -> None:
    recorder, server = upstream
    answer = _call(_app(SSRF_GUARD=True).test_client(), {}, gateway=server.url, key=KEY)
    assert "does not send to internal addresses" in answer.get_json()["message"]
    assert recorder.requests == []


def test_an_operator_gateway_adds_its_key_which_the_browser_never_sees(
    upstream, monkeypatch
) -> None:
    recorder, server = upstream
    operator_key = "sk-operator-secret-42"
    monkeypatch.setenv("CALL_TEAM_KEY", operator_key)
    gateways = [{"name": "Team", "base_url": server.url + "/v1", "key_env": "CALL_TEAM_KEY"}]
    client = _app(GATEWAYS=gateways, SEND_CONFIGURED_ONLY=True).test_client()
    recorder.reply = CREATED
    answer = _call(client, {}, gateway_name="Team")
    assert answer.get_json()["sdp"] == ANSWER and operator_key not in answer.text
    assert recorder.requests[0]["headers"]["Authorization"] == f"Bearer {operator_key}"
    # Hosted mode: a typed gateway URL is refused, as for a send.
    refused = _call(client, {}, gateway=server.url, key=KEY).get_json()["refused"]
    assert "sends only to its configured gateways" in refused and len(recorder.requests) == 1
    # A gateway echoing the key in an error, or in a 201 "answer", never passes it on.
    recorder.reply = (
        "401 Unauthorized",
        [("Content-Type", "application/json")],
        _error(None, operator_key),
    )
    assert operator_key not in _call(client, {}, gateway_name="Team").text
    recorder.reply = (CREATED[0], CREATED[1], f"v=0\r\na=key:{operator_key}\r\n".encode())
    echoed = _call(client, {}, gateway_name="Team")
    assert "sdp" not in echoed.get_json() and operator_key not in echoed.text
    assert "repeated a credential" in echoed.get_json()["failure"]


def test_a_call_counts_among_the_sends_in_flight(upstream) -> None:
    recorder, server = upstream
    recorder.hang()
    app = _app(SEND_MAX_IN_FLIGHT_PER_CLIENT=1)
    headers = {"X-Playground-Gateway": server.url, "X-Playground-Key": KEY}
    sending = threading.Thread(
        target=lambda: app.test_client().post("/send", data={"op": "sessions"}, headers=headers)
    )
    sending.start()
    deadline = time.monotonic() + 10
    while not recorder.requests and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(recorder.requests) == 1, "the send did not reach the upstream"
    response = _call(app.test_client(), {}, gateway=server.url, key=KEY)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) >= 1
    refused = response.get_json()
    assert refused["retry_after"] == int(response.headers["Retry-After"])
    assert "Too many sends in progress from your address" in refused["refused"]
    hangup = app.test_client().post(
        "/call/hangup", data={"op": "client-secrets", "call_id": "rtc_1"}, headers=headers
    )
    assert hangup.status_code == 429 and hangup.get_json()["ok"] is False
    assert hangup.get_json()["retry_after"] >= 1 and int(hangup.headers["Retry-After"]) >= 1
    assert len(recorder.requests) == 1
    recorder.release.set()
    sending.join(30)


def test_a_post_without_the_pages_token_is_refused(make_app, upstream) -> None:
    recorder, server = upstream
    client = make_app().test_client()
    client.csrf = False
    response = client.post(
        "/call",
        data={"op": "client-secrets", "_sdp": OFFER},
        headers={"X-Playground-Gateway": server.url, "X-Playground-Key": KEY},
    )
    assert response.status_code == 400 and "security token" in response.get_json()["refused"]
    assert response.headers[FRESH_CSRF_TOKEN_HEADER]  # kept by the page for the next try
    hangup = client.post("/call/hangup", data={"op": "client-secrets", "call_id": "rtc_1"})
    assert hangup.status_code == 400 and "security token" in hangup.get_json()["message"]
    assert recorder.requests == []
    # With the page's token, as static/request-headers.js sends it, the call goes out.
    recorder.reply = CREATED
    client.csrf = True
    assert _call(client, {}, gateway=server.url, key=KEY).get_json()["sdp"] == ANSWER


@pytest.mark.parametrize(
    ("param", "field"),
    [
        ("session.audio.output.voice", "f-session-realtime-audio-output-voice"),
        ("audio.output.voice", "f-session-realtime-audio-output-voice"),  # relative to session
        ("session.tools[0].name", "f-session-realtime-tools-0-function-name"),
    ],
)
def test_the_param_of_an_api_error_is_marked_in_the_form(
    upstream, slot_messages, param, field
) -> None:
    recorder, server = upstream
    recorder.reply = ("400 Bad Request", [("Content-Type", "application/json")], _error(param))
    form = _voice_agent_form()
    form.update({"session:realtime.tools@mode": "set", "session:realtime.tools.0@row": "1"})
    answer = _call(_app().test_client(), form, gateway=server.url, key=KEY).get_json()
    assert answer["slots"] == {f"e-{field}": "The API says: Bad value."}
    assert answer["field"] == field and answer["param"] == param


def test_an_error_about_the_offer_marks_no_field(upstream, slot_messages) -> None:
    recorder, server = upstream
    recorder.reply = ("400 Bad Request", [("Content-Type", "application/json")], _error("sdp"))
    answer = _call(_app().test_client(), _voice_agent_form(), gateway=server.url, key=KEY)
    assert answer.get_json()["slots"] == {}  # the page empties every slot
    assert answer.get_json()["param"] == "sdp" and answer.get_json()["field"] == ""


def test_a_401_is_shown_like_a_send_and_the_key_is_never_logged_or_shown(upstream, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    recorder, server = upstream
    recorder.reply = (
        "401 Unauthorized",
        [("Content-Type", "application/json"), ("x-request-id", "req_9")],
        _error(None, f"Incorrect API key provided: {KEY}."),
    )
    html = _call(
        _app().test_client(), {}, gateway=server.url + "/v1", key=KEY, organization="org-9"
    ).text
    answer = json.loads(html)
    assert (answer["status"], answer["reason"]) == (401, "Unauthorized")
    assert "did not accept the credentials" in answer["hint"]
    assert (answer["method"], answer["path"], answer["via"]) == (
        "POST",
        "/realtime/calls",
        "your gateway",
    )
    assert answer["error"]["message"] == "Incorrect API key provided: [your key]."
    assert ["x-request-id", "req_9"] in answer["headers"]
    for secret in (KEY, "org-9", server.url, str(server.port)):
        assert secret not in html
        assert secret not in caplog.text


def test_hangup_posts_to_the_calls_hangup_path_with_the_credentials(upstream) -> None:
    recorder, server = upstream
    recorder.reply = ("200 OK", [], b"")
    response = (
        _app()
        .test_client()
        .post(
            "/call/hangup",
            data={"op": "client-secrets", "call_id": "rtc_u1_abc123"},
            headers={"X-Playground-Gateway": server.url + "/v1", "X-Playground-Key": KEY},
        )
    )
    assert response.get_json() == {"ok": True, "status": 200, "message": ""}
    (seen,) = recorder.requests
    assert (seen["method"], seen["path"]) == ("POST", "/v1/realtime/calls/rtc_u1_abc123/hangup")
    assert seen["headers"]["Authorization"] == f"Bearer {KEY}" and seen["body"] == b""


@pytest.mark.parametrize("call_id", ["", "../../admin", "rtc 1", "a/b", "x?y=1"])
def test_hangup_refuses_what_is_not_a_call_id(upstream, call_id) -> None:
    recorder, server = upstream
    response = (
        _app()
        .test_client()
        .post(
            "/call/hangup",
            data={"op": "client-secrets", "call_id": call_id},
            headers={"X-Playground-Gateway": server.url, "X-Playground-Key": KEY},
        )
    )
    assert response.get_json()["ok"] is False and "No call id" in response.get_json()["message"]
    assert recorder.requests == []


def test_hangup_says_what_the_gateway_answered(upstream) -> None:
    recorder, server = upstream
    recorder.reply = (
        "404 Not Found",
        [("Content-Type", "application/json")],
        _error(None, "No call."),
    )
    response = (
        _app()
        .test_client()
        .post(
            "/call/hangup",
            data={"op": "client-secrets", "call_id": "rtc_gone"},
            headers={"X-Playground-Gateway": server.url, "X-Playground-Key": KEY},
        )
    )
    assert response.get_json() == {"ok": False, "status": 404, "message": "No call."}


@pytest.mark.parametrize("value", [0, -1, "64", 1.5, True])
def test_call_settings_must_be_whole_numbers_of_bytes(value) -> None:
    with pytest.raises(ValueError, match="CALL_MAX_OFFER_BYTES"):
        _app(CALL_MAX_OFFER_BYTES=value)
