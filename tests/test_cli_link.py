"""``realtime-playground link``: the share URL of a body, as the page would make it."""

from __future__ import annotations

import io
import json
import random
import sys
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from playground.cli import main
from playground.codecs.share_token import decode_token
from playground.presets import presets_for

BODY = {
    "session": {
        "type": "realtime",
        "instructions": "Réponds en français.",
        "model": "gpt-realtime-2.1",
    }
}


def test_link_from_a_file_prints_a_url_that_carries_the_body(cli, tmp_path: Path) -> None:
    path = tmp_path / "body.json"
    path.write_text(json.dumps(BODY, ensure_ascii=False), encoding="utf-8")
    result = cli("link", str(path), "--base-url", "https://play.example/")
    assert result.returncode == 0, result.stderr
    url = result.stdout.strip()
    assert url.startswith("https://play.example/?p=1.")
    assert "op=" not in url
    assert json.dumps(decode_token(url.split("p=")[-1])) == json.dumps(BODY)
    assert result.stderr == ""


def test_link_reads_standard_input_and_names_the_operation(cli) -> None:
    result = cli("link", "-", "--op", "sessions", stdin='{"speed": 1.5}')
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("http://127.0.0.1:8000/?op=sessions&p=1.")


def test_link_of_a_translation_body_opens_the_translation_form(
    client: FlaskClient, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = presets_for("translation-client-secrets")["headset-with-source-transcript"].body
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(body)))
    argv = ["link", "-", "--op", "translation-client-secrets", "--base-url", "http://localhost"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    url = captured.out.strip()
    assert url.startswith("http://localhost/?op=translation-client-secrets&p=1.")
    assert captured.err == ""
    page = client.get(url.removeprefix("http://localhost")).get_data(as_text=True)
    assert 'name="op" value="translation-client-secrets"' in page
    assert "Loaded from a share link" in page and "gpt-realtime-whisper" in page
    assert "Unknown parameter" not in page


def test_link_opens_in_the_app_with_the_same_body(
    client: FlaskClient, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = presets_for("sessions")["function-calling"].body
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(body)))
    assert main(["link", "-", "--base-url", "http://localhost"]) == 0
    url = capsys.readouterr().out.strip()
    page = client.get(url.removeprefix("http://localhost")).get_data(as_text=True)
    assert "Loaded from a share link" in page
    assert "lookup_order" in page and "book_callback" in page
    assert "Unknown parameter" not in page


def test_link_warns_about_invalid_values_but_still_prints_the_link(cli) -> None:
    result = cli("link", "-", "--op", "sessions", stdin='{"temperature": 5}')
    assert result.returncode == 0
    assert "warning: temperature:" in result.stderr and "1.2" in result.stderr
    assert decode_token(result.stdout.strip().split("p=")[-1]) == {"temperature": 5}


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("{not json", "cannot read a JSON body"),
        ("[1, 2]", "must be a JSON object"),
    ],
)
def test_link_refuses_what_is_not_a_body(cli, stdin: str, message: str) -> None:
    result = cli("link", "-", stdin=stdin)
    assert result.returncode == 1 and message in result.stderr and result.stdout == ""


def test_link_refuses_a_body_too_large_for_a_link(cli) -> None:
    rng = random.Random(3)
    noise = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(30_000))
    result = cli("link", "-", stdin=json.dumps({"instructions": noise}))
    assert result.returncode == 1 and "export the body as a file" in result.stderr
