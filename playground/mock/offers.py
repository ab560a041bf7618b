"""What the mock's call peer reads of an SDP offer: little, and loopback only.

aiortc hands every ``a=candidate`` line to aioice, which pairs each new candidate against the
whole check list (quadratic: 8,000 candidates held the one loop every call shares for over 10 s),
resolves a ``….local`` name by multicast DNS (binding port 5353) and sends STUN checks to any
address named. The mock's peer listens on loopback, so before aiortc sees an offer this keeps at
most :data:`MAX_CANDIDATES` UDP host candidates per media section whose address is a loopback IP
literal, and drops every other candidate line. A browser elsewhere on the machine still connects:
its checks reach the peer's own candidate and make it known (a peer-reflexive candidate).

An offer longer than the call cap (``CALL_MAX_OFFER_BYTES``, shared with the page's ``/call``),
with more media sections or longer sections than a browser writes, is refused: aiortc's own
reading of sections grows faster than their length. No Flask and no aiortc here.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from playground.mock.call_limits import CallRefused

#: Media sections read (a call has an audio and a data channel section; a browser adding video
#: has three).
MAX_MEDIA_SECTIONS = 8
#: Lines in one section besides its candidates (a browser's video section, every codec with its
#: feedback: about 150).
MAX_SECTION_LINES = 256
#: Candidates read per media section (loopback host UDP ones: 127.0.0.1 and ::1 at most).
MAX_CANDIDATES = 4
_CANDIDATE = "a=candidate:"
_END = "a=end-of-candidates"


@dataclass(frozen=True)
class ReadOffer:
    """An offer as the peer is given it, and how many candidate lines were left out."""

    sdp: str
    candidates: int  # read
    ignored: int  # left out: not loopback host UDP, or over the cap


def read_offer(offer: str, max_bytes: int) -> ReadOffer:
    """Give what the peer reads of ``offer``; raise :class:`CallRefused` (400, param ``sdp``)
    for a missing, oversized or overlong offer, or one that is not SDP."""
    if not offer.strip():
        message = "Missing required parameter: 'sdp' (the WebRTC offer)."
        raise CallRefused(400, message, "missing_required_parameter", "sdp")
    size = len(offer.encode("utf-8"))
    if size > max_bytes:
        message = (
            f"'sdp' is {size} bytes, over the mock's limit of {max_bytes} "
            "(CALL_MAX_OFFER_BYTES): a browser's offer is a few KB."
        )
        raise CallRefused(400, message, "string_above_max_length", "sdp")
    if not offer.lstrip().startswith("v=0"):
        message = "'sdp' is not an SDP offer (an offer starts with v=0)."
        raise CallRefused(400, message, "invalid_offer", "sdp")
    sections = _sections(offer.strip().splitlines())
    if len(sections) - 1 > MAX_MEDIA_SECTIONS:
        message = f"'sdp' has {len(sections) - 1} media sections; the mock reads at most "
        raise CallRefused(400, message + f"{MAX_MEDIA_SECTIONS}.", "invalid_offer", "sdp")
    # Candidate lines aside: those over the cap are dropped here, unread by aiortc.
    longest = max(sum(not line.startswith(_CANDIDATE) for line in s) for s in sections)
    if longest > MAX_SECTION_LINES:
        message = f"'sdp' has a section of {longest} lines besides candidates; the mock reads "
        raise CallRefused(400, message + f"at most {MAX_SECTION_LINES}.", "invalid_offer", "sdp")
    kept: list[str] = []
    read = ignored = 0
    for section in sections:
        lines, taken = _loopback_candidates(section)
        kept += lines
        read += taken
        ignored += sum(line.startswith(_CANDIDATE) for line in section) - taken
    return ReadOffer("\r\n".join(kept) + "\r\n", read, ignored)


def _sections(lines: list[str]) -> list[list[str]]:
    """Give the session part, then each media section (from its ``m=`` line)."""
    sections: list[list[str]] = [[]]
    for line in lines:
        if line.startswith("m="):
            sections.append([])
        sections[-1].append(line)
    return sections


def _loopback_candidates(section: list[str]) -> tuple[list[str], int]:
    """Give ``section`` with only its first loopback host UDP candidates, and their count.

    A section left with none loses its ``a=end-of-candidates`` too, so the peer waits for the
    caller's checks (up to the connect limit) instead of failing at once."""
    out: list[str] = []
    taken = 0
    for line in section:
        if line.startswith(_CANDIDATE):
            if taken < MAX_CANDIDATES and is_loopback_host(line):
                out.append(line)
                taken += 1
        elif line != _END:
            out.append(line)
    if taken and _END in section:
        out.append(_END)
    return out, taken


def is_loopback_host(line: str) -> bool:
    """Give whether an ``a=candidate:`` line is a UDP host candidate on a loopback address
    (an IP literal: a ``….local`` or any other name is never looked up)."""
    fields = line[len(_CANDIDATE) :].split()
    if len(fields) < 8 or fields[2].lower() != "udp" or fields[6:8] != ["typ", "host"]:
        return False
    if not all(fields[i].isdigit() for i in (1, 3, 5)):  # component, priority, port
        return False
    try:
        return ipaddress.ip_address(fields[4]).is_loopback
    except ValueError:
        return False
