"""Send one request to a gateway and give back plain data about what came back.

No Flask here: :mod:`playground.web.send` and :mod:`playground.web.call` check the request and
render the :class:`~playground.transport.result.Result`. One :class:`Upstream` per app holds one
shared ``requests.Session`` for its pooled transport adapters and hands each send straight to
the adapter: nothing from the environment (``.netrc``, proxy variables) applies, and no cookie a
gateway sets is kept (it would go out with the next visitor's send). A send never follows
redirects, is bounded by connect and read timeouts and a wall-clock deadline, and stops reading
a response at a size cap.

Nothing here puts an exception's text in a result: the text of a ``requests`` error can hold a
header value (the key) or the gateway URL. Failures are told by their type alone
(:mod:`playground.transport.explanations`).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace
from http.cookiejar import DefaultCookiePolicy
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from wsgiref.types import WSGIApplication

import requests

from playground.transport.checks import check_credential
from playground.transport.deadline import Deadline, DeadlineAdapter
from playground.transport.explanations import describe_failure, explain_deadline
from playground.transport.inprocess import WSGIAdapter
from playground.transport.log_filter import hide_connection_log
from playground.transport.masking import Secrets
from playground.transport.result import Result, read_body, read_capped, read_head
from playground.transport.targets import Guard, PinnedAdapter


def _user_agent() -> str:
    try:
        return f"realtime-playground/{version('realtime-playground')}"
    except PackageNotFoundError:  # running from a checkout that is not installed
        return "realtime-playground"


USER_AGENT = _user_agent()


@dataclass(frozen=True)
class Limits:
    """How long and how much one send may take."""

    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    deadline: float = 60.0
    max_bytes: int = 1024 * 1024


def request_headers(key: str = "", organization: str = "", project: str = "") -> dict[str, str]:
    """Give the headers of a send: Bearer key, organization and project when set, JSON."""
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Accept-Encoding": "gzip, deflate",
        "Connection": "keep-alive",
        "User-Agent": USER_AGENT,
    }
    if key:
        headers["Authorization"] = f"Bearer {check_credential(key, 'key')}"
    if organization:
        headers["OpenAI-Organization"] = check_credential(organization, "organization")
    if project:
        headers["OpenAI-Project"] = check_credential(project, "project")
    return headers


def encode_body(body: Any) -> bytes:
    """Give the JSON bytes sent for a body (the same value the preview shows)."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class Upstream:
    """The app's one HTTP client for sends: a pooled session and the limits it applies."""

    def __init__(
        self, limits: Limits | None = None, pool_size: int = 10, guard: Guard | None = None
    ) -> None:
        self.limits = limits or Limits()
        hide_connection_log()
        # One shared session, for its pooled adapters: _exchange hands each send straight to
        # the adapter. Its environment and cookie jar are switched off all the same.
        self.session = requests.Session()
        self.session.trust_env = False
        self.session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        adapter = (
            DeadlineAdapter(pool_connections=4, pool_maxsize=pool_size, max_retries=0)
            if guard is None
            else PinnedAdapter(guard, pool_connections=4, pool_maxsize=pool_size, max_retries=0)
        )
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def mount_app(self, base_url: str, wsgi_app: WSGIApplication, only: str = "") -> None:
        """Answer sends under ``base_url`` by calling ``wsgi_app`` in process (the mock); with
        ``only``, just the paths under that prefix (others get a 404 without the app)."""
        self.session.mount(base_url.rstrip("/") + "/", WSGIAdapter(wsgi_app, only))

    def close(self) -> None:
        """Close the pooled connections."""
        self.session.close()

    def post_json(
        self,
        url: str,
        body: Any,
        headers: dict[str, str],
        redact: Secrets | None = None,
        deadline: float | None = None,
    ) -> Result:
        """Give the :class:`Result` of POSTing ``body`` (any JSON value) as JSON to ``url``.

        ``redact`` maps values (the key) to what stands for them in whatever the gateway sends
        back, e.g. ``{key: "[your key]"}``. ``deadline`` (seconds) replaces the limits' own.
        """
        return self.post(url, encode_body(body), headers, redact, deadline)

    def post(
        self,
        url: str,
        data: bytes,
        headers: dict[str, str],
        redact: Secrets | None = None,
        deadline: float | None = None,
        max_bytes: int | None = None,
    ) -> Result:
        """Give the :class:`Result` of POSTing ``data`` (of the type ``headers`` name) to ``url``.

        As :meth:`post_json`; ``max_bytes`` replaces the limits' cap on the answer.
        """
        started = time.monotonic()
        limits = self.limits if deadline is None else replace(self.limits, deadline=deadline)
        if max_bytes is not None:
            limits = replace(limits, max_bytes=max_bytes)
        with Deadline(limits.deadline) as watch:
            result = self._exchange(url, data, headers, redact or {}, watch, limits)
        result.elapsed_ms = round((time.monotonic() - started) * 1000)
        return result

    def _exchange(
        self,
        url: str,
        data: bytes,
        headers: dict[str, str],
        redact: Secrets,
        watch: Deadline,
        limits: Limits,
    ) -> Result:
        """Send and read the answer (within ``limits``); when ``watch`` expires it cuts the
        connection, and whatever arrived until then is reported as a timeout, not the answer."""
        result = Result()
        try:
            # Straight to the adapter, past Session.send: no cookie jar shared by every visitor,
            # no environment, no redirects, and a fraction of a millisecond less per send.
            request = requests.Request("POST", url, headers=headers, data=data)
            response = self.session.get_adapter(url).send(
                request.prepare(),
                stream=True,
                timeout=(
                    min(limits.connect_timeout, limits.deadline),
                    min(limits.read_timeout, limits.deadline),
                ),
                verify=True,
                proxies={},
            )
        except Exception as exc:  # anything from requests/urllib3: told by type, never raised
            return _failed(result, exc, watch, limits, answered=False)
        with response:
            if watch.expired:  # cut while the headers were coming
                return _failed(result, None, watch, limits, answered=False)
            read_head(result, response, redact)
            try:
                raw, cut = read_capped(response, limits.max_bytes)
            except Exception as exc:  # a broken stream: told by type, never raised
                return _failed(result, exc, watch, limits, answered=True)
        if watch.expired and not cut:  # cut in the body
            return _failed(result, None, watch, limits, answered=True)
        result.raw = raw
        read_body(result, raw, cut, limits.max_bytes, redact)
        return result


def _failed(
    result: Result, exc: Exception | None, watch: Deadline, limits: Limits, answered: bool
) -> Result:
    """Give ``result`` filled for a send that failed: by the deadline, or with ``exc``."""
    if watch.expired or exc is None:
        result.failure_kind = "timeout"
        result.failure = explain_deadline(limits.deadline, answered)
    else:
        result.failure_kind, result.failure = describe_failure(exc)
    return result
