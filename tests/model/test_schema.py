"""The walker: JSON Schema in, typed nodes out, for flat and nested (GA-shaped) schemas."""

from __future__ import annotations

import pytest

from playground.model.schema import (
    ArrayNode,
    BooleanNode,
    ConstNode,
    EnumListNode,
    JsonNode,
    NumberNode,
    ObjectNode,
    SchemaError,
    StringNode,
    UnionNode,
    iter_nodes,
    json_path,
    resolve_refs,
    walk,
)

EXPECTED_KINDS = {
    "modalities": EnumListNode,
    "model": StringNode,
    "instructions": StringNode,
    "voice": StringNode,
    "input_audio_format": StringNode,
    "output_audio_format": StringNode,
    "input_audio_transcription": ObjectNode,
    "turn_detection": ObjectNode,
    "input_audio_noise_reduction": ObjectNode,
    "tools": ArrayNode,
    "tool_choice": StringNode,
    "temperature": NumberNode,
    "max_response_output_tokens": UnionNode,
    "speed": NumberNode,
    "tracing": UnionNode,
    "client_secret": ObjectNode,
}


@pytest.mark.parametrize(("name", "kind"), list(EXPECTED_KINDS.items()))
def test_each_parameter_gets_its_kind_of_control(sessions_op, name, kind) -> None:
    node = sessions_op.fields.properties[name]
    assert type(node) is kind
    assert node.required is False


def test_open_enums_and_closed_enums(sessions_op) -> None:
    props = sessions_op.fields.properties
    assert props["voice"].open and "marin" in props["voice"].choices
    assert props["model"].open and "gpt-4o-realtime-preview" in props["model"].choices
    assert props["input_audio_format"].is_enum and not props["input_audio_format"].open
    assert props["tool_choice"].names_from == "tools"
    assert props["instructions"].multiline and not props["instructions"].choices


def test_nullable_objects_offer_three_modes(sessions_op) -> None:
    for name in ("turn_detection", "input_audio_transcription", "input_audio_noise_reduction"):
        node = sessions_op.fields.properties[name]
        assert [m for m, _ in node.modes()] == ["omit", "set", "null"]
    client_secret = sessions_op.fields.properties["client_secret"]
    assert client_secret.is_container  # nothing required, not nullable: fields shown at once
    assert not client_secret.properties["expires_after"].is_container  # anchor is required


def test_unions_have_a_branch_per_shape(sessions_op) -> None:
    tokens = sessions_op.fields.properties["max_response_output_tokens"]
    assert [b.key for b in tokens.branches] == ["integer", "inf"]
    assert isinstance(tokens.branches[0].node, NumberNode) and tokens.branches[0].node.integer
    assert isinstance(tokens.branches[1].node, ConstNode)
    tracing = sessions_op.fields.properties["tracing"]
    assert tracing.nullable
    assert [m for m, _ in tracing.modes()] == ["omit", "auto", "object", "null"]
    assert isinstance(tracing.branch("object").node.properties["metadata"], JsonNode)


def test_numbers_carry_their_range_and_step(sessions_op) -> None:
    temp = sessions_op.fields.properties["temperature"]
    assert (temp.minimum, temp.maximum, temp.step, temp.range_label) == (
        0.6,
        1.2,
        "any",
        "0.6 – 1.2",
    )
    seconds = sessions_op.fields.properties["client_secret"].properties["expires_after"]
    assert seconds.properties["seconds"].step == "1"
    assert isinstance(seconds.properties["anchor"], ConstNode)  # required, one value


def test_tools_rows_hold_objects_with_free_json_parameters(sessions_op) -> None:
    tools = sessions_op.fields.properties["tools"]
    assert isinstance(tools.item, ObjectNode)
    assert tools.item.properties["name"].required
    assert isinstance(tools.item.properties["parameters"], JsonNode)
    assert tools.item.properties["parameters"].expects_object
    assert isinstance(
        sessions_op.fields.properties["turn_detection"].properties["create_response"], BooleanNode
    )


# A GA-shaped schema: nested objects, oneOf discriminated by `type`, nullable leaves.
GA_LIKE = {
    "type": "object",
    "$defs": {
        "Format": {
            "oneOf": [
                {
                    "type": "object",
                    "properties": {
                        "type": {"const": "audio/pcm"},
                        "rate": {"type": "integer", "enum": [24000]},
                    },
                },
                {"type": "object", "properties": {"type": {"const": "audio/pcmu"}}},
            ]
        }
    },
    "properties": {
        "session": {
            "oneOf": [
                {
                    "type": "object",
                    "required": ["type"],
                    "properties": {
                        "type": {"const": "realtime"},
                        "audio": {
                            "type": "object",
                            "properties": {
                                "input": {
                                    "type": "object",
                                    "properties": {
                                        "format": {"$ref": "#/$defs/Format"},
                                        "turn_detection": {
                                            "oneOf": [
                                                {
                                                    "type": "object",
                                                    "required": ["type"],
                                                    "properties": {
                                                        "type": {"const": "server_vad"},
                                                        "create_response": {"type": "boolean"},
                                                        "idle_timeout_ms": {
                                                            "type": ["integer", "null"]
                                                        },
                                                    },
                                                },
                                                {
                                                    "type": "object",
                                                    "required": ["type"],
                                                    "properties": {
                                                        "type": {"const": "semantic_vad"},
                                                        "create_response": {"type": "boolean"},
                                                    },
                                                },
                                                {"type": "null"},
                                            ]
                                        },
                                    },
                                }
                            },
                        },
                    },
                },
                {
                    "type": "object",
                    "required": ["type"],
                    "properties": {"type": {"const": "transcription"}},
                },
            ]
        }
    },
}


def test_nested_discriminated_unions_are_walked() -> None:
    root = walk(resolve_refs(GA_LIKE, GA_LIKE))
    session = root.properties["session"]
    assert isinstance(session, UnionNode)
    assert session.discriminator == "type"
    assert [b.key for b in session.branches] == ["realtime", "transcription"]
    realtime = session.branch("realtime").node
    assert [n.name for n in realtime.visible()] == ["audio"]
    audio_in = realtime.properties["audio"].properties["input"]
    fmt = audio_in.properties["format"]
    assert isinstance(fmt, UnionNode) and [b.key for b in fmt.branches] == [
        "audio_pcm",
        "audio_pcmu",
    ]
    vad = audio_in.properties["turn_detection"]
    assert vad.nullable and [m for m, _ in vad.modes()] == [
        "omit",
        "server_vad",
        "semantic_vad",
        "null",
    ]
    idle = vad.branch("server_vad").node.properties["idle_timeout_ms"]
    assert isinstance(idle, NumberNode) and idle.nullable


def test_form_paths_keep_branches_apart_and_map_to_body_paths() -> None:
    root = walk(resolve_refs(GA_LIKE, GA_LIKE))
    paths = [p for p, _ in iter_nodes(root)]
    server = "session:realtime.audio.input.turn_detection:server_vad.create_response"
    semantic = "session:realtime.audio.input.turn_detection:semantic_vad.create_response"
    assert server in paths and semantic in paths
    assert (
        json_path(server)
        == json_path(semantic)
        == "session.audio.input.turn_detection.create_response"
    )


def test_unresolvable_ref_is_an_error() -> None:
    with pytest.raises(SchemaError):
        resolve_refs({"$ref": "https://example.com/x"}, {})
    with pytest.raises(SchemaError):
        resolve_refs({"$ref": "#/a"}, {"a": {"$ref": "#/a"}})
