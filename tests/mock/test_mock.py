"""The built-in mock upstream: answers shaped like the real API, from the operation's schemas."""

from __future__ import annotations

import json
import time
from html import unescape
from typing import Any
from urllib.parse import quote

import pytest
from jsonschema import Draft202012Validator

from playground import create_app
from playground.mock.responses import success, ttl_seconds, with_defaults
from playground.model.operations import all_operations
from playground.model.schema import walk

AUTH = {"Authorization": "Bearer sk-anything"}
URL = "/mock/v1/realtime/sessions"


def _post(client: Any, body: Any, headers: dict[str, str] | None = None) -> Any:
    return client.post(URL, json=body, headers=AUTH if headers is None else headers)


def test_a_valid_body_gets_a_session_with_defaults_and_a_secret(client, sessions_op) -> None:
    before = int(time.time())
    body = {"model": "gpt-4o-mini-realtime-preview", "voice": "verse", "temperature": 0.7}
    response = _post(client, body)
    assert response.status_code == 200
    data = response.get_json()
    Draft202012Validator(sessions_op.response_schema).validate(data)
    assert data["id"].startswith("sess_") and data["object"] == "realtime.session"
    assert data["client_secret"]["value"].startswith("ek_")
    assert before + 60 <= data["client_secret"]["expires_at"] <= int(time.time()) + 60
    assert {k: data[k] for k in body} == body
    properties = sessions_op.request_schema["properties"]
    for name, schema in properties.items():
        if name not in body and "default" in schema:
            assert data[name] == schema["default"], name
    assert response.headers["x-request-id"].startswith("req_")
    assert list(data)[:2] == ["id", "object"]


def test_expires_after_sets_the_expiry(client) -> None:
    body = {"client_secret": {"expires_after": {"anchor": "created_at", "seconds": 600}}}
    data = _post(client, body).get_json()
    assert 590 <= data["client_secret"]["expires_at"] - int(time.time()) <= 600
    assert "expires_after" not in data["client_secret"]


def test_nested_defaults_are_filled_from_the_schema(client, sessions_op) -> None:
    data = _post(client, {"turn_detection": {"type": "server_vad", "threshold": 0.3}}).get_json()
    declared = sessions_op.request_schema["properties"]["turn_detection"]["properties"]
    assert data["turn_detection"]["threshold"] == 0.3
    assert (
        data["turn_detection"]["silence_duration_ms"] == declared["silence_duration_ms"]["default"]
    )


def test_an_invalid_body_gets_an_openai_error_naming_the_param(client, sessions_op) -> None:
    response = _post(client, {"temperature": 5})
    assert response.status_code == 400
    data = response.get_json()
    Draft202012Validator(sessions_op.error_schema).validate(data)
    error = data["error"]
    assert error["type"] == "invalid_request_error" and error["param"] == "temperature"
    assert "temperature" in error["message"] and "0.6" in error["message"]
    assert error["code"] == "invalid_value"


def test_an_unknown_parameter_is_named(client) -> None:
    error = _post(client, {"colour": "blue"}).get_json()["error"]
    assert error["param"] == "colour" and error["code"] == "unknown_parameter"


def test_a_nested_param_is_dotted(client) -> None:
    error = _post(client, {"turn_detection": {"type": "server_vad", "threshold": 2}}).get_json()
    assert error["error"]["param"] == "turn_detection.threshold"


@pytest.mark.parametrize(
    ("session", "param", "code", "words"),
    [
        (
            {"audio": {"input": {"turn_detection": {"type": "semantic_vad", "threshold": 0.5}}}},
            "session.audio.input.turn_detection.threshold",
            "unknown_parameter",
            "Unknown parameter",
        ),
        (
            {"tools": [{"type": "mcp", "server_label": "docs"}]},
            "session.tools.0.server_url",
            "invalid_value",
            "server_url, connector_id or tunnel_id",
        ),
    ],
)
def test_a_ga_error_inside_nested_unions_names_its_exact_param(
    client, session, param, code, words
) -> None:
    op = all_operations()["client-secrets"]
    body = {"session": {"type": "realtime", **session}}
    response = client.post("/mock/v1" + op.path, json=body, headers=AUTH)
    assert response.status_code == 400
    data = response.get_json()
    Draft202012Validator(op.error_schema).validate(data)
    error = data["error"]
    assert (error["param"], error["code"]) == (param, code)
    assert words in error["message"] and param in error["message"]
    assert '"function"' not in error["message"] and "server_vad" not in error["message"]


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer "}, {"Authorization": "Basic dTpw"}]
)
def test_no_bearer_key_is_a_401(client, headers, sessions_op) -> None:
    response = _post(client, {}, headers)
    assert response.status_code == 401
    data = response.get_json()
    Draft202012Validator(sessions_op.error_schema).validate(data)
    assert "API key" in data["error"]["message"]


def test_a_body_that_is_not_json_is_a_400(client) -> None:
    response = client.post(URL, data="{not json", headers=AUTH, content_type="application/json")
    assert (
        response.status_code == 400 and "parse the JSON" in response.get_json()["error"]["message"]
    )


@pytest.mark.parametrize(
    "data",
    [
        '{"temperature": NaN}',
        '{"instructions": "\\ud800"}',
        '{"a": ' + "[" * 5000 + "]" * 5000 + "}",
    ],
)
def test_json_the_api_would_refuse_is_a_400_not_a_crash_or_an_echo(
    client, data, sessions_op
) -> None:
    """Deep nesting was a 500; NaN was echoed back in an answer that was not JSON."""
    response = client.post(URL, data=data, headers=AUTH, content_type="application/json")
    assert response.status_code == 400
    Draft202012Validator(sessions_op.error_schema).validate(response.get_json())


def test_a_wrong_method_or_an_oversized_body_is_answered_in_json(client, sessions_op) -> None:
    wrong = client.get(URL, headers=AUTH)
    large = client.post(URL, data="x" * 600_000, headers=AUTH, content_type="application/json")
    base = client.post("/mock/v1", headers=AUTH)  # the prefix itself (was the HTML error page)
    for response, status in ((wrong, 405), (large, 413), (base, 404)):
        assert response.status_code == status and response.is_json
        Draft202012Validator(sessions_op.error_schema).validate(response.get_json())
    assert client.get("/preview").status_code == 405  # the page's own routes are unchanged


def test_every_operation_has_its_mock_route(app) -> None:
    rules = {(r.rule, tuple(sorted(r.methods - {"OPTIONS"}))) for r in app.url_map.iter_rules()}
    for op in all_operations().values():
        assert ("/mock/v1" + op.path, (op.method,)) in rules


def test_the_mock_can_be_switched_off() -> None:
    client = create_app(
        {"TESTING": True, "MOCK_ENABLED": False, "WTF_CSRF_ENABLED": False}
    ).test_client()
    assert client.post(URL, json={}, headers=AUTH).status_code == 404


def test_the_mock_answer_validates_for_every_operation(smallest_body) -> None:
    for op in all_operations().values():
        data = success(op, smallest_body(op), now=1_000)
        Draft202012Validator(op.response_schema).validate(data)


def test_with_defaults_leaves_given_values_and_fills_the_rest() -> None:
    schema = {
        "type": "object",
        "properties": {
            "a": {"type": "integer", "default": 1},
            "b": {"type": "object", "properties": {"c": {"type": "string", "default": "x"}}},
            "d": {"oneOf": [{"type": "string"}, {"type": "object", "properties": {}}]},
        },
    }
    root = walk(schema)
    assert with_defaults(root, {"b": {}, "d": "y"}) == {"b": {"c": "x"}, "d": "y", "a": 1}
    assert with_defaults(root, {"a": 5}) == {"a": 5}


def test_ttl_comes_from_the_schema_default(sessions_op) -> None:
    assert ttl_seconds(sessions_op.request_schema, {}) == 60
    body = {"client_secret": {"expires_after": {"anchor": "created_at", "seconds": 30}}}
    assert ttl_seconds(sessions_op.request_schema, body) == 30


def test_send_reaches_the_mock_over_real_http(live_server) -> None:
    """The page's server sends to its own mock: the path a new user takes first."""
    app = live_server.server.app
    client = app.test_client()
    gateway = quote(live_server.url + "/mock/v1")
    headers = {"X-Playground-Gateway": gateway, "X-Playground-Key": "sk-local"}
    html = client.post("/send", data={"op": "sessions", "voice": "ash"}, headers=headers)
    text = html.get_data(as_text=True)
    assert "200 OK" in text and "ek_" in text and "sess_" in text
    start = text.index('data-testid="response-body">') + len('data-testid="response-body">')
    data = json.loads(unescape(text[start : text.index("</pre>", start)]))
    assert data["voice"] == "ash"
    missing = client.post(
        "/send", data={"op": "sessions"}, headers={"X-Playground-Gateway": gateway}
    )
    assert "401 UNAUTHORIZED" in missing.get_data(as_text=True).upper()


@pytest.mark.parametrize("op", list(all_operations().values()), ids=lambda op: op.id)
def test_every_operation_is_answered_over_its_own_path(client, op, smallest_body) -> None:
    before = int(time.time())
    body = smallest_body(op)
    response = client.post("/mock/v1" + op.path, json=body, headers=AUTH)
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    Draft202012Validator(op.response_schema).validate(data)
    secret = data.get("client_secret", data)
    assert secret["value"].startswith("ek_")
    ttl = ttl_seconds(op.request_schema, body)
    assert before + ttl <= secret["expires_at"] <= int(time.time()) + ttl
    assert client.post("/mock/v1" + op.path, json=body).status_code == 401


def test_a_ga_transcription_secret_names_its_session_kind() -> None:
    op = all_operations()["client-secrets"]
    body = {"session": {"type": "transcription"}}
    data = success(op, body, now=1_000)
    Draft202012Validator(op.response_schema).validate(data)
    assert data["session"]["object"] == "realtime.transcription_session"
    assert data["expires_at"] == 1_000 + ttl_seconds(op.request_schema, body)


TRANSLATION_ERRORS = [
    ({}, "session", "invalid_value", "Required"),
    ({"session": {}}, "session.model", "invalid_value", "Required"),
    (
        {"session": {"model": "m", "audio": {"input": {"noise_reduction": {"type": "mid"}}}}},
        "session.audio.input.noise_reduction.type",
        "invalid_value",
        "far_field",
    ),
    ({"session": {"type": "realtime"}}, "session.type", "unknown_parameter", "Unknown parameter"),
    (
        {"session": {"model": "m"}, "expires_after": {"seconds": 5}},
        "expires_after.seconds",
        "invalid_value",
        "7200",
    ),
]


@pytest.mark.parametrize(("body", "param", "code", "words"), TRANSLATION_ERRORS)
def test_a_bad_translation_body_gets_a_400_naming_its_param(
    client, translation_op, body, param, code, words
) -> None:
    """A GA client-secrets body sent here, or a missing model, is refused like the API would."""
    response = client.post("/mock/v1" + translation_op.path, json=body, headers=AUTH)
    assert response.status_code == 400
    data = response.get_json()
    Draft202012Validator(translation_op.error_schema).validate(data)
    assert (data["error"]["param"], data["error"]["code"]) == (param, code)
    assert words in data["error"]["message"]


def test_a_translation_secret_echoes_its_session_and_parses_as_the_sdk_type(
    client, translation_op
) -> None:
    """The answer is what the openai SDK's response type reads, with the session as asked
    (and the noise-reduction strength the API starts with)."""
    types = pytest.importorskip("openai.types.realtime")
    session = {
        "model": "gpt-realtime-translate",
        "audio": {"input": {"noise_reduction": {"type": "near_field"}, "transcription": None}},
    }
    body = {"expires_after": {"anchor": "created_at", "seconds": 120}, "session": session}
    before = int(time.time())
    data = client.post("/mock/v1" + translation_op.path, json=body, headers=AUTH).get_json()
    Draft202012Validator(translation_op.response_schema).validate(data)
    parsed = types.RealtimeTranslationClientSecretCreateResponse.model_validate(data)
    assert parsed.value.startswith("ek_") and parsed.session.id.startswith("sess_")
    assert before + 120 <= parsed.expires_at <= int(time.time()) + 120
    assert parsed.session.type == "translation"
    assert parsed.session.model == "gpt-realtime-translate"
    assert data["session"]["audio"]["input"] == {
        "noise_reduction": {"type": "near_field", "strength": 1},
        "transcription": None,
    }
    assert "expires_after" not in data["session"]


def test_a_translation_answer_fills_what_its_response_requires(translation_op) -> None:
    """Without audio in the request the session still carries ``audio`` and ``expires_at``,
    which the response schema (as the SDK's type) requires."""
    data = success(translation_op, {"session": {"model": "m"}}, now=1_000)
    Draft202012Validator(translation_op.response_schema).validate(data)
    assert data["session"]["audio"] == {}
    assert data["session"]["expires_at"] == data["expires_at"] == 1_600
