"""The core runs without Flask: importing the model (and the packages on it) loads none of it,
and ``playground.create_app`` is still there, imported from the web layer on first use."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "playground.model.nodes",
    "playground.model.form_reader",
    "playground.model.form_filler",
    "playground.model.deprecations",
    "playground.model.operations",
    "playground.model.validation",
    "playground.codecs.link_state",
    "playground.snippets",
    "playground.transport.client",
]


def test_the_core_loads_no_flask() -> None:
    script = (
        "import importlib, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'flask_wtf')))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_create_app_is_the_web_layers_factory() -> None:
    import playground
    from playground.web.app import create_app

    assert playground.create_app is create_app
