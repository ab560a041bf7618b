"""Characters that change how text reads without being seen, made visible wherever the page
shows text a visitor or a gateway wrote.

Bidirectional controls (U+202A-202E, U+2066-2069, U+200E, U+200F, U+061C) reorder what follows
them, so ``"\u202eexe.txt"`` reads as ``txt.exe``; zero-width characters (U+200B-200D, U+2060,
U+FEFF, ...) split or join words unseen. Shown text gets each as ``<U+202E>`` (:func:`visible`,
the ``visible`` template filter); JSON a visitor copies gets each as its JSON escape
(:func:`json_text`): the same value, exact to copy, and nothing hidden.
"""

from __future__ import annotations

import json
import re
from typing import Any

from markupsafe import Markup, escape

HIDDEN = re.compile("[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def visible(text: Any) -> Markup:
    """Give ``text`` as HTML (escaped, as Jinja would) with each hidden character written as
    ``<U+XXXX>``."""
    return Markup(HIDDEN.sub(lambda m: f"&lt;U+{ord(m.group()):04X}&gt;", str(escape(text))))


def json_text(value: Any, **options: Any) -> str:
    """Give ``value`` as JSON text (``json.dumps`` with ``ensure_ascii=False`` and ``options``)
    with each hidden character written as its ``\\uXXXX`` escape: the same JSON value."""
    text = json.dumps(value, ensure_ascii=False, **options)
    # Outside strings JSON text is ASCII: every hidden character is inside a string.
    return HIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def shown(text: str) -> str:
    """Give ``text`` as plain text (for JSON the page writes as text) with each hidden character
    written as ``<U+XXXX>``: the rule of :func:`visible`, without the HTML escaping."""
    return HIDDEN.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)
