"""Every consumer of a body picks the branch ``UnionNode.branch_for`` picks, for every operation.

The form filler, the form reader, the validation, the snippet literals and the mock each meet
the unions of a body. For generated bodies of every registered operation (a new operation is
covered without a change here), each must resolve every union value it meets by
``branch_for`` (the validation meets, besides the errors it explains, only the values where the
schema declares a rule: ``Node.rules_within``), and where its choice shows, show the same branch: the filler's mode switch, the
reader's body, the literals' node.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.mock.responses import success
from playground.model.form_filler import form_from_body
from playground.model.form_names import branch_path, join
from playground.model.form_reader import build_body
from playground.model.nodes import Branch, Node
from playground.model.operations import Operation, all_operations, get_operation
from playground.model.union_nodes import UnionNode
from playground.model.validation import validate_body
from playground.snippets.literals import typed_values

Path = tuple[str | int, ...]


def canonical(value: Any) -> str:
    """Give JSON text that tells 1 from 1.0 and true from 1."""
    return json.dumps(value, sort_keys=True)


def expected_branches(
    node: Node, value: Any, path: Path = (), form_path: str = ""
) -> Iterator[tuple[Path, str, UnionNode, Any, Branch]]:
    """Yield ``(body path, form path, union, value, branch)`` for each union value in ``value``,
    its branch asked of ``branch_for`` directly."""
    if value is None:
        return
    while isinstance(node, UnionNode):
        branch = node.branch_for(value)
        assert branch is not None, f"a valid body fits no branch at {path}"
        yield path, form_path, node, value, branch
        node, form_path = branch.node, branch_path(form_path, branch.key)
    for key, child, item in node.items_of(value):
        if child is not None:
            yield from expected_branches(child, item, (*path, key), join(form_path, str(key)))


class Recorded:
    """The branches ``branch_for`` gave while one consumer ran, by union and value."""

    def __init__(self, patch: pytest.MonkeyPatch) -> None:
        self.seen: dict[tuple[int, str], str | None] = {}
        original = UnionNode.branch_for

        def recording(union: UnionNode, value: Any) -> Branch | None:
            branch = original(union, value)
            self.seen[(id(union), canonical(value))] = branch.key if branch else None
            return branch

        patch.setattr(UnionNode, "branch_for", recording)

    def run(self, consumer: Callable[[], Any]) -> dict[tuple[int, str], str | None]:
        """Give what ``branch_for`` gave while ``consumer`` ran."""
        self.seen = {}
        consumer()
        return self.seen


def consumers(op: Operation, body: dict[str, Any]) -> dict[str, Callable[[], Any]]:
    """Give each consumer of a body that meets every union in it, as a call."""
    return {
        "filler": lambda: form_from_body(op.root, body),
        "validation": lambda: validate_body(op.request_schema, op.root, body),
        "literals": lambda: list(typed_values(op.root, body)),
        "mock": lambda: success(op, body, now=1_000),
    }


@pytest.mark.parametrize("op_id", sorted(all_operations()))
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_every_consumer_picks_the_branch_branch_for_picks(
    op_id: str,
    round_trip_bodies: Any,
    monkeypatch: pytest.MonkeyPatch,
    data: st.DataObject,
) -> None:
    op = get_operation(op_id)
    body = data.draw(round_trip_bodies(op))
    expected = list(expected_branches(op.root, body))

    # Each consumer asks branch_for of every union value it meets, and takes its answer.
    with monkeypatch.context() as patch:
        recorded = Recorded(patch)
        for name, consumer in consumers(op, body).items():
            seen = recorded.run(consumer)
            for path, _form_path, union, value, branch in expected:
                if name == "validation" and not union.rules_within:
                    continue  # the rules' walk enters only where a rule is declared
                assert seen.get((id(union), canonical(value)), "not asked") == branch.key, (
                    f"{name} did not ask branch_for at {path}"
                )

    # Where the choice shows, it is that branch: the mode switch (or the one select) filled, the
    # reader's body (it reads the branch back from it), the node the literals give each value.
    filled = form_from_body(op.root, body)
    for path, form_path, union, _value, branch in expected:
        assert union.chosen_in(filled.form, form_path) == branch.key, path
    built = build_body(op.root, filled.form)
    assert built.errors == {} and canonical(built.body) == canonical(body)
    innermost = {path: branch.node for path, _form_path, _union, _value, branch in expected}
    given = {path: node for path, node, _value, _rejects in typed_values(op.root, body)}
    for path, node in innermost.items():
        assert not path or given[path] is node, path
