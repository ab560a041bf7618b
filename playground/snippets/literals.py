"""Source-code literals for a JSON body in each snippet language, escaped for that language.

Each function gives text a person would write: short values stay on one line, longer ones are
spread one item a line with a trailing comma, the way ``black`` and ``prettier`` lay them out.
"""

from __future__ import annotations

import json
import keyword
import re
import unicodedata
from collections.abc import Callable, Collection, Iterator
from functools import lru_cache
from typing import Any, TypeVar, cast

from playground.model.invisible import HIDDEN, HIDDEN_CLASS, json_escape
from playground.model.nodes import Node

Path = tuple[str | int, ...]
_Made = TypeVar("_Made")

_JS_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
# Control characters, DEL, the JS line separators, lone surrogates and every character that is
# not seen where it stands (bidi controls, zero-width, tags: Trojan Source) are written as escapes.
_SPECIAL = rf"\\\x00-\x1f\x7f\u2028\u2029\ud800-\udfff{HIDDEN_CLASS}"
_SPECIAL_IN = {q: re.compile(f"[{_SPECIAL}{q}]") for q in "'\""}
PYTHON_WIDTH = 88
JS_WIDTH = 80
#: The longest string whose literal is kept (names, keys, enum values): a cache of whole
#: visitor strings (instructions, descriptions) would hold thousands of them per process.
_KEPT_CHARS = 256


def _python_escape(point: int) -> str:
    return f"\\u{point:04x}" if point < 0x10000 else f"\\U{point:08x}"


def _js_escape(point: int) -> str:
    return f"\\u{point:04x}" if point < 0x10000 else f"\\u{{{point:x}}}"


def _quoted(text: str, prefer: str, escape_point: Callable[[int], str]) -> str:
    """Give ``text`` in quotes, switching quote kind when that saves escapes (as black and
    prettier do); a character past U+FFFF is escaped with ``escape_point``, the others with
    escapes Python and JavaScript read alike."""
    if len(text) <= _KEPT_CHARS:
        return _short_quoted(text, prefer, escape_point)
    return _quote(text, prefer, escape_point)


@lru_cache(maxsize=4096)
def _short_quoted(text: str, prefer: str, escape_point: Callable[[int], str]) -> str:
    return _quote(text, prefer, escape_point)


def _quote(text: str, prefer: str, escape_point: Callable[[int], str]) -> str:
    other = "'" if prefer == '"' else '"'
    quote = other if text.count(prefer) > text.count(other) else prefer

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char == quote:
            return "\\" + char
        return _ESCAPES.get(char) or escape_point(ord(char))

    return quote + _SPECIAL_IN[quote].sub(escape, text) + quote


def python_string(text: str) -> str:
    """Give a Python string literal for ``text`` (double quotes unless single save escapes)."""
    return _quoted(text, '"', _python_escape)


def js_string(text: str) -> str:
    """Give a JavaScript/TypeScript string literal for ``text`` (single quotes unless double
    save escapes); ``$`` and backticks need no escape outside template literals."""
    return _quoted(text, "'", _js_escape)


def python_name(key: str) -> bool:
    """Say whether ``key`` can be a Python keyword argument that sends exactly ``key``: an
    identifier, no keyword, nothing hidden, and unchanged by the NFKC form Python reads
    identifiers in (``ﬁ`` would arrive as ``fi``)."""
    return (
        key.isidentifier()
        and not keyword.iskeyword(key)
        and not HIDDEN.search(key)
        and unicodedata.normalize("NFKC", key) == key
    )


# What would end a ``//`` comment early (the JS line separators), what UTF-8 cannot encode (lone
# surrogates), what would end an inline <script> (``</``, ``<!--``) and what is not seen where it
# stands: JSON escapes of the same characters, so the comment still reads as the value's JSON.
_COMMENT_UNSAFE = re.compile(f"[\u2028\u2029\ud800-\udfff{HIDDEN_CLASS}]|<(?=[/!])")
# In JSON a shell word or a file holds: lone surrogates and what is not seen.
_JSON_UNSAFE = re.compile(f"[\ud800-\udfff{HIDDEN_CLASS}]")


def js_comment_json(value: Any) -> str:
    """Give ``value`` as indented JSON in JavaScript ``//`` comment lines, which parse back to
    ``value`` (key order kept) once each line's comment mark is taken off."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    text = _COMMENT_UNSAFE.sub(lambda match: json_escape(match.group()), text)
    return "\n".join("//   " + line for line in text.split("\n"))


def json_source(value: Any) -> str:
    """Give ``value`` as indented JSON for a shell word or a file, each hidden character (and
    lone surrogate) written as its JSON escape: the same value, nothing unseen, and what the
    shell reads back is exactly what is written."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda match: json_escape(match.group()), text)


def shell_single_quote(text: str) -> str:
    """Give ``text`` as one shell word in single quotes (nothing inside is expanded); one
    holding a hidden character is a ``$'...'`` word with that character's UTF-8 bytes as
    ``\\xHH`` escapes (which bash, zsh and ksh read back as exactly those bytes)."""
    if not _JSON_UNSAFE.search(text):
        return "'" + text.replace("'", "'\\''") + "'"

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char in "\\'":
            return "\\" + char
        data = char.encode("utf-8", errors="surrogatepass")
        return "".join(f"\\x{byte:02x}" for byte in data)

    return "$'" + re.sub(f"[\\\\'\ud800-\udfff{HIDDEN_CLASS}]", escape, text) + "'"


class Shared:
    """Work the snippets of one body share: each style's one-line forms of its containers (by
    object identity) and finished literals. Use one for one body, rendered into every tab at
    once; it holds each value it has seen, so no identity it keys on is reused meanwhile."""

    def __init__(self) -> None:
        self.flat: dict[str, dict[int, str]] = {"py": {}, "js": {}}
        #: Each key's made thing, and the value it was made for (held: see above).
        self._done: dict[tuple[Any, ...], tuple[object, object]] = {}

    def get(self, key: tuple[Any, ...], value: object, make: Callable[[], _Made]) -> _Made:
        """Give what ``make`` gives for ``value`` (keyed by ``key``), making it the first time."""
        found = self._done.get(key)
        if found is None:
            found = self._done[key] = (make(), value)
        # A key names one kind of literal, always made by the same function: the same type.
        return cast(_Made, found[0])


def _shared(
    shared: Shared | None, key: tuple[Any, ...], value: object, make: Callable[[], _Made]
) -> _Made:
    return make() if shared is None else shared.get((*key, id(value)), value, make)


def _flat_memo(shared: Shared | None, style: _Style) -> dict[int, str] | None:
    return None if shared is None else shared.flat[style.name]


def python_kwargs(
    body: dict[str, Any], indent: int = 0, shared: Shared | None = None
) -> str | None:
    """Give a body's keys as Python keyword arguments, one a line; None if a key can't be one."""
    if not all(python_name(k) for k in body):
        return None

    def make() -> str:
        pad = " " * (indent + 4)
        memo = _flat_memo(shared, _PY)
        lines = []
        for key, value in body.items():
            column = len(pad) + len(key) + 2
            text = _layout(value, len(pad), column, _PY, (key,), frozenset(), memo)
            lines.append(f"{pad}{key}={text},")
        return "\n".join(lines)

    text: str = _shared(shared, ("kwargs", indent), body, make)
    return text


def _number(value: int | float) -> str:
    # repr keeps 1.0 a float and 1 an int, and round-trips every finite float.
    return repr(value)


def python_literal(
    value: Any, indent: int = 0, column: int | None = None, shared: Shared | None = None
) -> str:
    """Give a Python literal for a JSON value (``None``/``True``/``False`` for null/true/false)."""
    start = column or indent
    return _shared(
        shared,
        ("py", indent, start),
        value,
        lambda: _layout(value, indent, start, _PY, (), frozenset(), _flat_memo(shared, _PY)),
    )


def js_literal(
    value: Any,
    indent: int = 0,
    flagged: Collection[Path] = (),
    column: int | None = None,
    shared: Shared | None = None,
) -> str:
    """Give a JavaScript/TypeScript literal for a JSON value; keys are bare where they can be.

    A property whose path is in ``flagged`` gets a ``// @ts-ignore`` line: the official SDK's
    types are narrower than the API there (see :func:`loose_paths`).
    """
    start, flags = column or indent, frozenset(flagged)
    return _shared(
        shared,
        ("js", indent, start, flags),
        value,
        lambda: _layout(value, indent, start, _JS, (), flags, _flat_memo(shared, _JS)),
    )


def _js_key(key: str) -> str:
    return _short_js_key(key) if len(key) <= _KEPT_CHARS else _js_key_of(key)


@lru_cache(maxsize=1024)
def _short_js_key(key: str) -> str:
    return _js_key_of(key)


def _js_key_of(key: str) -> str:
    if key == "__proto__":  # as a plain key, it sets the object's prototype: no property
        return f"[{js_string(key)}]"
    return key if _JS_IDENT.match(key) else js_string(key)


class _Style:
    def __init__(
        self,
        *,
        name: str,
        null: str,
        true: str,
        false: str,
        width: int,
        string: Callable[[str], str],
        key: Callable[[str], str],
    ) -> None:
        self.name, self.null, self.true, self.false, self.width = name, null, true, false, width
        self.string, self.key = string, key


_PY = _Style(
    name="py", null="None", true="True", false="False", width=PYTHON_WIDTH,
    string=python_string, key=python_string,
)  # fmt: skip
_JS = _Style(
    name="js", null="null", true="true", false="false", width=JS_WIDTH, string=js_string,
    key=_js_key,
)  # fmt: skip


def _flat(value: Any, style: _Style, memo: dict[int, str]) -> str:
    """Give the one-line form of a value (containers remembered in ``memo`` by identity, so
    laying out a nested body costs one pass)."""
    if value is None:
        return style.null
    if value is True:
        return style.true
    if value is False:
        return style.false
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, str):
        return style.string(value)
    known = memo.get(id(value))
    if known is not None:
        return known
    if isinstance(value, list):
        text = "[" + ", ".join(_flat(v, style, memo) for v in value) + "]"
    elif isinstance(value, dict):
        items = ", ".join(f"{style.key(k)}: {_flat(v, style, memo)}" for k, v in value.items())
        text = "{}" if not value else "{" + items + "}" if style is _PY else "{ " + items + " }"
    else:
        raise TypeError(f"not a JSON value: {type(value).__name__}")
    memo[id(value)] = text
    return text


def _layout(
    value: Any,
    indent: int,
    column: int,
    style: _Style,
    path: Path,
    flagged: frozenset[Path],
    memo: dict[int, str] | None = None,
) -> str:
    """Lay a value out from ``column`` on a line indented by ``indent``: on that line when it
    fits (and holds no flagged value), else one item a line."""
    memo = {} if memo is None else memo
    flat = _flat(value, style, memo)
    if not isinstance(value, dict | list) or not value:
        return flat
    inner_flag = flagged and any(len(p) > len(path) and p[: len(path)] == path for p in flagged)
    if not inner_flag and column + len(flat) + 1 <= style.width:
        return flat
    pad = " " * (indent + (4 if style is _PY else 2))
    lines = []
    items = enumerate(value) if isinstance(value, list) else value.items()
    for key, item in items:
        sub = (*path, key)
        if sub in flagged:
            lines.append(f"{pad}// @ts-ignore {_why(item)}")
        if isinstance(key, int):
            lines.append(f"{pad}{_layout(item, len(pad), len(pad), style, sub, flagged, memo)},")
        else:
            name = style.key(key)
            column = len(pad) + len(name) + 2
            text = _layout(item, len(pad), column, style, sub, flagged, memo)
            lines.append(f"{pad}{name}: {text},")
    close = "]" if isinstance(value, list) else "}"
    return ("[" if close == "]" else "{") + "\n" + "\n".join(lines) + "\n" + " " * indent + close


def _why(value: Any) -> str:
    if value is None:
        return "The API takes null to turn this off; the SDK's types leave null out."
    return "A newer value than the SDK's types list; the API accepts it."


REJECTS = "x-typescript-rejects"


def loose_paths(root: Node, body: Any, shared: Shared | None = None) -> set[Path]:
    """Give the paths of values the official ``openai`` npm package's types refuse though the
    API takes them, as the operation document records them: a field whose schema has
    ``x-typescript-rejects`` naming ``null`` is flagged when it is null, one naming ``custom``
    when it holds a value outside its enum's list. Elsewhere the types take what the API takes
    (``tool_choice?: string``, ``voice?: (string & {}) | ...``, ``prompt?: ... | null``), and a
    ``// @ts-ignore`` there would only stop ``tsc`` checking the line."""

    def make() -> set[Path]:
        return {
            path
            for path, node, value, rejects in typed_values(root, body)
            if _refused(node, value, rejects)
        }

    return set(_shared(shared, ("loose", id(root)), body, make))


def _refused(node: Node, value: Any, rejects: frozenset[str]) -> bool:
    if value is None:
        return "null" in rejects
    return "custom" in rejects and node.is_custom(value)


def typed_values(root: Node, body: Any) -> Iterator[tuple[Path, Node, Any, frozenset[str]]]:
    """Yield ``(path, node, value, rejects)`` for each value of ``body`` below the root that the
    tree describes (free JSON is not entered; in a union, the branch the value is for).
    ``rejects`` is what ``x-typescript-rejects`` says of it, on its node or on the union it is a
    branch of."""
    for placed in root.placed(body):
        if placed.path:
            rejects = frozenset(
                word
                for node in (*placed.unions, placed.node)
                for word in node.schema.get(REJECTS, ())
            )
            yield placed.path, placed.node, placed.value, rejects
