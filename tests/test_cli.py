"""The command line: body validates and normalizes, serve parses its options."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from playground.cli import build_parser, main


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run ``python -m playground ARGS`` as a user would, and give its result."""
    return subprocess.run(
        [sys.executable, "-m", "playground", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_body_round_trips_a_valid_body(tmp_path) -> None:
    body = {"temperature": 0.9, "turn_detection": None, "tracing": "auto", "voice": "marin"}
    path = tmp_path / "body.json"
    path.write_text(json.dumps(body))
    result = run("body", str(path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == body
    assert result.stdout == json.dumps(body, indent=2) + "\n"


def test_body_reads_standard_input() -> None:
    result = run("body", "-", stdin='{"speed": 1.5}')
    assert result.returncode == 0 and json.loads(result.stdout) == {"speed": 1.5}


def test_body_rejects_temperature_naming_it_and_its_range() -> None:
    result = run("body", "-", stdin='{"temperature": 1.5}')
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == "temperature: Must be a number from 0.6 to 1.2; got 1.5.\n"


def test_body_lists_every_error_by_parameter() -> None:
    result = run("body", "-", stdin='{"speed": 9, "bogus": true, "tools": [{"name": ""}]}')
    assert result.returncode == 1
    lines = sorted(result.stderr.splitlines())
    assert lines == [
        "bogus: Unknown parameter 'bogus'.",
        "speed: Must be a number from 0.25 to 1.5; got 9.",
        "tools.0.name: Must not be empty.",
    ]


@pytest.mark.parametrize(
    ("stdin", "expected"), [("{", "cannot read a JSON body"), ("[1]", "body: Must be an object")]
)
def test_body_rejects_what_is_not_a_json_object(stdin, expected) -> None:
    result = run("body", "-", stdin=stdin)
    assert result.returncode == 1 and expected in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_is_a_message_not_a_traceback(tmp_path) -> None:
    result = run("body", str(tmp_path / "nope.json"))
    assert (
        result.returncode == 1
        and "cannot read" in result.stderr
        and "Traceback" not in result.stderr
    )


def test_serve_defaults_and_options() -> None:
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.debug) == ("127.0.0.1", 8000, False)
    args = build_parser().parse_args(["serve", "--host", "0.0.0.0", "--port", "9", "--debug"])
    assert (args.host, args.port, args.debug) == ("0.0.0.0", 9, True)


def test_console_script_entry_point_runs_in_process(capsys) -> None:
    assert main(["body", "/dev/null"]) == 1  # an empty file is no JSON body
    assert "cannot read a JSON body from /dev/null" in capsys.readouterr().err
