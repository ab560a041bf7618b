"""The page: the form, the live request-body preview, and row add/remove."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    has_app_context,
    redirect,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup, escape

from playground.codecs.beta_to_ga import Note, migrate
from playground.codecs.form_data import FormData
from playground.codecs.form_filler import form_from_body
from playground.codecs.form_names import CUSTOM, row_index
from playground.codecs.form_reader import Built, build_body
from playground.codecs.link_state import Loaded, load_query, operation_for_token
from playground.codecs.row_actions import add_row, remove_row
from playground.codecs.share_token import ShareError, decode_token, encode_token
from playground.model.deprecations import (
    deprecation_of,
    deprecations_in,
    form_warnings,
    row_zero,
    today_from,
)
from playground.model.operations import Operation, all_operations, get_operation
from playground.model.schema import Node, join, json_path
from playground.model.validation import validate_body
from playground.web.constants import page_constants
from playground.web.forms import SessionForm, default_text, field_id
from playground.web.visible import json_text, visible

bp = Blueprint("page", __name__)


@bp.app_template_filter("prose")
def prose(text: str) -> Markup:
    """Give a schema description as HTML paragraphs, with `code` spans."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    out = []
    for para in paragraphs:
        html = str(escape(" ".join(para.split())))
        html = re.sub(r"`([^`]+)`", r"<code>\1</code>", html)
        html = re.sub(r"\[([^\]]+)\]\((?:[^)]+)\)", r"\1", html)
        out.append(f"<p>{html}</p>")
    return Markup("".join(out))


for _helper in (field_id, default_text, join, json_path, page_constants):
    bp.add_app_template_global(_helper)
# The one filter for text a visitor or a gateway wrote, wherever the page shows it.
bp.add_app_template_filter(visible, "visible")


@bp.app_template_global()
def has_deprecations(node: Node) -> bool:
    """Say whether a field has deprecated values (or is deprecated): it gets a warning slot."""
    return deprecation_of(node.schema) is not None


class PageState:
    """Everything the page shows for one state of the form: fields, body, errors."""

    def __init__(self, op: Operation, data: FormData, today: date | None = None) -> None:
        self.op = op
        self.data = data
        self.built: Built = build_body(op.root, data)
        self.body = self.built.body
        self.errors: dict[str, str] = dict(self.built.errors)
        for path, message in validate_body(op.request_schema, op.root, self.body).items():
            self.errors.setdefault(self.built.form_path(path) or path, message)
        self.today = today or today_from(
            current_app.config.get("DEPRECATIONS_TODAY") if has_app_context() else None
        )
        # Warnings, not errors: a deprecated value is still sent, and Send stays "Send".
        self.warnings = form_warnings(op.root, self.built, self.today)
        self._form: SessionForm | None = None

    @property
    def form(self) -> SessionForm:
        """Give the WTForms form (built only when a template needs the fields)."""
        if self._form is None:
            self._form = SessionForm(self.op.root, self.data)
            _mark_deprecated_choices(self._form, self.op.root, self.today)
        return self._form

    @property
    def body_json(self) -> str:
        """Give the body exactly as it is sent, pretty-printed (hidden characters as their JSON
        escapes: the same value, nothing unseen; see :mod:`playground.web.visible`)."""
        return json_text(self.body, indent=2)

    def context(self, **extra: Any) -> dict[str, Any]:
        """Give the template context."""
        return {"op": self.op, "ops": all_operations(), "state": self, **extra}


def _mark_deprecated_choices(form: SessionForm, root: Node, today: date) -> None:
    """Label the deprecated choices of every select and move them after the current ones."""
    table = deprecations_in(root)
    if not table:
        return
    for field in form.form:
        found = table.get(row_zero(field.name))
        choices = getattr(field, "choices", None)
        if found is None or not found.values or not isinstance(choices, list):
            continue
        old = [c for c in choices if c.value in found.values]
        kept = [c for c in choices if c.value not in found.values]
        # Before "Custom value…" (or a loaded value that is not a choice), after the rest.
        at = next(
            (
                i
                for i, c in enumerate(kept)
                if c.value == CUSTOM or c.label.endswith("(not a choice)")
            ),
            len(kept),
        )
        relabelled = [
            type(c)(c.value, found.values[c.value].label(today), c.render_kw, c.optgroup)
            for c in old
        ]
        field.choices = kept[:at] + relabelled + kept[at:]


def _operation(op_id: str | None = None) -> Operation:
    op_id = op_id or request.values.get("op") or current_app.config["DEFAULT_OPERATION"]
    try:
        return get_operation(op_id)
    except KeyError:
        abort(404, description=f"Unknown operation {op_id!r}.")


def _form_data(op: Operation) -> FormData:
    data = FormData.of(request.form)
    action = data.get("_action")
    if action.startswith("add:"):
        add_row(op.root, data, action[4:])
    elif action.startswith("remove:"):
        path, _, index = action[7:].rpartition(".")
        number = row_index(index)
        if number is not None:
            data = remove_row(data, path, number)
    return data


@bp.route("/", methods=("GET", "POST"))
def index() -> str:
    """Render the whole page (a POST comes from the form when JavaScript is off)."""
    op = _operation()
    if request.method == "GET" and "p" in request.args and "op" not in request.args:
        op = operation_for_token(op, all_operations().values(), request.args["p"])
    data = _form_data(op) if request.method == "POST" else FormData()
    loaded = load_query(op, request.args) if request.method == "GET" else None
    if loaded is not None:  # ?p=TOKEN or ?preset=NAME: the form a link or preset fills
        data = loaded.form
    return render_template("index.html", **PageState(op, data).context(loaded=loaded))


def _form_answer(state: PageState, **parts: bool) -> str:
    """Give what follows the form for ``state`` (``partials/_form_answer.html``): the preview,
    and out of band the send check, plus the ``parts`` asked for (``field_slots``,
    ``with_snippet``, ``preview_oob``)."""
    return render_template("partials/_form_answer.html", oob=True, **parts, **state.context())


@bp.post("/update")
def update() -> Response:
    """Render what the page shows beside the form as it changes, from one body: the preview,
    and out of band every field's error slot, the send check and the snippet panels."""
    op = _operation()
    # A request fired while a row button's request is in flight carries that button (htmx adds
    # the form's last clicked submitter): apply its action, so both answers show the same body.
    state = PageState(op, _form_data(op))
    html = _form_answer(state, field_slots=True, with_snippet=True)
    return Response(html, mimetype="text/html")


@bp.post("/preview")
def preview() -> Response:
    """Render the request-body preview and every field's error slot (out of band), without
    the snippet (the page asks POST /update; this answers other clients)."""
    op = _operation()
    state = PageState(op, _form_data(op))
    return Response(_form_answer(state, field_slots=True), mimetype="text/html")


@bp.post("/form")
def form_fields() -> Response:
    """Render the form fields after adding or removing a row, with the preview, the send check
    and the snippet panels out of band (the new fields hold their own error slots)."""
    op = _operation()
    state = PageState(op, _form_data(op))
    html = render_template("partials/_form_fields.html", **state.context())
    html += _form_answer(state, preview_oob=True, with_snippet=True)
    return Response(html, mimetype="text/html")


@bp.route("/convert", methods=("GET", "POST"))
def convert() -> Response | str:
    """Render the successor operation's page filled with a configuration, converted.

    The form posts here; the answer is a redirect to ``GET /convert?from=OP&p=TOKEN`` (the beta
    body as a share token), so the address bar names the conversion and a reload or Back
    shows it again. A body too large for a link is rendered at once instead.
    """
    beta = _operation(request.args.get("from") if request.method == "GET" else None)
    target = _successor_of(beta)
    if request.method == "POST":
        body = build_body(beta.root, FormData.of(request.form)).body
        try:
            token = encode_token(body)
        except ShareError:
            return _converted(beta, target, body)
        return redirect(url_for("page.convert", **{"from": beta.id}, p=token), 303)
    try:
        body = decode_token(request.args.get("p", ""))
    except ShareError as exc:
        loaded = Loaded(source="link", error=f"This conversion link is broken: {exc}")
        return render_template("index.html", **PageState(beta, FormData()).context(loaded=loaded))
    return _converted(beta, target, body)


def _successor_of(op: Operation) -> Operation:
    """Give the operation ``op`` converts to; a 404 when it converts to nothing."""
    successor = op.extra.get("successor")
    if not successor:
        abort(404, description=f"{op.label} has nothing to convert to.")
    return get_operation(successor)


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
    return render_template("index.html", **state.context(notes=notes, converted_from=beta))
