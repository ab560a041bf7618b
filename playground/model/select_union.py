"""A union drawn as one select: its listed strings first, then one choice per other branch.

A union of a string with known values (an enum, or an enum plus any string) and values of other
shapes (a voice: a name, or ``{"id": ...}`` of a custom voice) is chosen in one step. Its input
at ``PATH`` holds the chosen string, :data:`~playground.model.form_names.CUSTOM` (the typed value
is at ``PATH@custom``, as for any open select) or ``:KEY`` for another branch, whose inputs sit
at ``PATH:KEY`` as in any union. The string branch has no inputs of its own."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from playground.model.form_names import CUSTOM, branch_path
from playground.model.leaf_nodes import ENTER_A_VALUE, StringNode
from playground.model.nodes import OMIT, Branch, Part
from playground.model.union_nodes import UnionNode

if TYPE_CHECKING:
    from playground.model.form_data import FormData
    from playground.model.form_filler import Filler
    from playground.model.form_reader import FormReader

#: What starts the select's value of a branch that is not the string: ``:KEY``.
BRANCH_MARK = ":"


def picked_string(branches: list[Branch], nullable: bool) -> Branch | None:
    """Give the branch of listed strings when a union of ``branches`` is drawn as one select.

    That is when exactly one branch is a string with known values, at least one other branch
    is not a string, the union cannot be null (a null choice would need its own option) and
    no listed value could be taken for the select's own values."""
    strings = [b for b in branches if isinstance(b.node, StringNode)]
    if nullable or len(strings) != 1 or len(branches) < 2:
        return None
    node = strings[0].node
    assert isinstance(node, StringNode)
    if not node.choices or any(c == CUSTOM or c.startswith(BRANCH_MARK) for c in node.choices):
        return None
    return strings[0]


@dataclass
class SelectUnionNode(UnionNode):
    """A union chosen with one select (see the module): no mode switch, one input."""

    kind: ClassVar[str] = "picker"
    macro: ClassVar[str] = "picker"
    grouped: ClassVar[bool] = False

    @property
    def has_switch(self) -> bool:
        """Say that the select itself chooses the branch (its "unset" choice omits the value)."""
        return False

    @property
    def strings(self) -> Branch:
        """Give the branch of listed strings."""
        found = picked_string(self.branches, nullable=False)
        assert found is not None  # the walker builds this node only then
        return found

    @property
    def string_node(self) -> StringNode:
        """Give the node of the listed strings."""
        node = self.strings.node
        assert isinstance(node, StringNode)
        return node

    @property
    def others(self) -> list[Branch]:
        """Give the branches chosen by a ``:KEY`` value of the select, in the schema's order."""
        return [b for b in self.branches if b is not self.strings]

    @property
    def inputs(self) -> int:
        """Give the select, and the custom value's input beside it."""
        return self.string_node.inputs

    @property
    def default_in_input(self) -> bool:
        """Say that the select's "unset" choice shows the default."""
        return True

    def parts(self, path: str, rows: Iterable[int] = (0,)) -> Iterator[Part]:
        """Yield each branch at ``PATH:key``; the strings' is not drawn (the select holds it)."""
        strings = self.strings
        for part in super().parts(path, rows):
            yield part._replace(drawn=part.node is not strings.node)

    def chosen_in(self, form: FormData, path: str) -> str:
        """Give the key of the branch the select chose ("" for none): a ``:KEY``, or a string."""
        raw = form.get(path)
        if raw.startswith(BRANCH_MARK):
            return raw[len(BRANCH_MARK) :]
        return self.strings.key if raw else ""

    def read(self, reader: FormReader, path: str, mode: str) -> Any:
        """Give the string chosen or typed, or the value of the branch chosen, or ``OMIT``."""
        raw = reader.form.get(path)
        if not raw.startswith(BRANCH_MARK):
            return self.string_node.parse(reader, path, raw)
        branch = self.branch(self.chosen_in(reader.form, path))
        if branch is None or branch is self.strings:
            reader.errors[path] = "Choose one of the listed values."
            return OMIT
        where = branch_path(path, branch.key)
        value = reader.read(branch.node, where)
        if value is OMIT and branch.node.is_leaf:
            reader.errors.setdefault(where, ENTER_A_VALUE)
        return value

    def fill(self, filler: Filler, path: str, value: Any) -> None:
        """Choose the string (or type it as a custom value), or choose the branch and fill it."""
        branch = self.branch_for(value)
        assert branch is not None  # misfit said so otherwise
        if branch is self.strings:
            self.string_node.fill(filler, path, value)
            return
        filler.form.set(path, BRANCH_MARK + branch.key)
        filler.fill(branch.node, branch_path(path, branch.key), value)

    def start(self, form: FormData, path: str) -> None:
        """Start a new row on the first listed string (a row's select has no "unset")."""
        form.set(path, self.string_node.choices[0])
