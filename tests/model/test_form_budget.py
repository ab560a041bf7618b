"""The form's budget: a whole body's controls, and the lists shown as JSON to stay within it."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.model.form_budget import MAX_CONTROLS, controls, lists_as_json, over_budget
from playground.model.form_filler import form_from_body
from playground.model.form_reader import build_body
from playground.model.operations import Operation, all_operations, get_operation
from playground.web.forms import SessionForm


def test_controls_count_what_the_form_draws(ga_op: Operation) -> None:
    """The count is the inputs the form makes for the same body (every pane of every row)."""
    listed = ["a", "b", "c"]
    approval = {"always": {"tool_names": listed}, "never": {"tool_names": listed}}
    tools = [{"type": "mcp", "server_label": "s", "require_approval": approval}] * 2
    body = {"session": {"type": "realtime", "tools": tools}}
    filled = form_from_body(ga_op.root, body)
    drawn = len(list(SessionForm(ga_op.root, filled.form).form))
    assert controls(ga_op.root, body) == drawn
    empty = SessionForm(ga_op.root, form_from_body(ga_op.root, {}).form)
    assert controls(ga_op.root, {}) == len(list(empty.form))


@pytest.mark.parametrize("op_id", sorted(all_operations()))
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_controls_count_what_the_form_draws_for_any_body(
    op_id: str, round_trip_bodies: Any, data: st.DataObject
) -> None:
    """For generated bodies of every operation too: rows of rows, unions, lists left out."""
    op = get_operation(op_id)
    body = data.draw(round_trip_bodies(op))
    drawn = SessionForm(op.root, form_from_body(op.root, body).form)
    assert controls(op.root, body) == len(list(drawn.form))


@pytest.mark.parametrize("fixture", ["nested_rows_body", "function_tools_body"])
def test_a_body_over_the_budget_shows_its_largest_list_as_json(
    ga_op: Operation, fixture: str, request: pytest.FixtureRequest
) -> None:
    """Past the budget the tools list is one JSON editor: the form stays within the budget,
    and reading it back gives the very body (nothing left out)."""
    body = request.getfixturevalue(fixture)
    assert controls(ga_op.root, body) > MAX_CONTROLS
    assert lists_as_json(ga_op.root, body) == {"session.tools"}
    filled = form_from_body(ga_op.root, body)
    assert "session:realtime.tools@json" in filled.form
    assert not [k for k in filled.form if k.endswith("@row")]
    assert len(list(SessionForm(ga_op.root, filled.form).form)) <= MAX_CONTROLS
    assert build_body(ga_op.root, filled.form).body == body
    assert filled.problems == {}


def test_a_body_within_the_budget_keeps_its_rows(ga_op: Operation) -> None:
    approval = {"always": {"tool_names": ["a", "b"]}}
    body = {
        "session": {
            "type": "realtime",
            "tools": [{"type": "mcp", "server_label": "s", "require_approval": approval}],
        }
    }
    assert lists_as_json(ga_op.root, body) == frozenset()
    assert not [k for k in form_from_body(ga_op.root, body).form if k.endswith("@json")]


def test_a_list_edited_as_json_reads_what_is_typed(ga_op: Operation) -> None:
    """The JSON editor's text is the list; bad JSON is an error at the list, not a 500."""
    typed = '[{"type": "function", "name": "f"}]'
    form = {"session@mode": "realtime", "session:realtime.tools@json": typed}
    built = build_body(ga_op.root, form)
    assert built.body["session"]["tools"] == [{"type": "function", "name": "f"}]
    built = build_body(ga_op.root, {**form, "session:realtime.tools@json": "[1,"})
    assert built.errors["session:realtime.tools"].startswith("Not valid JSON")


def test_a_posted_form_over_the_budget_is_told(
    ga_op: Operation, function_tools_body: dict[str, Any]
) -> None:
    """Rows posted by hand (or added one by one) past the budget are over it; the same body
    with its list as JSON is not."""
    body = function_tools_body
    names = list(form_from_body(ga_op.root, body).form)
    assert not over_budget(ga_op.root, body, names)
    rows = [f"session:realtime.tools.{i}@row" for i in range(128)]
    assert over_budget(ga_op.root, body, rows)
