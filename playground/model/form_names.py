"""The names of the form's inputs: one grammar the form reader, the filler and the fields share.

Every node has a *form path*, the name of its input(s) in the HTML form:

* an object property appends ``.name``;
* an array row appends ``.N`` (ASCII digits, no leading zero);
* a union branch appends ``:key`` (so that the fields of two branches never share a name,
  even when both have, say, ``create_response``).

Dropping the ``:key`` segments gives the JSON path of the value in the body. Beside a path's
own input sit ``PATH@mode`` (unset / a value / null / a branch), ``PATH@row`` (a row exists),
``PATH@custom`` (the typed value of an open choice set to :data:`CUSTOM`) and ``PATH@json`` (a
list the form shows as JSON text instead of rows: see :mod:`playground.model.form_budget`).
A union chosen with one select (:mod:`playground.model.select_union`) has no ``@mode``: its
input at ``PATH`` holds a listed string, :data:`CUSTOM` or ``:key`` for another branch.
"""

from __future__ import annotations

import re

#: The value of a select whose choice is typed into the ``@custom`` input beside it.
CUSTOM = "__custom__"

_INDEX = re.compile(r"0|[1-9][0-9]{0,5}")  # as the page writes them: ASCII, no leading zero


def join(path: str, key: str) -> str:
    """Give ``path.key`` (or ``key`` at the root)."""
    return f"{path}.{key}" if path else key


def branch_path(path: str, key: str) -> str:
    """Give the form path of a union's branch ``key``."""
    return f"{path}:{key}"


def mode_key(path: str) -> str:
    """Give the name of the mode switch of the node at ``path``."""
    return f"{path}@mode"


def row_key(path: str) -> str:
    """Give the name of the input that says the row at ``path`` exists."""
    return f"{path}@row"


def custom_key(path: str) -> str:
    """Give the name of the custom-value input beside the select at ``path``."""
    return f"{path}@custom"


def json_key(path: str) -> str:
    """Give the name of the JSON editor that holds the whole value at ``path`` instead of rows."""
    return f"{path}@json"


def json_path(form_path: str) -> str:
    """Give the body's dotted path for a form path (branch keys dropped)."""
    return ".".join(part.split(":")[0] for part in form_path.split(".")) if form_path else ""


def steps(path: str) -> list[tuple[str, str]]:
    """Give each ``(name, branch key)`` step of a form or body path (key "" when none)."""
    return (
        [(name, key) for name, _, key in (p.partition(":") for p in path.split("."))]
        if path
        else []
    )


def row_index(text: str) -> int | None:
    """Give the row number ``text`` names, or ``None`` (``"²"``, ``"007"``, 5,000 digits)."""
    return int(text) if _INDEX.fullmatch(text) else None


def below(key: str, prefix: str) -> bool:
    """Say whether input ``key`` is the one at ``prefix`` or sits below it."""
    return key == prefix or key.startswith((prefix + ".", prefix + ":", prefix + "@"))
