"""Sending: ``POST /send`` builds the body like the preview and posts it to a gateway.

The browser keeps the gateway URL and the credentials in its own storage and adds them to the
send request only, as headers (``static/auth.js``): they are never form fields, so they cannot
end up in the form state, the preview, a snippet or a share link, and a cross-site form post
cannot set them. Operators can configure named gateways whose key the server reads from an
environment variable; ``SEND_CONFIGURED_ONLY`` allows only those (hosted mode).

Configuration (also from the environment as ``PLAYGROUND_<NAME>``, JSON values):
``SEND_CONNECT_TIMEOUT``, ``SEND_READ_TIMEOUT``, ``SEND_DEADLINE`` (seconds, for the operator's
gateways), ``SEND_VISITOR_DEADLINE`` (for a URL a visitor typed, at most ``SEND_DEADLINE``),
``SEND_MAX_BYTES``, ``GATEWAYS`` (``[{"name", "base_url", "key_env"}]``, optional
``organization`` and ``project``), ``SEND_CONFIGURED_ONLY``, ``SEND_MAX_IN_FLIGHT`` and
``SEND_MAX_IN_FLIGHT_PER_CLIENT`` (sends waiting on upstreams at once, in each process; see
:mod:`playground.in_flight`).
"""

from __future__ import annotations

import os
import re
import time
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import Blueprint, Flask, Response, current_app, render_template, request, url_for

from . import hosts, inprocess, mock
from .csrf import answer_refused
from .form_data import FormData
from .in_flight import InFlightLimit, TooManyInFlight
from .operations import Operation, get_operation
from .page import PageState
from .page_constants import (  # the request headers static/auth.js sets on the send request
    GATEWAY_HEADER,
    GATEWAY_NAME_HEADER,
    INVALID_HEADER,
    KEY_HEADER,
    ORGANIZATION_HEADER,
    PROJECT_HEADER,
)
from .ssrf import ALLOWED_BY_DEFAULT, Guard
from .upstream import Limits, RequestRefused, Result, Upstream, check_credential, request_headers
from .upstream import check_gateway_url as _check_url

bp = Blueprint("send", __name__)

DEFAULTS: dict[str, Any] = {
    "SEND_CONNECT_TIMEOUT": 5.0,
    "SEND_READ_TIMEOUT": 30.0,
    "SEND_DEADLINE": 60.0,
    # A URL a visitor typed may be a server built to hold the thread: it gets less time.
    "SEND_VISITOR_DEADLINE": 20.0,
    "SEND_MAX_IN_FLIGHT": 8,
    "SEND_MAX_IN_FLIGHT_PER_CLIENT": 2,
    "SEND_MAX_BYTES": 1024 * 1024,
    "GATEWAYS": [],
    "SEND_CONFIGURED_ONLY": False,
    # On unless the server is known to listen on loopback only (``realtime-playground serve``
    # says so); behind a reverse proxy set it explicitly.
    "SSRF_GUARD": True,
    "SSRF_ALLOWED_HOSTS": list(ALLOWED_BY_DEFAULT),
}

_EXTENSION = "playground.upstream"
_IN_FLIGHT = "playground.in_flight"


@dataclass(frozen=True)
class ConfiguredGateway:
    """A gateway the operator set up: the server supplies its key from the environment."""

    name: str
    base_url: str
    key_env: str
    organization: str = ""
    project: str = ""

    @property
    def key(self) -> str:
        """Give the key from the environment (read at send time, so it can be rotated)."""
        return os.environ.get(self.key_env, "") if self.key_env else ""


def parse_gateways(entries: Any) -> dict[str, ConfiguredGateway]:
    """Give the configured gateways by name, or raise ``ValueError`` saying what is wrong."""
    if not isinstance(entries, list):
        raise ValueError("GATEWAYS must be a list of {name, base_url, key_env} objects")
    gateways: dict[str, ConfiguredGateway] = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ValueError(f"GATEWAYS[{index}] needs a name")
        unknown = set(entry) - {"name", "base_url", "key_env", "organization", "project"}
        if unknown:
            raise ValueError(f"GATEWAYS[{index}] has unknown keys: {', '.join(sorted(unknown))}")
        try:
            base_url = _check_url(str(entry.get("base_url", "")))
        except RequestRefused as exc:
            raise ValueError(f"GATEWAYS[{index}] ({entry['name']}): {exc}") from None
        name = entry["name"].strip()
        if not name or name in gateways:
            raise ValueError(f"GATEWAYS[{index}]: names must be non-empty and unique")
        gateways[name] = ConfiguredGateway(
            name=name,
            base_url=base_url,
            key_env=str(entry.get("key_env", "")),
            organization=str(entry.get("organization", "")),
            project=str(entry.get("project", "")),
        )
    return gateways


def init_app(app: Flask) -> None:
    """Set the send defaults, check the configured gateways, make the HTTP client, register."""
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    app.config["GATEWAYS"] = parse_gateways(app.config["GATEWAYS"])
    app.extensions[_IN_FLIGHT] = InFlightLimit(
        total=_setting(app, "SEND_MAX_IN_FLIGHT", int, 1),
        per_client=_setting(app, "SEND_MAX_IN_FLIGHT_PER_CLIENT", int, 1),
    )
    _setting(app, "SEND_VISITOR_DEADLINE", float, 0.001)
    limits = Limits(
        connect_timeout=float(app.config["SEND_CONNECT_TIMEOUT"]),
        read_timeout=float(app.config["SEND_READ_TIMEOUT"]),
        deadline=float(app.config["SEND_DEADLINE"]),
        max_bytes=int(app.config["SEND_MAX_BYTES"]),
    )
    allowed = _allowed_hosts(app.config["SSRF_ALLOWED_HOSTS"], app.config["GATEWAYS"])
    guard = Guard.of(allowed) if app.config["SSRF_GUARD"] else None
    upstream = Upstream(limits, guard=guard)
    upstream.mount_app(inprocess.BASE, hosts.in_process(app), only=mock.PREFIX)  # no other route
    app.extensions[_EXTENSION] = upstream
    app.register_blueprint(bp)


def _setting(app: Flask, name: str, kind: type[int] | type[float], least: float) -> Any:
    """Give the setting ``name`` as a ``kind`` of at least ``least``, or raise ``ValueError``."""
    value = app.config[name]
    if isinstance(value, bool) or not isinstance(value, int | float) or value < least:
        raise ValueError(f"{name} must be a number of at least {least:g}, not {value!r}")
    return kind(value)


def _allowed_hosts(hosts: Any, gateways: dict[str, ConfiguredGateway]) -> list[str]:
    """Give the guard's allow-list: the configured hosts and every configured gateway's origin."""
    if isinstance(hosts, str) or not isinstance(hosts, list):
        raise ValueError('SSRF_ALLOWED_HOSTS must be a list of host names, e.g. ["api.openai.com"]')
    allowed = [str(h) for h in hosts]
    for gateway in gateways.values():
        parts = urlsplit(gateway.base_url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        host = parts.hostname or ""
        allowed.append(f"[{host}]:{port}" if ":" in host else f"{host}:{port}")
    return allowed


def _own_mock_base(base: str) -> bool:
    """Give whether ``base`` is this server's own mock (as the send panel offers it)."""
    if "mock" not in current_app.blueprints:
        return False
    parts = urlsplit(base)
    own = urlsplit(hosts.own_url_root())
    return parts.netloc.lower() == own.netloc.lower() and parts.path.rstrip("/") == mock.PREFIX


@dataclass(frozen=True)
class SendPanel:
    """What the credentials panel offers: configured gateway names, the mock, hosted mode."""

    gateway_names: list[str]
    configured_only: bool
    mock_url: str


@bp.app_context_processor
def _send_panel() -> dict[str, Any]:
    def send_panel() -> SendPanel:
        mock_url = ""
        if not current_app.config["SEND_CONFIGURED_ONLY"] and "mock" in current_app.blueprints:
            mock_url = hosts.own_url_root() + url_for("mock.base").rstrip("/")
        return SendPanel(
            gateway_names=list(current_app.config["GATEWAYS"]),
            configured_only=bool(current_app.config["SEND_CONFIGURED_ONLY"]),
            mock_url=mock_url,
        )

    return {"send_panel": send_panel}


@dataclass
class Target:
    """Where a send goes and with which headers; ``label`` is safe to show."""

    url: str
    headers: dict[str, str]
    label: str
    secrets: dict[str, str]
    deadline: float


def _target(op: Operation) -> Target:
    """Give the send target from the request headers, or raise :class:`RequestRefused`."""
    invalid = request.headers.get(INVALID_HEADER, "")
    if invalid:
        what = invalid if invalid in ("key", "organization", "project") else "credential"
        raise RequestRefused(
            f"Invalid {what} format: it contains a space, a line break or another character "
            f"that cannot be sent; paste the {what} again."
        )
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
        return Target(gateway.base_url + op.path, headers, gateway.name, hidden, deadline)
    if current_app.config["SEND_CONFIGURED_ONLY"]:
        raise RequestRefused("This server sends only to its configured gateways: choose one.")
    raw_url = unquote(request.headers.get(GATEWAY_HEADER, ""))
    if not raw_url.strip():
        raise RequestRefused("Enter a gateway URL above to enable sending.")
    base = _check_url(raw_url)
    if _own_mock_base(base):  # answered in process: see playground.inprocess
        base = inprocess.BASE + mock.PREFIX
    key = check_credential(request.headers.get(KEY_HEADER, ""), "key")
    organization = check_credential(request.headers.get(ORGANIZATION_HEADER, ""), "organization")
    project = check_credential(request.headers.get(PROJECT_HEADER, ""), "project")
    headers = request_headers(key, organization, project)
    hidden = {key: "[your key]", organization: "[your organization]", project: "[your project]"}
    deadline = min(
        float(current_app.config["SEND_VISITOR_DEADLINE"]),
        float(current_app.config["SEND_DEADLINE"]),
    )
    return Target(base + op.path, headers, "your gateway", hidden, deadline)


def _operation() -> Operation | None:
    op_id = request.form.get("op") or current_app.config["DEFAULT_OPERATION"]
    try:
        return get_operation(op_id)
    except KeyError:
        return None


def _field_errors(state: PageState, result: Result) -> tuple[dict[str, str], str]:
    """Give the form's errors plus the API's error on the field its ``param`` names, and that
    field's form path (empty when the API named none)."""
    errors = dict(state.errors)
    error = result.api_error or {}
    param = error.get("param")
    if not isinstance(param, str) or not param.strip():
        return errors, ""
    path = re.sub(r"\[(\d+)\]", r".\1", param.strip()).strip(".")
    form_path = state.built.form_path(path) or path
    errors[form_path] = f"The API says: {error.get('message') or 'rejected'}"
    return errors, form_path


@bp.post("/send")
def send() -> Response:
    """Post the form's body to the gateway and render what came back."""
    op = _operation()
    context: dict[str, Any] = {"result": None, "refused": ""}
    if op is None:
        context["refused"] = "Unknown operation: reload the page."
        return _render(context)
    state = PageState(op, FormData.of(request.form))
    context.update(state.context(sent_with_errors=bool(state.errors)))
    try:
        target = _target(op)
    except RequestRefused as exc:
        context["refused"] = str(exc)
        return _render(context)
    upstream: Upstream = current_app.extensions[_EXTENSION]
    in_flight: InFlightLimit = current_app.extensions[_IN_FLIGHT]
    # The own mock, answered in this thread, never waits on anything: it is not counted.
    hold = (
        nullcontext()
        if target.url.startswith(inprocess.BASE + "/")
        else in_flight.hold(request.remote_addr or "", target.deadline)
    )
    try:
        with hold:
            result = upstream.post_json(
                target.url,
                state.body,
                target.headers,
                redact=target.secrets,
                deadline=target.deadline,
            )
    except TooManyInFlight as exc:  # answered at once: a queued send would hold a thread too
        response = answer_refused(exc.message, 429, keep_form=True)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    field_errors, error_field = _field_errors(state, result)
    context.update(
        result=result,
        target_label=target.label,
        field_errors=field_errors,
        error_field=error_field,
        now=int(time.time()),
    )
    return _render(context)


def _render(context: dict[str, Any]) -> Response:
    html = render_template("partials/_response.html", oob=True, **context)
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response
