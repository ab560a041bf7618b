"""The SDP exchange's bytes and headers (``playground.transport.calls``) and the call data of an
operation (``playground.model.call_spec``): no server needed."""

from __future__ import annotations

import json

import pytest

from playground.model.call_spec import call_spec
from playground.model.operations import Operation, all_operations
from playground.transport.calls import (
    CallAnswer,
    OfferRefused,
    answer_of,
    call_id_of,
    check_offer,
    ephemeral_request,
    multipart,
    unified_request,
)
from playground.transport.client import Upstream
from playground.transport.result import Result

OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"


def test_multipart_fields_read_back_exactly(multipart_fields) -> None:
    """Values holding CRLF, a boundary-like line and non-ASCII come back byte for byte."""
    tricky = b"--playground-x\r\n\r\nnot a boundary \xe2\x9c\x93\r\n"
    data, content_type = multipart([("sdp", "application/sdp", tricky), ("b", "text/plain", b"")])
    assert multipart_fields(content_type, data) == [
        ("sdp", "application/sdp", None, tricky),
        ("b", "text/plain", None, b""),
    ]


def test_the_unified_request_keeps_the_credentials_and_the_session_order(multipart_fields) -> None:
    session = {"type": "realtime", "instructions": 'Zürich "x"', "audio": {"output": None}}
    headers = {"Authorization": "Bearer sk-1", "Content-Type": "application/json"}
    data, sent = unified_request(OFFER, session, headers)
    assert sent["Authorization"] == "Bearer sk-1" and sent["Accept"] == "application/sdp"
    parts = multipart_fields(sent["Content-Type"], data)
    assert [name for name, *_ in parts] == ["sdp", "session"]
    assert parts[1][3] == json.dumps(session, ensure_ascii=False, separators=(",", ":")).encode()


def test_the_ephemeral_request_is_the_bare_offer() -> None:
    data, sent = ephemeral_request(OFFER, {"Authorization": "Bearer ek_1"})
    assert data == OFFER.encode() and sent["Content-Type"] == "application/sdp"


@pytest.mark.parametrize(
    ("location", "call_id"),
    [
        ("/v1/realtime/calls/rtc_abc-12", "rtc_abc-12"),
        ("https://api.openai.com/v1/realtime/calls/rtc_u1_9/", "rtc_u1_9"),
        ("", None),
        ("/v1/realtime/calls/a b", None),
        ("/v1/realtime/calls/..%2F..%2Fadmin", None),
        ("http://[::1", None),  # not a URL at all
    ],
)
def test_the_call_id_is_the_last_segment_of_location(location: str, call_id: str | None) -> None:
    assert call_id_of(location) == call_id


def test_an_offer_up_to_the_cap_passes_and_one_byte_more_is_refused() -> None:
    offer = "v=0\r\n" + "a" * 95  # 100 bytes
    assert check_offer(offer, 100) == offer
    with pytest.raises(OfferRefused, match="101 bytes"):
        check_offer(offer + "a", 100)
    with pytest.raises(OfferRefused, match="101 bytes"):  # bytes, not characters
        check_offer(offer[:-1] + "é", 100)


def test_call_data_comes_from_the_operation(ga_op: Operation) -> None:
    spec = call_spec(ga_op)
    assert spec is not None and spec.path == "/realtime/calls" and spec.session_key == "session"
    assert spec.sdk == {"python": "realtime.calls.create"}
    assert spec.session_of({"session": {"type": "realtime"}}) == {"type": "realtime"}
    assert spec.session_of({}) is None
    assert spec.hangup_path("rtc_1") == "/realtime/calls/rtc_1/hangup"
    with pytest.raises(ValueError):
        spec.hangup_path("../x")
    assert [op.id for op in all_operations().values() if call_spec(op)] == ["client-secrets"]


# The operator's key as a gateway configured with ``key_env`` holds it, and three ways a
# gateway's answer to a call carried it to the browser.
OPERATOR_KEY = "sk-proj-OPERATORkey0123456789"
HIDDEN = {OPERATOR_KEY: "[the gateway's key]"}
SDP_ANSWER = "v=0\r\no=- 99 2 IN IP4 203.0.113.9\r\ns=-\r\nt=0 0\r\n"
LEAKS = {
    "a header named after the key": (
        [("X-RateLimit-" + OPERATOR_KEY, "1"), ("Location", "/v1/realtime/calls/rtc_1")],
        SDP_ANSWER,
    ),
    "a Location ending in the key": (
        [("Location", "/v1/realtime/calls/" + OPERATOR_KEY)],
        SDP_ANSWER,
    ),
    "a Location ending in the key, lower-cased": (
        [("Location", "/v1/realtime/calls/" + OPERATOR_KEY.lower())],
        SDP_ANSWER,
    ),
    "an SDP answer with the key split by U+200B": (
        [("Location", "/v1/realtime/calls/rtc_1")],
        SDP_ANSWER + f"a=x:{OPERATOR_KEY[:9]}\u200b{OPERATOR_KEY[9:]}\r\n",
    ),
}


def _shown(result: Result, answer: CallAnswer | None) -> str:
    """Give everything of an exchange that reaches the browser, as one text."""
    shown = [result.text, result.failure, result.content_type, result.location, result.pretty]
    shown += [f"{name}: {value}" for name, value in result.headers]
    if answer is not None:
        shown.append(json.dumps(answer.as_json()))
    return "\n".join(shown)


@pytest.mark.parametrize(("headers", "sdp"), LEAKS.values(), ids=list(LEAKS))
def test_no_call_answer_passes_the_operators_key_on(upstream, reveal, headers, sdp) -> None:
    """Whatever of a 201 reaches the browser (headers shown, call id, SDP answer, failure)
    holds the key in no letter case, however split; the call id is dropped, not masked."""
    recorder, server = upstream
    recorder.reply = ("201 Created", [("Content-Type", "application/sdp"), *headers], sdp.encode())
    client = Upstream()
    try:
        result = client.post(server.url + "/v1/realtime/calls", OFFER.encode(), {}, redact=HIDDEN)
    finally:
        client.close()
    answer = answer_of(result, HIDDEN, 64 * 1024)
    assert OPERATOR_KEY.lower() not in reveal(_shown(result, answer)).lower()
    if answer is not None:
        assert answer.call_id in ("rtc_1", None) and answer.sdp == SDP_ANSWER
    else:
        assert "repeated a credential" in result.failure


def test_a_call_id_that_is_no_secret_is_kept() -> None:
    result = Result(status=201, raw=SDP_ANSWER.encode(), location="/v1/realtime/calls/rtc_9")
    answer = answer_of(result, HIDDEN, 64 * 1024)
    assert answer is not None and answer.call_id == "rtc_9"
