"""A union's node: a choice of differently shaped branches, then the chosen branch's fields.

:meth:`UnionNode.branch_for` is the one rule choosing a union's branch for a value; the form
filler, the validation, the snippet literals and the mock all call it (through
:meth:`playground.model.nodes.Node.resolve`, ``at`` and ``placed``), and the form reader
reads back the branch the filler chose."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from playground.model.form_data import FormData
from playground.model.form_names import branch_path, mode_key
from playground.model.json_values import may_be_valid, same, short, validator_for
from playground.model.nodes import OMIT, Branch, Node, Part

if TYPE_CHECKING:
    from playground.model.form_filler import Filler
    from playground.model.form_reader import FormReader


@dataclass
class UnionNode(Node):
    """A ``oneOf``/``anyOf`` of differently shaped values: a choice of branch, then its fields.

    It is drawn as its mode switch, one pane per branch (see ``_field.html``)."""

    kind: ClassVar[str] = "union"
    macro: ClassVar[str] = "panes"
    grouped: ClassVar[bool] = True

    branches: list[Branch] = field(default_factory=list)
    discriminator: str | None = None

    @property
    def has_switch(self) -> bool:
        """Say that the branch is always chosen with the mode switch."""
        return True

    @property
    def sent_whole(self) -> bool:
        """Say that a change inside it sends it whole (its branch is told by all of it)."""
        return True

    def value_modes(self) -> list[tuple[str, str]]:
        """Give one mode per branch."""
        return [(b.key, b.label) for b in self.branches]

    def branch(self, key: str) -> Branch | None:
        """Give the branch with this key, if any."""
        return next((b for b in self.branches if b.key == key), None)

    def branch_for(self, value: Any) -> Branch | None:
        """Give the branch ``value`` is for, or ``None`` when it fits none.

        The tag first: in a union told apart by a tag (``type``), a value carrying a branch's
        tag is for that branch, valid or not. Else the first branch the value is valid for; else
        (out of range, incomplete) the first whose shape it has (a number, an object, ...).
        """
        if value is None or value is OMIT:
            return None
        key = self.tag_key_in(value)
        if key is not None:
            given = value[key]
            for branch in self.branches:
                tag = branch.node.tag
                if tag is not OMIT and same(given, tag):
                    return branch
        shaped = next((b for b in self.branches if b.node.shape_fits(value)), None)
        # A branch whose type excludes the value is not valid for it: when only the branch the
        # shape gives is left, the answer is that branch, valid or not (no validation to run,
        # which for a large object or list is most of the cost of a page).
        possible = [b for b in self.branches if may_be_valid(b.node.schema, value)]
        if possible == [shaped] or not possible:
            return shaped
        for branch in possible:
            if validator_for(branch.node.schema).is_valid(value):
                return branch
        return shaped

    def branch_tags(self) -> list[Any]:
        """Give the tags telling the branches apart, where they have one."""
        return [b.node.tag for b in self.branches if b.node.tag is not OMIT]

    def tag_key_in(self, value: Any) -> str | None:
        """Give the discriminator when the value carries it (its tag then decides the branch)."""
        if self.discriminator and isinstance(value, dict) and self.discriminator in value:
            return self.discriminator
        return None

    def resolve(self, value: Any) -> Node | None:
        """Give the branch node ``value`` is for (this union while there is no value)."""
        if value is None or value is OMIT:
            return self
        branch = self.branch_for(value)
        return branch.node if branch is not None else None

    def parts(self, path: str, rows: Iterable[int] = (0,)) -> Iterator[Part]:
        """Yield each branch's node at its ``PATH:key``."""
        for branch in self.branches:
            yield Part(branch_path(path, branch.key), branch.node, False)

    def read(self, reader: FormReader, path: str, mode: str) -> Any:
        """Give the value of the branch chosen with the mode switch."""
        branch = self.branch(mode)
        if branch is None:
            return OMIT
        value = reader.read(branch.node, branch_path(path, branch.key))
        if value is OMIT and branch.node.is_leaf:
            reader.errors.setdefault(
                branch_path(path, branch.key), "Enter a value, or choose Unset."
            )
        return value

    def chosen_in(self, form: FormData, path: str) -> str:
        """Give the key of the branch the form data chose ("" for none)."""
        return form.get(mode_key(path))

    def mode_for(self, value: Any) -> str:
        """Give the mode the switch takes for ``value``: its branch's key."""
        branch = self.branch_for(value)
        return branch.key if branch is not None else ""

    def fill(self, filler: Filler, path: str, value: Any) -> None:
        """Fill the branch ``value`` is for."""
        branch = self.branch_for(value)
        assert branch is not None  # misfit said so otherwise
        filler.fill(branch.node, branch_path(path, branch.key), value)

    def start(self, form: FormData, path: str) -> None:
        """Start a new row on the first branch."""
        if self.branches:
            first = self.branches[0]
            form.set(mode_key(path), first.key)
            first.node.start(form, branch_path(path, first.key))

    def drops_empty_string(self, in_row: bool) -> bool:
        """Say whether ``""`` is for a string branch, which would send nothing back."""
        branch = self.branch_for("")
        return branch is not None and branch.node.drops_empty_string(in_row=False)

    def misfit(self, value: Any) -> str:
        """Give why a value that fits no branch cannot go in."""
        return (
            ""
            if self.branch_for(value) is not None
            else f"{short(value)} fits none of the choices."
        )

    def shape_fits(self, value: Any) -> bool:
        """Say whether the value has the shape of one of the branches."""
        return any(b.node.shape_fits(value) for b in self.branches)
