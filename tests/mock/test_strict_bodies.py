"""Every JSON the mock takes is read strictly (one reader: no NaN or Infinity, bounded nesting):
a call's ``session`` part, an HTTP route's body and a data-channel message. A bad one is an
API-style 400 (an ``error`` event on the channel), never a 500."""

from __future__ import annotations

import pytest

from playground.mock.call_peer import peers
from playground.mock.script import Conversation
from playground.mock.session import SessionRules

from .conftest import CALLS

_TOOL = '{"type": "function", "name": "f", "description": "", "parameters": %s}'
_DEEP_SCHEMA = '{"type": "object", "properties": {"x": ' * 250 + "{}" + "}}" * 250  # 500 deep

#: Sessions no strict reader takes, as sent: each was a 500, a crash or an echo of non-JSON.
SESSIONS = {
    "5,000-deep arrays": "[" * 5000 + "]" * 5000,
    "500-deep tool parameters": '{"type": "realtime", "tools": [%s]}' % (_TOOL % _DEEP_SCHEMA),
    "NaN": '{"type": "realtime", "audio": {"output": {"speed": NaN}}}',
    "Infinity": '{"type": "realtime", "audio": {"output": {"speed": Infinity}}}',
    "a number too large": '{"type": "realtime", "audio": {"output": {"speed": 1e400}}}',
}
CASES = pytest.mark.parametrize("text", list(SESSIONS.values()), ids=list(SESSIONS))


@CASES
def test_a_calls_session_part_is_read_strictly(app, call_client, text) -> None:
    answer = app.test_client().post(
        CALLS,
        data={"sdp": call_client().offer(), "session": text},
        headers={"Authorization": "Bearer sk-test"},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400 and answer.mimetype == "application/json"
    error = answer.get_json()["error"]
    assert (error["param"], error["code"]) == ("session", "invalid_json")
    assert error["message"].startswith("'session' is not valid JSON: ")
    assert peers.live_count() == 0


@CASES
def test_an_http_routes_body_is_read_strictly(client, text) -> None:
    answer = client.post(
        "/mock/v1/realtime/client_secrets",
        data='{"session": ' + text + "}",
        headers={"Authorization": "Bearer sk-test", "Content-Type": "application/json"},
    )
    assert answer.status_code == 400 and answer.mimetype == "application/json"
    assert answer.get_json()["error"]["type"] == "invalid_request_error"


@CASES
def test_a_data_channel_message_is_read_strictly(ga_op, text) -> None:
    talk = Conversation(SessionRules(ga_op.request_schema, ga_op.root), {"type": "realtime"})
    step = talk.handle('{"type": "session.update", "session": ' + text + "}")
    assert [event["type"] for event in step.events] == ["error"]
    assert step.events[0]["error"]["code"] == "invalid_json"
    assert not step.session_changed
