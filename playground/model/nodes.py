"""The model of a JSON node: a value in the body, with what it answers about itself.

Every node class (``leaf_nodes``, ``container_nodes``, ``union_nodes``) answers the same few
questions, so code
elsewhere asks the node and never tests its class:

* how it is read from form data (:meth:`Node.read`) and filled from a body (:meth:`Node.fill`);
* whether a value fits it (:meth:`Node.misfit`, :meth:`Node.shape_fits`, :meth:`Node.broken_rules`);
* which macro of ``_field.html`` draws it (:attr:`Node.macro`) and what it holds inside
  (:meth:`Node.parts`);
* what a snippet says of a value in it (:meth:`Node.is_custom`).

A union's branch for a value is chosen in one place, ``UnionNode.branch_for``, and a path is
walked in one place, :meth:`Node.at` (a form path, or a body path with the body beside it),
with :meth:`Node.placed` walking a whole value: the form reader, the filler, the validation,
the snippet literals and the mock all go through them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from playground.model.form_names import steps
from playground.model.json_values import json_label
from playground.model.labels import readable_key

if TYPE_CHECKING:
    from playground.model.form_data import FormData
    from playground.model.form_filler import Filler
    from playground.model.form_reader import FormReader

Path = tuple[str | int, ...]


class _Omit:
    def __repr__(self) -> str:
        return "OMIT"


#: No value: a key the body leaves out, or a value a walk does not know.
OMIT: Any = _Omit()


class Part(NamedTuple):
    """A node drawn inside another: its form path, the node, and whether it is required there."""

    path: str
    node: Node
    required: bool
    drawn: bool = True


#: A test of a node's schema (see :meth:`Node.marked_within`).
Mark = Callable[[dict[str, Any]], bool]


class Placed(NamedTuple):
    """Where a value of the body sits in the tree: its path, its node and the unions above it
    at the same path (the value was resolved through them to ``node``)."""

    path: Path
    node: Node
    value: Any
    unions: tuple[Node, ...] = ()


@dataclass
class Node:
    """A value in the body: its schema, where it sits, and how it may be absent."""

    kind: ClassVar[str] = "node"
    #: The ``_field.html`` macro that draws what the node holds.
    macro: ClassVar[str] = "input"
    #: Drawn as a fieldset (a group), not as one labelled input.
    grouped: ClassVar[bool] = False
    #: The label of the mode that gives it a value.
    set_label: ClassVar[str] = "Set"
    #: Its value is typed or picked in one input (text, number, select, JSON).
    is_leaf: ClassVar[bool] = False
    #: Its value is fixed by the schema: nothing to fill in.
    is_fixed: ClassVar[bool] = False
    #: A union's pane holding it shows the pane's error line (an object's fields have their own).
    pane_error: ClassVar[bool] = True
    #: It holds rows a person adds and removes.
    has_rows: ClassVar[bool] = False
    #: A wide input (a JSON editor, a textarea).
    wide: ClassVar[bool] = False

    schema: dict[str, Any]
    name: str = ""
    required: bool = False
    nullable: bool = False

    @property
    def label(self) -> str:
        """Give the name a person reads for it: the schema's ``title``, else the key made
        readable (``max_output_tokens`` -> "Max output tokens")."""
        title = str(self.schema.get("title") or "").strip()
        return title[:1].upper() + title[1:] if title else readable_key(self.name)

    @property
    def description(self) -> str:
        """Give the schema's description, stripped."""
        return (self.schema.get("description") or "").strip()

    @property
    def has_default(self) -> bool:
        """Say whether the schema documents a server default."""
        return "default" in self.schema or "x-default-label" in self.schema

    @property
    def default_label(self) -> str:
        """Give the server default as a person reads it (``0.8``, ``off``, ``[text, audio]``)."""
        if "x-default-label" in self.schema:
            return str(self.schema["x-default-label"])
        if "default" not in self.schema:
            return ""
        return json_label(self.schema["default"])

    @property
    def default_in_input(self) -> bool:
        """Say whether the input itself shows the default (a select's "unset" choice)."""
        return False

    @property
    def range_label(self) -> str:
        """Give the allowed range as a person reads it, or "" (only numbers have one)."""
        return ""

    @property
    def range_words(self) -> str:
        """Give the allowed range in a sentence, or "" (only numbers have one)."""
        return ""

    @property
    def row_limit(self) -> int:
        """Give how many rows (or chosen items) the form holds of it (0: it has none)."""
        return 0

    @property
    def inputs(self) -> int:
        """Give how many inputs the form draws for the node's own value (not its parts')."""
        return 1 if self.is_leaf or self.macro == "checkboxes" else 0

    @property
    def has_mode(self) -> bool:
        """Say whether the value may be absent or null."""
        return not self.required or self.nullable

    @property
    def has_switch(self) -> bool:
        """Say whether the node has a mode switch (``PATH@mode``) in the form."""
        return self.has_mode

    def modes(self) -> list[tuple[str, str]]:
        """Give the (value, label) choices of the node's mode switch."""
        choices: list[tuple[str, str]] = []
        if not self.required:
            choices.append(("omit", "Unset"))
        choices.extend(self.value_modes())
        if self.nullable:
            choices.append(("null", "Off (null)"))
        return choices

    def value_modes(self) -> list[tuple[str, str]]:
        """Give the mode choices that produce a value."""
        return [("set", self.set_label)]

    @property
    def tag(self) -> Any:
        """Give the tag telling this union branch from the others, or ``OMIT`` (only objects)."""
        return OMIT

    @property
    def only_value(self) -> Any:
        """Give the one value the node allows, or ``OMIT``."""
        return OMIT

    @property
    def first_value(self) -> Any:
        """Give the value the form sends for it when a person cannot choose (a tag), or ``OMIT``."""
        return OMIT

    @property
    def only_choice(self) -> str | None:
        """Give the value of a select with one choice, or ``None``."""
        return None

    #: What an empty row of a list of these sends (``OMIT``: an empty row is a mistake).
    empty_row: ClassVar[Any] = OMIT

    # --- the tree ---------------------------------------------------------------------------

    def branch(self, key: str) -> Branch | None:
        """Give the branch with this key (only a union has branches)."""
        return None

    def branch_for(self, value: Any) -> Branch | None:
        """Give the branch ``value`` is for (only a union has branches)."""
        return None

    def branch_tags(self) -> list[Any]:
        """Give the tags telling the branches apart, where they have one (only a union has
        branches)."""
        return []

    def tag_key_in(self, value: Any) -> str | None:
        """Give the key of the tag ``value`` carries that decides a union's branch, or ``None``."""
        return None

    def resolve(self, value: Any) -> Node | None:
        """Give the node that holds ``value``: this one, or a union's branch for it."""
        return self

    def child(self, name: str) -> Node | None:
        """Give the node one step down: a property, or an array's item for a row number."""
        return None

    @property
    def sent_whole(self) -> bool:
        """Say whether a change inside this value must send all of it (as a union's branch
        needs its tag, an object its required keys, a list all its items)."""
        return False

    def parts(self, path: str, rows: Iterable[int] = (0,)) -> Iterator[Part]:
        """Yield the nodes inside this one (an array's for each of ``rows``), with form paths."""
        return iter(())

    def items_of(self, value: Any) -> Iterator[tuple[str | int, Node | None, Any]]:
        """Yield ``(key, node, item)`` for each item of ``value`` the tree describes below."""
        return iter(())

    def at(self, path: str, value: Any = OMIT) -> Node | None:
        """Give the node at a form path or body path, or ``None``.

        A step naming a branch (``:key``) takes it; given the value at this node (the body,
        for the root), a union on the way is resolved to the branch its value is for.
        The node at the end is given as it is, a union included.
        """
        node: Node | None = self
        for name, key in steps(path):
            assert node is not None
            node = resolved(node, value)[0]
            if node is None:
                return None
            value = _item(value, name)
            node = node.child(name)
            if node is None:
                return None
            branch = node.branch(key) if key else None
            if branch is not None:
                node = branch.node
        return node

    def placed(
        self, value: Any, path: Path = (), enter: Callable[[Node], bool] | None = None
    ) -> Iterator[Placed]:
        """Yield where ``value`` and everything in it sits in the tree, unions resolved to the
        branch each value is for (free JSON is not entered, nor a node ``enter`` refuses).

        Depth first, parents before children, in the body's order; walked with a stack of
        iterators, so each value costs the same however deep it sits (nested generators cost
        one step per level for every value yielded through them).
        """
        node, unions = resolved(self, value)
        if node is None:
            return
        yield Placed(path, node, value, unions)
        stack = [(path, node.items_of(value))]
        while stack:
            where, items = stack[-1]
            step = next(items, None)
            if step is None:
                stack.pop()
                continue
            key, child, item = step
            if child is None or (enter is not None and not enter(child)):
                continue
            inner, unions = resolved(child, item)
            if inner is None:
                continue
            here = (*where, key)
            yield Placed(here, inner, item, unions)
            stack.append((here, inner.items_of(item)))

    def settings_in(self, value: Any) -> int:
        """Give how many settings ``value`` sets below this node: each value the tree holds
        nothing below (a number, a string, a choice list, free JSON, ``null``, ``{}``)."""
        return sum(
            1
            for placed in self.placed(value)
            if placed.path and next(placed.node.items_of(placed.value), None) is None
        )

    # --- the form ---------------------------------------------------------------------------

    def read(self, reader: FormReader, path: str, mode: str) -> Any:
        """Give the value the form holds for this node at ``path`` (``mode`` is not omit/null),
        or ``OMIT``; errors go to ``reader``."""
        return OMIT

    def fill(self, filler: Filler, path: str, value: Any) -> None:
        """Put ``value`` (which fits, see :meth:`misfit`) into the form at ``path``."""

    def mode_for(self, value: Any) -> str:
        """Give the mode the switch takes for ``value`` (a union's: the branch's key)."""
        return "set"

    def start(self, form: FormData, path: str) -> None:
        """Fill what a new row holding this node starts with (nothing, unless it has one choice)."""

    def drops_empty_string(self, in_row: bool) -> bool:
        """Say whether ``""`` here is a value the form would not send back (an empty input
        means Unset; only a row of a list of strings is sent empty)."""
        return False

    # --- values -----------------------------------------------------------------------------

    def misfit(self, value: Any) -> str:
        """Give why ``value`` cannot go into the node's field ("" when it can)."""
        return ""

    def shape_fits(self, value: Any) -> bool:
        """Say whether ``value`` has the node's shape, valid or not (a union falls back to it)."""
        return False

    def broken_rules(
        self, value: Any, path: str, parents: tuple[dict[str, Any], ...]
    ) -> Iterator[tuple[str, str]]:
        """Yield ``(body path, message)`` for each rule the schema declares as data
        (``x-unique-by``, ``x-only-when``, ``x-names-from``) that ``value`` breaks here;
        ``parents`` are the objects around it, nearest last."""
        return iter(())

    @property
    def has_rules(self) -> bool:
        """Say whether the schema declares a rule here that :meth:`broken_rules` applies: one
        on the node's own value (``x-unique-by``, ``x-names-from``; an object also answers for
        its properties' ``x-only-when``)."""
        return "x-unique-by" in self.schema or "x-names-from" in self.schema

    @cached_property
    def rules_within(self) -> bool:
        """Say whether this node or one inside it declares a rule: a value anywhere else breaks
        none, so the rules' walk need not enter it (33,000 tool names in one link)."""
        return self.has_rules or any(part.node.rules_within for part in self.parts(""))

    def marked_within(self, mark: Mark) -> bool:
        """Say whether this node's schema or one inside it answers ``mark`` (kept per mark), so
        a walk looking for what ``mark`` finds need not enter the rest of the body."""
        known: dict[Mark, bool] = self.__dict__.setdefault("_marked", {})
        if mark not in known:
            known[mark] = False  # a schema that holds itself is not entered twice
            known[mark] = mark(self.schema) or any(
                part.node.marked_within(mark) for part in self.parts("")
            )
        return known[mark]

    def defaults(self) -> dict[str, Any]:
        """Give the server defaults of the properties the schema documents (objects have them)."""
        return {}

    def is_custom(self, value: Any) -> bool:
        """Say whether ``value`` is a value of its own, outside the node's listed choices."""
        return False


@dataclass
class Branch:
    """One alternative of a union: its key in the form, its label and its node.

    ``alternatives`` are the indexes in the schema's ``oneOf``/``anyOf`` it stands for (several
    plain-string alternatives make one branch)."""

    key: str
    label: str
    node: Node
    alternatives: tuple[int, ...] = ()


def resolved(node: Node, value: Any) -> tuple[Node | None, tuple[Node, ...]]:
    """Give the node that holds ``value`` below ``node`` (through nested unions, each by its
    ``branch_for``) and the unions passed; ``None`` when a union has no branch for it."""
    unions: tuple[Node, ...] = ()
    while True:
        inner = node.resolve(value)
        if inner is node or inner is None:
            return inner, unions
        unions, node = (*unions, node), inner


def _item(value: Any, name: str) -> Any:
    if isinstance(value, dict):
        return value.get(name, OMIT)
    if isinstance(value, list) and name.isdigit() and int(name) < len(value):
        return value[int(name)]
    return OMIT
