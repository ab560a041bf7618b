"""Realtime Session Playground: a form for every session parameter, the exact request body.

The package is layered (``[tool.importlinter]`` in ``pyproject.toml``): ``model`` at the core,
``codecs``, ``snippets``, ``transport`` and ``mock`` on it, ``web`` on top. The app factory
lives in :mod:`playground.web.app`; ``playground.create_app`` is imported from there on first
use, so importing the core loads no Flask.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    """Give ``create_app`` (from :mod:`playground.web.app`) when it is first asked for."""
    if name == "create_app":
        from playground.web.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
