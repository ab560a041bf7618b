"""CSRF protection for the page's state-changing posts, and a clear answer when a token fails.

Flask-WTF's :class:`CSRFProtect` checks every POST except the mock's (an API that takes a
Bearer key, not a cookie). htmx sends the token in the ``X-CSRFToken`` header, read from the
page's ``<meta name="csrf-token">`` by ``static/csrf.js``; plain form posts carry it in a hidden
``csrf_token`` field. A missing or expired token never gives a bare 400 page: htmx requests get
the message in the response pane (with a fresh token the script picks up), full posts get the
page again with a banner and what the user typed.

``SECRET_KEY`` signs the tokens: set it (``PLAYGROUND_SECRET_KEY``) when serving with several
processes; otherwise one is made once and kept in the instance folder, so every worker and a
restart agree; if that folder cannot be written, a key for this process only is used.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from flask import Flask, Response, current_app, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf

from playground.codecs.form_data import FormData

# The header htmx sends the token in, and the one a refused htmx request gets a fresh token in.
from playground.web.constants import CSRF_TOKEN_HEADER as TOKEN_HEADER
from playground.web.constants import FRESH_CSRF_TOKEN_HEADER as FRESH_TOKEN_HEADER

csrf = CSRFProtect()
_log = logging.getLogger(__name__)

MESSAGE_EXPIRED = (
    "This page's security token has expired (the page was open a long time), so nothing was "
    "done. Your input is kept: repeat the action."
)
MESSAGE_INVALID = (
    "This request came without the page's security token, or with one from an older session "
    "(the server restarted, or the page is old), so nothing was done. Your input is kept: "
    "repeat the action."
)


def init_app(app: Flask) -> None:
    """Protect ``app``'s posts, exempt the mock, and answer token failures clearly."""
    app.config.setdefault("WTF_CSRF_HEADERS", [TOKEN_HEADER])
    if app.config.get("SESSION_COOKIE_SAMESITE") is None:  # Flask's default: none
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _stored_secret_key(Path(app.instance_path))
    csrf.init_app(app)
    app.register_error_handler(CSRFError, _refused)


def exempt(blueprint: object) -> None:
    """Take an API blueprint (the mock) out of CSRF checking."""
    csrf.exempt(blueprint)  # type: ignore[arg-type]


def _stored_secret_key(folder: Path) -> str:
    """Give the key kept in ``folder/secret_key``, making it once (atomically) if missing."""
    path = folder / "secret_key"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            temp = folder / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
            try:
                os.link(temp, path)  # fails if another worker won the race: read theirs
            except FileExistsError:
                pass
            finally:
                temp.unlink()
        key = path.read_text(encoding="ascii").strip()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    _log.warning(
        "No SECRET_KEY set and the instance folder cannot keep one: using a key for this "
        "process only (set PLAYGROUND_SECRET_KEY when running several workers)."
    )
    return secrets.token_hex(32)


def _message(error: CSRFError) -> str:
    return MESSAGE_EXPIRED if "expired" in (error.description or "") else MESSAGE_INVALID


def _refused(error: CSRFError) -> Response:
    """Say why the post was refused, keeping the user's input (status 400)."""
    return answer_refused(_message(error), 400, keep_form=True)


def answer_refused(message: str, status: int, keep_form: bool) -> Response:
    """Give the answer to a post refused before anything was done: for htmx, ``message`` in the
    response pane with a fresh CSRF token; else the page again under a banner, with the posted
    form when ``keep_form`` (a post too large to read cannot be kept)."""
    if request.headers.get("HX-Request") == "true":
        html = render_template(
            "partials/_response.html", refused=message, refused_title="Not done.", result=None
        )
        response = Response(html, status=status, mimetype="text/html")
        # static/csrf.js swaps this error into the response pane and keeps the fresh token.
        response.headers["HX-Retarget"] = "#response"
        response.headers["HX-Reswap"] = "outerHTML"
        response.headers["HX-Reselect"] = "#response"
        response.headers[FRESH_TOKEN_HEADER] = generate_csrf()
    else:
        html = _page_again(message, keep_form)
        response = Response(html, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def _page_again(message: str, keep_form: bool) -> str:
    """Give the whole page with ``message`` in a banner, drawn from the posted form if kept."""
    from playground.codecs.pasted import redact
    from playground.model.operations import get_operation
    from playground.web.page import PageState

    op_id = (request.values if keep_form else request.args).get("op")
    try:
        op = get_operation(op_id or current_app.config["DEFAULT_OPERATION"])
    except KeyError:
        op = get_operation(current_app.config["DEFAULT_OPERATION"])
    form = request.form if keep_form else {}
    data = FormData.of(form) if "pasted" not in form else FormData()  # type: ignore[arg-type]
    state = PageState(op, data)
    extra = {}
    if "pasted" in form:
        extra = {"import_error": message, "pasted": redact(form.get("pasted", ""))}
    return render_template("index.html", **state.context(refused_banner=message, **extra))
