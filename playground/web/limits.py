"""Limits on what a visitor can post, and a clear answer when a post is over them.

``MAX_CONTENT_LENGTH`` bounds a whole post, ``MAX_FORM_MEMORY_SIZE`` any one field (so every
string: instructions, a tool's description or schema), ``MAX_FORM_PARTS`` the number of fields
(enough for every parameter and the schema's 128 tool rows). Werkzeug applies the last two to
multipart posts only; the page posts url-encoded forms, so they are checked here too. Rows
beyond the schema's ``maxItems`` are reported by validation like any other problem. What goes
out is bounded in :mod:`playground.transport.client` (timeouts, response size cap).
"""

from __future__ import annotations

from flask import Flask, Response, abort, request
from werkzeug.exceptions import RequestEntityTooLarge

from playground.web.refusals import answer_refused

DEFAULTS = {
    "MAX_CONTENT_LENGTH": 512 * 1024,
    "MAX_FORM_MEMORY_SIZE": 256 * 1024,
    "MAX_FORM_PARTS": 2000,
}


def _size(n: int) -> str:
    return f"{n // 1024} KB" if n % 1024 == 0 else f"{n} bytes"


def init_app(app: Flask) -> None:
    """Answer a post over the limits (``DEFAULTS``, set by ``create_app``) in the page (413)."""

    @app.before_request
    def check_form() -> None:
        if request.method != "POST" or request.blueprint == "mock":
            return
        form = request.form  # over MAX_CONTENT_LENGTH: raises 413 here
        parts = sum(len(values) for values in form.listvalues())
        if parts > int(app.config["MAX_FORM_PARTS"]) or any(
            len(value) > int(app.config["MAX_FORM_MEMORY_SIZE"])
            for values in form.listvalues()
            for value in values
        ):
            abort(413)

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge) -> Response:
        message = (
            f"The form was too large to read (over {_size(int(app.config['MAX_CONTENT_LENGTH']))} "
            f"in all, {_size(int(app.config['MAX_FORM_MEMORY_SIZE']))} in one field, or more "
            f"than {app.config['MAX_FORM_PARTS']} fields), so nothing was done: shorten the "
            "longest text (instructions, a tool's description or parameters) and try again."
        )
        return answer_refused(message, 413, keep_form=False)
