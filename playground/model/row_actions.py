"""The form's row buttons: add a row to an array, remove one and renumber the rest."""

from __future__ import annotations

from typing import cast

from playground.model.container_nodes import ArrayNode
from playground.model.form_data import FormData
from playground.model.form_names import join, mode_key, row_index, row_key
from playground.model.nodes import Node
from playground.model.row_limits import row_indices


def add_row(root: Node, data: FormData, path: str) -> None:
    """Append an empty row to the array at ``path`` (prefilling one-choice values)."""
    found = root.at(path)
    if found is None or not found.has_rows:
        return
    node = cast(ArrayNode, found)
    if node.item is None:
        return
    indices = row_indices(data, path)
    if len(indices) >= node.row_limit:  # maxItems, or MAX_ROWS where the schema sets none
        return
    data.set(mode_key(path), "set")
    row = join(path, str((indices[-1] + 1) if indices else 0))
    data.set(row_key(row), "1")
    node.item.start(data, row)


def remove_row(data: FormData, path: str, index: int) -> FormData:
    """Give the form data without row ``index`` of the array at ``path``, later rows renumbered."""
    prefix = f"{path}."
    out = FormData()
    for key, value in data.items(multi=True):
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
