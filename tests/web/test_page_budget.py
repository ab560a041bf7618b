"""A page's size follows its body: a link, a paste or a post of rows nested in rows draws its
largest lists as JSON editors, and the page stays within about eight times the body's JSON."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from playground.codecs.share_token import encode_token
from playground.model.form_budget import MAX_CONTROLS

EDITOR = re.compile(
    r'<textarea[^>]*name="session:realtime\.tools@json"[^>]*>(.*?)</textarea>', re.S
)


def _within_bound(page: str, body: dict[str, Any]) -> None:
    compact = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    assert len(page.encode()) <= 8 * len(compact.encode()) + 150 * 1024


def _editor_holds_the_tools(page: str, body: dict[str, Any]) -> None:
    found = EDITOR.search(page)
    assert found, "the tools list is one JSON editor"
    assert json.loads(html.unescape(found.group(1))) == body["session"]["tools"]
    assert f"at most {MAX_CONTROLS:,} in all" in page
    assert "@row" not in page


@pytest.mark.parametrize("fixture", ["nested_rows_body", "function_tools_body"])
def test_a_link_draws_a_bounded_page(
    client: FlaskClient, fixture: str, request: pytest.FixtureRequest
) -> None:
    """The 3 KB link of 128 MCP tools x two lists of 128 names drew a 54 MB page; 128 function
    tools drew 8.7 MB. Now the tools are one JSON editor holding them all."""
    body = request.getfixturevalue(fixture)
    token = encode_token(body)
    assert len(token) < 4000
    response = client.get(f"/?op=client-secrets&p={token}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    _within_bound(page, body)
    _editor_holds_the_tools(page, body)


def test_an_import_of_many_tools_draws_a_bounded_page(
    client: FlaskClient, function_tools_body: dict[str, Any]
) -> None:
    body = function_tools_body
    response = client.post("/import", data={"op": "client-secrets", "pasted": json.dumps(body)})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    _within_bound(page, body)
    _editor_holds_the_tools(page, body)


def test_rows_posted_past_the_budget_come_back_as_json(client: FlaskClient) -> None:
    """A post of 128 empty tool rows (each drawing every tool type's pane) is answered with
    the list as one JSON editor, not some 3,000 inputs."""
    form = {
        "op": "client-secrets",
        "session@mode": "realtime",
        "session:realtime.tools@mode": "set",
    }
    rows = {f"session:realtime.tools.{i}@row": "1" for i in range(128)}
    named = {f"session:realtime.tools.{i}@mode": "function" for i in range(128)}
    named |= {f"session:realtime.tools.{i}:function.name": f"f{i}" for i in range(128)}
    response = client.post("/", data={**form, **rows, **named})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count("<input") + page.count("<textarea") + page.count("<select") < MAX_CONTROLS
    found = EDITOR.search(page)
    assert found
    tools = json.loads(html.unescape(found.group(1)))
    assert [tool["name"] for tool in tools] == [f"f{i}" for i in range(128)]


def test_the_json_editor_is_read_back(client: FlaskClient) -> None:
    """What is typed into the list's JSON editor is the body; bad JSON is said at the list."""
    tools = [{"type": "function", "name": "lookup"}]
    form = {"op": "client-secrets", "session@mode": "realtime"}
    typed = {**form, "session:realtime.tools@json": json.dumps(tools)}
    preview = client.post("/update", data=typed).get_data(as_text=True)
    assert '"lookup"' in html.unescape(preview)
    bad = client.post("/update", data={**form, "session:realtime.tools@json": "[{"})
    assert bad.status_code == 200
    assert "Not valid JSON" in bad.get_data(as_text=True)
