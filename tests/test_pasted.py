"""Reading a body out of pasted JSON or a pasted curl command."""

from __future__ import annotations

import pytest

from playground.pasted import PasteError, parse_pasted, redact

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
