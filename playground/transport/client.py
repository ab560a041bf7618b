"""Send one JSON request to a gateway and give back plain data about what came back.

No Flask here: :mod:`playground.web.send` checks the request and renders the :class:`Result`.
One :class:`Upstream` per app holds one shared ``requests.Session`` for its pooled transport
adapters and hands each send straight to the adapter: nothing from the environment (``.netrc``,
proxy variables) applies, and no cookie a gateway sets is kept (it would go out with the next
visitor's send). A send never follows redirects, is bounded by connect and read timeouts and a
wall-clock deadline, and stops reading a response at a size cap.

Nothing here puts an exception's text in a result: the text of a ``requests`` error can hold a
header value (the key) or the gateway URL. Failures are told by their type alone.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from http.cookiejar import DefaultCookiePolicy
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import (
    DecodeError,
    LocationParseError,
    NameResolutionError,
    ProtocolError,
    ReadTimeoutError,
)

from playground.codecs import strict_json
from playground.transport.deadline import Deadline, DeadlineAdapter
from playground.transport.inprocess import WSGIAdapter
from playground.transport.masking import Secrets, drop_cut_secret, mask_json, mask_text
from playground.transport.targets import AddressRefused, Guard, PinnedAdapter
from playground.web.constants import HEADER_VALUE_CHAR


def _user_agent() -> str:
    try:
        return f"realtime-playground/{version('realtime-playground')}"
    except PackageNotFoundError:  # running from a checkout that is not installed
        return "realtime-playground"


USER_AGENT = _user_agent()
#: Response headers worth showing: request id, processing time, rate limits, retry hints.
SHOWN_HEADERS = ("x-request-id", "openai-processing-ms", "openai-version", "retry-after")
SHOWN_PREFIXES = ("x-ratelimit-",)
_PRINTABLE = re.compile(HEADER_VALUE_CHAR + "+")  # what static/auth.js lets through
_CHUNK = 16 * 1024
_log = logging.getLogger(__name__)


#: Values never shown, each mapped to what stands for it (``{key: "[your key]"}``); masked by
#: :mod:`playground.transport.masking` wherever they come back.
Redact = Secrets


class RequestRefused(ValueError):
    """A gateway URL or credential that must not be sent; the message is safe to show."""


@dataclass(frozen=True)
class Limits:
    """How long and how much one send may take."""

    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    deadline: float = 60.0
    max_bytes: int = 1024 * 1024


@dataclass
class Result:
    """What one send gave: an HTTP answer (``status``) or a transport ``failure``, or both."""

    status: int | None = None
    reason: str = ""
    elapsed_ms: int = 0
    headers: list[tuple[str, str]] = field(default_factory=list)
    content_type: str = ""
    data: Any = None
    is_json: bool = False
    text: str = ""
    failure: str = ""
    failure_kind: str = ""
    #: The answer's bytes as read (up to the size cap), unmasked: for a caller that takes an
    #: answer that is not JSON (a call's SDP answer). Never shown as they are.
    raw: bytes = b""
    #: The ``Location`` header (a created call names itself there).
    location: str = ""

    @property
    def ok(self) -> bool:
        """Give whether the gateway answered 2xx with JSON."""
        return self.status is not None and 200 <= self.status < 300 and self.is_json

    @property
    def api_error(self) -> dict[str, Any] | None:
        """Give the ``error`` object of an OpenAI-style error answer, if there is one."""
        if self.status is None or self.status < 400 or not isinstance(self.data, dict):
            return None
        error = self.data.get("error")
        return error if isinstance(error, dict) else None

    @property
    def pretty(self) -> str:
        """Give the JSON answer pretty-printed."""
        return json.dumps(self.data, indent=2, ensure_ascii=False)

    @property
    def ephemeral(self) -> dict[str, Any] | None:
        """Give the ephemeral secret ``{"value", "expires_at"}`` of a success, if there is one.

        It is ``client_secret`` in the beta session answer and the answer itself in GA.
        """
        if not self.ok or not isinstance(self.data, dict):
            return None
        for path, candidate in (
            ("client_secret.value", self.data.get("client_secret")),
            ("value", self.data),
        ):
            if isinstance(candidate, dict) and isinstance(candidate.get("value"), str):
                expires = candidate.get("expires_at")
                return {"value": candidate["value"], "expires_at": expires, "path": path}
        return None

    @property
    def beta_shape_refused(self) -> bool:
        """Say whether the upstream refused the beta request shape (OpenAI's own API since 2026)."""
        error = self.api_error
        return bool(error) and error.get("code") == "beta_api_shape_disabled"

    @property
    def hint(self) -> str:
        """Give one line that explains an HTTP status that is not a success."""
        return explain_status(self.status) if self.status is not None else ""


def explain_status(status: int) -> str:
    """Give what an HTTP status from the API usually means and what to try."""
    if 200 <= status < 300:
        return ""
    if 300 <= status < 400:
        return (
            "The gateway answered with a redirect, which is not followed: use the address it "
            "redirects to as the gateway URL (check https and the /v1 at the end)."
        )
    known = {
        400: "The API rejected the request: read the message; the parameter it names is "
        "marked in the form.",
        401: "The API did not accept the credentials: check the API key (and the "
        "organization and project, if set).",
        403: "The key may not do this: check the project's permissions and the model's access.",
        404: "Not found: check that the gateway URL is the API's base URL (usually ending in "
        "/v1) and that the gateway supports this endpoint.",
        408: "The API timed out reading the request: try again.",
        413: "The request body is too large for the gateway.",
        415: "The gateway does not accept JSON bodies here: check the gateway URL.",
        422: "The gateway could not process the request: read the message.",
        429: "Rate limited or out of quota: wait (see retry-after and x-ratelimit-reset-*) "
        "or check the account's billing and limits.",
    }
    if status in known:
        return known[status]
    if status >= 500:
        return "The gateway or the API failed on its side: try again in a moment."
    return "The gateway refused the request: read the message."


def check_gateway_url(url: str) -> str:
    """Give the gateway base URL without a trailing slash, or raise :class:`RequestRefused`."""
    url = url.strip()
    if not url:
        raise RequestRefused("Enter a gateway URL.")
    if any(c.isspace() or not c.isprintable() for c in url):
        raise RequestRefused("The gateway URL must not contain spaces or control characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise RequestRefused("The gateway URL is not a valid URL.") from None
    if parts.scheme not in ("http", "https"):
        raise RequestRefused("The gateway URL must start with http:// or https://.")
    if not parts.hostname:
        raise RequestRefused("The gateway URL has no host name.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise RequestRefused(
            "The gateway URL must not contain a user name or password (they would replace "
            "the API key): put the key in the API key field."
        )
    if parts.query or url.rstrip().endswith("?"):
        raise RequestRefused("The gateway URL must not contain a query (?…): give the base URL.")
    if parts.fragment or "#" in url:
        raise RequestRefused("The gateway URL must not contain a fragment (#…).")
    if port == 0:
        raise RequestRefused("The gateway URL has an invalid port.")
    return url.rstrip("/")


def check_credential(value: str, what: str) -> str:
    """Give ``value`` if it can go in a header (printable, no whitespace), or refuse it."""
    if value and not _PRINTABLE.fullmatch(value):
        raise RequestRefused(
            f"Invalid {what} format: it contains a space, a line break or another character "
            f"that cannot be sent; paste the {what} again."
        )
    return value


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


class _HideConnectionLog(logging.Filter):
    """Drops urllib3's records: they name the gateway's host, port, path or certificate (the
    pool on every connection, ``urllib3.connection`` on a malformed answer or a TLS name
    mismatch)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return False


def _hide_connection_log() -> None:
    """Filter every urllib3 logger (a filter holds only for records made at its own logger)."""
    names = [n for n in logging.root.manager.loggerDict if n.partition(".")[0] == "urllib3"]
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _HideConnectionLog) for f in logger.filters):
            logger.addFilter(_HideConnectionLog())


class Upstream:
    """The app's one HTTP client for sends: a pooled session and the limits it applies."""

    def __init__(
        self, limits: Limits | None = None, pool_size: int = 10, guard: Guard | None = None
    ) -> None:
        self.limits = limits or Limits()
        _hide_connection_log()
        # One shared session, for its pooled adapters: _exchange hands each send straight to
        # the adapter. Its environment and cookie jar are switched off all the same.
        self.session = requests.Session()
        self.session.trust_env = False
        self.session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        pool = {"pool_connections": 4, "pool_maxsize": pool_size, "max_retries": 0}
        adapter = DeadlineAdapter(**pool) if guard is None else PinnedAdapter(guard, **pool)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def mount_app(self, base_url: str, wsgi_app: Any, only: str = "") -> None:
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
        redact: Redact | None = None,
        deadline: float | None = None,
    ) -> Result:
        """Give the :class:`Result` of POSTing ``body`` as JSON to ``url``.

        ``redact`` maps values (the key) to what stands for them in whatever the gateway sends
        back, e.g. ``{key: "[your key]"}``. ``deadline`` (seconds) replaces the limits' own.
        """
        return self.post(url, encode_body(body), headers, redact, deadline)

    def post(
        self,
        url: str,
        data: bytes,
        headers: dict[str, str],
        redact: Redact | None = None,
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
        result.elapsed_ms = _ms(started)
        return result

    def _exchange(
        self,
        url: str,
        data: bytes,
        headers: dict[str, str],
        redact: Redact,
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
            return self._failed(result, exc, watch, limits, answered=False)
        with response:
            if watch.expired:  # cut while the headers were coming
                return self._failed(result, None, watch, limits, answered=False)
            result.status = response.status_code
            result.reason = _reason(response.status_code)
            # Named in a failure message ("answered 200 with text/html"): a gateway sets it.
            result.content_type = mask_text(response.headers.get("Content-Type", ""), redact)
            result.headers = _shown_headers(response.headers, redact)
            try:
                raw, cut = _read_capped(response, limits.max_bytes)
            except Exception as exc:  # a broken stream: told by type, never raised
                return self._failed(result, exc, watch, limits, answered=True)
        if watch.expired and not cut:  # cut in the body
            return self._failed(result, None, watch, limits, answered=True)
        result.raw = raw
        result.location = response.headers.get("Location", "")
        _fill_body(result, raw, cut, limits.max_bytes, redact)
        return result

    def _failed(
        self,
        result: Result,
        exc: Exception | None,
        watch: Deadline,
        limits: Limits,
        answered: bool,
    ) -> Result:
        """Fill ``result`` for a send that failed: by the deadline, or with ``exc``."""
        if watch.expired or exc is None:
            seconds = _num(limits.deadline)
            result.failure_kind = "timeout"
            result.failure = (
                f"The gateway was still sending after {seconds} s and the response was "
                "abandoned: try again, or check the gateway."
                if answered
                else f"The gateway had not answered after {seconds} s and the send was "
                "abandoned: try again, or check the gateway."
            )
        else:
            result.failure_kind, result.failure = describe_failure(exc)
        return result


def _chunks(response: requests.Response) -> Iterator[bytes]:
    """Give the (decoded) body as it arrives: whatever the socket has, up to a chunk
    (``read1``; ``iter_content`` waits for a whole chunk when the length is known).
    urllib3's errors become the ``requests`` ones :func:`describe_failure` knows.
    """
    raw = response.raw
    while True:
        try:
            chunk = raw.read1(_CHUNK, decode_content=True)
        except ProtocolError as exc:
            raise requests.exceptions.ChunkedEncodingError(exc) from exc
        except ReadTimeoutError as exc:
            raise requests.exceptions.ReadTimeout(exc) from exc
        except DecodeError as exc:
            raise requests.exceptions.ContentDecodingError(exc) from exc
        if not chunk:
            return
        yield chunk


def _read_capped(response: requests.Response, max_bytes: int) -> tuple[bytes, bool]:
    """Give up to ``max_bytes`` of the body and whether more was there."""
    chunks: list[bytes] = []
    size = 0
    for chunk in _chunks(response):
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            return b"".join(chunks)[:max_bytes], True
    return b"".join(chunks), False


def _fill_body(result: Result, raw: bytes, cut: bool, max_bytes: int, redact: Redact) -> None:
    text = raw.decode("utf-8", errors="replace")
    if cut:
        result.text = _shown_text(drop_cut_secret(text, redact), redact)
        result.failure_kind = "too_large"
        result.failure = (
            f"The response was larger than {_size(max_bytes)} and was cut off there: check the "
            "gateway URL, or raise SEND_MAX_BYTES if this gateway really answers that much."
        )
        return
    if 300 <= (result.status or 0) < 400:
        result.text = _shown_text(text, redact)
        result.failure_kind = "redirect"
        result.failure = explain_status(result.status or 300)
        return
    unusable = ""
    try:
        data = strict_json.loads(text) if text.strip() else None
    except json.JSONDecodeError:
        data = None
    except ValueError as exc:  # JSON, but not what a page can show (see strict_json)
        data, unusable = None, str(exc)
    if data is None:
        result.text = _shown_text(text, redact)
        kind = result.content_type.split(";")[0].strip() or "no content type"
        result.failure_kind = "not_json"
        result.failure = (
            f"The gateway answered {result.status} with JSON the page cannot show ({unusable}): "
            "its start is shown as text."
            if unusable
            else f"The gateway answered {result.status} with "
            f"{kind if text.strip() else 'an empty body'}, not JSON: check that the gateway URL "
            "is the API's base URL (usually ending in /v1)."
        )
        return
    result.is_json = True
    result.data = mask_json(data, redact)  # object keys as well as values


def describe_failure(exc: BaseException) -> tuple[str, str]:
    """Give ``(kind, one line)`` for a transport error, from its type alone."""
    chain = list(_causes(exc))
    refused = next((e for e in chain if isinstance(e, AddressRefused)), None)
    if refused is not None:  # its text says why, never the host
        return "blocked", (
            f"This server does not send to internal addresses ({refused}): use a public "
            "gateway, or ask the operator to add it to GATEWAYS or SSRF_ALLOWED_HOSTS."
        )
    if any(isinstance(e, requests.exceptions.SSLError) for e in chain):
        return "tls", (
            "The TLS (https) handshake with the gateway failed: check the certificate, or "
            "whether the gateway speaks plain http:// rather than https://."
        )
    if any(isinstance(e, NameResolutionError) for e in chain):
        return "dns", (
            "The gateway's host name could not be resolved: check the spelling of the gateway "
            "URL and the server's network."
        )
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return "refused", (
            "The gateway refused the connection: check the port in the gateway URL and that "
            "the gateway is running."
        )
    if any(isinstance(e, requests.exceptions.ConnectTimeout) for e in chain):
        return "timeout", (
            "Connecting to the gateway timed out: check the host and port, and that the server "
            "can reach it."
        )
    if any(isinstance(e, requests.exceptions.Timeout) for e in chain):
        return "timeout", (
            "The gateway accepted the connection but did not answer in time: try again, or "
            "raise SEND_READ_TIMEOUT if this gateway is slow."
        )
    if any(isinstance(e, requests.exceptions.InvalidHeader) for e in chain):
        return "invalid", "A header value could not be sent: check the credentials' format."
    if any(
        isinstance(
            e,
            requests.exceptions.InvalidURL | requests.exceptions.MissingSchema | LocationParseError,
        )
        for e in chain
    ):
        return "invalid", "The gateway URL is not a valid URL."
    if any(isinstance(e, requests.exceptions.ChunkedEncodingError) for e in chain):
        return "broken", "The gateway closed the connection in the middle of its answer: try again."
    if any(isinstance(e, requests.exceptions.ConnectionError) for e in chain):
        return "connection", (
            "The connection to the gateway failed or was closed without an answer: check the "
            "gateway URL and try again."
        )
    _log.warning("send failed with %s", type(exc).__name__)  # the type only: no values
    return "failed", "The request to the gateway failed: check the gateway URL and try again."


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """Give the exception, what it wraps (``reason``, ``args``) and its causes, depth first."""
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for nxt in (current.__cause__, current.__context__, getattr(current, "reason", None)):
            if isinstance(nxt, BaseException):
                stack.append(nxt)
        stack.extend(a for a in current.args if isinstance(a, BaseException))


def _shown_headers(headers: Any, redact: Redact) -> list[tuple[str, str]]:
    shown = []
    for name, value in headers.items():
        lower = name.lower()
        if lower in SHOWN_HEADERS or lower.startswith(SHOWN_PREFIXES):
            shown.append((mask_text(lower, redact), mask_text(value, redact)))
    return shown


def _shown_text(text: str, secrets: Redact) -> str:
    """Give the start of an answer that is not JSON, as the response pane shows it."""
    return mask_text(text, secrets)[:2000]  # masked first: a cut could split a secret


def _reason(status: int) -> str:
    """Give the standard phrase of a status (the gateway's own wording is not shown)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def _num(value: float) -> str:
    return f"{value:g}"


def _size(n: int) -> str:
    if n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MiB"
    if n % 1024 == 0:
        return f"{n // 1024} KiB"
    return f"{n} bytes"
