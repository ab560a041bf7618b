"""The app factory: every part of the playground registered on one Flask app, in order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from playground.mock import PREFIX as MOCK_PREFIX
from playground.mock import routes as mock
from playground.model.operations import DEFAULT_OPERATION
from playground.web import (
    app_operations,
    assets,
    call,
    call_prices,
    call_socket,
    csrf,
    errors,
    gateways,
    hosts,
    limits,
    page,
    security,
    send,
    share,
    snippet,
    templating,
)
from playground.web.limits import DEFAULTS as LIMITS

_HERE = Path(__file__).resolve().parent.parent  # the package


def _asset_dir(name: str) -> str:
    """Give the folder of templates or static files: inside the package when installed from a
    wheel, at the repository's top level in a checkout."""
    packaged = _HERE / name
    return str(packaged if packaged.is_dir() else _HERE.parent / name)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Give a configured playground app (``config`` overrides the defaults, for tests)."""
    app = Flask(
        "playground",  # the package: its root path and instance folder
        template_folder=_asset_dir("templates"),
        static_folder=_asset_dir("static"),
        instance_relative_config=True,
    )

    app.config.from_mapping({"DEFAULT_OPERATION": DEFAULT_OPERATION, **LIMITS})
    app.config.from_prefixed_env("PLAYGROUND")
    if config:
        app.config.from_mapping(config)

    # First: every other part asks for the app's operations, and a broken document stops here.
    app_operations.init_app(app)
    errors.init_app(app, api_prefix=MOCK_PREFIX, api_error=mock.error_answer)
    hosts.init_app(app)  # first: nothing else runs for a host or origin it refuses
    assets.init_app(app)
    limits.init_app(app)
    security.init_app(app)
    csrf.init_app(app)
    templating.init_app(app)
    gateways.init_app(app)  # the sends' and the calls' settings and HTTP client
    app.register_blueprint(page.bp)
    app.register_blueprint(send.bp)
    call.init_app(app)
    call_prices.init_app(app)  # the price table of the call's cost estimate
    call_socket.init_app(app)  # the call over WebSocket, bridged
    mock_bp = mock.blueprint(app)  # None when MOCK_ENABLED is False
    if mock_bp is not None:
        csrf.exempt(mock_bp)  # an API taking a Bearer key, not a cookie: nothing to forge
        app.register_blueprint(mock_bp)
    app.register_blueprint(snippet.bp)
    app.register_blueprint(share.bp)
    return app
