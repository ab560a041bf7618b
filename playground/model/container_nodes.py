"""The nodes that hold other nodes by name or by row: an object's properties, an array's rows
(a union's branches are in :mod:`playground.model.union_nodes`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from playground.model.form_data import FormData
from playground.model.form_names import join, row_index, row_key
from playground.model.json_values import same, short
from playground.model.nodes import OMIT, Node, Part
from playground.model.row_limits import MAX_ROWS, row_indices, within_limit

if TYPE_CHECKING:
    from playground.model.form_filler import Filler
    from playground.model.form_reader import FormReader


@dataclass
class ObjectNode(Node):
    """An object with known properties: a fieldset."""

    kind: ClassVar[str] = "object"
    macro: ClassVar[str] = "fields"
    grouped: ClassVar[bool] = True
    set_label: ClassVar[str] = "Configure"
    pane_error: ClassVar[bool] = False

    properties: dict[str, Node] = field(default_factory=dict)
    discriminator: str | None = None

    @property
    def is_container(self) -> bool:
        """Say whether the object only groups optional fields (sent when one of them is set).

        Such an object cannot be null and requires nothing, so ``{}`` says no more than leaving
        it out: the form shows its fields at once instead of asking to "Configure" it first.
        """
        return (
            not self.nullable
            and not self.required
            and not any(child.required for child in self.properties.values())
        )

    @property
    def has_switch(self) -> bool:
        """Say whether there is a mode switch (a container shows its fields at once)."""
        return not self.is_container and self.has_mode

    @property
    def tag(self) -> Any:
        """Give the one value its discriminator may hold (a branch's ``type``), or ``OMIT``."""
        child = self.properties.get(self.discriminator) if self.discriminator else None
        return OMIT if child is None else child.only_value

    @property
    def sent_tag(self) -> Any:
        """Give the value the form always sends for the discriminator, or ``OMIT``."""
        child = self.properties.get(self.discriminator) if self.discriminator else None
        return OMIT if child is None else child.first_value

    def visible(self) -> Iterator[Node]:
        """Yield the properties a person fills in (not the discriminator)."""
        for part in self.parts(""):
            if part.drawn:
                yield part.node

    def child(self, name: str) -> Node | None:
        """Give the property ``name``."""
        return self.properties.get(name)

    @property
    def sent_whole(self) -> bool:
        """Say whether it has a tag or a required property (an update cannot leave them out)."""
        return self.discriminator is not None or any(
            child.required for child in self.properties.values()
        )

    def parts(self, path: str, rows: Iterable[int] = (0,)) -> Iterator[Part]:
        """Yield every property (the discriminator is not drawn: the branch chosen says it)."""
        for key, child in self.properties.items():
            yield Part(join(path, key), child, child.required, key != self.discriminator)

    def items_of(self, value: Any) -> Iterator[tuple[str | int, Node | None, Any]]:
        """Yield the properties the value has, in the schema's order."""
        if isinstance(value, dict):
            for key, child in self.properties.items():
                if key in value:
                    yield key, child, value[key]

    def read(self, reader: FormReader, path: str, mode: str) -> Any:
        """Give the object of the properties set (``OMIT`` for a container with none)."""
        result: dict[str, Any] = {}
        tag = self.sent_tag
        for key, child in self.properties.items():
            child_path = join(path, key)
            if key == self.discriminator and tag is not OMIT:
                result[key] = tag
                continue
            value = reader.read(child, child_path)
            if value is OMIT:
                if child.required and child_path not in reader.errors:
                    reader.errors[child_path] = "Required."
                continue
            result[key] = value
        return OMIT if self.is_container and not result else result

    def fill(self, filler: Filler, path: str, value: Any) -> None:
        """Fill each property; name unknown keys, a needless ``{}`` and a tag the form adds."""
        if not value and self.is_container:
            filler.problem(path, "An empty object says no more than leaving it out.")
        sent = self.sent_tag
        if sent is not OMIT and self.discriminator not in value:
            filler.alter(
                join(path, str(self.discriminator)),
                f"Not given; the form sends {short(sent)}, the type of the choice it fits.",
            )
        for key, item in value.items():
            child = self.properties.get(key)
            if child is None:
                filler.problem(join(path, key), "Unknown parameter.")
            elif key != self.discriminator:
                filler.fill(child, join(path, key), item)

    def defaults(self) -> dict[str, Any]:
        """Give each property's schema ``default``."""
        return {k: c.schema["default"] for k, c in self.properties.items() if "default" in c.schema}

    def start(self, form: FormData, path: str) -> None:
        """Fill what a new row of this object starts with: each property with one choice."""
        for key, child in self.properties.items():
            if child.only_choice is not None:
                form.set(join(path, key), child.only_choice)

    def misfit(self, value: Any) -> str:
        """Give why a non-object cannot go in."""
        return "" if isinstance(value, dict) else f"Expected an object, got {short(value)}."

    def shape_fits(self, value: Any) -> bool:
        """Say whether the value is an object (carrying this branch's tag, when it has one)."""
        if not isinstance(value, dict):
            return False
        tag = self.tag
        return tag is OMIT or (self.discriminator in value and same(value[self.discriminator], tag))

    @property
    def has_rules(self) -> bool:
        """Say whether a property has an ``x-only-when`` (the rule is the object's to apply)."""
        return any("x-only-when" in child.schema for child in self.properties.values())

    def broken_rules(
        self, value: Any, path: str, parents: tuple[dict[str, Any], ...]
    ) -> Iterator[tuple[str, str]]:
        """Apply ``x-only-when: {SIBLING: VALUE}``: a property belongs only beside that sibling
        value (given, or the sibling's default when it is left out)."""
        if not isinstance(value, dict):
            return
        for key, child in self.properties.items():
            if key not in value:
                continue
            for sibling, wanted in (child.schema.get("x-only-when") or {}).items():
                given = sibling in value
                actual = value.get(sibling, self.properties[sibling].schema.get("default"))
                if actual != wanted:
                    told = short(actual, 60) if given else f"{short(actual, 60)} (its default)"
                    yield (
                        join(path, key),
                        f"Applies only when {sibling} is {short(wanted, 60)}; {sibling} is {told}.",
                    )


@dataclass
class ArrayNode(Node):
    """An array of any other items: repeatable rows."""

    kind: ClassVar[str] = "array"
    macro: ClassVar[str] = "rows"
    grouped: ClassVar[bool] = True
    set_label: ClassVar[str] = "Configure"
    has_rows: ClassVar[bool] = True

    item: Node | None = None
    max_items: int | None = None

    @property
    def item_label(self) -> str:
        """Give the word for one row (``tool``)."""
        return str(self.schema.get("x-item-label", "item"))

    @property
    def row_limit(self) -> int:
        """Give how many rows the form holds: the schema's ``maxItems``, else :data:`MAX_ROWS`."""
        return self.max_items if self.max_items is not None else MAX_ROWS

    def child(self, name: str) -> Node | None:
        """Give the item node for a row number."""
        return self.item if row_index(name) is not None else None

    @property
    def sent_whole(self) -> bool:
        """Say that a change to a row sends the whole list (an update replaces a list)."""
        return True

    def parts(self, path: str, rows: Iterable[int] = (0,)) -> Iterator[Part]:
        """Yield the item node once per row."""
        if self.item is not None:
            for index in rows:
                yield Part(join(path, str(index)), self.item, False)

    def items_of(self, value: Any) -> Iterator[tuple[str | int, Node | None, Any]]:
        """Yield each item of the list."""
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield index, self.item, item

    def read(self, reader: FormReader, path: str, mode: str) -> Any:
        """Give the list of the rows the form has, up to the limit."""
        indices = within_limit(self.row_limit, row_indices(reader.form, path), path, reader.errors)
        return [self._row(reader, join(path, str(i))) for i in indices]

    def _row(self, reader: FormReader, path: str) -> Any:
        assert self.item is not None
        value = reader.read(self.item, path)
        if value is OMIT:
            if self.item.empty_row is not OMIT:  # a row is sent even when empty
                return self.item.empty_row
            reader.errors.setdefault(path, "Fill in this row or remove it.")
            return None
        return value

    def fill(self, filler: Filler, path: str, value: Any) -> None:
        """Add a row per item (up to the limit); a row whose item does not fit is left out."""
        assert self.item is not None
        for index, item in enumerate(
            within_limit(self.row_limit, value, filler.where(path), filler.problems)
        ):
            row = join(path, str(index))
            filler.form.set(row_key(row), "1")
            filler.fill(self.item, row, item, in_row=True)
            if filler.where(row) in filler.problems:  # left empty it would send "" or null
                filler.form.pop_prefix(row)

    def misfit(self, value: Any) -> str:
        """Give why a non-list cannot go in."""
        return "" if isinstance(value, list) else f"Expected a list, got {short(value)}."

    def shape_fits(self, value: Any) -> bool:
        """Say whether the value is a list."""
        return isinstance(value, list)

    def broken_rules(
        self, value: Any, path: str, parents: tuple[dict[str, Any], ...]
    ) -> Iterator[tuple[str, str]]:
        """Apply ``x-unique-by: KEY``: no two items share ``item[KEY]``."""
        key = self.schema.get("x-unique-by")
        if not key or not isinstance(value, list) or self.item is None:
            return
        seen: dict[Any, int] = {}
        for index, item in enumerate(value):
            if isinstance(item, dict) and isinstance(item.get(key), str):
                name = item[key]
                if name in seen:
                    yield (
                        join(join(path, str(index)), key),
                        f"{self.item_label.capitalize()} {seen[name] + 1} already uses "
                        f"the {key} {short(name, 60)}.",
                    )
                else:
                    seen[name] = index
