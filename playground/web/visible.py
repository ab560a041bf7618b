"""Characters that change how text reads without being seen, made visible wherever the page
shows text a visitor or a gateway wrote (which characters: :mod:`playground.model.invisible`).

Shown text gets each as ``<U+202E>`` (:func:`visible`, the ``visible`` template filter); JSON a
visitor copies gets each as its JSON escape (:func:`json_text`): the same value, exact to copy,
and nothing hidden.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup, escape

from playground.model.invisible import HIDDEN, code_point, json_escaped, named


def visible(text: Any) -> Markup:
    """Give ``text`` as HTML (escaped, as Jinja would) with each hidden character written as
    ``<U+XXXX>``."""
    return Markup(HIDDEN.sub(lambda m: str(escape(code_point(m.group()))), str(escape(text))))


def json_text(value: Any, **options: Any) -> str:
    """Give ``value`` as JSON text (``json.dumps`` with ``ensure_ascii=False`` and ``options``)
    with each hidden character written as its escape: the same JSON value."""
    return json_escaped(json.dumps(value, ensure_ascii=False, **options))


def shown(text: str) -> str:
    """Give ``text`` as plain text (for JSON the page writes as text) with each hidden character
    written as ``<U+XXXX>``: the rule of :func:`visible`, without the HTML escaping."""
    return named(text)
