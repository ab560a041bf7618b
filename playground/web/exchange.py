"""One exchange with a gateway, as ``/send``, ``/call`` and ``/call/hangup`` make it: the
target from the request's headers, a place among the requests in flight, the post, and the
:class:`~playground.transport.result.Result` or a :class:`Refused` saying why nothing was sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Response

from playground.transport.checks import RequestRefused
from playground.transport.client import encode_body
from playground.transport.in_flight import TooManyInFlight
from playground.transport.result import Result
from playground.web.gateways import upstream
from playground.web.refusals import answer_refused
from playground.web.send_target import Target, in_flight, render_response, target_for


@dataclass(frozen=True)
class Outgoing:
    """What is posted to a target: the body, its headers, and a cap on the answer (``None``:
    the app's ``SEND_MAX_BYTES``)."""

    data: bytes
    headers: dict[str, str]
    max_bytes: int | None = None

    @classmethod
    def json(cls, body: Any, target: Target) -> Outgoing:
        """Give ``body`` posted as JSON with the target's headers."""
        return cls(encode_body(body), target.headers)


@dataclass(frozen=True)
class Refused:
    """Why nothing was sent, in words safe to show; ``retry_after`` (seconds) is set when too
    many requests were in flight (answered 429)."""

    message: str
    retry_after: int | None = None

    @property
    def status(self) -> int:
        """Give the status of the answer: 429 over the in-flight limit, else 200 (said in the
        page, not an HTTP error)."""
        return 429 if self.retry_after is not None else 200


@dataclass(frozen=True)
class Exchanged:
    """A post that was made: where it went and what came back."""

    target: Target
    result: Result


def exchange(
    path: str,
    outgoing: Callable[[Target], Outgoing],
    credentials: Callable[[Target], Target] | None = None,
) -> Exchanged | Refused:
    """Post to ``path`` under the gateway the request names: ``credentials`` may replace the
    target's (an ephemeral key), ``outgoing`` gives what is posted; either may raise
    :class:`RequestRefused`. The own mock is answered in process and not counted in flight."""
    try:
        target = target_for(path)
        if credentials is not None:
            target = credentials(target)
        sent = outgoing(target)
    except RequestRefused as exc:
        return Refused(str(exc))
    try:
        with in_flight(target):
            result = upstream().post(
                target.url,
                sent.data,
                sent.headers,
                redact=target.secrets,
                deadline=target.deadline,
                max_bytes=sent.max_bytes,
            )
    except TooManyInFlight as exc:  # refused at once: a queued one would hold a thread too
        return Refused(exc.message, exc.retry_after)
    return Exchanged(target, result)


def render_refused(context: dict[str, Any], refused: Refused) -> Response:
    """Give the response pane saying why a send or a call was not made: over the in-flight
    limit, the refusal's own answer (429, keeping the form), else the words in the pane."""
    if refused.retry_after is not None:
        return answer_refused(
            refused.message, refused.status, keep_form=True, retry_after=refused.retry_after
        )
    context["refused"] = refused.message
    return render_response(context)
