"""``realtime-playground snippet``: print a snippet for a body, or list the languages."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from playground.cli import main
from playground.operations import Operation, get_operation
from playground.snippets import LANGUAGES, languages_for, render_snippet


def test_list_names_every_language(capsys: pytest.CaptureFixture[str]) -> None:
    """--list prints one language id and label a line."""
    assert main(["snippet", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == list(LANGUAGES)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_prints_the_plain_snippet_for_a_file(
    lang: str, tmp_path: Path, sessions_op: Operation, capsys: pytest.CaptureFixture[str]
) -> None:
    """The printed snippet is exactly render_snippet's, with no HTML."""
    body = {"instructions": "It's <b>$HOME</b>", "turn_detection": None}
    path = tmp_path / "body.json"
    path.write_text(json.dumps(body))
    assert main(["snippet", "--lang", lang, str(path)]) == 0
    out = capsys.readouterr().out
    assert out == render_snippet(sessions_op, lang, body)


def test_reads_standard_input_and_takes_a_base_url(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``-`` (or no file) reads the body from standard input; --base-url sets the gateway."""
    monkeypatch.setattr("sys.stdin", io.StringIO('{"speed": 1.0}'))
    assert main(["snippet", "--lang", "curl", "--base-url", "http://127.0.0.1:9/v1", "-"]) == 0
    out = capsys.readouterr().out
    assert "'http://127.0.0.1:9/v1/realtime/sessions'" in out
    assert '"speed": 1.0' in out


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (["snippet", "--lang", "cobol"], "{}", "unknown language 'cobol'"),
        (["snippet"], "{}", "choose a language"),
        (["snippet", "--lang", "curl"], "{not json", "cannot read a JSON body"),
        (["snippet", "--lang", "curl"], '{"temperature": 9}', "temperature"),
    ],
)
def test_bad_input_is_a_clear_message(
    argv: list[str],
    stdin: str,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Errors go to stderr with a non-zero status, never a traceback."""
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert main(argv) != 0
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


GA_BODY = {
    "expires_after": {"anchor": "created_at", "seconds": 300},
    "session": {
        "type": "realtime",
        "instructions": "It's <b>$HOME</b>",
        "audio": {"input": {"noise_reduction": None}, "output": {"voice": "marin"}},
    },
}


@pytest.mark.parametrize(
    "lang", [lang.id for lang in languages_for(get_operation("client-secrets"))]
)
def test_prints_the_ga_snippet_with_op(
    lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--op client-secrets prints the GA call (the SDK's client-secrets method, its path)."""
    op = get_operation("client-secrets")
    path = tmp_path / "body.json"
    path.write_text(json.dumps(GA_BODY))
    assert main(["snippet", "--op", "client-secrets", "--lang", lang, str(path)]) == 0
    out = capsys.readouterr().out
    assert out == render_snippet(op, lang, GA_BODY)
    sdk = op.extra["sdk"].get(LANGUAGES[lang].sdk or "", "")
    assert (sdk or "/realtime/client_secrets") in out
    assert "beta" not in out


def test_ga_list_and_refusals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The GA operation lists no @utdk/openai tab, refuses it by name, and checks the body
    against the GA schema (a beta body is an error naming the parameter)."""
    assert main(["snippet", "--op", "client-secrets", "--list"]) == 0
    listed = [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()]
    assert listed == [lang.id for lang in languages_for(get_operation("client-secrets"))]
    assert "typescript_utdk" not in listed and "typescript_openai" in listed
    assert main(["snippet", "--op", "client-secrets", "--lang", "typescript_utdk"]) == 2
    assert "no snippet for client-secrets 'typescript_utdk'" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO('{"voice": "marin"}'))
    assert main(["snippet", "--op", "client-secrets", "--lang", "curl"]) == 1
    captured = capsys.readouterr()
    assert "voice" in captured.err and captured.out == ""
