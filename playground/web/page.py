"""The page: the form, the live request-body preview, and row add/remove."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from playground.codecs.beta_to_ga import Note, migrate
from playground.codecs.link_state import Loaded, load_query, operation_for_token
from playground.codecs.share_token import ShareError, decode_token, encode_token
from playground.model.form_data import FormData
from playground.model.form_filler import form_from_body
from playground.model.form_reader import build_body
from playground.model.operations import Operation
from playground.web.app_operations import app_operation, app_operations
from playground.web.state import (
    OPERATION_FIELD,
    PageState,
    form_data_after_row_action,
    form_data_from_request,
    operation_from_request,
)

bp = Blueprint("page", __name__)


@bp.route("/", methods=("GET", "POST"))
def index() -> str:
    """Render the whole page (a POST comes from the form when JavaScript is off)."""
    op = operation_from_request()
    if request.method == "GET" and "p" in request.args and OPERATION_FIELD not in request.args:
        op = operation_for_token(op, app_operations().values(), request.args["p"])
    data = form_data_after_row_action(op) if request.method == "POST" else FormData()
    loaded = load_query(op, request.args) if request.method == "GET" else None
    if loaded is not None:  # ?p=TOKEN or ?preset=NAME: the form a link or preset fills
        data = loaded.form
    return render_template("index.html", **PageState(op, data).page_context(loaded=loaded))


def _form_answer(state: PageState, **parts: bool) -> str:
    """Give what follows the form for ``state`` (``partials/_form_answer.html``): the preview,
    and out of band the send check, plus the ``parts`` asked for (``field_slots``,
    ``with_snippet``, ``preview_oob``)."""
    context = state.context(snippet=parts.get("with_snippet", False))
    return render_template("partials/_form_answer.html", oob=True, **parts, **context)


@bp.post("/update")
def update() -> Response:
    """Render what the page shows beside the form as it changes, from one body: the preview,
    and out of band every field's error slot, the send check and the snippet panels."""
    op = operation_from_request()
    # A request fired while a row button's request is in flight carries that button (htmx adds
    # the form's last clicked submitter): apply its action, so both answers show the same body.
    state = PageState(op, form_data_after_row_action(op))
    html = _form_answer(state, field_slots=True, with_snippet=True)
    return Response(html, mimetype="text/html")


@bp.post("/preview")
def preview() -> Response:
    """Render the request-body preview and every field's error slot (out of band), without
    the snippet (the page asks POST /update; this answers other clients)."""
    op = operation_from_request()
    state = PageState(op, form_data_after_row_action(op))
    return Response(_form_answer(state, field_slots=True), mimetype="text/html")


@bp.post("/form")
def form_fields() -> Response:
    """Render the form fields after adding or removing a row, with the preview, the send check
    and the snippet panels out of band (the new fields hold their own error slots)."""
    op = operation_from_request()
    state = PageState(op, form_data_after_row_action(op))
    html = render_template("partials/_form_fields.html", **state.context(snippet=False))
    html += _form_answer(state, preview_oob=True, with_snippet=True)
    return Response(html, mimetype="text/html")


@bp.route("/convert", methods=("GET", "POST"))
def convert() -> BaseResponse | str:
    """Render the successor operation's page filled with a configuration, converted.

    The form posts here; the answer is a redirect to ``GET /convert?from=OP&p=TOKEN`` (the beta
    body as a share token), so the address bar names the conversion and a reload or Back
    shows it again. A body too large for a link is rendered at once instead.
    """
    beta = operation_from_request(request.args.get("from") if request.method == "GET" else None)
    target = _successor_of(beta)
    if request.method == "POST":
        body = build_body(beta.root, form_data_from_request()).body
        try:
            token = encode_token(body)
        except ShareError:
            return _converted(beta, target, body)
        # "from" is a Python keyword; url_for takes its query values as Any.
        query: dict[str, Any] = {"from": beta.id, "p": token}
        return redirect(url_for("page.convert", **query), 303)
    try:
        body = decode_token(request.args.get("p", ""))
    except ShareError as exc:
        loaded = Loaded(source="link", error=f"This conversion link is broken: {exc}")
        return render_template(
            "index.html", **PageState(beta, FormData()).page_context(loaded=loaded)
        )
    return _converted(beta, target, body)


def _successor_of(op: Operation) -> Operation:
    """Give the operation ``op`` converts to; a 404 when it converts to nothing."""
    successor = op.extra.get("successor")
    if not successor:
        abort(404, description=f"{op.label} has nothing to convert to.")
    return app_operation(successor)


def _converted(beta: Operation, target: Operation, body: dict[str, Any]) -> str:
    result = migrate(body)
    filled = form_from_body(target.root, result.body)
    # What the form could not take as converted (an empty string, a carriage return) is said
    # with the conversion's own notes, as a link's banner would say it.
    notes = [
        *result.notes,
        *(
            Note(path, f"Left out of the form: {why}", "changed")
            for path, why in filled.problems.items()
        ),
        *(Note(path, why, "changed") for path, why in filled.altered.items()),
    ]
    state = PageState(target, filled.form)
    return render_template("index.html", **state.page_context(notes=notes, converted_from=beta))
