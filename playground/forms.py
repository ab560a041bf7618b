"""WTForms fields built at run time by walking an operation's node tree.

One field per input name (see :mod:`playground.schema` for the naming); HTML5 attributes
(``min``, ``max``, ``step``, ``required``) mirror the schema. The structure around the fields
(fieldsets, mode switches, rows) is drawn by the ``_field.html`` macros from the same nodes.
"""

from __future__ import annotations

import re
from typing import Any

from werkzeug.datastructures import MultiDict
from wtforms import (
    Field,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.form import BaseForm
from wtforms.widgets import CheckboxInput, ListWidget, NumberInput

from .body import CUSTOM, FormData, row_indices, row_limit, uses_mode
from .schema import (
    ArrayNode,
    BooleanNode,
    EnumListNode,
    JsonNode,
    Node,
    NumberNode,
    ObjectNode,
    StringNode,
    UnionNode,
    _json_label,
    join,
)


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
        fields: list[tuple[str, Any]] = []
        self._collect(root, "", False, fields)
        self.form = BaseForm(fields)
        self.form.process(MultiDict(data.items()))

    def __getitem__(self, name: str) -> Field:
        return self.form[name]

    def __contains__(self, name: str) -> bool:
        return name in self.form

    def _collect(self, node: Node, path: str, required: bool, out: list[tuple[str, Any]]) -> None:
        """Add the fields of ``node``; ``required`` says whether the object holding it requires it.

        A required property is marked ``required`` wherever its object sits (a tool row, a
        configured object, a chosen branch): the input only shows while that object is present,
        since a row exists only once added and CSS hides the panes of unchosen modes. The form
        is ``novalidate``, so a hidden required input never blocks a post; the builder reports
        what is missing. A top-level optional parameter is never required, nor is a leaf that
        is a whole union branch or array row (an empty string row is sent as ``""``).
        """
        if uses_mode(node) and path:
            out.append((f"{path}@mode", _mode_field(node, path)))
        if isinstance(node, ObjectNode):
            for key, child in node.properties.items():
                if key != node.discriminator:
                    self._collect(child, join(path, key), child.required, out)
        elif isinstance(node, UnionNode):
            for branch in node.branches:
                self._collect(branch.node, f"{path}:{branch.key}", False, out)
        elif isinstance(node, ArrayNode) and node.item is not None:
            self.rows[path] = row_indices(self.data, path)[: row_limit(node)]
            for index in self.rows[path]:
                self._collect(node.item, join(path, str(index)), False, out)
        elif isinstance(node, EnumListNode):
            # Choices the schema refuses (a loaded body's) stay checked for the validation to flag.
            chosen = self.data.getlist(path)
            order = chosen + [c for c in node.choices if c not in chosen]
            out.append(
                (
                    path,
                    SelectMultipleField(
                        node.name,
                        choices=_choices([(c, c) for c in order]),
                        id=field_id(path),
                        widget=ListWidget(prefix_label=False),
                        option_widget=CheckboxInput(),
                    ),
                )
            )
        else:
            leaf = _leaf_field(node, path, required, self.data.get(path))
            if leaf is not None:
                out.append((path, leaf))
                if required:
                    self.required.add(path)
            if isinstance(node, StringNode) and node.choices and node.open:
                out.append(
                    (
                        f"{path}@custom",
                        StringField(
                            f"Custom {node.schema.get('x-custom-label', 'value')}",
                            id=field_id(f"{path}@custom"),
                            render_kw={
                                "placeholder": node.schema.get("x-custom-label", "custom value")
                            },
                        ),
                    )
                )


def _mode_field(node: Node, path: str) -> Any:
    choices = node.modes()
    return RadioField(
        f"{node.name} mode",
        choices=_choices(choices),
        default=choices[0][0],
        id=field_id(f"{path}@mode"),
    )


def _unset_label(node: Node) -> str:
    if node.has_default:
        return f"unset (server default: {node.default_label})"
    return "unset"


def _leaf_field(node: Node, path: str, required: bool, current: str) -> Any:
    kw: dict[str, Any] = {"id": field_id(path)}
    attrs: dict[str, Any] = {"aria-describedby": f"e-{field_id(path)}"}
    if required:
        attrs["required"] = True
    if isinstance(node, StringNode):
        if node.choices:
            choices = [] if required and not node.open else [("", _unset_label(node))]
            choices += [(c, c) for c in node.choices]
            if node.open:
                choices.append((CUSTOM, f"Custom {node.schema.get('x-custom-label', 'value')}…"))
            elif current and current not in node.choices:
                # A loaded value the schema refuses stays selected for the validation to flag.
                choices.append((current, f"{current} (not a choice)"))
            return SelectField(node.name, choices=_choices(choices), render_kw=attrs, **kw)
        if node.has_default:
            attrs["placeholder"] = f"server default: {node.default_label}"
        cls = TextAreaField if node.multiline else StringField
        if node.multiline:
            attrs["rows"] = 4
        return cls(node.name, render_kw=attrs, **kw)
    if isinstance(node, NumberNode):
        if node.has_default:
            attrs["placeholder"] = f"default {node.default_label}"
        widget = NumberInput(step=node.step, min=node.minimum, max=node.maximum)
        return StringField(node.name, widget=widget, render_kw=attrs, **kw)
    if isinstance(node, BooleanNode):
        choices = [] if required else [("", _unset_label(node))]
        choices += [("true", "true"), ("false", "false")]
        return SelectField(node.name, choices=_choices(choices), render_kw=attrs, **kw)
    if isinstance(node, JsonNode):
        attrs.update({"rows": 5, "spellcheck": "false", "class": "json"})
        attrs["placeholder"] = (
            '{"type": "object", "properties": {}}' if node.expects_object else "JSON"
        )
        return TextAreaField(node.name, render_kw=attrs, **kw)
    return None


def default_text(node: Node) -> str:
    """Give the line that states a node's default and range (for the help line)."""
    parts = []
    shown_in_select = isinstance(node, BooleanNode) or (
        isinstance(node, StringNode) and bool(node.choices)
    )
    if node.has_default and not shown_in_select:
        parts.append(f"default {node.default_label}")
    if isinstance(node, NumberNode) and node.range_label:
        parts.append(f"range {node.range_label}")
    if node.nullable:
        parts.append("null turns it off")
    return " · ".join(parts)


__all__ = ["SessionForm", "default_text", "field_id", "_json_label"]
