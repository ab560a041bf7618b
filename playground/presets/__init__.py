"""Built-in presets, kept as data: ``presets/<operation id>/<name>.json``.

Each file is ``{"name", "title", "description", "body"}``; ``name`` is the file's stem and the
value of ``/?preset=NAME``. Adding a preset means adding a file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any


class PresetError(ValueError):
    """Raised when a preset file is not a well-formed preset."""


@dataclass(frozen=True)
class Preset:
    """A named request body with a title and a one-line description."""

    name: str
    title: str
    description: str
    body: dict[str, Any] = field(repr=False)


def _read(op_id: str, filename: str, text: str) -> Preset:
    data = json.loads(text)
    stem = filename.removesuffix(".json")
    missing = [k for k in ("name", "title", "description", "body") if k not in data]
    if missing:
        raise PresetError(f"{op_id}/{filename} lacks {', '.join(missing)}")
    if data["name"] != stem:
        raise PresetError(f"{op_id}/{filename}: name {data['name']!r} is not the file's stem")
    if not isinstance(data["body"], dict):
        raise PresetError(f"{op_id}/{filename}: body is not a JSON object")
    return Preset(data["name"], data["title"], data["description"], data["body"])


@cache
def presets_for(op_id: str) -> dict[str, Preset]:
    """Give the presets of an operation by name, in file-name order (empty when it has none)."""
    folder = resources.files(__name__).joinpath(op_id)
    if not folder.is_dir():
        return {}
    found: dict[str, Preset] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            preset = _read(op_id, entry.name, entry.read_text(encoding="utf-8"))
            found[preset.name] = preset
    return found


def get_preset(op_id: str, name: str) -> Preset | None:
    """Give the operation's preset called ``name``, or ``None``."""
    return presets_for(op_id).get(name)
