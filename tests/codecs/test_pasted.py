"""Reading a body out of pasted JSON or a pasted curl command."""

from __future__ import annotations

import shlex
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.codecs.pasted import (
    MAX_HEREDOC_WORD,
    MAX_PASTE_CHARS,
    PasteError,
    parse_pasted,
    redact,
    split_words,
)

BODY = {"model": "gpt-4o-realtime-preview", "instructions": "It's fine", "temperature": 0.7}


def test_json_body() -> None:
    pasted = parse_pasted('  {"voice": "ash", "modalities": ["text"]}\n')
    assert pasted.body == {"voice": "ash", "modalities": ["text"]}
    assert pasted.kind == "JSON body"
    assert pasted.url == ""


@pytest.mark.parametrize(
    ("tail", "body"),
    [
        ('<<EOF\n{"a": 1}\nEOF', {"a": 1}),
        ('<<-  "END" # comment\n{"a": 1}\n\t END \t\nmore text', {"a": 1}),
        ("<<X\nX", None),  # an empty document
        ('<<EOF\n{"a": 1}\nEOFX\n', None),  # no line that is the word alone
    ],
)
def test_here_documents_are_found_line_by_line(tail: str, body: dict | None) -> None:
    command = f"curl https://x --data-binary @- {tail}"
    if body is None:
        with pytest.raises(PasteError):
            parse_pasted(command)
    else:
        assert parse_pasted(command).body == body


def test_many_here_document_openings_are_one_pass() -> None:
    """Each of 36,000 openings lacks its end line: once a pattern retried the rest from each."""
    with pytest.raises(PasteError):
        parse_pasted("curl " + "<<AB x\n" * 36_000)


@pytest.mark.parametrize(
    "command",
    [
        """curl https://api.openai.com/v1/realtime/sessions -H 'Content-Type: application/json' \\
  -d '{"model": "gpt-4o-realtime-preview", "instructions": "It'"'"'s fine", "temperature": 0.7}'""",
        """$ curl -X POST "https://api.openai.com/v1/realtime/sessions" \\
    -H "Authorization: Bearer $OPENAI_API_KEY" \\
    --data-raw '{"model":"gpt-4o-realtime-preview","instructions":"It\\u0027s fine","temperature":0.7}'""",
        """curl https://api.openai.com/v1/realtime/sessions --json '{"model": "gpt-4o-realtime-preview",
  "instructions": "It\\u0027s fine", "temperature": 0.7}'""",
        """curl https://api.openai.com/v1/realtime/sessions \\
  --data='{"model":"gpt-4o-realtime-preview","instructions":"It\\u0027s fine","temperature":0.7}'""",
        """curl https://api.openai.com/v1/realtime/sessions \\
  -d'{"model":"gpt-4o-realtime-preview","instructions":"It\\u0027s fine","temperature":0.7}'""",
        """curl https://api.openai.com/v1/realtime/sessions \\
  -H "Authorization: Bearer sk-test-123456789" \\
  -H "Content-Type: application/json" \\
  --data-binary @- <<'JSON'
{
  "model": "gpt-4o-realtime-preview",
  "instructions": "It's fine",
  "temperature": 0.7
}
JSON""",
    ],
    ids=["-d", "--data-raw", "--json", "--data=", "-dVALUE", "heredoc"],
)
def test_curl_commands(command: str) -> None:
    pasted = parse_pasted(command)
    assert pasted.body == BODY
    assert pasted.kind == "curl command"
    assert pasted.url == "https://api.openai.com/v1/realtime/sessions"


def test_curl_notes_a_pasted_key_but_never_returns_it() -> None:
    pasted = parse_pasted(
        """curl https://x/v1/realtime/sessions -H "Authorization: Bearer sk-abcdef123456" """
        """-d '{"voice": "ash"}'"""
    )
    assert pasted.had_credentials
    assert "sk-abcdef123456" not in repr(pasted)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "Paste a JSON body or a curl command"),
        ('{"voice": "ash",}', r"not valid JSON: .*line 1, column 17"),
        ("[1, 2]", "not an object"),
        ('{"temperature": NaN}', "not valid JSON"),
        ("curl https://api.openai.com/v1/realtime/sessions -H 'X: y'", "sends no body"),
        ("curl https://x -d @body.json", "from the file 'body.json'"),
        ("curl https://x -d @-", "standard input"),
        ("curl https://x -d '{\"a\": 1}' -d '{\"b\": 2}'", "2 data options"),
        ('curl https://x -d \'{"a": 1}', "quote left open"),
        ("curl https://x -d '{\"a\": }'", "curl command's body is not valid JSON"),
        ("curl https://x -d", "has no value"),
    ],
)
def test_errors_say_what_is_wrong(text: str, reason: str) -> None:
    with pytest.raises(PasteError, match=reason):
        parse_pasted(text)


def test_redact_removes_keys_and_identity_headers() -> None:
    text = (
        "curl https://x -H 'Authorization: Bearer sk-proj-abcdefghij' "
        '-H "OpenAI-Organization: org-1234567890" -H "OpenAI-Project: proj_abc" '
        '-d \'{"note": "my key is sk-live-0123456789"}\''
    )
    clean = redact(text)
    for secret in ("sk-proj-abcdefghij", "org-1234567890", "proj_abc", "sk-live-0123456789"):
        assert secret not in clean
    assert "Authorization: [removed]" in clean
    assert "curl https://x" in clean


#: A hang guard, not a speed test (benchmarks/bench_paste.py measures): each paste below took
#: from 1.4 s to minutes when a pattern or shlex was quadratic in it; read linearly, a few
#: hundredths of a second. Counted in this thread's CPU time, so a loaded machine (other
#: processes, other tests' servers) does not make a linear read look like a hang.
HANG_BOUND_S = 2.0
_N = MAX_PASTE_CHARS - 64  # with the command around it, each paste is just under the limit
ADVERSARIAL_PASTES = {
    "heredoc opening, letters, no newline": ("curl -d '{}' <<" + "a" * _N, {}),
    "many heredoc openings, no newline": ("curl -d '{}' " + "<<a" * (_N // 3), {}),
    "many '<<- ' openings": ("curl -d '{}' " + "<<- " * (_N // 4), {}),
    "heredoc word too long to be one": (
        "curl --data-binary @- <<" + "a" * _N + "\n{}",
        "reads its body from standard input",
    ),
    "heredoc never closed": (
        "curl --data-binary @- <<EOF\n" + "{}\n" * (_N // 3),
        "reads its body from standard input",
    ),
    "one long word": ("curl -d '{}' " + "a" * _N, {}),
    "one long quoted body": ("curl -d '" + "[" * _N + "'", "nested more than 64 levels"),
    "nested and unbalanced quotes": ('curl -d \'{"a": "' + "'\"" * (_N // 2), "quote left open"),
    "many backslashes": ("curl -d '{}' " + "\\" * _N, {}),
    "backslashes in double quotes": ('curl -d "' + "\\" * _N + '"', "not valid JSON"),
    "many -d flags": ("curl " + "-d '{}' " * (_N // 8), "32760 data options"),
    "many glued -d flags": ("curl " + "-d{} " * (_N // 5), "52416 data options"),
    "many line continuations": ("curl -d '{}' " + "\\\n" * (_N // 2) + "x", {}),
    "many header-like words": ("curl -d '{}' -H 'Authorization:" + " " * _N + "'", {}),
    "many key-like words": ("curl -d '{}' " + "sk-aaaa " * (_N // 8), {}),
    "JSON nested deep": ("[" * _N, "nested more than 64 levels"),
    "JSON number of every digit": ('{"a": ' + "1" * _N + "}", "not valid JSON"),
}


@pytest.mark.parametrize(
    ("text", "expected"), ADVERSARIAL_PASTES.values(), ids=list(ADVERSARIAL_PASTES)
)
def test_adversarial_pastes_at_the_size_limit_are_read_in_linear_time(
    text: str, expected: dict | str
) -> None:
    assert len(text.strip()) <= MAX_PASTE_CHARS
    started = time.thread_time()
    try:
        outcome: dict | str = parse_pasted(text).body
    except PasteError as exc:
        outcome = str(exc)
    redact(text)  # the page shows a refused paste back through it
    elapsed = time.thread_time() - started
    assert elapsed < HANG_BOUND_S, f"{elapsed:.1f} s"
    if isinstance(expected, dict):
        assert outcome == expected
    else:
        assert isinstance(outcome, str) and expected in outcome


@pytest.mark.parametrize(
    ("word", "found"), [("A" * MAX_HEREDOC_WORD, True), ("A" * (MAX_HEREDOC_WORD + 1), False)]
)
def test_a_here_document_word_is_bounded(word: str, found: bool) -> None:
    command = f'curl https://x --data-binary @- <<{word}\n{{"a": 1}}\n{word}\n'
    if found:
        assert parse_pasted(command).body == {"a": 1}
    else:
        with pytest.raises(PasteError, match="standard input"):
            parse_pasted(command)


@given(st.text(st.sampled_from("ab '\"\\\t\n"), max_size=30))
def test_words_are_split_as_shlex_splits_them(command: str) -> None:
    try:
        expected: list[str] | str = shlex.split(command)
    except ValueError as exc:
        expected = str(exc)
    try:
        words: list[str] | str = split_words(command)
    except ValueError as exc:
        words = str(exc)
    assert words == expected
