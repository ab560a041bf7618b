"""Masking the secrets of a send (key, organization, project) in whatever came back: the one
place that decides what counts as a secret shown.

A gateway may echo a credential anywhere: in a JSON value or a JSON *key*, in a header, in text
that is not JSON, escaped the JSON way (``\\u0073k-...``, ``\\/``, escapes of escapes), or with
characters no reader notices in between (an invalid byte, shown as U+FFFD, a zero-width space, a
line break). So a secret is found in the text as a reader would read it: JSON escapes decoded
(any number of times) and every character a secret cannot hold (one outside printable ASCII,
which :func:`playground.transport.checks.check_credential` keeps out of every credential)
skipped, in any letter case (a header name is shown lower-cased, and HTTP/2 sends every name
lower-cased). The whole stretch of the original text that spells the secret that way is replaced.

Everything a gateway's answer gives the browser passes through :func:`mask_text` (or
:func:`mask_json`, which calls it): the body, the shown headers (names and values), the content
type, ``Location`` and so a call's id; an SDP answer that holds a secret
(:func:`holds_secret`) is not passed on at all.

Linear in the text: one pass of one pattern, then ``str.find``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from typing import Any

#: Each secret mapped to what stands for it (``{key: "[your key]"}``).
Secrets = Mapping[str, str]

# One piece of text: a run of printable ASCII other than a backslash, a JSON \uXXXX escape or
# a \" \\ \/ escape (any number of backslashes: an escaped escape is still read as one), or
# anything else: characters no credential holds, and escapes of control characters.
_PIECE = re.compile(
    r"(?P<plain>[\x21-\x5b\x5d-\x7e]+)"
    r"|\\+u(?P<hex>[0-9a-fA-F]{4})"
    r"|\\+(?P<short>[\"\\/])"
    r"|[^\x21-\x7e]+|\\+[bfnrt]?"
)
_NOT_IN_A_SECRET = re.compile(r"[^\x21-\x7e]+")


class _ReadText:
    """``text`` as a reader reads it for secrets (``units``), and where each unit came from."""

    def __init__(self, text: str) -> None:
        units: list[str] = []
        self.unit_starts: list[int] = []  # where each piece's units start in ``units``
        self.spans: list[tuple[int, int, bool]] = []  # the piece: start, end, one unit a char?
        size = 0
        for piece in _PIECE.finditer(text):
            plain, hexa, short = piece.group("plain", "hex", "short")
            if plain is not None:
                read = plain
            elif hexa is not None:
                read = chr(int(hexa, 16))
                read = read if "\x21" <= read <= "\x7e" else ""
            else:
                read = short or ""
            if read:
                self.unit_starts.append(size)
                self.spans.append((piece.start(), piece.end(), plain is not None))
                units.append(read)
                size += len(read)
        self.units = "".join(units).lower()  # printable ASCII: the same length

    def start(self, unit: int) -> int:
        """Give where unit number ``unit`` starts in the text."""
        index = bisect_right(self.unit_starts, unit) - 1
        start, _, per_char = self.spans[index]
        return start + (unit - self.unit_starts[index]) if per_char else start

    def end(self, unit: int) -> int:
        """Give where unit number ``unit`` ends in the text."""
        index = bisect_right(self.unit_starts, unit) - 1
        start, end, per_char = self.spans[index]
        return start + (unit - self.unit_starts[index]) + 1 if per_char else end


def _targets(secrets: Secrets) -> list[tuple[str, str]]:
    """Give each secret as it is looked for (longest first) with what stands for it."""
    found = {_NOT_IN_A_SECRET.sub("", secret).lower(): shown for secret, shown in secrets.items()}
    return sorted(((s, shown) for s, shown in found.items() if s), key=lambda t: -len(t[0]))


def mask_text(text: str, secrets: Secrets) -> str:
    """Give ``text`` with every secret, however escaped or interrupted, replaced by what stands
    for it (whole texts only: a cut could split a secret; see :func:`drop_cut_secret`)."""
    targets = _targets(secrets)
    if not targets or not text:
        return text
    if "\\" not in text:  # nothing escaped: a quick look first, the usual answer is "none"
        plain = _NOT_IN_A_SECRET.sub("", text).lower()
        if not any(secret in plain for secret, _ in targets):
            return text
    read = _ReadText(text)
    spans: list[tuple[int, int, str]] = []
    taken = bytearray(len(read.units))  # units already masked (a secret inside another)
    for secret, shown in targets:
        at = read.units.find(secret)
        while at != -1:
            end = at + len(secret)
            if taken.find(1, at, end) == -1:
                taken[at:end] = b"\x01" * len(secret)
                spans.append((read.start(at), read.end(end - 1), shown))
            at = read.units.find(secret, end)
    if not spans:
        return text
    out: list[str] = []
    last = 0
    for start, end, shown in sorted(spans):
        out += [text[last:start], shown]
        last = end
    out.append(text[last:])
    return "".join(out)


def holds_secret(text: str, secrets: Secrets) -> bool:
    """Say whether ``text`` holds a secret, read as :func:`mask_text` reads it."""
    return mask_text(text, secrets) != text


def mask_json(value: Any, secrets: Secrets) -> Any:
    """Give a JSON value with every secret masked in its strings: object keys and values."""
    if isinstance(value, str):
        return mask_text(value, secrets)
    if isinstance(value, list):
        return [mask_json(item, secrets) for item in value]
    if isinstance(value, dict):
        return {mask_text(k, secrets): mask_json(v, secrets) for k, v in value.items()}
    return value


def drop_cut_secret(text: str, secrets: Secrets) -> str:
    """Give a cut-off ``text`` without the start of a secret the cut went through (read as
    :func:`mask_text` reads it: escaped or interrupted)."""
    targets = _targets(secrets)
    if not targets or not text:
        return text
    read = _ReadText(text)
    for secret, _ in targets:
        for size in range(min(len(secret), len(read.units)) - 1, 0, -1):
            if read.units.endswith(secret[:size]):
                return text[: read.start(len(read.units) - size)]
    return text
