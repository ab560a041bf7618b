"""The snippet pane's tabs for a body: one per language, the shown one highlighted.

The visitor's gateway URL stays in the browser: a request says only whether there is one
(``_gateway=1``), and the snippets then show :data:`~playground.snippets.GATEWAY_PLACEHOLDER`,
which ``static/snippet.js`` replaces with the URL in the page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask import request
from markupsafe import Markup, escape
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from playground.model.operations import Operation
from playground.snippets import GATEWAY_PLACEHOLDER, render_snippets, tabs_for
from playground.snippets.highlight import highlight
from playground.web.constants import GATEWAY_FLAG_FIELD, SNIPPET_LANG_FIELD


@dataclass(frozen=True)
class SnippetView:
    """One tab of the pane: its language, the plain text, and the HTML shown."""

    id: str
    label: str
    text: str
    html: Markup
    selected: bool
    highlighted: bool
    #: The call's browser half: it gets a key from the visitor's server, not the environment.
    browser: bool = False


def snippet_views(
    op: Operation, body: Any, selected: str | None = None, gateway: bool = False
) -> list[SnippetView]:
    """Give the pane's tabs: the selected one highlighted, the hidden ones as plain text; with
    ``gateway``, for the visitor's gateway (the placeholder the page fills in).

    Cached by (operation, body, tab, gateway): a ``change`` after ``input``, a refocus or a
    gateway refresh sends the same body again.
    """
    key = json.dumps(body, ensure_ascii=False)  # key order matters: the snippet keeps it
    return list(_cached_views(op, key, selected, GATEWAY_PLACEHOLDER if gateway else None))


@lru_cache(maxsize=128)
def _cached_views(
    op: Operation, body_json: str, selected: str | None, base_url: str | None
) -> tuple[SnippetView, ...]:
    # Keyed by the operation object (hashed by identity): two apps may serve different
    # documents under one operation id.
    return tuple(_views(op, json.loads(body_json), selected, base_url))


def _views(
    op: Operation, body: Any, selected: str | None, base_url: str | None
) -> list[SnippetView]:
    langs = tabs_for(op)
    ids = [lang.id for lang in langs]
    chosen = selected if selected in ids else ids[0]
    texts = render_snippets(op, body, base_url, langs)
    views = []
    for lang in langs:
        text = texts[lang.id]
        on = lang.id == chosen
        html = highlight(lang.lexer, text) if on else escape(text)
        views.append(SnippetView(lang.id, lang.label, text, html, on, on, lang.browser))
    return views


def requested_snippet_views(op: Operation, body: Any) -> list[SnippetView]:
    """Give the pane's tabs for ``body`` as this request asks: the tab the page shows
    (``_snippet_lang``) highlighted, for the visitor's gateway when it says it has one."""
    try:
        asked = request.form
    except RequestEntityTooLarge:  # the page that says so is drawn with the defaults
        asked = ImmutableMultiDict()
    selected = asked.get(SNIPPET_LANG_FIELD)
    return snippet_views(op, body, selected, asked.get(GATEWAY_FLAG_FIELD) == "1")
