"""Share links, export and import: the routes around :mod:`playground.codecs.share_token`.

``POST /share`` gives the link of the form's current body (a fragment for htmx, the whole page
without JavaScript); ``POST /export`` downloads the body; ``POST /import`` fills the form from
a pasted JSON body or curl command. Opening a link or a preset is ``GET /?p=`` or
``GET /?preset=`` on the page itself (see :mod:`playground.codecs.link_state`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, render_template, request

from playground.codecs.link_state import load_body
from playground.codecs.pasted import PasteError, parse_pasted, redact
from playground.codecs.share_token import ShareError
from playground.model.form_data import FormData
from playground.model.form_reader import build_body
from playground.model.operations import Operation
from playground.web.app_operations import app_operations
from playground.web.links import own_url_root, share_path
from playground.web.state import (
    PASTED_FIELD,
    PageState,
    form_data_from_request,
    is_htmx,
    operation_from_request,
)
from playground.web.visible import json_text

bp = Blueprint("share", __name__)

EXPORT_FILENAME = "realtime-session.json"


@dataclass
class ShareResult:
    """The share link of a body, or why there is none."""

    url: str = ""
    error: str = ""
    problems: int = 0


def _page(state: PageState, status: int = 200, **extra: Any) -> Response:
    html = render_template("index.html", **state.page_context(**extra))
    response = Response(html, status=status, mimetype="text/html")
    response.vary.add("HX-Request")
    return response


@bp.post("/share")
def share() -> Response:
    """Render the share link of the form's body (the whole page when JavaScript is off)."""
    op = operation_from_request()
    state = PageState(op, form_data_from_request())
    result = ShareResult(problems=len(state.errors))
    try:
        result.url = own_url_root() + share_path(op, state.body)
    except ShareError as exc:
        result.error = str(exc)
    if not is_htmx():
        return _page(state, share=result)
    html = render_template("partials/_share_result.html", share=result)
    response = Response(html, mimetype="text/html")
    response.vary.add("HX-Request")
    return response


@bp.post("/export")
def export() -> Response:
    """Give the form's body as a JSON file to download."""
    body = build_body(operation_from_request().root, form_data_from_request()).body
    text = json_text(body, indent=2) + "\n"  # as the preview shows it: nothing unseen
    response = Response(text, mimetype="application/json")
    response.headers.set("Content-Disposition", "attachment", filename=EXPORT_FILENAME)
    response.headers["Cache-Control"] = "no-store"
    return response


def _operation_for(url: str, fallback: Operation) -> Operation:
    """Give the operation a curl command's URL calls, or ``fallback``."""
    path = urlsplit(url).path.rstrip("/")
    for op in app_operations().values():
        if path and path.endswith(op.path):
            return op
    return fallback


@bp.post("/import")
def import_body() -> Response:
    """Fill the form from a pasted JSON body or curl command, or say why it cannot."""
    op = operation_from_request()
    text = request.form.get(PASTED_FIELD, "")
    try:
        pasted = parse_pasted(text)
    except PasteError as exc:
        return _import_failed(op, text, str(exc))
    asked = op
    if pasted.url:
        op = _operation_for(pasted.url, op)
    loaded = load_body(op, pasted.body, "import", f"Imported from a pasted {pasted.kind}")
    note = (
        "The pasted command's key and headers were ignored: they are not stored or shared."
        if pasted.had_credentials
        else ""
    )
    response = _page(PageState(op, loaded.form), loaded=loaded, import_note=note)
    if is_htmx():
        try:
            link = share_path(op, pasted.body)
        except ShareError:
            return response  # too large for a link: the page still shows the imported body
        # htmx swaps only <main>; another operation also changes the header, so load it whole.
        response.headers["HX-Redirect" if op is not asked else "HX-Push-Url"] = link
    return response


def _import_failed(op: Operation, text: str, message: str) -> Response:
    """Show why an import failed; with htmx only the message changes, keeping the text."""
    if is_htmx():
        html = render_template("partials/_import_error.html", import_error=message)
        response = Response(html, status=200, mimetype="text/html")
        response.headers["HX-Retarget"] = "#import-error"
        response.headers["HX-Reswap"] = "outerHTML"
        response.headers["HX-Reselect"] = "#import-error"
        return response
    # Without JavaScript the page is drawn again: the text comes back with keys removed.
    state = PageState(op, FormData())
    return _page(state, status=422, import_error=message, pasted=redact(text))
