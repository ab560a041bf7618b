"""Read a request body out of pasted text: a JSON object, or a curl command that sends one.

The curl reader takes the body from ``-d``/``--data``/``--data-raw``/``--data-binary``/
``--data-ascii``/``--json`` (also ``--data=...`` and ``-d'...'``), or from a here-document when
the data is ``@-``. Headers are never read: a pasted key is ignored, and :func:`redact` removes
credentials from text the page shows back.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from playground.model import strict_json

MAX_PASTE_CHARS = 256 * 1024

_DATA_OPTIONS = ("--data", "--data-raw", "--data-binary", "--data-ascii", "--json")
#: The longest here-document word read (``EOF``, ``JSON``): the bound keeps trying an opening at
#: every ``<<`` of a paste a fixed cost, so the whole scan stays linear.
MAX_HEREDOC_WORD = 64
# The opening of a here-document, matched at one ``<<`` (the rest of its line is not matched: a
# pattern running to the line end retried the whole rest of a paste with no newline from every
# ``<<`` and every word length, 20 s for 180,000 letters).
_HEREDOC_OPENING = re.compile(
    rf"<<-?[ \t]*(['\"]?)([A-Za-z_][A-Za-z0-9_]{{0,{MAX_HEREDOC_WORD - 1}}})\1(?![A-Za-z0-9_])"
)
# One part of a shell word, as POSIX ``shlex.split`` reads it: '...', "..." (a backslash escapes
# only " and \ there), \x, a run of plain characters, a run of blanks, or a quote or backslash
# left open. shlex itself adds a word one character at a time (quadratic in its length: 1.4 s
# for one 256 KB word); this reads a word in parts and joins them once.
_SHELL_PART = re.compile(
    r"""'([^']*)'|"((?:[^"\\]|\\[\s\S])*)"|\\([\s\S])|([^ \t\r\n'"\\]+)|([ \t\r\n]+)|(.)""",
    re.DOTALL,
)
_DOUBLE_QUOTED_ESCAPE = re.compile(r'\\(["\\])')
_SECRET_HEADER = re.compile(
    r"((?:authorization|openai-organization|openai-project|api-key|x-api-key)\s*:\s*)"
    r"(?:bearer\s+)?[^'\"\s\\]+",
    re.IGNORECASE,
)
_SECRET_TOKEN = re.compile(r"\b(?:sk|ek|org|proj)-[A-Za-z0-9_-]{6,}")


class PasteError(ValueError):
    """Raised when pasted text holds no body the playground can read."""


@dataclass
class Pasted:
    """The body read from pasted text, the URL of a curl command, and whether it had a key."""

    body: Any
    kind: str = "JSON body"  # or "curl command"
    url: str = ""
    had_credentials: bool = False


def parse_pasted(text: str) -> Pasted:
    """Give the body in a pasted JSON document or curl command (raises :class:`PasteError`)."""
    stripped = text.strip()
    if not stripped:
        raise PasteError("Paste a JSON body or a curl command first.")
    if len(stripped) > MAX_PASTE_CHARS:
        raise PasteError(f"The pasted text is over {MAX_PASTE_CHARS // 1024} KB.")
    command = re.sub(r"^\$\s+", "", stripped)
    if re.match(r"curl(?:\.exe)?\s", command):
        return _parse_curl(command)
    return Pasted(body=_parse_json(stripped, "The pasted text"))


def _parse_json(text: str, what: str) -> Any:
    try:
        body = strict_json.loads(text)
    except json.JSONDecodeError as exc:
        raise PasteError(
            f"{what} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}). "
            "Paste a JSON object or a curl command."
        ) from None
    except ValueError as exc:
        raise PasteError(f"{what} is not valid JSON: {exc}.") from None
    if not isinstance(body, dict):
        raise PasteError(f"{what} is JSON but not an object; a request body is {{...}}.")
    return body


@dataclass(frozen=True)
class _HereDoc:
    start: int
    end: int
    doc: str


def _heredoc(command: str) -> _HereDoc | None:
    """Give the command's first here-document (``<<EOF`` ... ``EOF``): where it is, and its body.

    Linear in the text: each ``<<`` costs at most :data:`MAX_HEREDOC_WORD` steps, the line end
    is found with one ``find``, and each line after it is looked at once. (A pattern running to
    the line end retried the rest of a paste from every ``<<`` and every word length.)"""
    opening = _heredoc_opening(command)
    if opening is None:
        return None
    word = opening.group(2)
    first = position = command.index("\n", opening.end()) + 1  # _heredoc_opening saw it
    while True:
        newline = command.find("\n", position)
        line_end = len(command) if newline == -1 else newline
        if command[position:line_end].strip(" \t") == word:
            doc = command[first : max(first, position - 1)]
            end = len(command) if newline == -1 else newline + 1
            return _HereDoc(opening.start(), end, doc)
        if newline == -1:
            return None
        position = newline + 1


def _heredoc_opening(command: str) -> re.Match[str] | None:
    """Give the first ``<<WORD`` with a line after it (where its document starts), or None."""
    at = command.find("<<")
    while at != -1:
        opening = _HEREDOC_OPENING.match(command, at)
        if opening is not None:
            # No line after this opening means none after any later one either.
            return opening if "\n" in command[opening.end() :] else None
        at = command.find("<<", at + 1)
    return None


def split_words(command: str) -> list[str]:
    """Give the words of a shell command as POSIX ``shlex.split`` does, in linear time (raises
    ``ValueError`` with shlex's message for an open quote or a trailing backslash)."""
    words: list[str] = []
    parts: list[str] = []
    in_word = False
    for part in _SHELL_PART.finditer(command):
        single, double, escaped, plain, blank, stray = part.groups()
        if blank is not None:
            if in_word:
                words.append("".join(parts))
                parts, in_word = [], False
            continue
        if stray is not None:  # the message shlex gives for what is left open at the end
            trailing = len(command) - len(command.rstrip("\\"))
            open_escape = stray == "\\" or (stray == '"' and trailing % 2 == 1)
            raise ValueError("No escaped character" if open_escape else "No closing quotation")
        if double is not None:
            parts.append(_DOUBLE_QUOTED_ESCAPE.sub(r"\1", double))
        else:
            parts.append(next(p for p in (single, escaped, plain) if p is not None))
        in_word = True
    if in_word:
        words.append("".join(parts))
    return words


def _parse_curl(command: str) -> Pasted:
    heredoc = _heredoc(command)
    if heredoc:
        command = command[: heredoc.start] + command[heredoc.end :]
    command = re.sub(r"\\\r?\n", " ", command)  # shell line continuations
    try:
        words = split_words(command)
    except ValueError as exc:
        raise PasteError(
            f"The curl command cannot be read: {exc} (is a quote left open?)."
        ) from None
    data: list[str] = []
    url = ""
    had_credentials = bool(_SECRET_HEADER.search(command) or _SECRET_TOKEN.search(command))
    index = 1
    while index < len(words):
        word = words[index]
        value, skip = _option_value(word, words, index)
        if value is not None:
            data.append(value)
            index += skip
            continue
        if not word.startswith("-") and "://" in word and not url:
            url = word
        elif word in ("-H", "--header", "-u", "--user", "-X", "--request", "-o", "--output"):
            index += 1
        index += 1
    if not data:
        raise PasteError(
            "The curl command sends no body: it has no -d, --data, --data-raw or --json option."
        )
    if len(data) > 1:
        raise PasteError(f"The curl command has {len(data)} data options; paste one body.")
    payload = data[0]
    if payload in ("@-", "@/dev/stdin"):
        if not heredoc:
            raise PasteError(
                "The curl command reads its body from standard input; paste the JSON itself."
            )
        payload = heredoc.doc
    elif payload.startswith("@"):
        raise PasteError(
            f"The curl command reads its body from the file {payload[1:]!r}; "
            "paste the file's JSON instead."
        )
    body = _parse_json(payload, "The curl command's body")
    return Pasted(body=body, kind="curl command", url=url, had_credentials=had_credentials)


def _option_value(word: str, words: list[str], index: int) -> tuple[str | None, int]:
    """Give the data an option word carries and how many words it takes, or ``(None, 0)``."""
    if word == "-d" or word in _DATA_OPTIONS:
        if index + 1 >= len(words):
            raise PasteError(f"The curl option {word} has no value.")
        return words[index + 1], 2
    if word.startswith("-d") and not word.startswith("--"):
        return word[2:], 1
    name, eq, value = word.partition("=")
    if eq and name in _DATA_OPTIONS:
        return value, 1
    return None, 0


def redact(text: str) -> str:
    """Give the text with header credentials and key-like tokens replaced by ``[removed]``."""
    text = _SECRET_HEADER.sub(r"\1[removed]", text)
    return _SECRET_TOKEN.sub("[removed]", text)
