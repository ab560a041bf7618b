"""Which value a live change of one field sends: the field itself, or the outermost value on its
way that the schema says must be sent whole (a union with its tag, an object with its required
keys, a list)."""

from __future__ import annotations

from playground.model.form_names import steps
from playground.model.nodes import Node


def update_path(root: Node, path: str) -> str:
    """Give the body path of the smallest value that holds the field at ``path`` (a form or
    body path) and can be sent alone in an update: the outermost value on the way that must be
    sent whole (:attr:`Node.sent_whole`), else the field itself. The first step (the object an
    update names, ``session``) does not count: an update always sends it in part."""
    node: Node | None = root
    names: list[str] = []
    for depth, (name, key) in enumerate(steps(path)):
        node = node.child(name) if node is not None else None
        names.append(name)
        if node is None:
            break
        if depth and node.sent_whole:
            return ".".join(names)
        branch = node.branch(key) if key else None
        node = branch.node if branch is not None else node
    return ".".join(part for part, _ in steps(path))
