"""How many rows an array holds in the form, and which rows the form data has."""

from __future__ import annotations

from typing import Any

from playground.model.form_data import FormData
from playground.model.form_names import row_index

#: The rows an array holds in the form when its schema sets no ``maxItems``. Each row is a group
#: of inputs to read, validate and draw: a loaded body or a post with more is cut there.
MAX_ROWS = 128


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


def within_limit(limit: int, items: list[Any], where: str, messages: dict[str, str]) -> list[Any]:
    """Give the first ``limit`` items, saying at ``where`` in ``messages`` if there are more."""
    if len(items) > limit:
        extra = len(items) - limit
        messages.setdefault(
            where, f"At most {limit} here: the {extra} after the first {limit} are left out."
        )
        return items[:limit]
    return items
