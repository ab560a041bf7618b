"""What the mock's call peer reads of an offer: the /call size cap, a few loopback host
candidates, no name ever looked up (no mDNS), and no offer holding up another call."""

from __future__ import annotations

import os
import re
import threading
import time
from typing import Any

import pytest
import requests

from playground.mock import keys as mock_keys
from playground.mock.call_limits import CallRefused
from playground.mock.call_peer import peers
from playground.mock.offers import MAX_CANDIDATES, MAX_MEDIA_SECTIONS, read_offer
from playground.model.call_spec import MAX_OFFER_BYTES

from .conftest import CALLS, place_call

AUTH = {"Authorization": "Bearer sk-test"}
MDNS_PORT = 5353


def with_candidates(offer: str, lines: list[str], replace: bool = False) -> str:
    """Give ``offer`` with ``lines`` after the first section's candidates (or instead of every
    candidate line of the offer, with ``replace``)."""
    out: list[str] = []
    placed = False
    for line in offer.split("\r\n"):
        if line.startswith("a=candidate:"):
            if not replace:
                out.append(line)
            if not placed:
                out += lines
                placed = True
        else:
            out.append(line)
    return "\r\n".join(out)


def loopback_flood(count: int) -> list[str]:
    """Give ``count`` distinct loopback host candidates (each would be paired and checked)."""
    return [f"a=candidate:f{n} 1 udp {n + 1} 127.0.0.1 {10000 + n} typ host" for n in range(count)]


def _udp_ports_held() -> set[int]:
    """Give the local ports of the UDP sockets this process holds (Linux's /proc)."""
    inodes = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    for table in ("/proc/self/net/udp", "/proc/self/net/udp6"):
        with open(table) as rows:
            listed = rows.read().splitlines()[1:]
        for row in listed:
            fields = row.split()  # local address (hex ip:port) second, inode tenth
            if fields[9] in inodes:
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def test_an_offer_over_the_call_cap_is_refused(served, call_client) -> None:
    offer = call_client().offer()
    padding = ["a=x-padding:" + "p" * 1000] * (MAX_OFFER_BYTES // 1000)
    too_long = with_candidates(offer, padding)
    assert len(too_long.encode()) > MAX_OFFER_BYTES
    parts = {"sdp": (None, too_long)}
    answer = requests.post(served() + CALLS, files=parts, headers=AUTH, timeout=60)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert (error["param"], error["code"]) == ("sdp", "string_above_max_length")
    assert "CALL_MAX_OFFER_BYTES" in error["message"]
    assert peers.live_count() == 0


def test_thousands_of_candidates_are_read_as_a_few_and_another_call_still_connects(
    served, call_client
) -> None:
    # A raw offer (ephemeral key) with the size cap raised to the whole request's limit: the
    # candidate cap alone bounds the work.
    base = served(CALL_MAX_OFFER_BYTES=512 * 1024)
    key = mock_keys.mint("test-" * 8, "client-secrets", {"type": "realtime"}, int(time.time()) + 60)
    flooder, caller = call_client(), call_client()
    flood = with_candidates(flooder.offer(), loopback_flood(8000))
    assert len(flood.encode()) > 400 * 1024
    answers: dict[str, requests.Response] = {}
    sending = threading.Thread(
        target=lambda: answers.update(flood=place_call(base, flooder, key=key, offer=flood))
    )
    sending.start()
    normal = place_call(base, caller, {"type": "realtime"})
    sending.join(60)
    assert not sending.is_alive()
    assert normal.status_code == 201, normal.text
    assert caller.wait_for("session.created")["session"]["id"].startswith("sess_")
    assert answers["flood"].status_code == 201, answers["flood"].text
    assert flooder.wait_for("session.created")["type"] == "session.created"
    flood_id = answers["flood"].headers["Location"].rsplit("/", 1)[1]
    call = peers.get(flood_id)
    assert call is not None and call.remote_candidates() <= 2 * MAX_CANDIDATES


def test_mdns_names_are_never_resolved_and_the_caller_still_connects(served, call_client) -> None:
    base, client = served(), call_client()
    offer = client.offer()
    port = re.search(r"127\.0\.0\.1 (\d+) typ host", offer).group(1)  # type: ignore[union-attr]
    names = [f"a=candidate:m 1 udp 2130706431 0b5c7e31-2c8f-4a43-9f57-1f0c.local {port} typ host"]
    answer = place_call(
        base, client, {"type": "realtime"}, offer=with_candidates(offer, names, True)
    )
    assert answer.status_code == 201, answer.text
    assert MDNS_PORT not in _udp_ports_held()  # no mDNS socket, so no multicast query
    # The caller's own checks reach the peer's loopback candidate and make the caller known.
    assert client.wait_for("session.created")["type"] == "session.created"
    assert MDNS_PORT not in _udp_ports_held()


CANDIDATE = "a=candidate:1 1 {transport} 2130706431 {address} {port} typ {kind}"


@pytest.mark.parametrize(
    ("fields", "read"),
    [
        ({}, True),
        ({"address": "127.0.0.2"}, True),
        ({"address": "::1"}, True),
        ({"address": "abcd-1234.local"}, False),
        ({"address": "localhost"}, False),
        ({"address": "192.0.2.7"}, False),
        ({"address": "fe80::1%eth0"}, False),
        ({"kind": "srflx raddr 0.0.0.0 rport 0"}, False),
        ({"kind": "relay"}, False),
        ({"transport": "tcp"}, False),
        ({"port": "9x"}, False),
    ],
)
def test_only_loopback_host_udp_candidates_are_read(fields: dict[str, Any], read: bool) -> None:
    line = CANDIDATE.format(
        **{"transport": "udp", "address": "127.0.0.1", "port": 9, "kind": "host", **fields}
    )
    offer = f"v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\n{line}\r\na=end-of-candidates\r\n"
    got = read_offer(offer, MAX_OFFER_BYTES)
    assert (got.candidates, got.ignored) == ((1, 0) if read else (0, 1))
    assert (line in got.sdp) == read
    # With none read, end-of-candidates goes too: the peer waits for the caller's checks.
    assert ("a=end-of-candidates" in got.sdp) == read


def test_a_few_candidates_are_read_per_section() -> None:
    section = "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\n" + "\r\n".join(loopback_flood(50)) + "\r\n"
    got = read_offer("v=0\r\n" + section * 2, MAX_OFFER_BYTES)
    assert (got.candidates, got.ignored) == (2 * MAX_CANDIDATES, 2 * (50 - MAX_CANDIDATES))
    assert got.sdp.count("a=candidate:") == 2 * MAX_CANDIDATES


@pytest.mark.parametrize(
    ("offer", "words"),
    [
        ("v=0\r\n" + "m=audio 9 RTP/AVP 0\r\n" * (MAX_MEDIA_SECTIONS + 1), "media sections"),
        ("v=0\r\nm=audio 9 RTP/AVP 0\r\n" + "a=ssrc:1 cname:x\r\n" * 300, "section of 301 lines"),
        ("   ", "Missing required parameter"),
        ("hello", "not an SDP offer"),
    ],
)
def test_an_offer_no_browser_writes_is_refused(offer: str, words: str) -> None:
    with pytest.raises(CallRefused) as refused:
        read_offer(offer, MAX_OFFER_BYTES)
    assert refused.value.status == 400 and refused.value.param == "sdp"
    assert words in refused.value.message
