"""Syntax highlighting for snippets: one regular-expression pass, HTML spans with token classes.

Snippets are small and regular (an import, a client, one call with a literal), so strings,
comments, numbers and keywords are all a reader needs. One pass costs a few hundredths of a
millisecond where a full lexer cost over one, on every keystroke. The class names are
Pygments' short ones (``s2``, ``c1``, ``mi``, ``k``...), which ``static/app.css`` colours.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TypedDict

from markupsafe import Markup, escape

from playground.snippets.text_cache import DRAWN, text_bytes

#: The longest text coloured: past it a snippet is shown plain (colouring a 256 KB body's
#: snippet would make its HTML several times larger than the text, for a few colours).
MAX_HIGHLIGHT_CHARS = 64 * 1024


class _Language(TypedDict):
    """The patterns of one language: its strings and comments, and words to mark."""

    strings: str
    comments: str
    keywords: tuple[str, ...]
    constants: tuple[str, ...]


_NUMBER = r"(?P<mi>(?<![\w.$])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.]))"

_PYTHON: _Language = {
    "strings": (
        r"""(?P<s2>[rbfRBF]{0,2}(?:\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''"""
        r"""|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'))"""
    ),
    "comments": r"(?P<c1>#[^\n]*)",
    "keywords": (
        "import",
        "from",
        "as",
        "def",
        "return",
        "if",
        "else",
        "for",
        "in",
        "with",
        "await",
        "async",
        "class",
        "lambda",
        "not",
        "and",
        "or",
        "is",
    ),
    "constants": ("None", "True", "False"),
}
_JAVASCRIPT: _Language = {
    "strings": r"""(?P<s2>"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\[\s\S]|[^`\\])*`)""",
    "comments": r"(?P<c1>//[^\n]*|/\*[\s\S]*?\*/)",
    "keywords": (
        "import",
        "from",
        "const",
        "let",
        "var",
        "await",
        "async",
        "new",
        "return",
        "if",
        "throw",
        "function",
        "export",
        "default",
        "typeof",
    ),
    "constants": ("null", "true", "false", "undefined"),
}
_BASH: _Language = {
    "strings": r"""(?P<s2>'[^']*'|"(?:\\.|[^"\\])*")""",
    "comments": r"(?P<c1>(?<![\w$])#[^\n]*)",
    "keywords": ("curl", "export", "if", "then", "fi"),
    "constants": (),
}
_LANGUAGES = {
    "python": _PYTHON,
    "javascript": _JAVASCRIPT,
    "typescript": _JAVASCRIPT,
    "bash": _BASH,
}


@cache
def _pattern(lexer: str) -> re.Pattern[str]:
    spec = _LANGUAGES.get(lexer, _BASH)
    words = [
        rf"(?P<k>\b(?:{'|'.join(spec['keywords'])})\b)" if spec["keywords"] else "",
        rf"(?P<kc>\b(?:{'|'.join(spec['constants'])})\b)" if spec["constants"] else "",
    ]
    parts = [spec["comments"], spec["strings"], *[w for w in words if w], _NUMBER]
    return re.compile("|".join(parts))


def highlight(lexer: str, text: str) -> Markup:
    """Give ``text`` as highlighted HTML whose text content is exactly ``text`` (plain, escaped,
    past :data:`MAX_HIGHLIGHT_CHARS`).

    Kept in the process's :data:`~playground.snippets.text_cache.DRAWN` cache by (lexer, text):
    the text holds the body, so a repeated body costs nothing.
    """
    if len(text) > MAX_HIGHLIGHT_CHARS:
        return escape(text)
    key = ("highlight", lexer, text)
    found = DRAWN.get(key)
    if found is None:
        found = _highlighted(lexer, text)
        DRAWN.put(key, found, text_bytes((text, str(found))))
    return Markup(found)


def _highlighted(lexer: str, text: str) -> Markup:
    out: list[str] = []
    last = 0
    for match in _pattern(lexer).finditer(text):
        out.append(str(escape(text[last : match.start()])))
        out.append(f'<span class="{match.lastgroup}">{escape(match.group())}</span>')
        last = match.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))
