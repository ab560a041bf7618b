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

from playground.model.call_spec import CALL_ID, MAX_OFFER_BYTES, CallSpec, call_spec
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
from playground.web.exchange import Outgoing, Refused, exchange
from playground.web.json_answers import answers_json_only, failure, json_answer, refusal
from playground.web.refusals import answer_refused
from playground.web.send_target import Target, field_errors
from playground.web.state import PageState, form_data_from_request, requested_operation
from playground.web.visible import shown

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
        return json_answer(refusal(where_calls_start_here(op), 400), 400)
    max_offer = int(current_app.config["CALL_MAX_OFFER_BYTES"])
    max_answer = int(current_app.config["CALL_MAX_ANSWER_BYTES"])
    try:
        offer = check_offer(request.form.get(OFFER_FIELD, ""), max_offer)
    except OfferRefused as exc:
        return json_answer(refusal(str(exc), 400), 400)

    def outgoing(target: Target) -> Outgoing:
        if ephemeral:
            return Outgoing(*ephemeral_request(offer, target.headers), max_answer)
        session = spec.session_of(state.body)
        return Outgoing(*unified_request(offer, session, target.headers), max_answer)

    sent = exchange(spec.path, outgoing, _ephemeral_target if ephemeral else None)
    if isinstance(sent, Refused):
        return _refused(sent, json_answer(refusal(sent.message, 400), 400))
    answer = answer_of(sent.result, sent.target.secrets, max_answer)
    if answer is not None:
        return json_answer({"ok": True, **answer.as_json()})
    return _failed(state, spec, sent.target, sent.result, sent_with_errors=not ephemeral)


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


def _hangup_answer(ok: bool, status: int | None, message: str) -> Response:
    return json_answer({"ok": ok, "status": status, "message": message})


def _refused(refused: Refused, otherwise: Response) -> Response:
    """Give the answer to a call route's exchange that was refused: over the in-flight limit,
    the JSON refusal with ``retry_after`` (429, ``Retry-After`` set by answer_refused), else
    ``otherwise``."""
    if refused.retry_after is None:
        return otherwise
    return answer_refused(refused.message, 429, keep_form=True, retry_after=refused.retry_after)


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
        return _refused(sent, _hangup_answer(False, None, sent.message))
    result = sent.result
    if result.status is not None and 200 <= result.status < 300:
        return _hangup_answer(True, result.status, "")
    error = result.api_error or {}
    message = str(error.get("message") or "") or result.failure or result.hint
    return _hangup_answer(False, result.status, shown(message))  # the gateway's text, shown
