"""The mock's call routes: ``POST /realtime/calls`` (both flows) and ``…/{call_id}/hangup``.

Unified flow: ``Authorization: Bearer <any key>``, ``multipart/form-data`` with ``sdp`` (the
offer) and ``session`` (JSON, the ``session`` of a GA client-secrets request, validated like the
mock's other routes). Ephemeral flow: ``Authorization: Bearer ek_…`` minted by the mock, body =
the offer (``application/sdp``); the session is the one the key carries (:mod:`mock_keys`).
The answer: ``201``, ``application/sdp``, ``Location: /mock/v1/realtime/calls/{call_id}``.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, Response, current_app, request

from playground.codecs.beta_to_ga import migrate
from playground.mock import keys as mock_keys
from playground.mock import responses as mock_responses
from playground.mock.answers import bearer_token, json_answer
from playground.mock.call_limits import CallRefused, CallSettings
from playground.mock.offers import read_offer
from playground.mock.session import SessionRules, merged
from playground.model import strict_json
from playground.model.call_spec import MAX_OFFER_BYTES
from playground.model.operations import EXTENSION_KEY, Operation

#: The operation whose ``session`` schema a call's session follows (GA client secrets).
CALL_OPERATION = "client-secrets"
SETTINGS = {
    "CALL_MOCK_HOST": "127.0.0.1",
    "CALL_MOCK_MAX_CALLS": 4,
    "CALL_MOCK_MAX_CALLS_PER_CLIENT": 2,
    "CALL_MOCK_STARTS_PER_MINUTE": 10,
    "CALL_MOCK_MAX_SECONDS": 300,
    "CALL_MOCK_IDLE_SECONDS": 30,
    "CALL_MOCK_CONNECT_SECONDS": 10,
    "CALL_MOCK_ANSWER_SECONDS": 10,
    "CALL_MAX_OFFER_BYTES": MAX_OFFER_BYTES,  # the page's /call sends none longer either
}


def add_routes(app: Flask, bp: Blueprint) -> None:
    """Add the call routes to the mock's blueprint ``bp`` (settings defaults on ``app``)."""
    for key, value in SETTINGS.items():
        app.config.setdefault(key, value)
    bp.add_url_rule("/realtime/calls", "create_call", create_call, methods=["POST"])
    bp.add_url_rule("/realtime/calls/<call_id>/hangup", "hangup", hangup, methods=["POST"])


def _error(
    status: int, message: str, param: str | None = None, code: str | None = None
) -> Response:
    return json_answer(status, mock_responses.api_error(message, param, code))


def _refused(refused: CallRefused) -> Response:
    response = _error(refused.status, refused.message, refused.param, refused.code)
    if refused.retry_after is not None:
        response.headers["Retry-After"] = str(refused.retry_after)
    return response


def _operations() -> dict[str, Operation]:
    ops: dict[str, Operation] = current_app.extensions[EXTENSION_KEY]
    return ops


def _call_operation() -> Operation | None:
    ops = _operations()
    if CALL_OPERATION in ops:
        return ops[CALL_OPERATION]
    return next((op for op in ops.values() if _has_session(op)), None)


def _has_session(op: Operation) -> bool:
    return "session" in op.request_schema.get("properties", {})


def _rules(op: Operation) -> SessionRules:
    return SessionRules(op.request_schema, op.root)


def key_minter(op: Operation, body: dict[str, Any]) -> Callable[[int], str]:
    """Give the function the mock's client-secret routes mint their ``ek_…`` value with: it
    signs the request's session (a beta body: the body itself) and the expiry."""
    session = body.get("session", {}) if _has_session(op) else body
    secret_key = str(current_app.config["SECRET_KEY"])
    return lambda expires_at: mock_keys.mint(secret_key, op.id, session, expires_at)


def _part(name: str) -> str | None:
    """Give a multipart field, sent as a plain field or as a file part (the SDK's way)."""
    if name in request.form:
        return request.form[name]
    upload = request.files.get(name)
    return upload.read().decode("utf-8", "replace") if upload is not None else None


def _session_of_key(claims: mock_keys.KeyClaims) -> tuple[dict[str, Any], SessionRules] | None:
    minted_by = _operations().get(claims.operation)
    if minted_by is not None and _has_session(minted_by):
        return claims.session, _rules(minted_by)
    ga = _call_operation()  # a beta key: its flat session converted to the GA shape
    if ga is None:
        return None
    return migrate(claims.session).body.get("session", {"type": "realtime"}), _rules(ga)


def create_call() -> Any:
    """Answer ``POST /realtime/calls``: start a mock peer and give its SDP answer."""
    token = bearer_token()
    if not token:
        return _error(401, mock_responses.MISSING_KEY, None, "missing_api_key")
    multipart = request.mimetype == "multipart/form-data"
    offer = _part("sdp") if multipart else request.get_data(as_text=True)
    given_session = _part("session") if multipart else None
    if mock_keys.is_ephemeral(token):
        try:
            claims = mock_keys.verify(str(current_app.config["SECRET_KEY"]), token)
        except mock_keys.KeyRefused as refused:
            return _error(401, refused.message, None, refused.code)
        found = _session_of_key(claims)
    else:
        op = _call_operation()
        found = ({"type": "realtime"}, _rules(op)) if op else None
    if found is None:
        return _error(404, "This playground serves no GA client-secrets operation to call with.")
    session, rules = found
    if given_session is not None:
        try:  # strictly, as every body the mock takes: no NaN, bounded nesting
            given = strict_json.loads(given_session)
        except ValueError as exc:
            return _error(400, f"'session' is not valid JSON: {exc}.", "session", "invalid_json")
        if not isinstance(given, dict):
            return _error(400, "'session' must be a JSON object.", "session", "invalid_type")
        problems = rules.problems(given)
        if problems:
            error = mock_responses.validation_error(problems)["error"]
            return _error(400, error["message"], error["param"], error["code"])
        session = merged(session, given)  # the connection may override the key's session
    settings = CallSettings.from_config(current_app.config)
    started = time.monotonic()
    try:  # what the peer reads of the offer: bounded, loopback candidates only
        read = read_offer(offer or "", settings.max_offer_bytes)
    except CallRefused as refused:
        return _refused(refused)
    # aiortc loads on the first call only (a third of a second): not in every CLI command.
    from playground.mock.call_peer import peers

    try:
        call_id, answer = peers.start(read.sdp, session, rules, settings, _client())
    except CallRefused as refused:
        return _refused(refused)
    response = Response(answer, status=201, mimetype="application/sdp")
    response.headers["Location"] = f"{_base()}/realtime/calls/{call_id}"
    response.headers["x-request-id"] = "req_" + secrets.token_hex(16)
    response.headers["openai-processing-ms"] = str(round((time.monotonic() - started) * 1000))
    return response


def _client() -> str:
    """Give who is calling: the remote address (the page's calls to its own mock carry the
    visitor's, see :func:`playground.web.hosts.in_process`)."""
    return request.remote_addr or ""


def _base() -> str:
    """Give the mock's base path (``/mock/v1``) from the route that was matched."""
    return request.path.rsplit("/realtime/calls", 1)[0]


def hangup(call_id: str) -> Any:
    """Answer ``POST /realtime/calls/{call_id}/hangup``: end the mock call."""
    from playground.mock.call_peer import peers

    if not bearer_token():
        return _error(401, mock_responses.MISSING_KEY, None, "missing_api_key")
    if not peers.hang_up(call_id):
        return _error(404, f"No live call with id '{call_id}'.", "call_id", "not_found")
    return Response(status=200)
