"""How a JSON key reads as words, for a field's label when its schema gives no title."""

from __future__ import annotations

#: Words of a key written as a person reads them (a unit goes in brackets).
_WORDS = {"id": "ID", "url": "URL", "mcp": "MCP", "vad": "VAD", "api": "API", "ms": "(ms)"}


def readable_key(key: str) -> str:
    """Give a JSON key as words: ``silence_duration_ms`` -> "Silence duration (ms)"."""
    words = [_WORDS.get(word, word) for word in key.replace("-", "_").split("_") if word]
    text = " ".join(words)
    return text[:1].upper() + text[1:]
