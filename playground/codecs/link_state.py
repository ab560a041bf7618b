"""What a share link, a preset or a pasted body puts into the form, and what to say about it.

Pure: the page passes the query arguments in and renders the :class:`Loaded` it gets back.
Nothing is dropped or changed quietly: parts of a body the form cannot hold (a wrong type, an
empty string, which an empty input cannot tell from Unset) are listed in ``problems`` and count
as not set; values the form holds but would send back otherwise (line breaks, a discriminator
it adds) are listed in ``altered``; strings holding characters no input shows (bidi controls,
tags: :mod:`playground.model.invisible`) in ``unseen``; values the schema refuses stay in the
form for the validation to flag.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from playground.codecs.share_token import ShareError, decode_token
from playground.model.form_data import FormData
from playground.model.form_filler import form_from_body
from playground.model.invisible import unseen_in
from playground.model.operations import Operation
from playground.model.validation import validate_body
from playground.presets import get_preset, presets_for


@dataclass
class Loaded:
    """A form filled from outside the page (``form``), or why it could not be (``error``)."""

    source: str  # "link", "preset" or "import"
    form: FormData = field(default_factory=FormData)
    body: dict[str, Any] | None = None
    title: str = ""
    error: str = ""
    problems: dict[str, str] = field(default_factory=dict)
    altered: dict[str, str] = field(default_factory=dict)
    marked: list[str] = field(default_factory=list)
    #: Where the body holds characters that are not seen (a field's input shows none of them).
    unseen: dict[str, str] = field(default_factory=dict)

    @property
    def badge(self) -> str:
        """Give the label shown on the fields this source set."""
        return {"link": "from link", "preset": "from preset", "import": "imported"}[self.source]


def load_body(op: Operation, body: Any, source: str, title: str = "") -> Loaded:
    """Give the form a body fills, with the top-level fields it set and what did not fit."""
    filled = form_from_body(op.root, body)
    fields = op.fields.properties
    # A key whose whole value is a problem (a wrong type, an empty string) set nothing.
    marked = (
        [key for key in body if key in fields and key not in filled.problems]
        if isinstance(body, dict)
        else []
    )
    return Loaded(
        source=source,
        form=filled.form,
        body=body if isinstance(body, dict) else None,
        title=title,
        problems=dict(filled.problems),
        altered=dict(filled.altered),
        marked=marked,
        unseen={path: _unseen_note(count) for path, count in unseen_in(body).items()},
    )


def _unseen_note(count: int) -> str:
    what = "character" if count == 1 else "characters"
    return f"{count} {what} not seen in the form (the request body writes each as a \\u escape)"


def load_token(op: Operation, token: str) -> Loaded:
    """Give the form a share token fills, or the default form and why the token is refused."""
    try:
        body = decode_token(token)
    except ShareError as exc:
        return Loaded(source="link", error=str(exc))
    return load_body(op, body, "link", "Loaded from a share link")


def load_preset(op: Operation, name: str) -> Loaded:
    """Give the form a preset fills, or the default form and a note naming the presets."""
    preset = get_preset(op.id, name)
    if preset is None:
        known = ", ".join(presets_for(op.id)) or "none"
        return Loaded(
            source="preset",
            error=f"There is no preset called {name!r} for {op.label} (presets: {known}).",
        )
    return load_body(op, preset.body, "preset", f"Preset: {preset.title}")


def operation_for_token(default: Operation, ops: Iterable[Operation], token: str) -> Operation:
    """Give the operation a share link without ``op`` is for: the default one, unless its body
    has keys only another operation knows, or only another one accepts it (a link made while
    another operation was the default). Links name ``op`` only for a non-default operation."""
    try:
        body = decode_token(token)
    except ShareError:
        return default
    if not isinstance(body, dict):
        return default

    def fits(op: Operation) -> bool:
        return all(key in op.fields.properties for key in body)

    def accepts(op: Operation) -> bool:
        return not validate_body(op.request_schema, op.root, body)

    candidates = [op for op in ops if fits(op)]
    if default in candidates and (len(candidates) == 1 or accepts(default)):
        return default
    # Operations can share their top-level keys (both GA client secrets take ``session``):
    # then the one that accepts the body, if only one does.
    accepting = [op for op in candidates if accepts(op)]
    if len(accepting) == 1:
        return accepting[0]
    if default in candidates or len(candidates) != 1:
        return default
    return candidates[0]


def load_query(op: Operation, args: Mapping[str, str]) -> Loaded | None:
    """Give what ``?p=TOKEN`` or ``?preset=NAME`` loads (``p`` wins), or ``None``."""
    if args.get("p") is not None:
        return load_token(op, args["p"])
    if args.get("preset") is not None:
        return load_preset(op, args["preset"])
    return None
