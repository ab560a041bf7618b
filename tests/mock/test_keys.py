"""Mock ephemeral keys: signed, self-contained, refused once altered, foreign or expired."""

from __future__ import annotations

import re

import pytest

from playground.mock.keys import KeyRefused, is_ephemeral, mint, verify

SECRET = "s" * 40
SESSION = {
    "type": "realtime",
    "instructions": "Be brief. " * 50,
    "audio": {"output": {"voice": "marin"}},
}


def test_a_key_carries_its_session_and_expiry_back() -> None:
    key = mint(SECRET, "client-secrets", SESSION, 2_000)
    assert re.fullmatch(r"ek_[A-Za-z0-9_-]+", key) and is_ephemeral(key)
    claims = verify(SECRET, key, now=1_999)
    assert (claims.operation, claims.session, claims.expires_at) == (
        "client-secrets",
        SESSION,
        2_000,
    )
    assert len(key) < 600  # compressed: a long instruction repeated costs little


def test_two_workers_with_the_same_secret_agree_and_others_do_not() -> None:
    key = mint(SECRET.encode(), "client-secrets", SESSION, 2_000)
    assert verify(SECRET, key, now=0).session == SESSION  # str and bytes keys are the same key
    with pytest.raises(KeyRefused, match="signature"):
        verify("t" * 40, key, now=0)


@pytest.mark.parametrize("position", [3, 10, -1, -30])
def test_any_altered_character_is_refused(position: int) -> None:
    key = mint(SECRET, "client-secrets", SESSION, 2_000)
    swapped = "A" if key[position] != "A" else "B"
    altered = key[:position] + swapped + (key[position + 1 :] if position != -1 else "")
    with pytest.raises(KeyRefused) as refused:
        verify(SECRET, altered, now=0)
    assert refused.value.code == "invalid_api_key"


def test_an_expired_key_says_so() -> None:
    key = mint(SECRET, "client-secrets", SESSION, 2_000)
    with pytest.raises(KeyRefused, match="expired 5 s ago") as refused:
        verify(SECRET, key, now=2_005)
    assert refused.value.code == "expired_api_key"


@pytest.mark.parametrize("value", ["ek_", "ek_short", "sk-abc", "ek_" + "!" * 40, "ek_" + "A" * 40])
def test_garbage_is_refused_not_crashed_on(value: str) -> None:
    with pytest.raises(KeyRefused):
        verify(SECRET, value, now=0)
