"""The page's own links: whether the app serves a blueprint's routes (else nothing links to
them), the base of its absolute links, the share link of a body and the ``op`` a link names."""

from __future__ import annotations

from typing import Any, Protocol

from flask import abort, current_app, request, url_for

from playground.codecs.share_token import encode_token, share_query
from playground.model.operations import Operation

#: Where the app keeps the host names it answers for (:mod:`playground.web.hosts`).
TRUSTED_HOSTS_EXTENSION = "playground.hosts"


class _Trusted(Protocol):
    def allows(self, host: str, scheme: str) -> bool: ...


def own_url_root() -> str:
    """Give ``scheme://host`` of this request, its host checked against ``TRUSTED_HOSTS``: the
    base of every absolute link the page shows (share links, the mock's URL)."""
    host = request.host
    trusted: _Trusted = current_app.extensions[TRUSTED_HOSTS_EXTENSION]
    if not trusted.allows(host, request.scheme):  # the check ran first: never the case
        abort(400)
    return f"{request.scheme}://{host}"


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
