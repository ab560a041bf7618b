"""The app's operations: loaded once at start from the bundled documents and the folder the
``OPERATIONS_DIR`` setting names, kept in ``app.extensions`` (each app has its own set).

The model loads documents from a folder it is given and knows nothing of Flask; this module
gives it the app's folder and hands the app's set to the views and templates.
"""

from __future__ import annotations

from flask import Flask, current_app

from playground.model.call_spec import where_calls_start
from playground.model.operations import (
    EXTENSION_KEY,
    Operation,
    bundled_operations,
    get_operation,
    load_operations,
)


def init_app(app: Flask) -> None:
    """Load the app's operations once, at start: a broken document stops the app here."""
    app.extensions[EXTENSION_KEY] = load_operations(app.config.get("OPERATIONS_DIR"))


def app_operations() -> dict[str, Operation]:
    """Give the current app's operations by id, in their order (the bundled ones in an app that
    did not load its own, such as a test's bare app)."""
    ops: dict[str, Operation] | None = current_app.extensions.get(EXTENSION_KEY)
    return bundled_operations() if ops is None else ops


def app_operation(op_id: str | None = None) -> Operation:
    """Give the current app's operation with this id (its first one when ``op_id`` is empty)."""
    return get_operation(op_id, app_operations())


def where_calls_start_here(op: Operation) -> str:
    """Give what is said when ``op`` cannot start a call, among the app's operations."""
    return where_calls_start(op, app_operations())
