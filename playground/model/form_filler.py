"""Fill form data from a request body (a share link, a preset, a pasted body).

Nothing is dropped quietly: what the form cannot hold is named in ``problems``, what it holds
but would send back otherwise in ``altered``. Each node fills its own inputs
(:meth:`playground.model.nodes.Node.fill`); this module holds what every node shares: null, the
empty string an input cannot carry, a value that does not fit, and the mode switch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from playground.model import strict_json
from playground.model.form_budget import lists_as_json
from playground.model.form_data import FormData
from playground.model.form_names import json_key, json_path, mode_key
from playground.model.leaf_nodes import CARRIAGE_RETURNS, LINE_BREAKS_ONE_LINE, WHOLE_FLOAT
from playground.model.nodes import Node

#: What the banner says of an empty string the form cannot carry (an empty input means Unset).
EMPTY_OPTIONAL = "An empty string, which the form leaves out (the server default applies)."
EMPTY_REQUIRED = "An empty string, which the form cannot send: the field is left empty."

__all__ = [
    "CARRIAGE_RETURNS",
    "EMPTY_OPTIONAL",
    "EMPTY_REQUIRED",
    "LINE_BREAKS_ONE_LINE",
    "WHOLE_FLOAT",
    "Filled",
    "Filler",
    "form_from_body",
]


@dataclass
class Filled:
    """Form data for a body, what of the body the form could not hold (``problems``), and what
    it holds but would send back otherwise (``altered``), each by the body's dotted path."""

    form: FormData
    problems: dict[str, str] = field(default_factory=dict)
    altered: dict[str, str] = field(default_factory=dict)


def form_from_body(root: Node, body: Any) -> Filled:
    """Give the form data that builds ``body`` (and the parts that do not fit the schema)."""
    filled = Filled(form=FormData())
    if not isinstance(body, dict):
        filled.problems[""] = "The body must be a JSON object."
        return filled
    Filler(filled, lists_as_json(root, body)).fill(root, "", body)
    return filled


class Filler:
    """One filling of a form: the form data, what is said of the body (by body path), and the
    lists shown as JSON text (by body path; see :mod:`playground.model.form_budget`)."""

    def __init__(self, filled: Filled, as_json: frozenset[str] = frozenset()) -> None:
        self.form = filled.form
        self.problems = filled.problems
        self.altered = filled.altered
        self.as_json = as_json

    @staticmethod
    def where(path: str) -> str:
        """Give the body path a form path names (its problems are kept by it)."""
        return json_path(path)

    def problem(self, path: str, message: str) -> None:
        """Say what of the value at form path ``path`` the form cannot hold."""
        self.problems[json_path(path)] = message

    def alter(self, path: str, message: str) -> None:
        """Say how the form sends back the value at ``path`` otherwise."""
        self.altered[json_path(path)] = message

    def fill(self, node: Node, path: str, value: Any, in_row: bool = False) -> None:
        """Fill the inputs of ``node`` at ``path`` with ``value``, or say why not."""
        if value is None:
            if node.nullable:
                self.form.set(mode_key(path), "null")
            else:
                self.problem(path, "null is not allowed here; left unset.")
            return
        if value == "" and isinstance(value, str) and node.drops_empty_string(in_row):
            self.problem(path, EMPTY_REQUIRED if node.required else EMPTY_OPTIONAL)
            return
        misfit = node.misfit(value)
        if misfit:  # before the mode: a value that does not fit leaves the field unset
            self.problem(path, misfit)
            return
        if node.has_rows and json_path(path) in self.as_json:
            text = json.dumps(value, ensure_ascii=False, **strict_json.readable(value))
            self.form.set(json_key(path), text)
            return
        if node.has_switch:
            self.form.set(mode_key(path), node.mode_for(value))
        node.fill(self, path, value)
