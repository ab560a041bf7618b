"""How many form controls a body costs, and which of its lists the form shows as JSON instead.

The form draws every row of every list, and every branch of a union in each row (CSS shows
the chosen one), so rows nested in rows multiply: 128 tools with two lists of 128 names each
are some 33,000 inputs from a 3 KB link. The budget is for the whole body, not per list:
when the controls a body needs pass :data:`MAX_CONTROLS`, its largest lists are shown as one
JSON editor each (``PATH@json``, see :mod:`playground.model.form_names`) until the rest fits.
The value is kept as it is, only edited as text.

Counted as :class:`playground.web.forms.SessionForm` draws: one per input (a leaf's, a mode
switch, a checkbox group), for every branch's pane, for every row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from playground.model.form_names import join, json_key, json_path, steps
from playground.model.nodes import OMIT, Node

#: The form controls a form draws at most: below the fields a post may carry
#: (``MAX_FORM_PARTS``, 2,000), so that whatever the page shows can be posted back.
MAX_CONTROLS = 1500

JSON_SUFFIX = json_key("")


def controls(node: Node, value: Any = OMIT, as_json: frozenset[str] = frozenset()) -> int:
    """Give how many form controls the form draws for ``value`` at ``node`` (the body's lists
    at the paths in ``as_json`` counted as one JSON editor each)."""
    return _count(node, value, "", as_json, {})


def lists_as_json(root: Node, body: Any, limit: int = MAX_CONTROLS) -> frozenset[str]:
    """Give the body paths of the lists to show as JSON so the form draws at most ``limit``
    controls: the largest first, none when the whole body fits."""
    costs: dict[str, int] = {}
    total = _count(root, body, "", frozenset(), costs)
    chosen: set[str] = set()
    for path, cost in sorted(costs.items(), key=lambda item: -item[1]):
        if total <= limit:
            break
        if any(path == c or path.startswith(c + ".") for c in chosen):
            continue  # inside a list already shown as JSON: its cost went with it
        chosen.add(path)
        total -= cost - 1
    return frozenset(chosen)


def over_budget(root: Node, body: Any, names: Iterable[str], limit: int = MAX_CONTROLS) -> bool:
    """Say whether a posted form (its input ``names``) that builds ``body`` draws more than
    ``limit`` controls (rows added one by one, or a post made by hand)."""
    shown = frozenset(json_path(n[: -len(JSON_SUFFIX)]) for n in names if n.endswith(JSON_SUFFIX))
    return controls(root, body, shown) > limit


_EMPTY: dict[int, tuple[Node, int]] = {}  # id -> (node, cost): a node without a value
_LEAVES: dict[int, tuple[Node, int | None]] = {}  # id -> (node, cost): see _leaf_cost


def _count(
    node: Node, value: Any, where: str, as_json: frozenset[str], costs: dict[str, int]
) -> int:
    leaf = _leaf_cost(node) if where else None
    if leaf is not None:
        return leaf
    if value is OMIT or value is None:
        known = _EMPTY.get(id(node))
        if known is None or known[0] is not node:
            known = _EMPTY[id(node)] = (node, _walk(node, OMIT, where, as_json, {}))
        return known[1]
    if node.has_rows and where in as_json:
        return 1
    count = _walk(node, value, where, as_json, costs)
    if node.has_rows and isinstance(value, list) and value:
        costs[where] = count
    return count


def _walk(
    node: Node, value: Any, where: str, as_json: frozenset[str], costs: dict[str, int]
) -> int:
    count = node.inputs + (1 if node.has_switch and where else 0)  # the root has no switch
    if node.has_rows and isinstance(value, list):  # every row holds the same node, drawn
        row, rows = node.child("0"), range(min(len(value), node.row_limit))
        if row is None:
            return count
        leaf = _leaf_cost(row)
        if leaf is not None:  # 33,000 tool names in one link: no walk per name
            return count + leaf * len(rows)
        for index in rows:
            count += _count(row, value[index], join(where, str(index)), as_json, costs)
        return count
    chosen = node.mode_for(value) if value is not OMIT else None
    for part in node.parts("", ()):  # no rows without a list
        if not part.drawn:
            continue
        name, key = steps(part.path)[-1]
        item: Any = OMIT
        at = where
        if key:  # a union's branch: the value is in the chosen one's pane
            item = value if key == chosen else OMIT
        elif isinstance(value, dict):
            item, at = value.get(name, OMIT), join(where, name)
        count += _count(part.node, item, at, as_json, costs)
    return count


def _leaf_cost(node: Node) -> int | None:
    """Give the controls ``node`` draws below the root when it draws nothing inside itself (no
    rows, properties or branches): the same whatever its value. ``None`` for any other node."""
    known = _LEAVES.get(id(node))
    if known is None or known[0] is not node:
        inside = node.has_rows or next(node.parts(""), None) is not None
        cost = None if inside else node.inputs + (1 if node.has_switch else 0)
        known = _LEAVES[id(node)] = (node, cost)
    return known[1]
