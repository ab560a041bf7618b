"""The page's own links: whether the app serves a blueprint's routes (else nothing links to
them), the share link of a body and the ``op`` a link names."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for

from playground.codecs.share_token import encode_token, share_query
from playground.model.operations import Operation


def serves(blueprint: str) -> bool:
    """Say whether this app serves the routes of ``blueprint`` (the template global too)."""
    return blueprint in current_app.blueprints


def link_op(op: Operation) -> str | None:
    """Give the ``op`` a link names: none for the app's default operation (the template
    global too)."""
    return None if op.id == current_app.config["DEFAULT_OPERATION"] else op.id


def share_path(op: Operation, body: dict[str, Any]) -> str:
    """Give the site-relative share link of a body (raises
    :class:`~playground.codecs.share_token.ShareError`)."""
    return f"{url_for('page.index')}?{share_query(encode_token(body), link_op(op))}"
