"""JSON a visitor typed, pasted or linked, read strictly: whatever it gives can be shown in the
page, sent, rendered as a snippet and put in a link.

Python's ``json`` takes more than that: ``NaN`` and ``Infinity``, a number too large for a
float (``1e400`` read as infinity, then written back as ``Infinity``), a ``\\ud800`` escape without
its pair (half a character, which no UTF-8 page or request can carry), and nesting deep enough
to exhaust the interpreter's recursion. Each is refused here with a message a person reads.
"""

from __future__ import annotations

import json
import math
from typing import Any, NoReturn

#: Deeper than any request body or tool schema needs; far below Python's recursion limit, so the
#: validator and the snippet writers, which recurse, never run out.
MAX_DEPTH = 64


def loads(text: str) -> Any:
    """Give the value ``text`` holds, or raise ``ValueError`` saying what is wrong (a
    :class:`json.JSONDecodeError`, with line and column, when the text is not JSON at all)."""
    try:
        value = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except RecursionError:
        raise ValueError(f"it is nested more than {MAX_DEPTH} levels deep") from None
    if _depth(value) > MAX_DEPTH:
        raise ValueError(f"it is nested more than {MAX_DEPTH} levels deep")
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(
            "it has a \\uD800-\\uDFFF escape without its pair (half of a character), "
            "which cannot be sent"
        ) from None
    return value


def typed(text: str) -> Any:
    """Give the JSON typed into an input, or raise ``ValueError`` with the message its field
    shows (``Not valid JSON: ...``, with line and column when it is not JSON at all)."""
    try:
        return loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise ValueError(f"Not valid JSON: {exc.msg} ({where}).") from None
    except ValueError as exc:  # JSON, but not what the page takes
        raise ValueError(f"Not valid JSON: {exc}.") from None


#: The longest JSON text laid out one item a line: past it a text shown in the page (the
#: preview, a JSON editor) keeps its items on wrapped lines, as indentation of a deep body would
#: make it several times the size of the body itself.
MAX_INDENTED_BYTES = 64 * 1024


def readable(value: Any) -> dict[str, Any]:
    """Give the ``json.dumps`` options that lay ``value`` out for a person: indented, or past
    :data:`MAX_INDENTED_BYTES`, items separated by a space on wrapped lines."""
    compact = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if len(compact) > MAX_INDENTED_BYTES:
        return {"separators": (", ", ": ")}
    return {"indent": 2}


def _depth(value: Any) -> int:
    """Give how deeply arrays and objects nest in ``value`` (0 for a scalar), without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        current, level = stack.pop()
        if isinstance(current, dict):
            children: Any = current.values()
        elif isinstance(current, list):
            children = current
        else:
            continue
        deepest = max(deepest, level)
        if level <= MAX_DEPTH:
            stack.extend((child, level + 1) for child in children)
    return deepest


def _finite_float(text: str) -> float:
    """Give the number ``text`` writes, refusing one too large to be a float (it would come
    back as ``Infinity``, which is not JSON)."""
    number = float(text)
    if math.isinf(number):
        short = text if len(text) <= 24 else text[:20] + "…"
        raise ValueError(f"the number {short} is too large")
    return number


def _refuse_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")
