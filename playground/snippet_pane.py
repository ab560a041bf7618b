"""The snippet pane: one tab per language, refreshed as the form changes."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import Blueprint, Response, abort, current_app, render_template, request
from markupsafe import Markup, escape

from .body import FormData, build_body
from .operations import Operation, get_operation
from .snippets import DEFAULT_BASE_URL, languages_for, render_snippets
from .snippets.highlight import highlight

bp = Blueprint("snippets", __name__)

# Shapes of secrets in a URL: a prefixed key (sk-..., ek_...) or a long random token.
_PREFIXED_KEY = re.compile(r"(?<![A-Za-z0-9])(sk|ek|rk|key)[-_][A-Za-z0-9_-]{8,}", re.I)
_LONG_RUN = re.compile(r"[A-Za-z0-9]{24,}")


def _looks_secret(text: str) -> bool:
    if _PREFIXED_KEY.search(text):
        return True
    return any(
        any(c.isdigit() for c in run) and any(c.isalpha() for c in run)
        for run in _LONG_RUN.findall(text)
    )


@dataclass(frozen=True)
class SnippetView:
    """One tab of the pane: its language, the plain text, and the HTML shown."""

    id: str
    label: str
    text: str
    html: Markup
    selected: bool
    highlighted: bool


def safe_base_url(raw: str | None) -> str | None:
    """Give a gateway URL fit to print in a snippet, or None.

    Only ``http(s)://host[:port][/path]``: credentials, query and fragment are dropped, and a URL
    with anything shaped like a key is refused, so a snippet never repeats a secret.
    """
    text = (raw or "").strip()
    if not text or len(text) > 2048:
        return None
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = host + (f":{port}" if port else "")
    if _looks_secret(netloc + parts.path) or any(c.isspace() for c in text):
        return None
    return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))


def snippet_views(
    op: Operation, body: Any, selected: str | None = None, base_url: str | None = None
) -> list[SnippetView]:
    """Give the pane's tabs: the selected one highlighted, the hidden ones as plain text.

    Cached by (operation, body, tab, base URL): a ``change`` after ``input``, a refocus or a
    gateway refresh sends the same body again.
    """
    key = json.dumps(body, ensure_ascii=False)  # key order matters: the snippet keeps it
    return list(_cached_views(op.id, key, selected, base_url))


@lru_cache(maxsize=128)
def _cached_views(
    op_id: str, body_json: str, selected: str | None, base_url: str | None
) -> tuple[SnippetView, ...]:
    return tuple(_views(get_operation(op_id), json.loads(body_json), selected, base_url))


def _views(
    op: Operation, body: Any, selected: str | None, base_url: str | None
) -> list[SnippetView]:
    langs = languages_for(op)
    ids = [lang.id for lang in langs]
    chosen = selected if selected in ids else ids[0]
    texts = render_snippets(op, body, base_url)
    views = []
    for lang in langs:
        text = texts[lang.id]
        on = lang.id == chosen
        html = highlight(lang.lexer, text) if on else escape(text)
        views.append(SnippetView(lang.id, lang.label, text, html, on, on))
    return views


@bp.app_context_processor
def _snippet_globals() -> dict[str, Any]:
    return {"snippet_views": snippet_views, "snippet_default_base_url": DEFAULT_BASE_URL}


@bp.post("/snippet")
def snippet() -> Response:
    """Render the snippet panels for the form's body (the page swaps them in place)."""
    op_id = request.form.get("op") or current_app.config["DEFAULT_OPERATION"]
    try:
        op = get_operation(op_id)
    except KeyError:
        abort(404, description=f"Unknown operation {op_id!r}.")
    body = build_body(op.root, FormData.of(request.form)).body
    base_url = safe_base_url(request.form.get("_base_url"))
    views = snippet_views(op, body, request.form.get("_snippet_lang"), base_url)
    html = render_template("partials/_snippet.html", op=op, views=views, panels_only=True)
    return Response(html, mimetype="text/html")
