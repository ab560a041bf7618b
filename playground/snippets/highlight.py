"""Syntax highlighting for snippets with Pygments, as HTML spans with classes (no styles)."""

from __future__ import annotations

from functools import cache, lru_cache

from markupsafe import Markup
from pygments import highlight as _pygmentize
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name

_FORMATTER = HtmlFormatter(nowrap=True)


@cache
def _lexer(name: str) -> Lexer:
    return get_lexer_by_name(name, stripnl=False, ensurenl=False)


@lru_cache(maxsize=256)
def highlight(lexer: str, text: str) -> Markup:
    """Give ``text`` as highlighted HTML whose text content is exactly ``text``.

    Cached by (lexer, text): the text holds the body, so a repeated body costs nothing.
    """
    return Markup(_pygmentize(text, _lexer(lexer), _FORMATTER))
