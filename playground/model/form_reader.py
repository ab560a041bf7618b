"""Read flat form data into the exact request body.

Unset means the key is omitted, "Off (null)" means JSON ``null``; numbers stay numbers and
nothing becomes an empty string or an empty object unless the person asked for it. Each node
reads its own inputs (:meth:`playground.model.nodes.Node.read`); this module holds the mode switch
every node shares and the errors met on the way. See :mod:`playground.model.form_names` for the
names of the inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from playground.model import strict_json
from playground.model.form_data import FormData
from playground.model.form_names import json_key, json_path, mode_key
from playground.model.nodes import OMIT, Node


@dataclass
class Built:
    """The body a form makes, the form errors met on the way, and where each value came from."""

    body: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def form_path(self, body_path: str) -> str:
        """Give the form path of a body path, or of its nearest ancestor the form has."""
        path = body_path
        while path:
            if path in self.sources:
                return self.sources[path]
            path = path.rpartition(".")[0]
        return ""


def build_body(root: Node, data: FormData | Mapping[str, Any] | Iterable[tuple[str, str]]) -> Built:
    """Give the request body the form data describes."""
    built = Built(body={})
    value = FormReader(FormData.of(data), built).read(root, "")
    built.body = value if isinstance(value, dict) else {}
    return built


def mode_of(node: Node, path: str, form: FormData) -> str:
    """Give the node's chosen mode: ``omit``, ``null``, ``set`` or a branch key."""
    if not node.has_switch:
        return "set"
    wanted = form.get(mode_key(path))
    allowed = [value for value, _ in node.modes()]
    if wanted in allowed:
        return wanted
    return allowed[0]


class FormReader:
    """One reading of form data: the inputs, and the errors met (``built.errors``)."""

    def __init__(self, form: FormData, built: Built) -> None:
        self.form = form
        self.built = built
        self.errors = built.errors

    def read(self, node: Node, path: str) -> Any:
        """Give the value of the node at ``path``: ``OMIT``, ``None`` or what the node reads."""
        self.built.sources.setdefault(json_path(path), path)
        if json_key(path) in self.form:  # a list too large for rows, edited as JSON text
            return self._typed(path)
        mode = mode_of(node, path, self.form)
        if mode == "omit":
            return OMIT
        if mode == "null":
            return None
        return node.read(self, path, mode)

    def _typed(self, path: str) -> Any:
        raw = self.form.get(json_key(path))
        if not raw.strip():
            return OMIT
        try:
            return strict_json.typed(raw)
        except ValueError as exc:
            self.errors[path] = str(exc)
            return OMIT
