"""The smallest value a live update sends for a field, decided by the schema node: a union is
sent whole (its branch is told by all of it), an object with a tag or required keys whole, a
list whole, anything else alone."""

from __future__ import annotations

import pytest

from playground.model.form_names import json_path
from playground.model.update_paths import update_path


@pytest.mark.parametrize(
    ("field", "sent"),
    [
        # a union: threshold alone was refused ("turn_detection.type: Required")
        (
            "session:realtime.audio.input.turn_detection:server_vad.threshold",
            "audio.input.turn_detection",
        ),
        (
            "session:realtime.audio.input.turn_detection:semantic_vad.eagerness",
            "audio.input.turn_detection",
        ),
        ("session:realtime.audio.input.format:audio_pcm.rate", "audio.input.format"),
        # an object with a required key (the stored prompt's id)
        ("session:realtime.prompt.version", "prompt"),
        # a list is replaced by an update
        ("session:realtime.tools.0:function.name", "tools"),
        # nothing required on the way: the field alone
        (
            "session:realtime.audio.input.transcription.language",
            "audio.input.transcription.language",
        ),
        ("session:realtime.audio.output.speed", "audio.output.speed"),
        (
            "session:realtime.audio.input.noise_reduction.strength",
            "audio.input.noise_reduction.strength",
        ),
        ("session:realtime.instructions", "instructions"),
    ],
)
def test_update_paths_follow_the_schema_node(ga_op, field, sent) -> None:
    assert update_path(ga_op.root, field) == "session." + sent


def test_a_path_the_tree_does_not_have_is_its_own(ga_op) -> None:
    assert update_path(ga_op.root, "session:realtime.nothing.here") == json_path(
        "session:realtime.nothing.here"
    )
