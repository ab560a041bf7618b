"""What a mock response costs, counted from what the mock heard and said (no Flask, no WebRTC).

The counts follow the API's published rates so that sums and per-turn figures look like the
real ones: text is a token per 4 characters, the user's audio a token per 100 ms, the
assistant's audio a token per 50 ms. A response's input is the whole conversation (the
instructions, the tools and every item); the part a previous response already had as input is
*cached*, as the API caches a conversation's unchanged prefix. ``rate_limits.updated`` counts
against the mock's own per-minute limits (:data:`REQUESTS_PER_MINUTE`,
:data:`TOKENS_PER_MINUTE`).
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from typing import Any

CHARS_PER_TOKEN = 4
USER_AUDIO_TOKENS_PER_SECOND = 10
ASSISTANT_AUDIO_TOKENS_PER_SECOND = 20
REQUESTS_PER_MINUTE = 5000
TOKENS_PER_MINUTE = 40000
_WINDOW_SECONDS = 60.0


def text_tokens(text: str) -> int:
    """Give the tokens of ``text`` (a token per 4 characters, rounded up)."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


@dataclass(frozen=True)
class Tokens:
    """A count of text and audio tokens."""

    text: int = 0
    audio: int = 0

    @property
    def total(self) -> int:
        """Give text and audio together."""
        return self.text + self.audio

    def __add__(self, other: Tokens) -> Tokens:
        return Tokens(self.text + other.text, self.audio + other.audio)

    def part(self, fraction: float) -> Tokens:
        """Give the share of these tokens that ``fraction`` (0..1) of the output took."""
        share = min(1.0, max(0.0, fraction))
        return Tokens(math.ceil(self.text * share), math.ceil(self.audio * share))


def spoken(seconds: float, assistant: bool = False) -> Tokens:
    """Give the audio tokens of ``seconds`` of speech (the user's or the assistant's)."""
    rate = ASSISTANT_AUDIO_TOKENS_PER_SECOND if assistant else USER_AUDIO_TOKENS_PER_SECOND
    return Tokens(audio=math.ceil(seconds * rate))


def context_tokens(session: dict[str, Any]) -> Tokens:
    """Give the tokens of what every response reads first: instructions and tools."""
    tools = session.get("tools") or []
    return Tokens(text_tokens(str(session.get("instructions") or "") + json.dumps(tools)))


def item_tokens(item: dict[str, Any]) -> Tokens:
    """Give the text tokens an item written as text holds (audio is counted where it is heard)."""
    if item.get("type") == "function_call":
        return Tokens(text_tokens(str(item.get("name", "")) + str(item.get("arguments", ""))))
    if item.get("type") == "function_call_output":
        return Tokens(text_tokens(str(item.get("output", ""))))
    parts = [p for p in item.get("content") or [] if isinstance(p, dict)]
    return Tokens(sum(text_tokens(str(p.get("text") or "")) for p in parts))


def usage(heard: Tokens, cached: Tokens, said: Tokens) -> dict[str, Any]:
    """Give a ``response.done`` ``usage`` object (the shape of the API's)."""
    cached = Tokens(min(cached.text, heard.text), min(cached.audio, heard.audio))
    return {
        "total_tokens": heard.total + said.total,
        "input_tokens": heard.total,
        "output_tokens": said.total,
        "input_token_details": {
            "text_tokens": heard.text,
            "audio_tokens": heard.audio,
            "image_tokens": 0,
            "cached_tokens": cached.total,
            "cached_tokens_details": {
                "text_tokens": cached.text,
                "audio_tokens": cached.audio,
                "image_tokens": 0,
            },
        },
        "output_token_details": {"text_tokens": said.text, "audio_tokens": said.audio},
    }


def transcription_usage(model: str, seconds: float, transcript: str) -> dict[str, Any]:
    """Give a transcription's ``usage``: by duration for ``whisper-1``, else by tokens."""
    if model == "whisper-1":
        return {"type": "duration", "seconds": round(seconds, 3)}
    heard, wrote = spoken(seconds).audio, text_tokens(transcript)
    return {
        "type": "tokens",
        "input_tokens": heard,
        "output_tokens": wrote,
        "total_tokens": heard + wrote,
        "input_token_details": {"text_tokens": 0, "audio_tokens": heard},
    }


@dataclass
class RateWindow:
    """The responses and tokens of the last minute, for ``rate_limits.updated``."""

    spent: list[tuple[float, int]] = field(default_factory=list)  # (monotonic time, tokens)

    def take(self, tokens: int, now: float | None = None) -> list[dict[str, Any]]:
        """Count one response of ``tokens`` and give the ``rate_limits`` it leaves."""
        now = time.monotonic() if now is None else now
        self.spent = [(at, n) for at, n in self.spent if now - at < _WINDOW_SECONDS]
        self.spent.append((now, tokens))
        reset = round(_WINDOW_SECONDS - (now - self.spent[0][0]), 3)
        used = sum(n for _, n in self.spent)
        return [
            {
                "name": "requests",
                "limit": REQUESTS_PER_MINUTE,
                "remaining": max(0, REQUESTS_PER_MINUTE - len(self.spent)),
                "reset_seconds": reset,
            },
            {
                "name": "tokens",
                "limit": TOKENS_PER_MINUTE,
                "remaining": max(0, TOKENS_PER_MINUTE - used),
                "reset_seconds": reset,
            },
        ]
