"""Validation messages: each names what is wrong and what is allowed."""

from __future__ import annotations

import pytest

from playground.validation import validate_body

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
