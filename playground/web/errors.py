"""The answer to a request the app cannot serve (an unknown address or operation, a wrong
method): the playground's own page saying so, never the framework's stock text; under the
mock's prefix, an OpenAI-style JSON error, as the API would give.

CSRF failures and posts over the limits have their own answers (:mod:`playground.web.csrf`,
:mod:`playground.web.limits`), which keep what the visitor typed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

#: What is said when the error carries no words of its own (werkzeug's stock description).
_OWN_WORDS = {
    NotFound.code: "There is no page at this address.",
    MethodNotAllowed.code: "This address does not take that kind of request.",
}


#: Gives an API's JSON answer for a status and message.
ApiError = Callable[[int, str], Response]


def init_app(app: Flask, api_prefix: str, api_error: ApiError) -> None:
    """Answer every HTTP error ``app`` has no more specific handler for: under ``api_prefix``
    (the mock's) with ``api_error``, elsewhere with the page."""
    app.register_error_handler(HTTPException, partial(_answer, api_prefix, api_error))


def _answer(api_prefix: str, api_error: ApiError, error: HTTPException) -> Response | HTTPException:
    code = error.code or 500
    if code >= 500:
        return error
    message = error.description or ""
    if message == type(error).description or not message:
        message = _OWN_WORDS.get(code, "This request cannot be served.")
    if request.path == api_prefix or request.path.startswith(api_prefix + "/"):
        response = api_error(code, message)
    else:
        html = render_template("error.html", code=code, title=error.name, message=message)
        response = Response(html, status=code, mimetype="text/html")
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response
