"""An operator's own operations (``OPERATIONS_DIR``): served everywhere, checked at start."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from playground import create_app
from playground.model.operations import OperationsError, bundled_operations, load_operations

from ..conftest import ROOT, TEST_CONFIG

AUTH = {"Authorization": "Bearer sk-test"}


def readme_example() -> dict[str, Any]:
    """Give the example document of the README's "Your own operations" section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Your own operations", 1)[1]
    found = re.search(r"```json\n(.*?)\n```", section, re.S)
    assert found, "the README's section has no JSON example"
    return json.loads(found.group(1))


@pytest.fixture
def acme_dir(tmp_path: Path) -> Path:
    """Give a folder holding the README's example document."""
    (tmp_path / "acme.openapi.json").write_text(json.dumps(readme_example()), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a document: ignored", encoding="utf-8")
    return tmp_path


def test_the_readme_example_loads_after_the_bundled_operations(acme_dir) -> None:
    ops = load_operations(acme_dir)
    assert list(ops) == [*bundled_operations(), "acme-tokens"]
    acme = ops["acme-tokens"]
    assert (acme.method, acme.path) == ("POST", "/acme/realtime/tokens")
    assert set(acme.fields.properties) == {"model", "ttl_seconds", "region"}


def test_an_app_serves_the_operators_operation_page_mock_and_snippets(make_app, acme_dir) -> None:
    client = make_app(OPERATIONS_DIR=str(acme_dir)).test_client()
    page = client.get("/?op=acme-tokens").get_data(as_text=True)
    assert "Acme token — POST /acme/realtime/tokens" in page
    assert 'id="f-ttl_seconds"' in page and 'id="f-region"' in page
    # The deprecation mark with a replacement works in an operator's document too.
    preview = client.post("/preview", data={"op": "acme-tokens", "model": "gpt-realtime"})
    assert (
        "gpt-realtime is deprecated: it shuts down on 2027-01-20. Use gpt-realtime-2.1 instead."
        in preview.get_data(as_text=True)
    )
    answer = client.post("/mock/v1/acme/realtime/tokens", json={"region": "eu"}, headers=AUTH)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.get_json()["client_secret"]["value"].startswith("ek_")
    refused = client.post("/mock/v1/acme/realtime/tokens", json={"region": "mars"}, headers=AUTH)
    assert refused.status_code == 400
    snippet = client.post("/snippet", data={"op": "acme-tokens", "region": "us"})
    assert "/acme/realtime/tokens" in snippet.get_data(as_text=True)
    # Another app in the same process, without the folder, does not know it.
    other = make_app().test_client()
    assert other.get("/?op=acme-tokens").status_code == 404
    assert other.post("/mock/v1/acme/realtime/tokens", json={}, headers=AUTH).status_code == 404


def test_the_environment_variable_sets_the_folder(monkeypatch, acme_dir) -> None:
    monkeypatch.setenv("PLAYGROUND_OPERATIONS_DIR", str(acme_dir))
    app = create_app(TEST_CONFIG)
    assert "acme-tokens" in app.extensions["playground.operations"]


def _broken(doc: dict[str, Any], change: Any) -> str:
    edited = copy.deepcopy(doc)
    change(edited)
    return json.dumps(edited)


def _op(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["paths"]["/acme/realtime/tokens"]["post"]


BROKEN = [
    ("not JSON", lambda doc: '{"openapi": "3.1.0",', "not JSON"),
    ("not OpenAPI", lambda doc: _broken(doc, lambda d: d.pop("openapi")), "not an OpenAPI 3"),
    (
        "no x-playground",
        lambda doc: _broken(doc, lambda d: _op(d).pop("x-playground")),
        'no operation has an "x-playground" block',
    ),
    (
        "x-playground without a label",
        lambda doc: _broken(doc, lambda d: _op(d)["x-playground"].pop("label")),
        "x-playground lacks label",
    ),
    (
        "a bad id",
        lambda doc: _broken(doc, lambda d: _op(d)["x-playground"].update(id="Acme Tokens!")),
        "x-playground.id 'Acme Tokens!' must be",
    ),
    (
        "an unresolvable $ref",
        lambda doc: _broken(doc, lambda d: d["components"]["schemas"].pop("TokenRequest")),
        "cannot resolve a $ref",
    ),
    (
        "a duplicate id",
        lambda doc: _broken(doc, lambda d: _op(d)["x-playground"].update(id="sessions")),
        "operation id 'sessions' is already used by sessions.openapi.json",
    ),
    (
        "a bad deprecation mark",
        lambda doc: _broken(
            doc,
            lambda d: d["components"]["schemas"]["TokenRequest"]["properties"]["model"]["anyOf"][0][
                "x-deprecated-values"
            ][0].update(shutdown="next year"),
        ),
        "'shutdown' is not a YYYY-MM-DD day",
    ),
]


@pytest.mark.parametrize(("case", "make", "problem"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_document_stops_the_app_naming_file_and_problem(
    tmp_path, case, make, problem
) -> None:
    path = tmp_path / "acme.openapi.json"
    path.write_text(make(readme_example()), encoding="utf-8")
    with pytest.raises(OperationsError) as caught:
        create_app({**TEST_CONFIG, "OPERATIONS_DIR": str(tmp_path)})
    assert str(path) in str(caught.value) and problem in str(caught.value)


def test_two_files_with_one_id_name_both(tmp_path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.openapi.json").write_text(json.dumps(readme_example()))
    with pytest.raises(OperationsError, match=r"b\.openapi\.json.*already used by .*a\.openapi"):
        load_operations(tmp_path)


def test_a_folder_that_is_not_there_is_named(tmp_path) -> None:
    with pytest.raises(OperationsError, match="OPERATIONS_DIR is not a folder"):
        load_operations(tmp_path / "nope")


def test_serve_with_a_broken_folder_stops_with_a_message(cli, tmp_path) -> None:
    (tmp_path / "acme.openapi.json").write_text("{", encoding="utf-8")
    result = cli("serve", "--operations-dir", str(tmp_path), "--port", "0")
    assert result.returncode == 2
    assert "acme.openapi.json: not JSON" in result.stderr and "Traceback" not in result.stderr


def test_the_cli_takes_the_operators_operation(cli, acme_dir) -> None:
    body = '{"model": "gpt-realtime", "region": "eu"}'
    args = ("body", "--operations-dir", str(acme_dir), "--op", "acme-tokens", "--today")
    result = cli(*args, "2026-06-01", "-", stdin=body)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"model": "gpt-realtime", "region": "eu"}
    assert "Use gpt-realtime-2.1 instead." in result.stderr
    refused = cli(
        "body", "--operations-dir", str(acme_dir), "--op", "acme-tokens", "-", stdin='{"region": 1}'
    )
    assert refused.returncode == 1 and "region" in refused.stderr
    unknown = cli("body", "--op", "acme-tokens", "-", stdin="{}")  # without the folder
    assert unknown.returncode == 2 and "acme-tokens" in unknown.stderr
