"""The nodes whose value is entered in one input: strings, numbers, booleans, fixed values,
free JSON, and a list of strings from a fixed set (a checkbox group).

Each answers the questions :class:`playground.model.nodes.Node` asks (read, fill, fit, draw)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from playground.model import strict_json
from playground.model.form_names import CUSTOM, custom_key
from playground.model.invisible import json_escaped
from playground.model.json_values import is_number, json_type, number_text, schema_types, short
from playground.model.nodes import OMIT, Node
from playground.model.row_limits import MAX_ROWS, within_limit

if TYPE_CHECKING:
    from playground.model.form_filler import Filler
    from playground.model.form_reader import FormReader

ENTER_A_VALUE = "Enter a value, or choose Unset."
#: Browsers turn CR and CRLF in a textarea into LF, and drop line breaks from a one-line input.
CARRIAGE_RETURNS = "Carriage returns, which the form turns into plain line breaks (\\n)."
LINE_BREAKS_ONE_LINE = "Line breaks, which a one-line input drops (the rest is kept)."
WHOLE_FLOAT = "A whole number written with a decimal point, which the form writes without it."


@dataclass
class LeafNode(Node):
    """A value typed or picked in one input; "" in the input means no value."""

    is_leaf: ClassVar[bool] = True

    @property
    def has_switch(self) -> bool:
        """Say whether there is a mode switch: only for null (an empty input is unset)."""
        return self.nullable

    def read(self, reader: FormReader, path: str, mode: str) -> Any:
        """Give the input's value parsed, or ``OMIT`` (saying so when a value was asked for)."""
        value = self.parse(reader, path, reader.form.get(path))
        if value is OMIT and self.has_switch:
            reader.errors.setdefault(path, ENTER_A_VALUE)
        return value

    def parse(self, reader: FormReader, path: str, raw: str) -> Any:
        """Give the value the input's text ``raw`` stands for, or ``OMIT``."""
        return OMIT


@dataclass
class StringNode(LeafNode):
    """A string; with ``choices`` a select, with ``open`` also a custom value."""

    kind: ClassVar[str] = "string"

    choices: list[str] = field(default_factory=list)
    open: bool = False
    multiline: bool = False
    names_from: str | None = None

    empty_row: ClassVar[Any] = ""

    @property
    def only_value(self) -> Any:
        """Give the choice when it is the only one (a tag an optional property fixes)."""
        return self.choices[0] if len(self.choices) == 1 else OMIT

    @property
    def first_value(self) -> Any:
        """Give the first choice (what a tag is sent as when the form shows no select)."""
        return self.choices[0] if self.choices else OMIT

    @property
    def only_choice(self) -> str | None:
        """Give the value of a select with one choice, or ``None``."""
        return self.choices[0] if len(self.choices) == 1 else None

    @property
    def inputs(self) -> int:
        """Give its input, and the custom value's beside an open choice."""
        return 2 if self.open and self.choices else 1

    @property
    def is_enum(self) -> bool:
        """Say whether the value must be one of ``choices``."""
        return bool(self.choices) and not self.open

    @property
    def wide(self) -> bool:  # type: ignore[override]  # a ClassVar elsewhere; here, per schema
        """Say whether the input is wide (a textarea)."""
        return self.multiline

    @property
    def default_in_input(self) -> bool:
        """Say whether the select's "unset" choice shows the default."""
        return bool(self.choices)

    def parse(self, reader: FormReader, path: str, raw: str) -> Any:
        """Give the text (a custom choice's typed value), or ``OMIT`` when empty."""
        if self.choices and raw == CUSTOM:
            raw = reader.form.get(custom_key(path))
        if self.multiline:
            raw = raw.replace("\r\n", "\n")
        return raw if raw != "" else OMIT

    def fill(self, filler: Filler, path: str, value: Any) -> None:
        """Put the text in the input (or the custom input), naming line breaks it loses."""
        one_line = not self.multiline or bool(self.choices)
        if "\r" in value or ("\n" in value and one_line):
            filler.alter(path, LINE_BREAKS_ONE_LINE if one_line else CARRIAGE_RETURNS)
        if self.choices and self.open and (value not in self.choices or value == ""):
            filler.form.set(path, CUSTOM)
            filler.form.set(custom_key(path), value)
        else:
            filler.form.set(path, value)

    def drops_empty_string(self, in_row: bool) -> bool:
        """Say whether ``""`` is lost: everywhere but in a row (a row is sent even empty)."""
        return not in_row

    def misfit(self, value: Any) -> str:
        """Give why a non-string cannot go in."""
        return "" if isinstance(value, str) else f"Expected a string, got {short(value)}."

    def shape_fits(self, value: Any) -> bool:
        """Say whether the value is a string."""
        return isinstance(value, str)

    def broken_rules(
        self, value: Any, path: str, parents: tuple[dict[str, Any], ...]
    ) -> Iterator[tuple[str, str]]:
        """Apply ``x-names-from: ARRAY``: besides its choices, name an item of ``ARRAY``."""
        if not self.names_from or not isinstance(value, str):
            return
        holder: dict[str, Any] = next((p for p in reversed(parents) if self.names_from in p), {})
        items = holder.get(self.names_from)
        names = (
            [i.get("name") for i in items if isinstance(i, dict)] if isinstance(items, list) else []
        )
        if value not in self.choices and value not in names:
            fixed = ", ".join(self.choices)
            defined = ", ".join(short(n, 60) for n in names if isinstance(n, str)) or "none"
            also = f" or use {fixed}" if fixed else ""
            yield (
                path,
                f"No function named {short(value, 60)} in {self.names_from} (defined: {defined}); "
                f"name one of them{also}.",
            )

    def is_custom(self, value: Any) -> bool:
        """Say whether a string is not one of the listed choices."""
        return bool(self.choices) and isinstance(value, str) and value not in self.choices


#: A number as a person types it in ASCII: ``-3``, ``+.5``, ``1.``, ``2e-3``. Python's ``int`` and
#: ``float`` also take ``1_0`` and other scripts' digits (``١.٥``), which no number input sends.
#: Each digit can be read only one way (``[0-9]+\.?[0-9]*`` could split a run of digits anywhere,
#: and took a minute on 40,000 digits and a letter).
_NUMBER = re.compile(
    r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?(?:inf|infinity|nan)", re.I
)


@dataclass
class NumberNode(LeafNode):
    """An integer or a number, with its range."""

    kind: ClassVar[str] = "number"

    integer: bool = False
    minimum: float | None = None
    maximum: float | None = None

    @property
    def step(self) -> str:
        """Give the HTML ``step``: whole numbers for integers, any for numbers."""
        return str(self.schema.get("x-step", "1" if self.integer else "any"))

    @property
    def range_label(self) -> str:
        """Give the range as a person reads it, or an empty string."""
        lo, hi = self.minimum, self.maximum
        if lo is not None and hi is not None:
            return f"{number_text(lo)} – {number_text(hi)}"
        if lo is not None:
            return f"≥ {number_text(lo)}"
        if hi is not None:
            return f"≤ {number_text(hi)}"
        return ""

    @property
    def range_words(self) -> str:
        """Give the range in a sentence (``a whole number from 1 to 4096``)."""
        kind = "a whole number" if self.integer else "a number"
        lo, hi = self.minimum, self.maximum
        if lo is not None and hi is not None:
            return f"{kind} from {number_text(lo)} to {number_text(hi)}"
        if lo is not None:
            return f"{kind} of at least {number_text(lo)}"
        if hi is not None:
            return f"{kind} of at most {number_text(hi)}"
        return ""

    def parse(self, reader: FormReader, path: str, raw: str) -> Any:
        """Give the number typed (an int when it has no point), or ``OMIT`` and an error."""
        text = raw.strip()
        if text == "":
            return OMIT
        try:
            if not _NUMBER.fullmatch(text):
                raise ValueError(text)
            if self.integer:
                return int(text)
            number = int(text) if text.lstrip("+-").isdigit() else float(text)
        except ValueError:
            kind = "a whole number" if self.integer else "a number"
            if self.integer and _is_float(text):
                reader.errors[path] = f"Must be a whole number, not {text}."
            else:
                reader.errors[path] = f"Must be {kind}; {text!r} is not."
            return OMIT
        if isinstance(number, float) and not math.isfinite(number):
            reader.errors[path] = "Must be a finite number."
            return OMIT
        return number

    def fill(self, filler: Filler, path: str, value: Any) -> None:
        """Write the number as Python and JSON read it back (``1.0`` of an integer as ``1``)."""
        if self.integer and isinstance(value, float) and value.is_integer():
            filler.alter(path, WHOLE_FLOAT)
            value = int(value)
        filler.form.set(path, repr(value))

    def misfit(self, value: Any) -> str:
        """Give why a non-number cannot go in."""
        return "" if is_number(value) else f"Expected a number, got {short(value)}."

    def shape_fits(self, value: Any) -> bool:
        """Say whether the value is a number."""
        return is_number(value)


def _is_float(text: str) -> bool:
    if not _NUMBER.fullmatch(text):
        return False
    try:
        float(text)
    except ValueError:
        return False
    return True


@dataclass
class BooleanNode(LeafNode):
    """A boolean: unset, true or false."""

    kind: ClassVar[str] = "boolean"

    @property
    def default_in_input(self) -> bool:
        """Say that the select's "unset" choice shows the default."""
        return True

    def parse(self, reader: FormReader, path: str, raw: str) -> Any:
        """Give ``true``/``false`` chosen, or ``OMIT``."""
        if raw == "":
            return OMIT
        if raw in ("true", "false"):
            return raw == "true"
        reader.errors[path] = "Choose true, false or unset."
        return OMIT

    def fill(self, filler: Filler, path: str, value: Any) -> None:
        """Choose ``true`` or ``false``."""
        filler.form.set(path, "true" if value else "false")

    def misfit(self, value: Any) -> str:
        """Give why a non-boolean cannot go in."""
        return "" if isinstance(value, bool) else f"Expected true or false, got {short(value)}."

    def shape_fits(self, value: Any) -> bool:
        """Say whether the value is a boolean."""
        return isinstance(value, bool)


@dataclass
class JsonNode(LeafNode):
    """A free-form JSON value (a tool's ``parameters``): edited as JSON text."""

    kind: ClassVar[str] = "json"
    wide: ClassVar[bool] = True

    @property
    def expects_object(self) -> bool:
        """Say whether the JSON must be an object."""
        return schema_types(self.schema) == ["object"]

    def parse(self, reader: FormReader, path: str, raw: str) -> Any:
        """Give the JSON typed, or ``OMIT`` and why it is not valid."""
        if raw.strip() == "":
            return OMIT
        try:
            value = strict_json.typed(raw)
        except ValueError as exc:
            reader.errors[path] = str(exc)
            return OMIT
        if self.expects_object and not isinstance(value, dict):
            reader.errors[path] = 'Must be a JSON object, like {"type": "object"}.'
            return OMIT
        return value

    def fill(self, filler: Filler, path: str, value: Any) -> None:
        """Write the value as indented JSON (unseen characters as escapes: the same value)."""
        text = json.dumps(value, ensure_ascii=False, **strict_json.readable(value))
        filler.form.set(path, json_escaped(text))

    def shape_fits(self, value: Any) -> bool:
        """Say whether the value is an object (free JSON in a union is an object's settings)."""
        return isinstance(value, dict)


@dataclass
class ConstNode(Node):
    """A value fixed by the schema (``"inf"``, a discriminator such as ``"function"``)."""

    kind: ClassVar[str] = "const"
    macro: ClassVar[str] = "fixed"
    is_fixed: ClassVar[bool] = True
    pane_error: ClassVar[bool] = False

    value: Any = None

    @property
    def only_value(self) -> Any:
        """Give the fixed value."""
        return self.value

    @property
    def first_value(self) -> Any:
        """Give the fixed value."""
        return self.value

    def read(self, reader: FormReader, path: str, mode: str) -> Any:
        """Give the fixed value."""
        return self.value

    def misfit(self, value: Any) -> str:
        """Give why another value cannot go in."""
        return "" if value == self.value else f"Must be {short(self.value)}; got {short(value)}."

    def shape_fits(self, value: Any) -> bool:
        """Say whether the value has the fixed value's type (``"lots"`` is meant for ``"inf"``)."""
        kinds = {json_type(value), json_type(self.value)}
        return len(kinds) == 1 or kinds == {"integer", "number"}


@dataclass
class EnumListNode(Node):
    """An array of distinct strings from a fixed set: a checkbox group."""

    kind: ClassVar[str] = "enumlist"
    macro: ClassVar[str] = "checkboxes"
    grouped: ClassVar[bool] = True

    choices: list[str] = field(default_factory=list)

    @property
    def row_limit(self) -> int:
        """Give how many chosen items the form holds."""
        return MAX_ROWS

    def read(self, reader: FormReader, path: str, mode: str) -> Any:
        """Give the boxes checked, up to the limit."""
        return within_limit(self.row_limit, reader.form.getlist(path), path, reader.errors)

    def fill(self, filler: Filler, path: str, value: Any) -> None:
        """Check a box per item (choices the schema refuses stay, for the validation to flag)."""
        for item in within_limit(self.row_limit, value, filler.where(path), filler.problems):
            filler.form.add(path, item)

    def misfit(self, value: Any) -> str:
        """Give why a value that is not a list of strings cannot go in."""
        if not isinstance(value, list):
            return f"Expected a list, got {short(value)}."
        if not all(isinstance(item, str) for item in value):
            return f"Expected a list of strings, got {short(value)}."
        return ""

    def shape_fits(self, value: Any) -> bool:
        """Say whether the value is a list."""
        return isinstance(value, list)
