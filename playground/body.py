"""Turn flat form data into the exact request body, and a body back into form data.

Unset means the key is omitted, "Off (null)" means JSON ``null``; numbers stay numbers and
nothing becomes an empty string or an empty object unless the person asked for it.
See :mod:`playground.schema` for how form paths are named.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import strict_json
from .schema import (
    ArrayNode,
    BooleanNode,
    ConstNode,
    EnumListNode,
    JsonNode,
    Node,
    NumberNode,
    ObjectNode,
    StringNode,
    UnionNode,
    join,
    json_path,
    validator_for,
)

CUSTOM = "__custom__"
_LEAVES = (StringNode, NumberNode, BooleanNode, JsonNode)


class _Omit:
    def __repr__(self) -> str:
        return "OMIT"


OMIT: Any = _Omit()


class FormData:
    """Ordered, multi-valued form fields: ``get`` gives the first value, ``getlist`` all."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self._values: dict[str, list[str]] = {}
        for key, value in pairs:
            self.add(key, value)

    @classmethod
    def of(cls, data: FormData | Mapping[str, Any] | Iterable[tuple[str, str]]) -> FormData:
        """Give form data from a MultiDict, a plain mapping or ``(key, value)`` pairs."""
        if isinstance(data, FormData):
            return data
        if hasattr(data, "items") and hasattr(data, "getlist"):
            return cls(data.items(multi=True))  # type: ignore[union-attr]
        if isinstance(data, Mapping):
            pairs: list[tuple[str, str]] = []
            for key, value in data.items():
                values = value if isinstance(value, list | tuple) else [value]
                pairs.extend((key, str(v)) for v in values)
            return cls(pairs)
        return cls(data)

    def add(self, key: str, value: str) -> None:
        """Append a value to a field."""
        self._values.setdefault(key, []).append(value)

    def get(self, key: str, default: str = "") -> str:
        """Give the field's first value, or ``default``."""
        values = self._values.get(key)
        return values[0] if values else default

    def getlist(self, key: str) -> list[str]:
        """Give all of the field's values."""
        return list(self._values.get(key, []))

    def keys(self) -> list[str]:
        """Give the field names in order."""
        return list(self._values)

    def items(self) -> list[tuple[str, str]]:
        """Give every ``(key, value)`` pair in order."""
        return [(k, v) for k, values in self._values.items() for v in values]

    def set(self, key: str, value: str) -> None:
        """Replace a field's values with one value."""
        self._values[key] = [value]

    def pop_prefix(self, prefix: str) -> None:
        """Remove every field whose name is ``prefix`` or starts below it."""
        for key in [k for k in self._values if _below(k, prefix)]:
            del self._values[key]

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def __len__(self) -> int:
        return len(self._values)


def _below(key: str, prefix: str) -> bool:
    return key == prefix or key.startswith((prefix + ".", prefix + ":", prefix + "@"))


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
    form = FormData.of(data)
    built = Built(body={})
    value = _read(root, "", form, built)
    built.body = value if isinstance(value, dict) else {}
    return built


def mode_of(node: Node, path: str, form: FormData) -> str:
    """Give the node's chosen mode: ``omit``, ``null``, ``set`` or a branch key."""
    if not uses_mode(node):
        return "set"
    wanted = form.get(f"{path}@mode")
    allowed = [value for value, _ in node.modes()]
    if wanted in allowed:
        return wanted
    return allowed[0]


def uses_mode(node: Node) -> bool:
    """Say whether the node has a mode switch in the form."""
    if isinstance(node, _LEAVES):
        return node.nullable
    if isinstance(node, UnionNode):
        return True
    if isinstance(node, ObjectNode) and node.is_container:
        return False
    return node.has_mode


def _read(node: Node, path: str, form: FormData, built: Built) -> Any:
    built.sources.setdefault(json_path(path), path)
    mode = mode_of(node, path, form)
    if mode == "omit":
        return OMIT
    if mode == "null":
        return None
    if isinstance(node, UnionNode):
        branch = node.branch(mode)
        if branch is None:
            return OMIT
        value = _read(branch.node, f"{path}:{branch.key}", form, built)
        if value is OMIT and isinstance(branch.node, _LEAVES):
            built.errors.setdefault(f"{path}:{branch.key}", "Enter a value, or choose Unset.")
        return value
    if isinstance(node, ObjectNode):
        value = _read_object(node, path, form, built)
        return OMIT if node.is_container and not value else value
    if isinstance(node, ArrayNode):
        indices = _within_limit(node, row_indices(form, path), path, built.errors)
        return [_row_value(node, join(path, str(i)), form, built) for i in indices]
    if isinstance(node, EnumListNode):
        return _within_limit(node, form.getlist(path), path, built.errors)
    value = _read_leaf(node, path, form, built)
    if value is OMIT and uses_mode(node):
        built.errors.setdefault(path, "Enter a value, or choose Unset.")
    return value


def _read_object(node: ObjectNode, path: str, form: FormData, built: Built) -> dict[str, Any]:
    result: dict[str, Any] = {}
    tag = _discriminator_value(node)
    for key, child in node.properties.items():
        child_path = join(path, key)
        if key == node.discriminator and tag is not OMIT:
            result[key] = tag
            continue
        value = _read(child, child_path, form, built)
        if value is OMIT:
            if child.required and child_path not in built.errors:
                built.errors[child_path] = "Required."
            continue
        result[key] = value
    return result


def _row_value(node: ArrayNode, path: str, form: FormData, built: Built) -> Any:
    assert node.item is not None
    value = _read(node.item, path, form, built)
    if value is OMIT:
        if isinstance(node.item, StringNode):
            return ""
        built.errors.setdefault(path, "Fill in this row or remove it.")
        return None
    return value


def _read_leaf(node: Node, path: str, form: FormData, built: Built) -> Any:
    if isinstance(node, ConstNode):
        return node.value
    raw = form.get(path)
    if isinstance(node, StringNode):
        if node.choices and raw == CUSTOM:
            raw = form.get(f"{path}@custom")
        if node.multiline:
            raw = raw.replace("\r\n", "\n")
        return raw if raw != "" else OMIT
    if isinstance(node, BooleanNode):
        if raw == "":
            return OMIT
        if raw in ("true", "false"):
            return raw == "true"
        built.errors[path] = "Choose true, false or unset."
        return OMIT
    if isinstance(node, NumberNode):
        return _parse_number(node, path, raw, built)
    if isinstance(node, JsonNode):
        return _parse_json(node, path, raw, built)
    return OMIT


#: A number as a person types it in ASCII: ``-3``, ``+.5``, ``1.``, ``2e-3``. Python's ``int`` and
#: ``float`` also take ``1_0`` and other scripts' digits (``١.٥``), which no number input sends.
#: Each digit can be read only one way (``[0-9]+\.?[0-9]*`` could split a run of digits anywhere,
#: and took a minute on 40,000 digits and a letter).
_NUMBER = re.compile(
    r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?(?:inf|infinity|nan)", re.I
)


def _parse_number(node: NumberNode, path: str, raw: str, built: Built) -> Any:
    text = raw.strip()
    if text == "":
        return OMIT
    try:
        if not _NUMBER.fullmatch(text):
            raise ValueError(text)
        if node.integer:
            return int(text)
        number = int(text) if text.lstrip("+-").isdigit() else float(text)
    except ValueError:
        kind = "a whole number" if node.integer else "a number"
        if node.integer and _is_float(text):
            built.errors[path] = f"Must be a whole number, not {text}."
        else:
            built.errors[path] = f"Must be {kind}; {text!r} is not."
        return OMIT
    if isinstance(number, float) and not math.isfinite(number):
        built.errors[path] = "Must be a finite number."
        return OMIT
    return number


def _is_float(text: str) -> bool:
    if not _NUMBER.fullmatch(text):
        return False
    try:
        float(text)
    except ValueError:
        return False
    return True


def _parse_json(node: JsonNode, path: str, raw: str, built: Built) -> Any:
    if raw.strip() == "":
        return OMIT
    try:
        value = strict_json.loads(raw)
    except ValueError as exc:
        built.errors[path] = f"Not valid JSON: {getattr(exc, 'msg', str(exc))}" + (
            f" (line {exc.lineno}, column {exc.colno})." if hasattr(exc, "lineno") else "."
        )
        return OMIT
    if node.expects_object and not isinstance(value, dict):
        built.errors[path] = 'Must be a JSON object, like {"type": "object"}.'
        return OMIT
    return value


#: The rows an array holds in the form when its schema sets no ``maxItems``. Each row is a group
#: of inputs to read, validate and draw: a loaded body or a post with more is cut there.
MAX_ROWS = 128
_INDEX = re.compile(r"0|[1-9][0-9]{0,5}")  # as the page writes them: ASCII, no leading zero


def row_index(text: str) -> int | None:
    """Give the row number ``text`` names, or ``None`` (``"²"``, ``"007"``, 5,000 digits)."""
    return int(text) if _INDEX.fullmatch(text) else None


def row_limit(node: ArrayNode | EnumListNode) -> int:
    """Give how many rows (or chosen items) of ``node`` the form holds."""
    limit = node.max_items if isinstance(node, ArrayNode) else None
    return limit if limit is not None else MAX_ROWS


def row_indices(form: FormData, path: str) -> list[int]:
    """Give the indices of the rows of the array at ``path``, in order."""
    prefix = path + "."
    indices = set()
    for key in form.keys():
        if key.startswith(prefix) and key.endswith("@row"):
            index = row_index(key[len(prefix) : -len("@row")])
            if index is not None:
                indices.add(index)
    return sorted(indices)


def _within_limit(
    node: ArrayNode | EnumListNode, items: list[Any], where: str, messages: dict[str, str]
) -> list[Any]:
    """Give the first :func:`row_limit` items, saying at ``where`` in ``messages`` if more."""
    limit = row_limit(node)
    if len(items) > limit:
        extra = len(items) - limit
        messages.setdefault(
            where, f"At most {limit} here: the {extra} after the first {limit} are left out."
        )
        return items[:limit]
    return items


# --- body -> form ----------------------------------------------------------------------


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
    _fill(root, "", body, filled)
    return filled


def _fill(node: Node, path: str, value: Any, filled: Filled, in_row: bool = False) -> None:
    form = filled.form
    where = json_path(path)
    if value is None:
        if node.nullable:
            form.set(f"{path}@mode", "null")
        else:
            filled.problems[where] = "null is not allowed here; left unset."
        return
    if _drops_empty_string(node, value, in_row):
        filled.problems[where] = EMPTY_REQUIRED if node.required else EMPTY_OPTIONAL
        return
    if isinstance(node, UnionNode):
        branch = _matching_branch(node, value)
        if branch is None:
            filled.problems[where] = f"{_short(value)} fits none of the choices."
            return
        form.set(f"{path}@mode", branch.key)
        _fill(branch.node, f"{path}:{branch.key}", value, filled)
        return
    misfit = _misfit(node, value)
    if misfit:  # before the mode: a value that does not fit leaves the field unset
        filled.problems[where] = misfit
        return
    if uses_mode(node):
        form.set(f"{path}@mode", "set")
    if isinstance(node, ObjectNode):
        _fill_object(node, path, value, filled)
    elif isinstance(node, ArrayNode):
        _fill_array(node, path, _within_limit(node, value, where, filled.problems), filled)
    elif isinstance(node, EnumListNode):
        # Choices the schema refuses stay, for the validation to flag.
        for item in _within_limit(node, value, where, filled.problems):
            form.add(path, item)
    else:
        _fill_leaf(node, path, value, filled)


#: What the banner says of an empty string the form cannot carry (an empty input means Unset).
EMPTY_OPTIONAL = "An empty string, which the form leaves out (the server default applies)."
EMPTY_REQUIRED = "An empty string, which the form cannot send: the field is left empty."
#: Browsers turn CR and CRLF in a textarea into LF, and drop line breaks from a one-line input.
CARRIAGE_RETURNS = "Carriage returns, which the form turns into plain line breaks (\\n)."
LINE_BREAKS_ONE_LINE = "Line breaks, which a one-line input drops (the rest is kept)."
WHOLE_FLOAT = "A whole number written with a decimal point, which the form writes without it."


def _drops_empty_string(node: Node, value: Any, in_row: bool) -> bool:
    """Say whether ``value`` is an empty string the form would not send back.

    An empty text input means Unset, so ``""`` survives only as a row of a list of strings
    (a row is sent even when empty); anywhere else it would come back as a missing key.
    """
    if not isinstance(value, str) or value != "":
        return False
    if isinstance(node, UnionNode):
        branch = _matching_branch(node, value)
        return branch is not None and isinstance(branch.node, StringNode)
    return isinstance(node, StringNode) and not in_row


def _misfit(node: Node, value: Any) -> str:
    """Give why ``value`` cannot go into the field of ``node`` ("" when it can)."""
    if isinstance(node, ObjectNode) and not isinstance(value, dict):
        return f"Expected an object, got {_short(value)}."
    if isinstance(node, ArrayNode | EnumListNode) and not isinstance(value, list):
        return f"Expected a list, got {_short(value)}."
    if isinstance(node, EnumListNode) and not all(isinstance(item, str) for item in value):
        return f"Expected a list of strings, got {_short(value)}."
    if isinstance(node, ConstNode) and value != node.value:
        return f"Must be {_short(node.value)}; got {_short(value)}."
    if isinstance(node, StringNode) and not isinstance(value, str):
        return f"Expected a string, got {_short(value)}."
    if isinstance(node, BooleanNode) and not isinstance(value, bool):
        return f"Expected true or false, got {_short(value)}."
    if isinstance(node, NumberNode) and (
        isinstance(value, bool) or not isinstance(value, int | float)
    ):
        return f"Expected a number, got {_short(value)}."
    return ""


def _fill_object(node: ObjectNode, path: str, value: dict[str, Any], filled: Filled) -> None:
    if not value and node.is_container:
        filled.problems[json_path(path)] = "An empty object says no more than leaving it out."
    sent = _discriminator_value(node)
    if sent is not OMIT and node.discriminator not in value:
        filled.altered[json_path(join(path, str(node.discriminator)))] = (
            f"Not given; the form sends {_short(sent)}, the type of the choice it fits."
        )
    for key, item in value.items():
        child = node.properties.get(key)
        if child is None:
            filled.problems[json_path(join(path, key))] = "Unknown parameter."
        elif key == node.discriminator:
            continue
        else:
            _fill(child, join(path, key), item, filled)


def _fill_array(node: ArrayNode, path: str, value: list[Any], filled: Filled) -> None:
    assert node.item is not None
    for index, item in enumerate(value):
        row = join(path, str(index))
        filled.form.set(f"{row}@row", "1")
        _fill(node.item, row, item, filled, in_row=True)
        if json_path(row) in filled.problems:  # a row left empty would send "" or null instead
            filled.form.pop_prefix(row)


def _fill_leaf(node: Node, path: str, value: Any, filled: Filled) -> None:
    """Put a value that fits (see :func:`_misfit`) into the leaf's input."""
    form = filled.form
    if isinstance(node, StringNode):
        one_line = not node.multiline or bool(node.choices)
        if "\r" in value or ("\n" in value and one_line):
            filled.altered[json_path(path)] = LINE_BREAKS_ONE_LINE if one_line else CARRIAGE_RETURNS
        if node.choices and node.open and (value not in node.choices or value == ""):
            form.set(path, CUSTOM)
            form.set(f"{path}@custom", value)
        else:
            form.set(path, value)
    elif isinstance(node, BooleanNode):
        form.set(path, "true" if value else "false")
    elif isinstance(node, NumberNode):
        if node.integer and isinstance(value, float) and value.is_integer():
            filled.altered[json_path(path)] = WHOLE_FLOAT
            value = int(value)
        form.set(path, repr(value))
    elif isinstance(node, JsonNode):
        form.set(path, json.dumps(value, indent=2, ensure_ascii=False))


def _tagged_branch(node: UnionNode, value: Any) -> Any:
    """Give the branch whose constant discriminator ``value`` carries, or ``None``."""
    if not node.discriminator or not isinstance(value, dict) or node.discriminator not in value:
        return None
    for branch in node.branches:
        inner = branch.node
        disc = inner.properties.get(node.discriminator) if isinstance(inner, ObjectNode) else None
        if isinstance(disc, ConstNode) and value[node.discriminator] == disc.value:
            return branch
    return None


def _discriminator_value(node: ObjectNode) -> Any:
    """Give the value the form always sends for the object's discriminator, or ``OMIT``."""
    child = node.properties.get(node.discriminator) if node.discriminator else None
    if isinstance(child, ConstNode):
        return child.value
    if isinstance(child, StringNode) and child.choices:
        return child.choices[0]
    return OMIT


def _matching_branch(node: UnionNode, value: Any) -> Any:
    tagged = _tagged_branch(node, value)
    if tagged is not None:  # the only branch it can be valid for: no need to validate it all
        return tagged
    for branch in node.branches:
        if validator_for(branch.node.schema).is_valid(value):
            return branch
    for branch in node.branches:  # out of range or incomplete: pick by shape
        if node.discriminator and isinstance(value, dict) and isinstance(branch.node, ObjectNode):
            continue  # told apart by the tag alone (_tagged_branch)
        if _shape_fits(branch.node, value):
            return branch
    return None


def _shape_fits(node: Node, value: Any) -> bool:
    if isinstance(node, NumberNode):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(node, ObjectNode | JsonNode):
        return isinstance(value, dict)
    if isinstance(node, StringNode):
        return isinstance(value, str)
    return False


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


# --- row actions -------------------------------------------------------------------------


def add_row(root: Node, data: FormData, path: str) -> None:
    """Append an empty row to the array at ``path`` (prefilling one-choice values)."""
    node = node_at(root, path)
    if not isinstance(node, ArrayNode) or node.item is None:
        return
    indices = row_indices(data, path)
    if node.max_items is not None and len(indices) >= node.max_items:
        return
    data.set(f"{path}@mode", "set")
    row = join(path, str((indices[-1] + 1) if indices else 0))
    data.set(f"{row}@row", "1")
    item = node.item
    if isinstance(item, UnionNode) and item.branches:
        data.set(f"{row}@mode", item.branches[0].key)
        item, row = item.branches[0].node, f"{row}:{item.branches[0].key}"
    if isinstance(item, ObjectNode):
        for key, child in item.properties.items():
            if isinstance(child, StringNode) and len(child.choices) == 1:
                data.set(join(row, key), child.choices[0])


def remove_row(data: FormData, path: str, index: int) -> FormData:
    """Give the form data without row ``index`` of the array at ``path``, later rows renumbered."""
    prefix = f"{path}."
    out = FormData()
    for key, value in data.items():
        if key.startswith(prefix):
            head, sep, tail = key[len(prefix) :].partition(".")
            number, at, rest = head.partition("@")
            number, colon, branch = number.partition(":")
            n = row_index(number)
            if n is not None:
                if n == index:
                    continue
                if n > index:
                    key = f"{prefix}{n - 1}{colon}{branch}{at}{rest}{sep}{tail}"
        out.add(key, value)
    return out


def node_at(root: Node, path: str) -> Node | None:
    """Give the node at a form path, or ``None``."""
    node: Node | None = root
    for part in path.split(".") if path else []:
        name, _, branch = part.partition(":")
        if isinstance(node, ObjectNode):
            node = node.properties.get(name)
        elif isinstance(node, ArrayNode) and row_index(name) is not None:
            node = node.item
        else:
            return None
        if branch and isinstance(node, UnionNode):
            found = node.branch(branch)
            node = found.node if found else None
    return node
