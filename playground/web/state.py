"""What every route reads from a request and shows: the operation it names, the form data it
posts (with a row button's action applied), and the page state built from them.

One module owns these so that the blueprints read a request alike and never import each other
(:mod:`playground.web.page`, :mod:`playground.web.send`, :mod:`playground.web.share`, ...).
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import Any

from flask import abort, current_app, has_app_context, request
from werkzeug.exceptions import RequestEntityTooLarge

from playground.model import strict_json
from playground.model.deprecations import form_warnings, today_from
from playground.model.form_budget import over_budget
from playground.model.form_data import FormData
from playground.model.form_filler import form_from_body
from playground.model.form_names import row_index
from playground.model.form_reader import Built, build_body
from playground.model.operations import Operation
from playground.model.row_actions import add_row, remove_row
from playground.model.validation import validate_body
from playground.web.app_operations import app_operation, app_operations
from playground.web.constants import GATEWAY_FLAG_FIELD, SNIPPET_LANG_FIELD
from playground.web.forms import SessionForm, mark_deprecated_choices
from playground.web.send_panel import send_panel
from playground.web.snippet_views import SnippetAsk, SnippetView, snippet_views
from playground.web.visible import json_text

#: The form field (or query parameter) naming the operation.
OPERATION_FIELD = "op"
#: The form field a row button (add or remove a row) submits its action in.
ROW_ACTION_FIELD = "_action"
#: The field of the import form holding the pasted JSON body or curl command.
PASTED_FIELD = "pasted"


def is_htmx() -> bool:
    """Say whether htmx made this request (it swaps a fragment; a browser alone wants a page)."""
    return request.headers.get("HX-Request") == "true"


def requested_operation(read_form: bool = True) -> Operation | None:
    """Give the operation the request names (``op`` in the query, else in the posted form, the
    app's default when it names none), or None for one this app does not have.

    ``read_form=False`` reads the query only: a post too large to read is not read again.
    """
    try:
        return app_operation(_requested_id(read_form))
    except KeyError:
        return None


def _requested_id(read_form: bool = True) -> str:
    """Give the operation id the request names, the app's default when it names none."""
    where = request.values if read_form else request.args
    return where.get(OPERATION_FIELD) or _default_operation_id()


def operation_from_request(op_id: str | None = None) -> Operation:
    """Give the operation ``op_id`` names, else the one the request names; a 404 page naming
    it when this app has no such operation."""
    op_id = op_id or _requested_id()
    try:
        return app_operation(op_id)
    except KeyError:
        abort(404, description=f"Unknown operation {op_id!r}.")


def default_operation() -> Operation:
    """Give the app's default operation (``DEFAULT_OPERATION``)."""
    return app_operation(_default_operation_id())


def _default_operation_id() -> str:
    return str(current_app.config["DEFAULT_OPERATION"])


def form_data_from_request() -> FormData:
    """Give the posted form data as it is."""
    return FormData.of(request.form)


def requested_snippet() -> SnippetAsk:
    """Give what the request asks of the snippet pane: the tab the page shows
    (``_snippet_lang``), and whether the visitor has a gateway (``_gateway=1``)."""
    try:
        asked = request.form
    except RequestEntityTooLarge:  # the page that says so is drawn with the defaults
        return SnippetAsk()
    return SnippetAsk(asked.get(SNIPPET_LANG_FIELD), asked.get(GATEWAY_FLAG_FIELD) == "1")


def form_data_after_row_action(op: Operation) -> FormData:
    """Give the posted form data with the row button's action (``add:PATH`` or
    ``remove:PATH.N``) applied, as the page draws it next."""
    data = form_data_from_request()
    action = data.get(ROW_ACTION_FIELD)
    if action.startswith("add:"):
        add_row(op.root, data, action[4:])
    elif action.startswith("remove:"):
        path, _, index = action[7:].rpartition(".")
        number = row_index(index)
        if number is not None:
            data = remove_row(data, path, number)
    return data


class PageState:
    """Everything the page shows for one state of the form: fields, body, errors."""

    def __init__(self, op: Operation, data: FormData, today: date | None = None) -> None:
        self.op = op
        self.data = data
        self.built: Built = build_body(op.root, data)
        if over_budget(op.root, self.built.body, data.keys()):
            # Its largest lists become JSON editors, holding what the rows held.
            self.data = data = form_from_body(op.root, self.built.body).form
            self.built = build_body(op.root, data)
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
            mark_deprecated_choices(self._form, self.op.root, self.today)
        return self._form

    @cached_property
    def settings(self) -> int:
        """Give how many settings the body sets (values at the leaves, not top-level keys):
        counted once per page, which shows it twice."""
        return self.op.root.settings_in(self.body)

    @property
    def body_json(self) -> str:
        """Give the body exactly as it is sent, pretty-printed (hidden characters as their JSON
        escapes: the same value, nothing unseen; see :mod:`playground.web.visible`)."""
        return json_text(self.body, **strict_json.readable(self.body))

    def snippet_views(self) -> list[SnippetView]:
        """Give the snippet pane's tabs for the body, as the request asks them."""
        return snippet_views(self.op, self.body, requested_snippet())

    def page_context(self, **extra: Any) -> dict[str, Any]:
        """Give the context of the whole page: the form's, and what its send panel offers."""
        return self.context(send_panel=send_panel(), **extra)

    def context(self, snippet: bool = True, **extra: Any) -> dict[str, Any]:
        """Give the template context (with the snippet pane's ``views`` unless ``snippet`` is
        false: an answer without the pane does not draw it)."""
        views = self.snippet_views() if snippet else []
        return {"op": self.op, "ops": app_operations(), "state": self, "views": views, **extra}
