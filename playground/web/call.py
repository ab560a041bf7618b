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

from flask import Blueprint, Flask, Response, current_app, request

from playground.model.call_spec import (
    CALL_ID,
    MAX_OFFER_BYTES,
    CallSpec,
    call_spec,
    where_calls_start,
)
from playground.transport.calls import (
    OfferRefused,
    answer_of,
    check_offer,
    ephemeral_request,
    unified_request,
)
from playground.transport.checks import RequestRefused, check_credential
from playground.transport.client import request_headers
from playground.transport.in_flight import TooManyInFlight
from playground.transport.result import Result
from playground.web.constants import EPHEMERAL_KEY_HEADER
from playground.web.gateways import upstream
from playground.web.json_answers import answers_json_only, failure, json_answer, refusal
from playground.web.refusals import answer_too_many_in_flight
from playground.web.send_target import Target, field_errors, in_flight, target_for
from playground.web.state import PageState, form_data_from_request, requested_operation

bp = Blueprint("call", __name__)
answers_json_only(bp)  # refusals too: the page's script reads them (web/json_answers.py)

DEFAULTS: dict[str, Any] = {
    "CALL_MAX_OFFER_BYTES": MAX_OFFER_BYTES,  # the mock's cap too
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
    """Exchange the browser's SDP offer for the API's answer: JSON ``{"ok", "sdp", "call_id"}``,
    or what went wrong (web/json_answers.py)."""
    op = requested_operation()
    if op is None:
        return json_answer(refusal("Unknown operation: reload the page.", 400), 400)
    spec = call_spec(op)
    ephemeral = bool(request.headers.get(EPHEMERAL_KEY_HEADER, "").strip())
    state = PageState(op, form_data_from_request())
    if spec is None:
        return json_answer(refusal(where_calls_start(op), 400), 400)
    max_offer = int(current_app.config["CALL_MAX_OFFER_BYTES"])
    try:
        offer = check_offer(request.form.get(OFFER_FIELD, ""), max_offer)
        target = target_for(spec.path)
        if ephemeral:
            target = _ephemeral_target(target)
            data, headers = ephemeral_request(offer, target.headers)
        else:
            session = spec.session_of(state.body)
            data, headers = unified_request(offer, session, target.headers)
    except (OfferRefused, RequestRefused) as exc:
        return json_answer(refusal(str(exc), 400), 400)
    max_answer = int(current_app.config["CALL_MAX_ANSWER_BYTES"])
    try:
        with in_flight(target):
            result = upstream().post(
                target.url,
                data,
                headers,
                redact=target.secrets,
                deadline=target.deadline,
                max_bytes=max_answer,
            )
    except TooManyInFlight as exc:  # answered at once, as a send is
        return answer_too_many_in_flight(exc)
    answer = answer_of(result, target.secrets, max_answer)
    if answer is not None:
        return json_answer({"ok": True, **answer.as_json()})
    return _failed(state, spec, target, result, sent_with_errors=not ephemeral)


def _failed(
    state: PageState, spec: CallSpec, target: Target, result: Result, sent_with_errors: bool
) -> Response:
    """Give what a call that did not start got, with the API's ``param`` marked in the form
    (the session's fields; the offer has none)."""
    error = result.api_error or {}
    param = error.get("param")
    if isinstance(param, str) and param.strip().partition(".")[0] == "sdp":
        marked: tuple[dict[str, str], str] = (dict(state.errors), "")
    else:
        marked = field_errors(state, result, under=spec.session_key)
    count = len(state.errors) if sent_with_errors else 0
    return json_answer(failure(result, target.label, spec.path, marked, count), 502)


def _hangup_answer(
    ok: bool, status: int | None, message: str, code: int = 200, retry_after: int | None = None
) -> Response:
    payload = {"ok": ok, "status": status, "message": message}
    if retry_after is not None:
        payload["retry_after"] = retry_after
    return json_answer(payload, code)


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
    try:
        target = target_for(spec.hangup_path(call_id))
        if request.headers.get(EPHEMERAL_KEY_HEADER, "").strip():
            target = _ephemeral_target(target)
    except RequestRefused as exc:
        return _hangup_answer(False, None, str(exc))
    headers = {k: v for k, v in target.headers.items() if k != "Content-Type"}
    try:
        with in_flight(target):
            result = upstream().post(
                target.url, b"", headers, redact=target.secrets, deadline=target.deadline
            )
    except TooManyInFlight as exc:
        response = _hangup_answer(False, None, exc.message, 429, exc.retry_after)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    if result.status is not None and 200 <= result.status < 300:
        return _hangup_answer(True, result.status, "")
    error = result.api_error or {}
    message = str(error.get("message") or "") or result.failure or result.hint
    return _hangup_answer(False, result.status, message)
