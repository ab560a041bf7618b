"""The command line: body validates and normalizes, serve parses its options."""

from __future__ import annotations

import json

import pytest

from playground.cli import _serve_config, build_parser, main


def test_body_round_trips_a_valid_body(cli, tmp_path) -> None:
    body = {"temperature": 0.9, "turn_detection": None, "tracing": "auto", "voice": "marin"}
    path = tmp_path / "body.json"
    path.write_text(json.dumps(body))
    result = cli("body", str(path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == body
    assert result.stdout == json.dumps(body, indent=2) + "\n"


def test_body_reads_standard_input(cli) -> None:
    result = cli("body", "-", stdin='{"speed": 1.5}')
    assert result.returncode == 0 and json.loads(result.stdout) == {"speed": 1.5}


def test_body_and_migrate_write_unseen_characters_as_escapes(cli) -> None:
    """A terminal shows no bidi control or tag character raw: the same JSON value, escaped."""
    instructions = "pay \u202egpj.exe " + "".join(chr(0xE0000 + ord(c)) for c in "hi")
    for command in ("body", "migrate"):
        result = cli(command, "-", stdin=json.dumps({"instructions": instructions}))
        assert result.returncode == 0, result.stderr
        assert "\\u202e" in result.stdout and "\\udb40\\udc68" in result.stdout
        assert "\u202e" not in result.stdout and "\U000e0068" not in result.stdout
        value = json.loads(result.stdout)
        assert (value.get("session") or value)["instructions"] == instructions


def test_body_rejects_temperature_naming_it_and_its_range(cli) -> None:
    result = cli("body", "-", stdin='{"temperature": 1.5}')
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == "temperature: Must be a number from 0.6 to 1.2; got 1.5.\n"


def test_body_lists_every_error_by_parameter(cli) -> None:
    result = cli("body", "-", stdin='{"speed": 9, "bogus": true, "tools": [{"name": ""}]}')
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
def test_body_rejects_what_is_not_a_json_object(cli, stdin, expected) -> None:
    result = cli("body", "-", stdin=stdin)
    assert result.returncode == 1 and expected in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_is_a_message_not_a_traceback(cli, tmp_path) -> None:
    result = cli("body", str(tmp_path / "nope.json"))
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


def test_serve_prod_lets_half_of_every_workers_threads_wait_on_upstreams(monkeypatch) -> None:
    for name in ("PLAYGROUND_SEND_MAX_IN_FLIGHT", "PLAYGROUND_SEND_MAX_IN_FLIGHT_PER_PROCESS"):
        monkeypatch.delenv(name, raising=False)
    args = build_parser().parse_args(["serve", "--prod", "--workers", "3", "--threads", "4"])
    config = _serve_config(args)  # the total is counted over the three workers together
    assert (config["SEND_MAX_IN_FLIGHT"], config["SEND_MAX_IN_FLIGHT_PER_PROCESS"]) == (6, 2)
    monkeypatch.setenv("PLAYGROUND_SEND_MAX_IN_FLIGHT", "20")  # the operator's own is kept
    assert "SEND_MAX_IN_FLIGHT" not in _serve_config(args)


def test_console_script_entry_point_runs_in_process(capsys) -> None:
    assert main(["body", "/dev/null"]) == 1  # an empty file is no JSON body
    assert "cannot read a JSON body from /dev/null" in capsys.readouterr().err


def test_migrate_prints_the_ga_body_and_names_what_it_did_not_carry(cli) -> None:
    result = cli(
        "migrate",
        "-",
        stdin='{"temperature": 0.9, "voice": "marin", "client_secret": '
        '{"expires_after": {"anchor": "created_at", "seconds": 60}}}',
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "expires_after": {"anchor": "created_at", "seconds": 60},
        "session": {"type": "realtime", "audio": {"output": {"voice": "marin"}}},
    }
    assert result.stderr.splitlines() == [
        "not carried: temperature: temperature 0.9 has no GA equivalent: the GA API refuses it "
        "(Unknown parameter 'session.temperature')."
    ]


def test_migrate_rejects_an_invalid_beta_body(cli) -> None:
    result = cli("migrate", "-", stdin='{"speed": 7}')
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == "speed: Must be a number from 0.25 to 1.5; got 7.\n"


@pytest.mark.parametrize(
    ("op_id", "good", "bad", "message"),
    [
        (
            "client-secrets",
            {"session": {"type": "transcription"}},
            {"session": {"type": "realtime", "audio": {"output": {"speed": 2}}}},
            "session.audio.output.speed: Must be a number from 0.25 to 1.5; got 2.\n",
        ),
        (
            "translation-client-secrets",
            {
                "session": {
                    "model": "gpt-realtime-translate",
                    "audio": {"output": {"language": "es"}},
                }
            },
            {"session": {"audio": {"output": {"language": "es"}}}},
            "session.model: Required.\n",
        ),
    ],
)
def test_body_takes_the_ga_operations(cli, op_id, good, bad, message) -> None:
    ok = cli("body", "--op", op_id, "-", stdin=json.dumps(good))
    assert ok.returncode == 0 and json.loads(ok.stdout) == good
    refused = cli("body", "--op", op_id, "-", stdin=json.dumps(bad))
    assert refused.returncode == 1
    assert refused.stderr == message


def test_migrate_converts_beta_bodies_only(cli) -> None:
    """migrate is beta -> GA client secrets; a translation secret has no beta form, so it takes
    no --op, and a translation body is refused as a beta body."""
    assert cli("migrate", "--op", "translation-client-secrets", "-", stdin="{}").returncode == 2
    body = '{"session": {"model": "gpt-realtime-translate"}}'
    result = cli("migrate", "-", stdin=body)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == "session: Unknown parameter 'session'.\n"
