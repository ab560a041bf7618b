"""Sending: ``POST /send`` builds the body like the preview and posts it to a gateway.

The browser keeps the gateway URL and the credentials in its own storage and adds them to the
send request only, as headers (``static/auth.js``): they are never form fields, so they cannot
end up in the form state, the preview, a snippet or a share link, and a cross-site form post
cannot set them (see :mod:`playground.web.send_target`). The gateways, the settings and the
HTTP client live in :mod:`playground.web.gateways`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from playground.web.exchange import Outgoing, Refused, exchange, render_refused
from playground.web.send_target import field_errors, render_response, render_result
from playground.web.state import PageState, form_data_from_request, requested_operation

bp = Blueprint("send", __name__)


@bp.post("/send")
def send() -> Response:
    """Post the form's body to the gateway and render what came back."""
    op = requested_operation()
    context: dict[str, Any] = {"result": None, "refused": ""}
    if op is None:
        context["refused"] = "Unknown operation: reload the page."
        return render_response(context)
    state = PageState(op, form_data_from_request())
    context.update(state.context(snippet=False, sent_with_errors=bool(state.errors)))
    sent = exchange(op.path, lambda target: Outgoing.json(state.body, target))
    if isinstance(sent, Refused):
        return render_refused(context, sent)
    return render_result(context, sent.target, sent.result, field_errors(state, sent.result))
