"""What the page's send panel offers: the operator's gateway names, the built-in mock's URL,
and whether only configured gateways may be used (hosted mode). Given to the page by its views."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for

from playground.web.links import own_url_root, serves


@dataclass(frozen=True)
class SendPanel:
    """What the credentials panel offers: configured gateway names, the mock, hosted mode."""

    gateway_names: list[str]
    configured_only: bool
    mock_url: str


def send_panel() -> SendPanel | None:
    """Give what the credentials panel offers in this app (``None`` when it does not send)."""
    if not serves("send"):
        return None
    mock_url = ""
    if not current_app.config["SEND_CONFIGURED_ONLY"] and serves("mock"):
        mock_url = own_url_root() + url_for("mock.base").rstrip("/")
    return SendPanel(
        gateway_names=list(current_app.config["GATEWAYS"]),
        configured_only=bool(current_app.config["SEND_CONFIGURED_ONLY"]),
        mock_url=mock_url,
    )
