"""WTForms fields built at run time by walking an operation's node tree.

One field per input name (see :mod:`playground.model.schema` for the naming); HTML5 attributes
(``min``, ``max``, ``step``, ``required``) mirror the schema. The structure around the fields
(fieldsets, mode switches, rows) is drawn by the ``_field.html`` macros from the same nodes.
"""

from __future__ import annotations

import re
from datetime import date
from functools import singledispatch
from typing import Any, TypeAlias, cast

from wtforms import (
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import (  # type: ignore[attr-defined]  # wtforms 3.3's; stubs: 3.2
    SelectChoice,
)
from wtforms.fields.core import UnboundField
from wtforms.form import BaseForm
from wtforms.widgets import CheckboxInput, ListWidget, NumberInput

from playground.model.deprecations import deprecations_in, row_zero
from playground.model.form_data import FormData
from playground.model.form_names import CUSTOM, custom_key, json_key, mode_key
from playground.model.leaf_nodes import BooleanNode, EnumListNode, JsonNode, NumberNode, StringNode
from playground.model.nodes import Node
from playground.model.row_limits import row_indices
from playground.model.select_union import BRANCH_MARK, SelectUnionNode

#: An input's name and its field. A field made outside a form is an ``UnboundField`` until
#: :class:`~wtforms.form.BaseForm` binds it; WTForms' stubs type the constructor as giving the
#: field itself, so the one place that hands them to the form says what they are.
NamedField: TypeAlias = tuple[str, Field]


def _choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def field_id(path: str) -> str:
    """Give the HTML id of the input at a form path."""
    return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", path)


class SessionForm:
    """The WTForms form for one operation and one state of the form data."""

    def __init__(self, root: Node, data: FormData) -> None:
        self.root = root
        self.data = data
        self.rows: dict[str, list[int]] = {}
        self.required: set[str] = set()
        fields: list[NamedField] = []
        self._collect(root, "", False, fields)
        self.form = BaseForm(cast("list[tuple[str, UnboundField[Field]]]", fields))
        self.form.process(data)

    def __getitem__(self, name: str) -> Field:
        return self.form[name]

    def __contains__(self, name: str) -> bool:
        return name in self.form

    def _collect(self, node: Node, path: str, required: bool, out: list[NamedField]) -> None:
        """Add the fields of ``node``; ``required`` says whether the object holding it requires it.

        A required property is marked ``required`` wherever its object sits (a tool row, a
        configured object, a chosen branch): the input only shows while that object is present,
        since a row exists only once added and CSS hides the panes of unchosen modes. The form
        is ``novalidate``, so a hidden required input never blocks a post; the builder reports
        what is missing. A top-level optional parameter is never required, nor is a leaf that
        is a whole union branch or array row (an empty string row is sent as ``""``).

        A list over the form's budget is one JSON editor (``PATH@json``) instead of its rows.
        """
        if node.has_rows and json_key(path) in self.data:
            out.append((json_key(path), _json_editor(path)))
            return
        if node.has_switch and path:
            out.append((mode_key(path), _mode_field(node, path)))
        rows: list[int] = []
        if node.has_rows:
            rows = self.rows[path] = row_indices(self.data, path)[: node.row_limit]
        for part in node.parts(path, rows):
            if part.drawn:
                self._collect(part.node, part.path, part.required, out)
        inputs = _fields(node, path, required, self.data)
        out.extend(inputs)
        if required and inputs and node.is_leaf:
            self.required.add(path)


def _mode_field(node: Node, path: str) -> Field:
    choices = node.modes()
    return RadioField(
        f"{node.name} mode",
        choices=_choices(choices),
        default=choices[0][0],
        id=field_id(mode_key(path)),
    )


def _json_editor(path: str) -> Field:
    attrs = {"aria-describedby": f"e-{field_id(path)}", "rows": 12, "spellcheck": "false"}
    return TextAreaField(id=field_id(json_key(path)), render_kw={**attrs, "class": "json"})


def _unset_label(node: Node) -> str:
    if node.has_default:
        return f"unset (server default: {node.default_label})"
    return "unset"


@singledispatch
def _fields(node: Node, path: str, required: bool, data: FormData) -> list[NamedField]:
    """Give the ``(name, field)`` inputs of a node (none for one that only holds others).

    The one place the form asks a node's class which WTForms field draws it."""
    return []


def _attrs(path: str, required: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    attrs: dict[str, Any] = {"aria-describedby": f"e-{field_id(path)}"}
    if required:
        attrs["required"] = True
    return {"id": field_id(path)}, attrs


@_fields.register
def _string(node: StringNode, path: str, required: bool, data: FormData) -> list[NamedField]:
    if node.choices:
        # A select that is a union's branch (``voice:name``) was chosen with the mode switch:
        # it starts on its first choice, so choosing the branch is never an error at once.
        whole_branch = ":" in path.rpartition(".")[2]
        unset = (required and not node.open) or whole_branch
        return _select(node, path, required, data, None if unset else _unset_label(node), [])
    kw, attrs = _attrs(path, required)
    if node.has_default:
        attrs["placeholder"] = f"server default: {node.default_label}"
    cls = TextAreaField if node.multiline else StringField
    if node.multiline:
        attrs["rows"] = 4
    return [(path, cls(node.name, render_kw=attrs, **kw))]


@_fields.register
def _select_union(
    node: SelectUnionNode, path: str, required: bool, data: FormData
) -> list[NamedField]:
    # One select: "unset", the listed strings, a custom one, then a choice per other branch
    # (last, in the order of their panes: CSS shows the pane of the last options by position).
    others = [(BRANCH_MARK + b.key, f"{b.label[:1].upper()}{b.label[1:]}…") for b in node.others]
    unset = None if required else _unset_label(node)
    return _select(node.string_node, path, required, data, unset, others)


def _select(
    node: StringNode,
    path: str,
    required: bool,
    data: FormData,
    unset: str | None,
    others: list[tuple[str, str]],
) -> list[NamedField]:
    """Give a select of the node's choices (after ``unset``, when given; ``others`` last) and
    the custom value's input beside it when the choice is open."""
    kw, attrs = _attrs(path, required)
    current = data.get(path)
    choices = [] if unset is None else [("", unset)]
    choices += [(c, c) for c in node.choices]
    custom_label = str(node.schema.get("x-custom-label", "value"))
    if node.open:
        choices.append((CUSTOM, f"Custom {custom_label}…"))
    elif current and current not in node.choices and current not in dict(others):
        # A loaded value the schema refuses stays selected for the validation to flag.
        choices.append((current, f"{current} (not a choice)"))
    choices += others
    select = SelectField(node.name, choices=_choices(choices), render_kw=attrs, **kw)
    out: list[NamedField] = [(path, select)]
    if node.open:
        custom = StringField(
            f"Custom {custom_label}",
            id=field_id(custom_key(path)),
            render_kw={"placeholder": node.schema.get("x-custom-label", "custom value")},
        )
        out.append((custom_key(path), custom))
    return out


@_fields.register
def _number(node: NumberNode, path: str, required: bool, data: FormData) -> list[NamedField]:
    kw, attrs = _attrs(path, required)
    if node.has_default:
        attrs["placeholder"] = f"default {node.default_label}"
    widget = NumberInput(step=node.step, min=node.minimum, max=node.maximum)
    return [(path, StringField(node.name, widget=widget, render_kw=attrs, **kw))]


@_fields.register
def _boolean(node: BooleanNode, path: str, required: bool, data: FormData) -> list[NamedField]:
    kw, attrs = _attrs(path, required)
    choices = [] if required else [("", _unset_label(node))]
    choices += [("true", "true"), ("false", "false")]
    return [(path, SelectField(node.name, choices=_choices(choices), render_kw=attrs, **kw))]


@_fields.register
def _json(node: JsonNode, path: str, required: bool, data: FormData) -> list[NamedField]:
    kw, attrs = _attrs(path, required)
    attrs.update({"rows": 5, "spellcheck": "false", "class": "json"})
    attrs["placeholder"] = '{"type": "object", "properties": {}}' if node.expects_object else "JSON"
    return [(path, TextAreaField(node.name, render_kw=attrs, **kw))]


@_fields.register
def _checkboxes(node: EnumListNode, path: str, required: bool, data: FormData) -> list[NamedField]:
    # Choices the schema refuses (a loaded body's) stay checked for the validation to flag.
    chosen = data.getlist(path)
    order = chosen + [c for c in node.choices if c not in chosen]
    field = SelectMultipleField(
        node.name,
        choices=_choices([(c, c) for c in order]),
        id=field_id(path),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    return [(path, field)]


def mark_deprecated_choices(form: SessionForm, root: Node, today: date) -> None:
    """Label the deprecated choices of every select and move them after the current ones."""
    table = deprecations_in(root)
    if not table:
        return
    for field in form.form:
        found = table.get(row_zero(field.name))
        if found is None or not found.values or not isinstance(field, SelectField):
            continue
        choices = field.choices
        if not isinstance(choices, list):
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


def default_text(node: Node) -> str:
    """Give the line that states a node's default and range (for the help line)."""
    parts = []
    if node.has_default and not node.default_in_input:
        parts.append(f"default {node.default_label}")
    if node.range_label:
        parts.append(f"range {node.range_label}")
    if node.nullable:
        parts.append("null turns it off")
    return " · ".join(parts)
