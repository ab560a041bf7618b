"""Masking: a secret echoed anywhere in what a gateway sends back (JSON keys and values, nested,
headers, text), escaped the JSON way or interrupted by an invalid byte or an invisible
character, is never shown. Property tests call the masking functions; end-to-end cases through
the real ``/send`` and a real upstream are in tests/web/test_secrets.py."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.transport.masking import drop_cut_secret, holds_secret, mask_json, mask_text

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: What an echo may put between a secret's characters that a reader looks past: an invalid
#: byte (decoded as U+FFFD), zero-width and bidirectional controls, a line break, NUL, a space.
FILLERS = ["\ufffd", "\u200b", "\u200d", "\u2060", "\ufeff", "\u202e", "\u2066", "\n", "\x00", " "]

keys = st.from_regex(r"sk-proj-[A-Za-z0-9_-]{20,40}", fullmatch=True)
organizations = st.from_regex(r"org-[A-Za-z0-9]{12,24}", fullmatch=True)
projects = st.from_regex(r"proj_[A-Za-z0-9]{12,24}", fullmatch=True)
junk = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


@st.composite
def disguised(draw: st.DrawFn, secret: str) -> str:
    """Give ``secret`` as an echo may carry it: characters in either letter case (a header name
    is shown lower-cased), JSON-escaped (once, twice, either case of hex, ``\\/``) and fillers
    between them."""
    out = []
    for char in secret:
        ways = [
            char,
            char.swapcase(),
            f"\\u{ord(char):04x}",
            f"\\u{ord(char):04X}",
            f"\\\\u{ord(char):04x}",
        ]
        if char == "/":
            ways.append("\\/")
        out.append(draw(st.sampled_from(ways)))
        if draw(st.integers(0, 5)) == 0:
            out.append(draw(st.sampled_from(FILLERS)))
    return "".join(out)


@st.composite
def echoes(draw: st.DrawFn) -> tuple[dict[str, str], Any]:
    """Give the secrets of a send and a JSON answer that echoes each of them, disguised,
    somewhere among nested object keys, values and array items."""
    secrets = {
        draw(keys): "[your key]",
        draw(organizations): "[your organization]",
        draw(projects): "[your project]",
    }
    value: Any = {"id": draw(junk)}
    for number, secret in enumerate(secrets):
        text = draw(junk) + draw(disguised(secret)) + draw(junk)
        place = draw(st.sampled_from(["key", "value", "item", "deep key"]))
        if place == "key":
            value[text] = draw(junk)
        elif place == "value":
            value[f"{number}{draw(junk)}"] = text  # a key of its own: none overwrites another
        elif place == "item":
            value = {"items": [value, text]}
        else:
            value = {"error": {text: value}}
    return secrets, value


@PROPERTY
@given(echo=echoes())
def test_no_secret_survives_in_a_json_answer(
    echo: tuple[dict[str, str], Any], reveal: Callable[[str], str]
) -> None:
    secrets, answer = echo
    unmasked = json.dumps(answer, ensure_ascii=False, indent=2)  # as Result.pretty shows it
    shown = json.dumps(mask_json(answer, secrets), ensure_ascii=False, indent=2)
    for secret in secrets:
        # The echo does carry it: the test proves something.
        assert secret.lower() in reveal(unmasked).lower()
        assert secret.lower() not in reveal(shown).lower()


@PROPERTY
@given(echo=echoes(), ascii_only=st.booleans())
def test_no_secret_survives_in_text_or_invalid_bytes(
    echo: tuple[dict[str, str], Any], ascii_only: bool, reveal: Callable[[str], str]
) -> None:
    """The same answer as text that is not JSON (its escapes left as they are), with invalid
    bytes put in the middle of each secret, decoded as the upstream decodes it."""
    secrets, answer = echo
    raw = json.dumps(answer, ensure_ascii=ascii_only).encode("utf-8")
    for secret in secrets:
        middle = len(secret) // 2
        raw = raw.replace(secret[:middle].encode(), secret[:middle].encode() + b"\xff\xc3")
    text = raw.decode("utf-8", errors="replace")
    shown = mask_text(text, secrets)
    for secret in secrets:
        assert secret.lower() not in reveal(shown).lower()


@PROPERTY
@given(echo=echoes())
def test_masking_keeps_everything_that_is_not_a_secret(echo: tuple[dict[str, str], Any]) -> None:
    secrets, answer = echo
    assert mask_json({"plain": ["text", 1, None]}, secrets) == {"plain": ["text", 1, None]}
    masked = json.dumps(mask_json(answer, secrets))
    assert masked.count("[your key]") >= 1 and masked.count("[your project]") >= 1


def test_keys_of_json_objects_are_masked() -> None:
    secrets = {"sk-proj-abcdefghijklmnop": "[your key]"}
    assert mask_json({"sk-proj-abcdefghijklmnop": "x"}, secrets) == {"[your key]": "x"}
    assert mask_json([{"a": {"\\u0073k-proj-abcdefghijklmnop": 1}}], secrets) == [
        {"a": {"[your key]": 1}}
    ]


def test_a_secret_inside_another_is_masked_once_with_the_longer() -> None:
    secrets = {"sk-org-1234567890": "[your key]", "org-1234567890": "[your organization]"}
    shown = mask_text("sk-org-1234567890 and org-1234567890", secrets)
    assert shown == "[your key] and [your organization]"


def test_a_secret_in_another_letter_case_is_masked() -> None:
    """A header name is shown lower-cased: the key in it is found all the same."""
    secrets = {"sk-proj-ABCdef0123456789": "[your key]"}
    assert mask_text("x-ratelimit-sk-proj-abcdef0123456789", secrets) == "x-ratelimit-[your key]"
    assert mask_text("SK-PROJ-abcDEF0123456789!", secrets) == "[your key]!"
    assert holds_secret("a=x:sk-proj-ABC\u200bdef0123456789", secrets)
    assert holds_secret("a=x:sk-proj-ABC​def0123456789", secrets)
    assert not holds_secret("a=x:sk-proj-ABC", secrets)


def test_a_cut_through_an_interrupted_secret_drops_its_start() -> None:
    secrets = {"sk-proj-abcdefghijklmnop": "[your key]"}
    assert drop_cut_secret("answer: sk-pro\ufffdj-abc", secrets) == "answer: "
    assert drop_cut_secret("answer: \\u0073k-pr", secrets) == "answer: "
    assert drop_cut_secret("answer: sk-pro ok", secrets) == "answer: sk-pro ok"
