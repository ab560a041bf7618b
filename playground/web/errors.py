"""The answer to a request the app cannot serve (an unknown address or operation, a wrong
method): the playground's own page saying so, never the framework's stock text; under the
mock's prefix, an OpenAI-style JSON error, as the API would give.

CSRF failures and posts over the limits have their own answers (:mod:`playground.web.csrf`,
:mod:`playground.web.limits`), which keep what the visitor typed.
"""

from __future__ import annotations

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from playground.mock import routes as mock

#: What is said when the error carries no words of its own (werkzeug's stock description).
_OWN_WORDS = {
    NotFound.code: "There is no page at this address.",
    MethodNotAllowed.code: "This address does not take that kind of request.",
}


def init_app(app: Flask) -> None:
    """Answer every HTTP error ``app`` has no more specific handler for."""
    app.register_error_handler(HTTPException, _answer)


def _answer(error: HTTPException) -> Response | HTTPException:
    code = error.code or 500
    if code >= 500:
        return error
    message = error.description or ""
    if message == type(error).description or not message:
        message = _OWN_WORDS.get(code, "This request cannot be served.")
    if request.path == mock.PREFIX or request.path.startswith(mock.PREFIX + "/"):
        response = mock.error_answer(code, message)
    else:
        html = render_template("error.html", code=code, title=error.name, message=message)
        response = Response(html, status=code, mimetype="text/html")
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response
