"""Validation messages: each names what is wrong and what is allowed."""

from __future__ import annotations

import pytest

from playground.model.nodes import Node
from playground.model.operations import Operation, get_operation
from playground.model.validation import broken_rules, validate_body

CASES = [
    ({"temperature": 1.5}, "temperature", "Must be a number from 0.6 to 1.2; got 1.5."),
    ({"speed": 0.1}, "speed", "Must be a number from 0.25 to 1.5; got 0.1."),
    (
        {"max_response_output_tokens": 5000},
        "max_response_output_tokens",
        "Must be a whole number from 1 to 4096; got 5000.",
    ),
    (
        {"max_response_output_tokens": "lots"},
        "max_response_output_tokens",
        'Must be "inf"; got "lots".',
    ),
    (
        {"input_audio_format": "mp3"},
        "input_audio_format",
        'Must be one of "pcm16", "g711_ulaw", "g711_alaw"; got "mp3".',
    ),
    ({"modalities": ["text", "text"]}, "modalities", "Each value may appear only once."),
    (
        {"turn_detection": {"type": "server_vad", "eagerness": "high"}},
        "turn_detection.eagerness",
        'Applies only when type is "semantic_vad"; type is "server_vad".',
    ),
    (
        {"turn_detection": {"eagerness": "high"}},
        "turn_detection.eagerness",
        'Applies only when type is "semantic_vad"; type is "server_vad" (its default).',
    ),
    (
        {"turn_detection": {"type": "semantic_vad", "silence_duration_ms": 500}},
        "turn_detection.silence_duration_ms",
        'Applies only when type is "server_vad"; type is "semantic_vad".',
    ),
    ({"modalities": ["video"]}, "modalities.0", 'Must be one of "text", "audio"; got "video".'),
    (
        {"turn_detection": {"threshold": 2}},
        "turn_detection.threshold",
        "Must be a number from 0 to 1; got 2.",
    ),
    ({"turn_detection": "on"}, "turn_detection", 'Must be an object or null; got "on".'),
    (
        {"client_secret": {"expires_after": {"seconds": 5}}},
        "client_secret.expires_after.anchor",
        "Required.",
    ),
    (
        {"client_secret": {"expires_after": {"anchor": "created_at", "seconds": 5}}},
        "client_secret.expires_after.seconds",
        "Must be a whole number from 10 to 7200; got 5.",
    ),
    ({"bogus": 1}, "bogus", "Unknown parameter 'bogus'."),
    ({"tools": [{"type": "function"}]}, "tools.0.name", "Required."),
    ({"tools": [{"name": ""}]}, "tools.0.name", "Must not be empty."),
    (
        {"tools": [{"name": "a"}, {"name": "a"}]},
        "tools.1.name",
        'Tool 1 already uses the name "a".',
    ),
    (
        {"tools": [{"name": "a"}], "tool_choice": "b"},
        "tool_choice",
        'No function named "b" in tools (defined: "a"); name one of them or use auto, none, required.',
    ),
    ({"tracing": {"workflow_name": 3}}, "tracing.workflow_name", "Must be text; got 3."),
    ({"tracing": "sometimes"}, "tracing", 'Must be "auto"; got "sometimes".'),
    ({"temperature": True}, "temperature", "Must be a number; got true."),
]


@pytest.mark.parametrize(("body", "path", "message"), CASES)
def test_each_problem_has_its_message(sessions_op, body, path, message) -> None:
    errors = validate_body(sessions_op.request_schema, sessions_op.root, body)
    assert errors.get(path) == message, errors


def _realtime(**session: object) -> dict[str, object]:
    return {"session": {"type": "realtime", **session}}


def _turn_detection(value: object) -> dict[str, object]:
    return _realtime(audio={"input": {"turn_detection": value}})


# The GA operation nests unions told apart by ``type``: a message comes from the branch the
# value's tag names, at the real path inside it, or lists every tag when it names none.
GA_CASES = [
    (
        _turn_detection({"type": "semantic_vad", "threshold": 0.5}),
        "session.audio.input.turn_detection.threshold",
        "Unknown parameter 'threshold' for type \"semantic_vad\".",
    ),
    (
        _turn_detection({"type": "server_vad", "eagerness": "low"}),
        "session.audio.input.turn_detection.eagerness",
        "Unknown parameter 'eagerness' for type \"server_vad\".",
    ),
    (
        _turn_detection({"type": "server_vad", "threshold": 2}),
        "session.audio.input.turn_detection.threshold",
        "Must be a number from 0 to 1; got 2.",
    ),
    (
        _turn_detection({"type": "loud"}),
        "session.audio.input.turn_detection.type",
        'Must be one of "server_vad", "semantic_vad"; got "loud".',
    ),
    (_turn_detection({"threshold": 0.5}), "session.audio.input.turn_detection.type", "Required."),
    (
        _realtime(tools=[{"type": "mcp", "server_label": "docs"}]),
        "session.tools.0.server_url",
        "One of server_url, connector_id or tunnel_id is required.",
    ),
    (
        _realtime(tools=[{"type": "mcp", "server_url": "https://mcp.example.com"}]),
        "session.tools.0.server_label",
        "Required.",
    ),
    (
        _realtime(tools=[{"type": "mcp", "server_label": "d", "connector_id": "connector_x"}]),
        "session.tools.0.connector_id",
        'Must be one of "connector_dropbox", "connector_gmail", "connector_googlecalendar",'
        ' "connector_googledrive", "connector_microsoftteams", "connector_outlookcalendar",'
        ' "connector_outlookemail", "connector_sharepoint"; got "connector_x".',
    ),
    (
        _realtime(tools=[{"type": "webhook"}]),
        "session.tools.0.type",
        'Must be one of "function", "mcp"; got "webhook".',
    ),
    (_realtime(tool_choice={"type": "mcp"}), "session.tool_choice.server_label", "Required."),
    (_realtime(tool_choice={"type": "function"}), "session.tool_choice.name", "Required."),
    (
        {"session": {"type": "bogus"}},
        "session.type",
        'Must be one of "realtime", "transcription"; got "bogus".',
    ),
    ({"session": {}}, "session.type", "Required."),
    (
        {"session": {"type": "transcription", "model": "gpt-realtime"}},
        "session.model",
        "Unknown parameter 'model' for type \"transcription\".",
    ),
    (
        _realtime(audio={"input": {"format": {"type": "audio/pcm", "rate": 16000}}}),
        "session.audio.input.format.rate",
        "Must be 24000; got 16000.",
    ),
    (
        _realtime(output_modalities=["audio", "text"]),
        "session.output_modalities",
        "At most 1 item is allowed.",
    ),
    (
        {"expires_after": {"seconds": 5}},
        "expires_after.seconds",
        "Must be a whole number from 10 to 7200; got 5.",
    ),
]


@pytest.fixture(scope="module")
def ga_op() -> Operation:
    return get_operation("client-secrets")


@pytest.mark.parametrize(("body", "path", "message"), GA_CASES)
def test_each_ga_problem_has_its_message(ga_op, body, path, message) -> None:
    errors = validate_body(ga_op.request_schema, ga_op.root, body)
    assert errors.get(path) == message, errors


def test_a_tagged_branch_reports_all_its_problems_and_no_other_branch(ga_op) -> None:
    errors = validate_body(ga_op.request_schema, ga_op.root, _realtime(tools=[{"type": "mcp"}]))
    assert errors == {
        "session.tools.0.server_label": "Required.",
        "session.tools.0.server_url": "One of server_url, connector_id or tunnel_id is required.",
    }


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"session": {"type": "transcription", "audio": {"input": {"turn_detection": None}}}},
        _turn_detection({"type": "semantic_vad", "eagerness": "high"}),
        _realtime(
            tools=[
                {"type": "function", "name": "lookup"},
                {"type": "mcp", "server_label": "d", "connector_id": "connector_gmail"},
            ],
            tool_choice={"type": "mcp", "server_label": "d", "name": None},
        ),
    ],
)
def test_valid_ga_bodies_have_no_errors(ga_op, body) -> None:
    assert validate_body(ga_op.request_schema, ga_op.root, body) == {}


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"tool_choice": "auto"},
        {"tools": [{"name": "lookup"}], "tool_choice": "lookup"},
        {"turn_detection": None, "tracing": None, "input_audio_noise_reduction": None},
        {"tracing": "auto", "max_response_output_tokens": "inf", "voice": "a-new-voice"},
    ],
)
def test_valid_bodies_have_no_errors(sessions_op, body) -> None:
    assert validate_body(sessions_op.request_schema, sessions_op.root, body) == {}


def test_every_problem_is_reported_at_once(sessions_op) -> None:
    errors = validate_body(
        sessions_op.request_schema, sessions_op.root, {"temperature": 9, "speed": 9, "x": 1}
    )
    assert set(errors) == {"temperature", "speed", "x"}


def _tools(*names: str) -> list[dict[str, object]]:
    return [{"type": "function", "name": name} for name in names]


#: Bodies breaking the rules the schemas declare as data, at every depth they are declared.
RULE_BREAKING = [
    ("sessions", {"tools": [{"name": "a"}, {"name": "a"}], "tool_choice": "b"}),
    ("sessions", {"turn_detection": {"type": "server_vad", "eagerness": "high"}, "x": [1]}),
    ("sessions", {"turn_detection": {"eagerness": "low", "silence_duration_ms": 9}}),
    ("client-secrets", _realtime(tools=_tools("a", "b", "a", "b"), tool_choice="c")),
    (
        "client-secrets",
        _realtime(
            tools=[
                *_tools("f", "f"),
                {"type": "mcp", "server_label": "s", "require_approval": {"never": {}}},
            ],
            tool_choice={"type": "function", "name": "g"},
        ),
    ),
]


@pytest.mark.parametrize(("op_id", "body"), RULE_BREAKING)
def test_the_rules_walk_leaves_out_only_what_declares_no_rule(
    op_id: str, body: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rules found entering only nodes with a rule within are those of the whole walk."""
    op = get_operation(op_id)
    found = list(broken_rules(op.root, body))
    assert found
    monkeypatch.setattr(Node, "rules_within", property(lambda node: True))
    assert list(broken_rules(op.root, body)) == found
