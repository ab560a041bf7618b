"""The snippet highlighter: exact text, spans where a reader expects them."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.model.operations import get_operation
from playground.snippets import languages_for, render_snippet
from playground.snippets.highlight import highlight

LEXERS = ("python", "javascript", "typescript", "bash")


def text_of(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(LEXERS), st.text())
def test_text_content_is_exactly_the_source(lexer: str, text: str) -> None:
    assert text_of(highlight(lexer, text)) == text


@pytest.mark.parametrize("op_id", ["sessions", "client-secrets"])
def test_every_snippet_highlights_back_to_itself(op_id: str) -> None:
    op = get_operation(op_id)
    body = (
        {"session": {"type": "realtime", "instructions": "a \"b\" 'c' `d` ${e} # f // g"}}
        if op_id != "sessions"
        else {
            "instructions": "a \"b\" 'c' `d` ${e} # f // g",
            "temperature": 0.9,
            "turn_detection": None,
        }
    )
    for lang in languages_for(op):
        text = render_snippet(op, lang.id, body)
        assert text_of(highlight(lang.lexer, text)) == text


@pytest.mark.parametrize(
    ("lexer", "source", "spans"),
    [
        (
            "python",
            'x = {"a": None, "b": 1.5}  # note',
            [("s2", '"a"'), ("kc", "None"), ("s2", '"b"'), ("mi", "1.5"), ("c1", "# note")],
        ),
        (
            "typescript",
            "const r = await f({ a: 'x', b: null, c: 2 }); // done",
            [
                ("k", "const"),
                ("k", "await"),
                ("s2", "'x'"),
                ("kc", "null"),
                ("mi", "2"),
                ("c1", "// done"),
            ],
        ),
        (
            "bash",
            'curl -d \'{"a": 1}\' "$URL"',
            [("k", "curl"), ("s2", "'{\"a\": 1}'"), ("s2", '"$URL"')],
        ),
    ],
)
def test_tokens(lexer: str, source: str, spans: list[tuple[str, str]]) -> None:
    found = [
        (c, html.unescape(t))
        for c, t in re.findall(r'<span class="(\w+)">([^<]*)</span>', highlight(lexer, source))
    ]
    assert found == spans


def test_markup_is_escaped() -> None:
    out = highlight("python", 'x = "</pre><script>alert(1)</script>"')
    assert "<script>" not in out and "&lt;script&gt;" in out
