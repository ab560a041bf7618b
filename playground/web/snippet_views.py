"""The snippet pane's tabs for a body: one per language, only the shown one drawn.

The tabs the page does not show are drawn when the visitor picks one (``static/snippet.js``
asks the form's request again, naming the tab): a page carries one snippet of its body, not
one per language, and the cost of an answer follows the body, not the number of languages.

The visitor's gateway URL stays in the browser: a request says only whether there is one
(``_gateway=1``), and the snippets then show :data:`~playground.snippets.GATEWAY_PLACEHOLDER`,
which ``static/snippet.js`` replaces with the URL in the page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from playground.model.operations import Operation
from playground.snippets import GATEWAY_PLACEHOLDER, render_snippets, tabs_for
from playground.snippets.highlight import highlight
from playground.snippets.text_cache import DRAWN, text_bytes


@dataclass(frozen=True)
class SnippetView:
    """One tab of the pane: its language, and for the shown one the plain text and its HTML
    (the others are drawn when picked: ``text`` and ``html`` empty)."""

    id: str
    label: str
    text: str
    html: Markup
    selected: bool
    highlighted: bool
    #: The call's browser half: it gets a key from the visitor's server, not the environment.
    browser: bool = False
    #: The size of a snippet too large to show beside its body (0: shown), see :func:`shown`.
    withheld: int = 0


@dataclass(frozen=True)
class SnippetAsk:
    """What a request asks of the pane: the tab shown, and whether the visitor has a gateway."""

    selected: str | None = None
    gateway: bool = False


def snippet_views(op: Operation, body: Any, ask: SnippetAsk = SnippetAsk()) -> list[SnippetView]:
    """Give the pane's tabs: the selected one drawn (highlighted up to a size), the others
    empty; with ``ask.gateway``, for the visitor's gateway (the placeholder the page fills in).

    Kept in the process's byte-bounded cache by (operation, body, tab, gateway): a ``change``
    after ``input``, a refocus or a gateway refresh sends the same body again. Keyed by the
    operation object (by identity): two apps may serve different documents under one id.
    """
    body_json = json.dumps(body, ensure_ascii=False)  # key order matters: the snippet keeps it
    base_url = GATEWAY_PLACEHOLDER if ask.gateway else None
    key = ("views", op, body_json, ask.selected, base_url)
    found = DRAWN.get(key)
    if found is None:
        found = tuple(_views(op, body, len(body_json), ask.selected, base_url))
        size = text_bytes((body_json, *(p for v in found for p in (v.text, str(v.html)))))
        DRAWN.put(key, found, size)
    return list(found)


def shown(html: str, body_bytes: int) -> bool:
    """Say whether a snippet's HTML is shown for a body of ``body_bytes`` of JSON: up to three
    times the body and 64 KB (a body nested deep makes a literal indented deeper still; the
    page stays within about eight times its body, with the preview and the form)."""
    return len(html) <= 3 * body_bytes + 64 * 1024


def _views(
    op: Operation, body: Any, body_bytes: int, selected: str | None, base_url: str | None
) -> list[SnippetView]:
    langs = tabs_for(op)
    ids = [lang.id for lang in langs]
    chosen = selected if selected in ids else ids[0]
    shown_tabs = [lang for lang in langs if lang.id == chosen]
    text = render_snippets(op, body, base_url, shown_tabs)[chosen]
    lexer = next(lang.lexer for lang in shown_tabs)
    html = highlight(lexer, text)
    withheld = 0 if shown(html, body_bytes) else len(text.encode())
    if withheld:
        text, html = "", Markup("")
    views = []
    for lang in langs:
        on = lang.id == chosen
        views.append(
            SnippetView(
                lang.id,
                lang.label,
                text if on else "",
                html if on else Markup(""),
                on,
                on,
                lang.browser,
                withheld if on else 0,
            )
        )
    return views
