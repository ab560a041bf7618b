"""The built-in mock upstream at ``/mock/v1``: every operation answered like the real API.

One route per operation of the app (an operator's own documents too), at the operation's own
path, so a new operation document gets its mock with no code. Switched off with
``MOCK_ENABLED = False``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from playground.mock import PREFIX
from playground.mock import call_routes as mock_call_routes
from playground.mock import responses as mock_responses
from playground.mock.answers import bearer_token, json_answer
from playground.model import strict_json
from playground.model.operations import EXTENSION_KEY, Operation
from playground.model.validation import validate_body


def blueprint(app: Flask) -> Blueprint | None:
    """Give the mock of the app's operations for the app factory to mount (exempt from CSRF),
    or ``None`` when the configuration switches it off."""
    app.config.setdefault("MOCK_ENABLED", True)
    if not app.config["MOCK_ENABLED"]:
        return None
    bp = _blueprint(app.extensions[EXTENSION_KEY].values())
    mock_call_routes.add_routes(app, bp)  # WebRTC calls, answered by a real mock peer
    return bp


def _blueprint(ops: Iterable[Operation]) -> Blueprint:
    """Give a mock blueprint with one route per operation (each app has its own operations)."""
    bp = Blueprint("mock", __name__, url_prefix=PREFIX)
    bp.add_url_rule("/", "base", base, methods=["GET"])
    bp.register_error_handler(RequestEntityTooLarge, _too_large)
    for op in ops:
        bp.add_url_rule(op.path, f"op_{op.id}", _view(op), methods=[op.method])
    return bp


def base() -> Response:
    """Give a short description of the mock (its URL is the gateway URL to use)."""
    ops = [
        f"{op.method} {PREFIX}{op.path}" for op in current_app.extensions[EXTENSION_KEY].values()
    ]
    return jsonify(object="playground.mock", description="The playground's offline mock.", ops=ops)


def _view(op: Operation) -> Callable[[], Response]:
    """Give the view answering ``op`` as the API would."""

    def answer() -> Response:
        started = time.monotonic()
        if not bearer_token():
            return json_answer(401, mock_responses.api_error(mock_responses.MISSING_KEY), started)
        try:  # strictly, as the page reads JSON: no NaN, no half characters, bounded nesting
            body = strict_json.loads(request.get_data(as_text=True)) if request.is_json else None
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return json_answer(400, mock_responses.api_error(mock_responses.NOT_JSON), started)
        errors = validate_body(op.request_schema, op.root, body)
        if errors:
            return json_answer(400, mock_responses.validation_error(errors), started)
        mint = mock_call_routes.key_minter(op, body)  # signed: the key carries its session
        return json_answer(200, mock_responses.success(op, body, int(time.time()), mint), started)

    answer.__doc__ = f"Answer {op.method} {op.path} like the real API."
    return answer


def error_answer(status: int, message: str) -> Response:
    """Give an OpenAI-style error answer (for requests the mock's routes never reach)."""
    return json_answer(status, mock_responses.api_error(message), time.monotonic())


def _too_large(error: RequestEntityTooLarge) -> Response:
    return error_answer(413, "The request body is too large for the playground's mock.")
