"""Characters that change how text reads without being seen: the one rule for what the page
shows by name and what every snippet writes as an escape.

Bidirectional controls (U+202A-202E, U+2066-2069, U+200E, U+200F, U+061C) reorder what follows
them, so ``"\u202eexe.txt"`` reads as ``txt.exe`` (Trojan Source); zero-width characters
(U+200B-200D, U+2060, U+FEFF) split or join words unseen; tag characters (U+E0000-E007F) and
variation selectors (U+FE00-FE0F, U+E0100-E01EF) draw nothing at all, so a run of them can
carry a whole hidden sentence ("ASCII smuggling"). :data:`HIDDEN` matches every format character
(Unicode category Cf), every bidirectional control and every default-ignorable code point
(variation selectors, tags, Hangul fillers, ...), assigned or not, as Unicode 16 lists them.

No Flask here: the page's filters (:mod:`playground.web.visible`) and the snippets' literal
writers (:mod:`playground.snippets.literals`) both use it.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: Every character that is not seen where it stands (Cf, Bidi_Control, Default_Ignorable), as
#: the inside of a regular expression's character class, for patterns that add their own.
HIDDEN_CLASS = (
    "\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff"
)
HIDDEN = re.compile(f"[{HIDDEN_CLASS}]")


def code_point(char: str) -> str:
    """Give how a hidden character is named where it is shown: ``<U+202E>``."""
    return f"<U+{ord(char):04X}>"


def named(text: str) -> str:
    """Give plain ``text`` (a message the browser shows as text) with each hidden character
    named: ``<U+202E>``."""
    return HIDDEN.sub(lambda match: code_point(match.group()), text)


def json_escape(char: str) -> str:
    """Give a character as JSON escapes (``\\u202e``; a UTF-16 surrogate pair past U+FFFF,
    the only way JSON writes one: ``\\udb40\\udc41`` for U+E0041)."""
    point = ord(char)
    if point < 0x10000:
        return f"\\u{point:04x}"
    point -= 0x10000
    return f"\\u{0xD800 + (point >> 10):04x}\\u{0xDC00 + (point & 0x3FF):04x}"


def json_escaped(text: str) -> str:
    """Give JSON text with each hidden character written as its escape: the same JSON value
    (outside its strings JSON text is ASCII, so every hidden character is inside one)."""
    return HIDDEN.sub(lambda match: json_escape(match.group()), text)


def unseen_in(value: Any) -> dict[str, int]:
    """Give the dotted path of each place in a JSON value (a string value, or an object key)
    that holds hidden characters, with how many it holds."""
    found: dict[str, int] = {}
    # JSON text writes every hidden character as it is (it escapes only ASCII): one search of it
    # spares the walk, a path per string, for the many bodies that hold none.
    if HIDDEN.search(json.dumps(value, ensure_ascii=False)):
        _count(value, "", found)
    return found


def _count(value: Any, path: str, found: dict[str, int]) -> None:
    if isinstance(value, str):
        count = len(HIDDEN.findall(value))
        if count:
            found[path] = found.get(path, 0) + count
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _count(item, f"{path}.{index}" if path else str(index), found)
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else key
            _count(key, inner, found)
            _count(item, inner, found)
