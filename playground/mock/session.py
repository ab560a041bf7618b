"""The session of a mock call: its effective view, its updates, and turn detection on mic audio.

No Flask and no WebRTC here: :mod:`playground.mock.call_peer` feeds this module what the data
channel and the microphone bring. The effective session is what ``session.created`` shows: the
defaults the API fills (from the operation document's ``default``s and, where the document has
none, the reference's effective view: voice ``alloy``, PCM 24 kHz, server VAD), the request
merged over them.

Turn detection level scale: a 20 ms frame is *speech* when its RMS level, in dB relative to full
scale, is above ``-70 + 60 × threshold`` dBFS. So threshold 0 hears anything over -70 dBFS (room
noise), the default 0.5 needs -40 dBFS (quiet speech), 1.0 needs -10 dBFS (shouting into the
mic). ``semantic_vad`` is treated as server VAD at threshold 0.5 with a silence that follows its
eagerness.
"""

from __future__ import annotations

import copy
import math
import operator
import secrets
from dataclasses import dataclass, field
from typing import Any

from playground.mock.responses import with_defaults
from playground.model.schema import Node
from playground.model.validation import validate_body

#: What the API fills in a realtime session beyond the document's own ``default``s (the
#: reference's effective view, ``ga-client-secrets-parameters.md`` §5).
_REALTIME_BASE: dict[str, Any] = {
    "type": "realtime",
    "model": "gpt-realtime",
    "output_modalities": ["audio"],
    "instructions": "You are the playground's offline mock: you repeat what you heard.",
    "tools": [],
    "tool_choice": "auto",
    "max_output_tokens": "inf",
    "truncation": "auto",
    "tracing": None,
    "prompt": None,
    "audio": {
        "input": {
            "format": {"type": "audio/pcm", "rate": 24000},
            "transcription": None,
            "noise_reduction": None,
            "turn_detection": {"type": "server_vad"},
        },
        "output": {"format": {"type": "audio/pcm", "rate": 24000}, "voice": "alloy", "speed": 1.0},
    },
}
_TRANSCRIPTION_BASE: dict[str, Any] = {
    "type": "transcription",
    "audio": copy.deepcopy({"input": _REALTIME_BASE["audio"]["input"]}),
}
_OBJECTS = {"realtime": "realtime.session", "transcription": "realtime.transcription_session"}
#: Silence ending a turn under ``semantic_vad``, by eagerness (it waits longer when low).
_EAGER_SILENCE_MS = {"low": 1000, "medium": 500, "auto": 500, "high": 250}


def new_id(prefix: str) -> str:
    """Give an id shaped like the API's (``sess_…``, ``item_…``, ``resp_…``)."""
    return prefix + secrets.token_urlsafe(15).replace("-", "A").replace("_", "B")


def merged(base: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """Give ``update`` merged over ``base``: objects key by key, except a tagged object below the
    top (one with ``type``: a format, a turn detection, a tool choice), which replaces what was
    there, as a different branch of a union keeps none of the old branch's keys."""
    out = copy.deepcopy(base)
    for key, value in update.items():
        if isinstance(value, dict) and "type" not in value and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


@dataclass(frozen=True)
class SessionRules:
    """How one operation's sessions are checked and completed (its request schema and tree)."""

    schema: dict[str, Any]  # the operation's request body schema, ``session`` inside it
    root: Node

    def problems(self, session: dict[str, Any]) -> dict[str, str]:
        """Give ``{param: message}`` for what is wrong with ``session`` (params ``session.…``)."""
        return validate_body(self.schema, self.root, {"session": session})

    def effective(
        self, session: dict[str, Any], session_id: str, expires_at: int = 0
    ) -> dict[str, Any]:
        """Give the session as ``session.created`` shows it: defaults filled, ids added, and
        when it ends (``expires_at``, Unix seconds)."""
        kind = session.get("type")
        base = {"realtime": _REALTIME_BASE, "transcription": _TRANSCRIPTION_BASE}.get(str(kind))
        full = merged(base, session) if base else copy.deepcopy(session)
        full = with_defaults(self.root, {"session": full})["session"]
        head = {"object": _OBJECTS.get(str(kind), "realtime.session"), "id": session_id}
        return {**head, **full, "expires_at": expires_at, "include": full.get("include")}


@dataclass(frozen=True)
class TurnSettings:
    """Turn detection as the session configures it (None when it is off)."""

    threshold_dbfs: float
    prefix_padding_ms: int
    silence_duration_ms: int
    create_response: bool
    interrupt_response: bool


def level_dbfs(threshold: float) -> float:
    """Give the frame level (dBFS) a VAD ``threshold`` in 0..1 stands for (see module doc)."""
    return -70.0 + 60.0 * min(1.0, max(0.0, threshold))


def turn_settings(session: dict[str, Any]) -> TurnSettings | None:
    """Give the turn detection of an effective session, or None when it has none."""
    detection = session.get("audio", {}).get("input", {}).get("turn_detection")
    if not isinstance(detection, dict):
        return None
    semantic = detection.get("type") == "semantic_vad"
    silence = _EAGER_SILENCE_MS.get(str(detection.get("eagerness", "auto")), 500)
    return TurnSettings(
        threshold_dbfs=level_dbfs(0.5 if semantic else float(detection.get("threshold", 0.5))),
        prefix_padding_ms=0 if semantic else int(detection.get("prefix_padding_ms", 300)),
        silence_duration_ms=silence if semantic else int(detection.get("silence_duration_ms", 500)),
        create_response=bool(detection.get("create_response", True)),
        interrupt_response=bool(detection.get("interrupt_response", True)),
    )


def rms_dbfs(pcm: bytes) -> float:
    """Give the RMS level in dBFS of signed 16-bit little-endian PCM (-inf for silence)."""
    samples = memoryview(pcm).cast("h") if len(pcm) % 2 == 0 else memoryview(pcm[:-1]).cast("h")
    if not len(samples):
        return -math.inf
    power = sum(map(operator.mul, samples, samples)) / len(samples)
    return 10 * math.log10(power / (32768.0 * 32768.0)) if power else -math.inf


@dataclass
class VoiceActivity:
    """Speech start and stop from frame levels, as server VAD does it: speech starts at the first
    loud frame (reported ``prefix_padding_ms`` earlier) and stops after ``silence_duration_ms``
    of quiet frames."""

    settings: TurnSettings
    heard_ms: float = 0.0  # all mic audio so far, the clock of ``audio_start_ms``
    speaking: bool = False
    started_ms: float = 0.0
    quiet_ms: float = 0.0
    changes: list[tuple[str, int]] = field(default_factory=list)

    def feed(self, dbfs: float, duration_ms: float) -> tuple[str, int] | None:
        """Give ``("started", audio_start_ms)`` or ``("stopped", audio_end_ms)`` when this frame
        changes the state, else None."""
        loud = dbfs > self.settings.threshold_dbfs
        self.heard_ms += duration_ms
        change: tuple[str, int] | None = None
        if not self.speaking and loud:
            self.speaking, self.quiet_ms = True, 0.0
            self.started_ms = max(
                0.0, self.heard_ms - duration_ms - self.settings.prefix_padding_ms
            )
            change = ("started", int(self.started_ms))
        elif self.speaking and not loud:
            self.quiet_ms += duration_ms
            if self.quiet_ms >= self.settings.silence_duration_ms:
                self.speaking = False
                change = ("stopped", int(self.heard_ms))
        elif self.speaking:
            self.quiet_ms = 0.0
        if change:
            self.changes.append(change)
        return change
