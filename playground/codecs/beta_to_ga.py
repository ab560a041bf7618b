"""Convert a beta ``POST /realtime/sessions`` body to a GA ``POST /realtime/client_secrets`` body.

The mapping follows the reference table (beta key -> GA path). Whatever has no GA equivalent, and
every default that differs, is reported as a :class:`Note`: nothing is dropped or changed silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FORMATS: dict[str, dict[str, str | int]] = {
    "pcm16": {"type": "audio/pcm", "rate": 24000},
    "g711_ulaw": {"type": "audio/pcmu"},
    "g711_alaw": {"type": "audio/pcma"},
}
TOOL_CHOICE_MODES = ("auto", "none", "required")
VAD_KEYS = {
    "server_vad": (
        "threshold",
        "prefix_padding_ms",
        "silence_duration_ms",
        "create_response",
        "interrupt_response",
    ),
    "semantic_vad": ("eagerness", "create_response", "interrupt_response"),
}
BETA_KEY_SECONDS = 60
GA_KEY_SECONDS = 600


@dataclass(frozen=True)
class Note:
    """One beta setting that was not carried over, or a default that differs in GA."""

    path: str
    message: str
    kind: str = "not carried"  # or "default differs", "changed"


@dataclass
class Migration:
    """The GA body and the notes on what the conversion could not carry exactly."""

    body: dict[str, Any]
    notes: list[Note] = field(default_factory=list)


def migrate(beta: dict[str, Any]) -> Migration:
    """Give the GA client-secrets body for a (valid) beta session body, with its notes."""
    session: dict[str, Any] = {"type": "realtime"}
    out: dict[str, Any] = {}
    notes: list[Note] = []
    audio_in: dict[str, Any] = {}
    audio_out: dict[str, Any] = {}

    for key, value in beta.items():
        if key == "modalities":
            _modalities(value, session, notes)
        elif key in ("model", "instructions", "tools", "tracing", "truncation", "prompt"):
            session[key] = value
        elif key == "voice":
            audio_out["voice"] = value
        elif key == "speed":
            audio_out["speed"] = value
        elif key in ("input_audio_format", "output_audio_format"):
            if value in FORMATS:
                (audio_in if key.startswith("input") else audio_out)["format"] = dict(
                    FORMATS[value]
                )
            else:
                notes.append(Note(key, f"{key} {value!r} is not a beta format; not carried."))
        elif key in ("input_audio_transcription", "input_audio_noise_reduction", "turn_detection"):
            if value is not None and not isinstance(value, dict):
                notes.append(Note(key, f"{key} must be an object or null; not carried."))
            elif key == "turn_detection":
                audio_in["turn_detection"] = _turn_detection(value, notes)
            else:
                name = "transcription" if key == "input_audio_transcription" else "noise_reduction"
                audio_in[name] = None if value is None else dict(value)
        elif key == "tool_choice":
            session["tool_choice"] = (
                value if value in TOOL_CHOICE_MODES else {"type": "function", "name": value}
            )
        elif key == "max_response_output_tokens":
            session["max_output_tokens"] = value
        elif key == "temperature":
            notes.append(
                Note(
                    "temperature",
                    f"temperature {value} has no GA equivalent: the GA "
                    "API refuses it (Unknown parameter 'session.temperature').",
                )
            )
        elif key == "client_secret":
            if not isinstance(value, dict):
                notes.append(Note(key, "client_secret must be an object; not carried."))
            expires = value.get("expires_after") if isinstance(value, dict) else None
            if isinstance(expires, dict):
                out["expires_after"] = dict(expires)
        else:
            notes.append(Note(key, f"{key} is not a beta session parameter; not carried."))

    audio: dict[str, Any] = {}
    if audio_in:
        audio["input"] = audio_in
    if audio_out:
        audio["output"] = audio_out
    if audio:
        session["audio"] = audio
    if "expires_after" not in out:
        notes.append(
            Note(
                "client_secret.expires_after",
                f"A GA key lives {GA_KEY_SECONDS} s unless told, a beta key {BETA_KEY_SECONDS} s: "
                f"set expires_after.seconds to {BETA_KEY_SECONDS} to keep the beta lifetime.",
                "default differs",
            )
        )
    elif "seconds" not in out["expires_after"]:
        notes.append(
            Note(
                "client_secret.expires_after.seconds",
                f"Without seconds a GA key lives {GA_KEY_SECONDS} s, "
                f"a beta key {BETA_KEY_SECONDS} s.",
                "default differs",
            )
        )
    out["session"] = session
    return Migration(body=out, notes=notes)


def _modalities(value: Any, session: dict[str, Any], notes: list[Note]) -> None:
    if not isinstance(value, list) or not value:
        notes.append(Note("modalities", f"modalities {value!r} has no GA meaning; not carried."))
    elif "audio" in value:
        session["output_modalities"] = ["audio"]
        if "text" in value:
            notes.append(
                Note(
                    "modalities",
                    f"modalities {_list(value)}: GA cannot ask for text and audio together; "
                    'output_modalities is ["audio"], whose replies carry a transcript.',
                    "changed",
                )
            )
    else:
        session["output_modalities"] = ["text"]


def _turn_detection(value: dict[str, Any] | None, notes: list[Note]) -> dict[str, Any] | None:
    if value is None:
        return None
    kind = value.get("type", "server_vad")
    converted: dict[str, Any] = {"type": kind}
    for key, item in value.items():
        if key == "type":
            continue
        if key in VAD_KEYS.get(kind, ()):
            converted[key] = item
        else:
            notes.append(
                Note(
                    f"turn_detection.{key}",
                    f"turn_detection.{key} does not belong to {kind} in GA (which refuses it); "
                    "not carried.",
                )
            )
    return converted


def _list(value: list[str]) -> str:
    return "[" + ", ".join(value) + "]"
