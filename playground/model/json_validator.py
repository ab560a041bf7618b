"""The JSON Schema validator the playground checks bodies with: Draft 2020-12, with ``items``
checking a plain item (a string, a number) in place before descending into it.

jsonschema descends into every item of an array with a validator of its own, some 10 µs an
item, even for ``{"type": "string"}``: 33,000 tool names in a 256 KB link took a third of a
second, and a union's ``branch_for`` validates its value again. An item schema made only of
keywords that look at the value itself (``type``, ``enum``, ``maxLength``, ...) is applied here
with the array's validator; only an item it refuses is descended into, so every error is the
one jsonschema gives, with its path, and nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from jsonschema.validators import extend

#: Keywords whose check reads the value alone: no subschema, no reference, no annotation.
_OWN_VALUE_KEYWORDS = frozenset(
    {
        "type",
        "enum",
        "const",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
    }
)

_Keyword = Callable[
    [Draft202012Validator, Any, Any, dict[str, Any]], Iterator[ValidationError] | None
]
_DRAFT_ITEMS: _Keyword = Draft202012Validator.VALIDATORS["items"]
_Checks = list[tuple[str, _Keyword, Any]]  # (keyword, its check, its value in the schema)
_PLAIN: dict[int, tuple[Any, _Checks | None]] = {}  # id(schema) -> (schema, checks)


def _plain_checks(validator: Draft202012Validator, schema: Any) -> _Checks | None:
    """Give the keyword checks of an item schema that only looks at the value itself, else None
    (a boolean schema, a subschema, a ``$ref``: those are descended into as jsonschema does)."""
    known = _PLAIN.get(id(schema))
    if known is not None and known[0] is schema:
        return known[1]
    checks: _Checks | None = None
    if isinstance(schema, dict) and schema:
        keywords = [k for k in schema if k in validator.VALIDATORS]
        if all(k in _OWN_VALUE_KEYWORDS for k in keywords):
            checks = [(k, validator.VALIDATORS[k], schema[k]) for k in keywords]
    _PLAIN[id(schema)] = (schema, checks)
    return checks


def _items(
    validator: Draft202012Validator, items: Any, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """Apply ``items`` as Draft 2020-12 does, an item its plain checks pass skipped."""
    checks = _plain_checks(validator, items)
    if checks is None or not validator.is_type(instance, "array"):
        yield from _DRAFT_ITEMS(validator, items, instance, schema) or ()
        return
    # {"type": "string"} alone, the most common, is the one test jsonschema makes of it.
    strings = [(k, value) for k, _, value in checks] == [("type", "string")]
    for index in range(len(schema.get("prefixItems", [])), len(instance)):
        item = instance[index]
        if strings and isinstance(item, str):
            continue
        if all(not any(check(validator, value, item, items) or ()) for _, check, value in checks):
            continue
        yield from validator.descend(instance=item, schema=items, path=index)


#: Draft 2020-12 with the ``items`` above (``extend`` is untyped in the stubs; it gives a class
#: like the one it extends).
BodyValidator: type[Draft202012Validator] = extend(  # type: ignore[no-untyped-call]
    Draft202012Validator, validators={"items": _items}
)
