"""``realtime-playground serve --prod``: the app under gunicorn, sized from the CPU count.

Workers are processes (``2 x CPUs + 1``, gunicorn's own rule of thumb), each with a few
threads, because a send waits on the upstream for up to ``SEND_DEADLINE`` seconds and must not
hold a whole process. The app is made once in the master before the workers fork
(``preload_app``), so they share one CSRF signing key even when none is configured.
Gunicorn writes no access log unless told: API keys travel in headers, which it would not log
anyway, and share links are the visitor's business.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, MutableMapping
from typing import Any, TypeAlias, cast

from flask import Flask

from playground.transport.origin import Origin

#: Threads per worker: sends are I/O-bound waits on the upstream.
DEFAULT_THREADS = 4

#: A WSGI application as gunicorn's stubs name it (PEP 3333: the environ is a mutable mapping).
WsgiApp: TypeAlias = Callable[
    [MutableMapping[str, Any], Callable[[str, Iterable[tuple[str, str]]], None]], Iterable[bytes]
]


class ProductionUnavailable(RuntimeError):
    """Gunicorn is not installed (it comes with the ``prod`` extra)."""


def default_workers(cpus: int | None = None) -> int:
    """Give the number of worker processes for ``cpus`` CPUs (this machine's by default)."""
    count = cpus if cpus is not None else (os.cpu_count() or 1)
    return 2 * max(1, count) + 1


def run(
    app: Flask,
    host: str,
    port: int,
    workers: int | None = None,
    threads: int = DEFAULT_THREADS,
) -> None:
    """Serve ``app`` with gunicorn until it is stopped (SIGTERM or Ctrl-C)."""
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError as exc:
        raise ProductionUnavailable(
            "serve --prod needs gunicorn: pip install 'realtime-playground[prod]'"
        ) from exc

    options: dict[str, Any] = {
        "bind": str(Origin(host.strip("[]"), port)),
        "workers": workers or default_workers(),
        "threads": threads,
        "worker_class": "gthread",
        "preload_app": True,
        # A send may take SEND_DEADLINE seconds; a worker is only restarted well after that.
        "timeout": int(app.config.get("SEND_DEADLINE", 60)) + 30,
        "graceful_timeout": 10,
    }

    class _Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)
            if "control_socket_disable" in self.cfg.settings:  # gunicorn 24+: no socket in ~
                self.cfg.set("control_socket_disable", True)

        def load(self) -> WsgiApp:
            # Flask's signature names the dict gunicorn passes; the stubs, any mutable mapping.
            return cast(WsgiApp, app)

    _Server().run()
