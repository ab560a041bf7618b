"""CSRF protection for the page's state-changing posts, and a clear answer when a token fails.

Flask-WTF's :class:`CSRFProtect` checks every POST except the mock's (an API that takes a
Bearer key, not a cookie). htmx sends the token in the ``X-CSRFToken`` header, read from the
page's ``<meta name="csrf-token">`` by ``static/request-headers.js``; plain form posts carry it
in a hidden ``csrf_token`` field. A missing or expired token never gives a bare 400 page: htmx
requests get the message in the response pane (with a fresh token the script picks up), full
posts get the page again with a banner and what the user typed (:mod:`playground.web.refusals`).

``SECRET_KEY`` signs the tokens: set it (``PLAYGROUND_SECRET_KEY``) when serving with several
processes; otherwise one is made once and kept in the instance folder, so every worker and a
restart agree; if that folder cannot be written, a key for this process only is used.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from flask import Blueprint, Flask, Response
from flask_wtf.csrf import CSRFError, CSRFProtect

from playground.web.constants import CSRF_TOKEN_HEADER
from playground.web.refusals import answer_refused

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
    app.config.setdefault("WTF_CSRF_HEADERS", [CSRF_TOKEN_HEADER])
    if app.config.get("SESSION_COOKIE_SAMESITE") is None:  # Flask's default: none
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _stored_secret_key(Path(app.instance_path))
    csrf.init_app(app)
    app.register_error_handler(CSRFError, _refused)


def exempt(blueprint: Blueprint) -> None:
    """Take an API blueprint (the mock) out of CSRF checking."""
    csrf.exempt(blueprint)


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
