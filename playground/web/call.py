"""The server half of a live WebRTC call: ``POST /call`` exchanges the browser's SDP offer for
the API's answer, ``POST /call/hangup`` ends the call.

Both take the gateway and credentials exactly as ``POST /send`` does (the ``X-Playground-*``
headers of ``static/auth.js``, an operator's configured gateway, hosted mode), count among the
requests in flight like a send, and go through the same HTTP client (target checks, SSRF guard,
no redirects, timeouts, deadline, size cap, the own mock in process). The session a call starts
is the ``session`` of the body the preview shows for the posted form. With an ephemeral key
(``X-Playground-Ephemeral-Key``, minted by a client secret send) the bare offer is posted with
that key instead, and the key carries the session.

Configuration (also from the environment as ``PLAYGROUND_<NAME>``): ``CALL_MAX_OFFER_BYTES``
(an offer over it is refused before anything is sent) and ``CALL_MAX_ANSWER_BYTES`` (the
gateway's answer is cut there).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request

from playground.model.call_spec import CALL_ID, CallSpec, call_spec
from playground.transport.calls import (
    OfferRefused,
    answer_of,
    check_offer,
    ephemeral_request,
    unified_request,
)
from playground.transport.checks import check_credential
from playground.transport.client import request_headers
from playground.transport.result import Result
from playground.web.app_operations import where_calls_start_here
from playground.web.constants import EPHEMERAL_KEY_HEADER
from playground.web.exchange import Outgoing, Refused, exchange, render_refused
from playground.web.send_target import Target, field_errors, render_response, render_result
from playground.web.state import PageState, form_data_from_request, requested_operation

bp = Blueprint("call", __name__)

DEFAULTS: dict[str, Any] = {
    "CALL_MAX_OFFER_BYTES": 64 * 1024,
    "CALL_MAX_ANSWER_BYTES": 64 * 1024,
}
#: The form field holding the browser's SDP offer (``_`` names are the page's own, never a
#: parameter), the one naming the call to end, and the header an ephemeral key comes in.
OFFER_FIELD = "_sdp"
CALL_ID_FIELD = "call_id"


def init_app(app: Flask) -> None:
    """Set the call defaults, check them, register the routes."""
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
        setting = app.config[name]
        if isinstance(setting, bool) or not isinstance(setting, int) or setting < 1:
            raise ValueError(f"{name} must be a whole number of bytes, at least 1, not {setting!r}")
    app.register_blueprint(bp)


def _ephemeral_target(target: Target) -> Target:
    """Give ``target`` with the ephemeral key of the request in place of the credentials (it
    carries the organization and project too); raise :class:`RequestRefused` for a bad one."""
    key = check_credential(request.headers.get(EPHEMERAL_KEY_HEADER, "").strip(), "ephemeral key")
    headers = request_headers(key)
    hidden = {**target.secrets, key: "[the ephemeral key]"}
    return replace(target, headers=headers, secrets=hidden)


@bp.post("/call")
def start_call() -> Response:
    """Exchange the browser's SDP offer for the API's answer: JSON ``{"sdp", "call_id"}``, or
    the response pane saying what went wrong."""
    op = requested_operation()
    context: dict[str, Any] = {"result": None, "refused": ""}
    if op is None:
        context["refused"] = "Unknown operation: reload the page."
        return render_response(context)
    spec = call_spec(op)
    ephemeral = bool(request.headers.get(EPHEMERAL_KEY_HEADER, "").strip())
    state = PageState(op, form_data_from_request())
    # What the pane names is the call's request, not the operation's own.
    context.update(state.context(sent_with_errors=bool(state.errors) and not ephemeral))
    if spec is None:
        context["refused"] = where_calls_start_here(op)
        return render_response(context)
    context["op"] = replace(op, method="POST", path=spec.path)
    max_offer = int(current_app.config["CALL_MAX_OFFER_BYTES"])
    max_answer = int(current_app.config["CALL_MAX_ANSWER_BYTES"])
    try:
        offer = check_offer(request.form.get(OFFER_FIELD, ""), max_offer)
    except OfferRefused as exc:
        context["refused"] = str(exc)
        return render_response(context)

    def outgoing(target: Target) -> Outgoing:
        if ephemeral:
            return Outgoing(*ephemeral_request(offer, target.headers), max_answer)
        session = spec.session_of(state.body)
        return Outgoing(*unified_request(offer, session, target.headers), max_answer)

    sent = exchange(spec.path, outgoing, _ephemeral_target if ephemeral else None)
    if isinstance(sent, Refused):
        return render_refused(context, sent)
    answer = answer_of(sent.result, sent.target.secrets, max_answer)
    if answer is not None:
        response = jsonify(answer.as_json())
        response.headers["Cache-Control"] = "no-store"
        return response
    return _failed(context, state, spec, sent.target, sent.result)


def _failed(
    context: dict[str, Any], state: PageState, spec: CallSpec, target: Target, result: Result
) -> Response:
    """Give the response pane for a call that did not start, with the API's ``param`` marked
    in the form (the session's fields; the offer has none)."""
    error = result.api_error or {}
    param = error.get("param")
    if isinstance(param, str) and param.strip().partition(".")[0] == "sdp":
        return render_result(context, target, result, (dict(state.errors), ""))
    return render_result(
        context, target, result, field_errors(state, result, under=spec.session_key)
    )


def _hangup_answer(ok: bool, status: int | None, message: str, code: int = 200) -> Response:
    response = jsonify({"ok": ok, "status": status, "message": message})
    response.status_code = code
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/call/hangup")
def hang_up() -> Response:
    """End a call at the gateway: JSON ``{"ok", "status", "message"}``."""
    op = requested_operation()
    spec = call_spec(op) if op is not None else None
    if spec is None:
        return _hangup_answer(False, None, "This operation starts no call: nothing to end.")
    call_id = request.form.get(CALL_ID_FIELD, "")
    if not CALL_ID.fullmatch(call_id):
        return _hangup_answer(False, None, "No call id to end: the call may not have started.")
    ephemeral = bool(request.headers.get(EPHEMERAL_KEY_HEADER, "").strip())
    sent = exchange(
        spec.hangup_path(call_id),
        lambda target: Outgoing(
            b"", {k: v for k, v in target.headers.items() if k != "Content-Type"}
        ),
        _ephemeral_target if ephemeral else None,
    )
    if isinstance(sent, Refused):
        return sent.marked(_hangup_answer(False, None, sent.message))
    result = sent.result
    if result.status is not None and 200 <= result.status < 300:
        return _hangup_answer(True, result.status, "")
    error = result.api_error or {}
    message = str(error.get("message") or "") or result.failure or result.hint
    return _hangup_answer(False, result.status, message)
