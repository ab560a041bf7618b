"""The limits of mock calls: their settings, the refusal, and each client's share.

A client (the request's remote address; the page's own calls through the in-process mock carry
the visitor's) holds at most ``max_calls_per_client`` live calls and starts at most
``starts_per_minute`` a minute, so a few clients looping offers cannot keep everyone else on the
503 of the process's ``max_calls``. A call that has not connected ``connect_seconds`` after its
answer is dropped. Calls live in one process, so the counts are per process, as they are.
No Flask and no aiortc here.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from playground.model.call_spec import MAX_OFFER_BYTES

#: The window call starts are counted over, in seconds.
WINDOW = 60.0
#: Past this many clients in the window, clients with no recent start are forgotten.
_PRUNE_AT = 1024


@dataclass(frozen=True)
class CallSettings:
    """The limits and address of mock calls (``CALL_MOCK_*`` in the app's config)."""

    host: str = "127.0.0.1"
    max_calls: int = 4
    max_calls_per_client: int = 2
    starts_per_minute: int = 10
    max_seconds: float = 300.0
    idle_seconds: float = 30.0
    connect_seconds: float = 10.0
    answer_seconds: float = 10.0
    max_offer_bytes: int = MAX_OFFER_BYTES

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> CallSettings:
        """Give the settings an app's config holds (defaults where it has none)."""

        def get(name: str, kind: Callable[[Any], Any], default: Any) -> Any:
            return kind(config.get(name, default))

        return cls(
            host=get("CALL_MOCK_HOST", str, cls.host),
            max_calls=get("CALL_MOCK_MAX_CALLS", int, cls.max_calls),
            max_calls_per_client=get(
                "CALL_MOCK_MAX_CALLS_PER_CLIENT", int, cls.max_calls_per_client
            ),
            starts_per_minute=get("CALL_MOCK_STARTS_PER_MINUTE", int, cls.starts_per_minute),
            max_seconds=get("CALL_MOCK_MAX_SECONDS", float, cls.max_seconds),
            idle_seconds=get("CALL_MOCK_IDLE_SECONDS", float, cls.idle_seconds),
            connect_seconds=get("CALL_MOCK_CONNECT_SECONDS", float, cls.connect_seconds),
            answer_seconds=get("CALL_MOCK_ANSWER_SECONDS", float, cls.answer_seconds),
            max_offer_bytes=get("CALL_MAX_OFFER_BYTES", int, cls.max_offer_bytes),
        )


class CallRefused(Exception):
    """Raised when a call cannot start: ``status`` and ``message`` for an OpenAI-style error;
    ``retry_after`` (seconds) when waiting helps."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str,
        param: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.code, self.param = status, message, code, param
        self.retry_after = retry_after


def check_share(settings: CallSettings, live: int, mine: int) -> None:
    """Raise :class:`CallRefused` when a client holding ``mine`` of the ``live`` calls may not
    open one more: 429 over its own share, 503 when the process is full."""
    if mine >= settings.max_calls_per_client:
        message = (
            f"You already have {mine} mock calls open from your address, the limit "
            f"(CALL_MOCK_MAX_CALLS_PER_CLIENT = {settings.max_calls_per_client}): hang up one "
            "and try again."
        )
        raise CallRefused(429, message, "rate_limit_exceeded")
    if live >= settings.max_calls:
        message = (
            f"The playground's mock is already serving {live} calls, its limit "
            f"(CALL_MOCK_MAX_CALLS = {settings.max_calls}): hang up another call and try again."
        )
        raise CallRefused(503, message, "too_many_calls")


class StartWindow:
    """Each client's call starts over the last :data:`WINDOW` seconds (not thread-safe: the
    registry holds its lock around :meth:`take`)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._starts: dict[str, deque[float]] = {}

    def take(self, client: str, per_minute: int) -> None:
        """Count one start of ``client``; raise :class:`CallRefused` (429, with the seconds
        until one is allowed) when it already started ``per_minute`` in the window."""
        now = self._clock()
        if len(self._starts) > _PRUNE_AT:
            self._starts = {c: s for c, s in self._starts.items() if s and now - s[-1] < WINDOW}
        starts = self._starts.setdefault(client, deque())
        while starts and now - starts[0] >= WINDOW:
            starts.popleft()
        if len(starts) >= per_minute:
            wait = max(1, math.ceil(starts[0] + WINDOW - now)) if starts else int(WINDOW)
            message = (
                f"Your address started {len(starts)} mock calls in the last minute, the limit "
                f"(CALL_MOCK_STARTS_PER_MINUTE = {per_minute}): try again in {wait} s."
            )
            raise CallRefused(429, message, "rate_limit_exceeded", retry_after=wait)
        starts.append(now)

    def clear(self) -> None:
        """Forget every start."""
        self._starts.clear()
