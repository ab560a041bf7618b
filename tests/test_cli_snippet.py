"""``realtime-playground snippet``: print a snippet for a body, or list the languages."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from playground.cli import main
from playground.model.operations import Operation, get_operation
from playground.snippets import LANGUAGES, languages_for, render_snippet


def test_list_names_every_language(capsys: pytest.CaptureFixture[str]) -> None:
    """--list prints one language id and label a line."""
    assert main(["snippet", "--op", "sessions", "--list"]) == 0
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
    assert main(["snippet", "--op", "sessions", "--lang", lang, str(path)]) == 0
    out = capsys.readouterr().out
    assert out == render_snippet(sessions_op, lang, body)


def test_reads_standard_input_and_takes_a_base_url(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``-`` (or no file) reads the body from standard input; --base-url sets the gateway."""
    monkeypatch.setattr("sys.stdin", io.StringIO('{"speed": 1.0}'))
    assert (
        main(
            [
                "snippet",
                "--lang",
                "curl",
                "--base-url",
                "http://127.0.0.1:9/v1",
                "-",
                "--op",
                "sessions",
            ]
        )
        == 0
    )
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


GA_BODIES = {
    "client-secrets": {
        "expires_after": {"anchor": "created_at", "seconds": 300},
        "session": {
            "type": "realtime",
            "instructions": "It's <b>$HOME</b>",
            "audio": {"input": {"noise_reduction": None}, "output": {"voice": "marin"}},
        },
    },
    "translation-client-secrets": {
        "expires_after": {"anchor": "created_at", "seconds": 300},
        "session": {
            "model": "it's <b>$HOME</b>",
            "audio": {"input": {"transcription": None}, "output": {"language": "es"}},
        },
    },
}


@pytest.mark.parametrize(
    ("op_id", "lang"),
    [(op_id, lang.id) for op_id in GA_BODIES for lang in languages_for(get_operation(op_id))],
)
def test_prints_the_ga_snippet_with_op(
    op_id: str, lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--op prints the GA operation's call (its SDK method, its path)."""
    op = get_operation(op_id)
    body = GA_BODIES[op_id]
    path = tmp_path / "body.json"
    path.write_text(json.dumps(body))
    assert main(["snippet", "--op", op_id, "--lang", lang, str(path)]) == 0
    out = capsys.readouterr().out
    assert out == render_snippet(op, lang, body)
    sdk = op.extra["sdk"].get(LANGUAGES[lang].sdk or "", "")
    assert (sdk or op.path) in out
    assert "beta" not in out


@pytest.mark.parametrize("op_id", list(GA_BODIES))
def test_ga_list_and_refusals(
    op_id: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A GA operation lists no @utdk/openai tab, refuses it by name, and checks the body
    against its own schema (a beta body is an error naming the parameter)."""
    assert main(["snippet", "--op", op_id, "--list"]) == 0
    listed = [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()]
    assert listed == [lang.id for lang in languages_for(get_operation(op_id))]
    assert "typescript_utdk" not in listed and "typescript_openai" in listed
    assert main(["snippet", "--op", op_id, "--lang", "typescript_utdk"]) == 2
    assert f"no snippet for {op_id} 'typescript_utdk'" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO('{"voice": "marin"}'))
    assert main(["snippet", "--op", op_id, "--lang", "curl"]) == 1
    captured = capsys.readouterr()
    assert "voice" in captured.err and captured.out == ""
