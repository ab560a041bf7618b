"""Where a request to a gateway goes, read from the request the page made: shared by the send
(``POST /send``) and the live call (``POST /call``), so both take the credentials alike.

The browser keeps the gateway URL and the credentials in its own storage and adds them to the
request only, as headers (``static/auth.js``): they are never form fields. An operator's
configured gateway (``GATEWAYS``) is named instead, and the server adds its key.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import Response, current_app, render_template, request

from playground.mock import PREFIX as MOCK_PREFIX
from playground.transport import inprocess
from playground.transport.checks import (
    RequestRefused,
    check_credential,
    check_gateway_url,
    invalid_credential,
)
from playground.transport.client import request_headers
from playground.transport.result import Result
from playground.web.constants import (
    GATEWAY_HEADER,
    GATEWAY_NAME_HEADER,
    INVALID_HEADER,
    KEY_HEADER,
    ORGANIZATION_HEADER,
    PROJECT_HEADER,
)
from playground.web.gateways import ConfiguredGateway, in_flight_limit
from playground.web.links import own_url_root, serves
from playground.web.state import PageState


@dataclass
class Target:
    """Where a send goes and with which headers; ``label`` is safe to show."""

    url: str
    headers: dict[str, str]
    label: str
    secrets: dict[str, str]
    deadline: float

    @property
    def in_process(self) -> bool:
        """Say whether the target is this server's own mock, answered in this thread."""
        return self.url.startswith(inprocess.BASE + "/")


@contextmanager
def in_flight(target: Target) -> Iterator[None]:
    """Hold a place among the requests in flight for one to ``target`` (raises
    :class:`~playground.transport.in_flight.TooManyInFlight` when there is none)."""
    if target.in_process:  # the own mock never waits on anything: it is not counted
        yield
        return
    with in_flight_limit().hold(request.remote_addr or "", target.deadline):
        yield


def _own_mock_base(base: str) -> bool:
    """Give whether ``base`` is this server's own mock (as the send panel offers it)."""
    if not serves("mock"):
        return False
    parts = urlsplit(base)
    own = urlsplit(own_url_root())
    return parts.netloc.lower() == own.netloc.lower() and parts.path.rstrip("/") == MOCK_PREFIX


def target_for(path: str) -> Target:
    """Give the target of a request to ``path`` (under the gateway's base URL) from the request
    headers, or raise :class:`RequestRefused`."""
    invalid = request.headers.get(INVALID_HEADER, "")
    if invalid:
        what = invalid if invalid in ("key", "organization", "project") else "credential"
        raise invalid_credential(what)
    name = request.headers.get(GATEWAY_NAME_HEADER, "").strip()
    gateways: dict[str, ConfiguredGateway] = current_app.config["GATEWAYS"]
    if name:
        gateway = gateways.get(unquote(name))
        if gateway is None:
            raise RequestRefused("This server has no gateway of that name: choose another one.")
        key = gateway.key
        if not key:
            raise RequestRefused(
                f"The server has no key for the gateway {gateway.name!r}: ask its operator."
            )
        headers = request_headers(key, gateway.organization, gateway.project)
        # The operator's: a gateway's answer may name them ("... in organization org-...").
        hidden = {
            key: "[the gateway's key]",
            gateway.organization: "[the gateway's organization]",
            gateway.project: "[the gateway's project]",
        }
        deadline = float(current_app.config["SEND_DEADLINE"])
        return Target(gateway.base_url + path, headers, gateway.name, hidden, deadline)
    if current_app.config["SEND_CONFIGURED_ONLY"]:
        raise RequestRefused("This server sends only to its configured gateways: choose one.")
    raw_url = unquote(request.headers.get(GATEWAY_HEADER, ""))
    if not raw_url.strip():
        raise RequestRefused("Enter a gateway URL above to enable sending.")
    base = check_gateway_url(raw_url)
    if _own_mock_base(base):  # answered in process: see playground.transport.inprocess
        base = inprocess.BASE + MOCK_PREFIX
    key = check_credential(request.headers.get(KEY_HEADER, ""), "key")
    organization = check_credential(request.headers.get(ORGANIZATION_HEADER, ""), "organization")
    project = check_credential(request.headers.get(PROJECT_HEADER, ""), "project")
    headers = request_headers(key, organization, project)
    hidden = {key: "[your key]", organization: "[your organization]", project: "[your project]"}
    deadline = min(
        float(current_app.config["SEND_VISITOR_DEADLINE"]),
        float(current_app.config["SEND_DEADLINE"]),
    )
    return Target(base + path, headers, "your gateway", hidden, deadline)


def field_errors(state: PageState, result: Result, under: str = "") -> tuple[dict[str, str], str]:
    """Give the form's errors plus the API's error on the field its ``param`` names, and that
    field's form path (empty when the API named none).

    ``under`` is the body key the request sent on its own (a call's ``session``): a ``param``
    the form has no field for is looked up under it.
    """
    errors = dict(state.errors)
    error = result.api_error or {}
    param = error.get("param")
    if not isinstance(param, str) or not param.strip():
        return errors, ""
    path = re.sub(r"\[(\d+)\]", r".\1", param.strip()).strip(".")
    form_path = state.built.form_path(path)
    if not form_path and under:
        form_path = state.built.form_path(f"{under}.{path}")
    form_path = form_path or path
    errors[form_path] = f"The API says: {error.get('message') or 'rejected'}"
    return errors, form_path


def render_result(
    context: dict[str, Any], target: Target, result: Result, marked: tuple[dict[str, str], str]
) -> Response:
    """Give the response pane for a gateway's answer: ``marked`` is the form's problems with the
    answer's ``param`` among them, and the field it names (see :func:`field_errors`)."""
    errors, error_field = marked
    context.update(
        result=result,
        target_label=target.label,
        field_errors=errors,
        error_field=error_field,
        now=int(time.time()),
    )
    return render_response(context)


def render_response(context: dict[str, Any]) -> Response:
    """Give the response pane (with the form's error slots out of band), never cached."""
    html = render_template("partials/_response.html", oob=True, **context)
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response
