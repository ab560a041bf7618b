"""The answer to a post refused before anything was done (a failed CSRF token, a post over the
limits, another site's origin, too many sends in flight): the words in the response pane for
htmx, else the page again under a banner, with what the visitor typed when it can be read.
"""

from __future__ import annotations

from typing import Any

from flask import Response, render_template, request
from flask_wtf.csrf import generate_csrf

from playground.codecs.pasted import redact
from playground.model.form_data import FormData
from playground.web.constants import FRESH_CSRF_TOKEN_HEADER
from playground.web.json_answers import json_answer, refusal, wants_json
from playground.web.state import (
    PASTED_FIELD,
    PageState,
    default_operation,
    is_htmx,
    requested_operation,
)


def answer_refused(
    message: str, status: int, keep_form: bool, retry_after: int | None = None
) -> Response:
    """Give the answer to a post refused before anything was done: for htmx, ``message`` in the
    response pane with a fresh CSRF token; else the page again under a banner, with the posted
    form when ``keep_form`` (a post too large to read cannot be kept); for a route that answers
    JSON only, the refusal's JSON with a fresh CSRF token. ``retry_after``: the seconds to say
    in ``Retry-After``."""
    if wants_json():
        response = json_answer(refusal(message, status, "Not done.", retry_after), status)
        response.headers[FRESH_CSRF_TOKEN_HEADER] = generate_csrf()
    elif is_htmx():
        html = render_template(
            "partials/_response.html", refused=message, refused_title="Not done.", result=None
        )
        response = Response(html, status=status, mimetype="text/html")
        # htmx swaps this error into the response pane; static/request-headers.js keeps the
        # fresh token.
        response.headers["HX-Retarget"] = "#response"
        response.headers["HX-Reswap"] = "outerHTML"
        response.headers["HX-Reselect"] = "#response"
        response.headers[FRESH_CSRF_TOKEN_HEADER] = generate_csrf()
    else:
        html = _page_again(message, keep_form)
        response = Response(html, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def _page_again(message: str, keep_form: bool) -> str:
    """Give the whole page with ``message`` in a banner, drawn from the posted form if kept."""
    op = requested_operation(read_form=keep_form) or default_operation()
    form = request.form if keep_form else FormData()
    pasted = form.get(PASTED_FIELD)
    data = FormData.of(form) if pasted is None else FormData()
    extra: dict[str, Any] = {}
    if pasted is not None:  # a refused import: its text comes back, keys removed
        extra = {"import_error": message, "pasted": redact(pasted)}
    state = PageState(op, data)
    return render_template("index.html", **state.page_context(refused_banner=message, **extra))
