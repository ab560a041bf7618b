"""Every snippet, run by its real client against a recording server, sends the exact body.

The clients: the ``openai`` Python SDK, ``requests``, ``curl`` through ``bash``, ``fetch`` and
the ``openai`` npm package under node, and a stand-in for ``@utdk/openai``; the TypeScript
snippets are type-checked by ``tsc`` against the packages' types first. Each snippet gets the
recording server as its base URL, as it would get a gateway's. Every bundled operation has its
own corpus of bodies; each (operation, body, language) the operation offers is one case.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from playground.mock.responses import success
from playground.model.operations import Operation, all_operations, get_operation
from playground.model.schema import StringNode, iter_nodes, join, json_path
from playground.snippets import languages_for, render_snippet
from playground.snippets.literals import typed_values

TESTS = Path(__file__).resolve().parents[1]
# Each operation's corpus, and whether its SDK call may add an ``OpenAI-Beta`` header (the beta
# Python SDK call adds ``assistants=v2``; the GA call must carry none).
CORPUS_FILES = {
    "sessions": ("snippet_bodies.json", True),
    "client-secrets": ("snippet_bodies_ga.json", False),
    "translation-client-secrets": ("snippet_bodies_translation.json", False),
}
CORPORA: dict[str, dict[str, Any]] = {
    op_id: json.loads((TESTS / "fixtures" / name).read_text(encoding="utf-8"))
    for op_id, (name, _beta) in CORPUS_FILES.items()
}
BODY_CASES = [(op_id, case) for op_id, corpus in CORPORA.items() for case in corpus]
RUN_CASES = [
    pytest.param(op_id, case, lang.id, id=f"{op_id}-{case}-{lang.id}")
    for op_id, case in BODY_CASES
    for lang in languages_for(get_operation(op_id))
]
NODE_DIR = TESTS / "fixtures" / "node"
TSC = NODE_DIR / "node_modules" / "typescript" / "bin" / "tsc"
API_KEY = "sk-test-fidelity-0000"
PREFIX = "/gateway/v1"  # a gateway's base URL may carry a path; the snippet must keep it
NOW = 1767225600
JS_LANGS = {"javascript_fetch", "typescript_openai", "typescript_utdk"}
TS_LANGS = ("typescript_openai", "typescript_utdk")


@dataclass
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class Recorder:
    """A WSGI app that records each request and answers as the built-in mock would."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        headers = {
            key[5:].replace("_", "-").lower(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        headers["content-type"] = environ.get("CONTENT_TYPE", "")
        with self.lock:
            self.requests.append(
                Recorded(environ["REQUEST_METHOD"], environ["PATH_INFO"], headers, body)
            )
        payload = json.dumps(_answer(environ["PATH_INFO"], body)).encode()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [payload]

    def take(self) -> list[Recorded]:
        """Give the requests recorded so far and forget them."""
        with self.lock:
            taken, self.requests = self.requests, []
        return taken


def _answer(path: str, body: bytes) -> dict[str, Any]:
    """Give the mock's answer for the operation at ``path`` (an SDK parses it as its type)."""
    for op in all_operations().values():
        if path.endswith(op.path):
            return success(op, json.loads(body or b"{}"), NOW)
    return {}


def _require(ok: bool, what: str) -> None:
    """Skip without the tool on a developer's machine; in CI a missing tool is a failure."""
    if ok:
        return
    message = f"{what} is not available"
    if os.environ.get("CI"):
        pytest.fail(message + " (scripts/test.sh installs it)")
    pytest.skip(message)


def _child_env() -> dict[str, str]:
    """Give the environment a snippet runs in: the test key, and nothing that reroutes it."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.upper().endswith("_PROXY") and not k.startswith("OPENAI_")
    }
    env.update(OPENAI_API_KEY=API_KEY, NO_PROXY="127.0.0.1,localhost", PYTHONIOENCODING="utf-8")
    return env


def _run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        argv, cwd=cwd, env=_child_env(), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"{argv} failed:\n{done.stdout}\n{done.stderr}"
    return done


def _js_numbers(value: Any) -> Any:
    """Give a body as JavaScript sends it: a JS number has no int/float kind, so 1.0 is 1."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _js_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_js_numbers(v) for v in value]
    return value


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


@pytest.fixture(scope="module")
def recorder(serve_wsgi: Any) -> Iterator[tuple[Recorder, str]]:
    """Give the recording server and the base URL snippets are given."""
    app = Recorder()
    server = serve_wsgi(app)
    yield app, server.url + PREFIX


def _node_ready() -> bool:
    return shutil.which("node") is not None and TSC.exists()


@pytest.fixture(scope="module")
def ts_build(
    recorder: tuple[Recorder, str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """Give the folder where every TypeScript snippet of every corpus was compiled by ``tsc``
    (one run for all: ``tsc`` is slow to start)."""
    _require(_node_ready(), "node with tests/fixtures/node installed (npm ci)")
    folder = tmp_path_factory.mktemp("ts")
    (folder / "node_modules").symlink_to(NODE_DIR / "node_modules", target_is_directory=True)
    (folder / "package.json").write_text('{"type": "module"}\n')
    tsconfig = {
        "compilerOptions": {
            "target": "es2022",
            "module": "nodenext",
            "moduleResolution": "nodenext",
            "strict": True,
            "types": ["node"],
            "outDir": "out",
            "rootDir": "src",
        },
        "include": ["src/*.ts"],
    }
    (folder / "tsconfig.json").write_text(json.dumps(tsconfig))
    (folder / "src").mkdir()
    for op_id, case in BODY_CASES:
        op = get_operation(op_id)
        for lang in languages_for(op):
            if lang.id in TS_LANGS:
                text = render_snippet(op, lang.id, CORPORA[op_id][case], base_url=recorder[1])
                text = _expecting_errors(text)
                (folder / "src" / f"{op_id}.{case}.{lang.id}.ts").write_text(text, encoding="utf-8")
    done = subprocess.run(
        ["node", str(TSC), "-p", str(folder), "--pretty", "false"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return folder, done


# A flag's comment line, and nothing else: a string literal never starts a line.
TS_IGNORE = re.compile(r"^( *)// @ts-ignore ", re.MULTILINE)


def _expecting_errors(text: str) -> str:
    """Give a snippet with each ``// @ts-ignore`` made a ``// @ts-expect-error``, which ``tsc``
    reports when the next line has no error: a flag the types don't need fails the build."""
    return TS_IGNORE.sub(r"\1// @ts-expect-error ", text)


def test_expecting_errors_changes_only_the_flag_lines() -> None:
    """Only comment lines change; a string holding the same words is left alone."""
    text = "f({\n  // @ts-ignore Why.\n  a: null,\n  b: '// @ts-ignore x',\n});\n"
    assert _expecting_errors(text) == text.replace("  // @ts-ignore", "  // @ts-expect-error")


def test_typescript_snippets_type_check(ts_build: tuple[Path, Any]) -> None:
    """``tsc --strict`` accepts every TypeScript snippet against the packages' own types, and
    each ``// @ts-ignore`` sits above a line the types do refuse (built as
    ``@ts-expect-error``, an unneeded one fails with TS2578)."""
    folder, done = ts_build
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == ""
    built = {path.name for path in (folder / "out").glob("*.js")}
    assert {
        f"{op_id}.{case}.{lang.id}.js"
        for op_id, case in BODY_CASES
        for lang in languages_for(get_operation(op_id))
        if lang.id in TS_LANGS
    } <= built


def _execute(
    lang: str, case: str, op: Operation, base_url: str, tmp_path: Path, ts_build: Any
) -> None:
    body = CORPORA[op.id][case]
    if lang in TS_LANGS:
        folder, _done = ts_build
        _run(["node", str(folder / "out" / f"{op.id}.{case}.{lang}.js")], folder)
        return
    text = render_snippet(op, lang, body, base_url=base_url)
    assert API_KEY not in text
    if lang.startswith("python"):
        if lang == "python_openai":
            _require(_module_available("openai"), "the openai Python SDK (test extra)")
        path = tmp_path / "snippet.py"
        path.write_text(text, encoding="utf-8")
        _run([sys.executable, str(path)], tmp_path)
    elif lang == "curl":
        _require(bool(shutil.which("curl") and shutil.which("bash")), "curl and bash")
        path = tmp_path / "snippet.sh"
        path.write_text(text, encoding="utf-8")
        _run(["bash", str(path)], tmp_path)
    elif lang == "javascript_fetch":
        _require(shutil.which("node") is not None, "node")
        path = tmp_path / "snippet.mjs"
        path.write_text(text, encoding="utf-8")
        _run(["node", str(path)], tmp_path)
    else:  # a new language needs its client here
        raise AssertionError(f"no client runs {lang} snippets")


def _module_available(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


@pytest.fixture
def ts_build_if_needed(request: pytest.FixtureRequest, lang: str) -> Any:
    """Give the TypeScript build only to the TypeScript cases (the others need no node)."""
    return request.getfixturevalue("ts_build") if lang in TS_LANGS else None


@pytest.mark.parametrize(("op_id", "case", "lang"), RUN_CASES)
def test_snippet_sends_the_exact_body(
    op_id: str,
    case: str,
    lang: str,
    recorder: tuple[Recorder, str],
    tmp_path: Path,
    ts_build_if_needed: Any,
) -> None:
    """Run the snippet in its client: one request, to the operation's URL, with the key from the
    environment, no ``OpenAI-Beta`` header for a GA call, and exactly the playground's body
    (1.0 stays 1.0 where the language can)."""
    op = get_operation(op_id)
    app, base_url = recorder
    app.take()
    _execute(lang, case, op, base_url, tmp_path, ts_build_if_needed)
    seen = app.take()
    assert len(seen) == 1, seen
    (req,) = seen
    assert req.method == op.method
    assert req.path == PREFIX + op.path
    assert req.headers.get("authorization") == f"Bearer {API_KEY}"
    assert req.headers["content-type"].startswith("application/json")
    if not CORPUS_FILES[op_id][1]:
        assert "openai-beta" not in req.headers
    expected = CORPORA[op_id][case]
    if lang in JS_LANGS:
        expected = _js_numbers(expected)
    assert _canonical(json.loads(req.body)) == _canonical(expected)


def _body_paths(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Yield ``(dotted path, value)`` for a value and everything in it (rows as ``0``)."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _body_paths(item, join(path, key))
    elif isinstance(value, list):
        for item in value:
            yield from _body_paths(item, join(path, "0"))


def test_every_operation_has_a_corpus() -> None:
    """A new operation needs a corpus before its snippets count as proven."""
    assert set(CORPORA) == set(all_operations())


@pytest.mark.parametrize("op_id", list(CORPORA))
def test_corpus_covers_every_parameter_and_null(op_id: str) -> None:
    """The corpus sets every parameter at every depth (each union branch's too), and sends null
    for every nullable one."""
    op = get_operation(op_id)
    seen = [pair for body in CORPORA[op_id].values() for pair in _body_paths(body)]
    tree = [(json_path(path), node) for path, node in iter_nodes(op.root) if path]
    assert {path for path, _node in tree} - {path for path, _value in seen} == set()
    nullable = {path for path, node in tree if node.nullable}
    assert nullable - {path for path, value in seen if value is None} == set()


@pytest.mark.parametrize("op_id", list(CORPORA))
def test_corpus_sends_a_custom_value_for_every_open_enum(op_id: str) -> None:
    """Each open enum (model, voice, ...) gets a value outside its list in some body, in each
    union branch it sits in: the type check proves where the SDK's types refuse one."""
    op = get_operation(op_id)
    open_enums = {
        id(node): path
        for path, node in iter_nodes(op.root)
        if isinstance(node, StringNode) and node.open and node.choices
    }
    custom = {
        id(node)
        for body in CORPORA[op_id].values()
        for _path, node, value, _rejects in typed_values(op.root, body)
        if isinstance(node, StringNode) and isinstance(value, str) and value not in node.choices
    }
    assert sorted(path for key, path in open_enums.items() if key not in custom) == []


@pytest.mark.parametrize(("op_id", "case"), BODY_CASES)
def test_corpus_bodies_are_ones_the_form_makes(op_id: str, case: str) -> None:
    """Each corpus body is valid and survives body -> form -> body unchanged."""
    from playground.model.form_filler import form_from_body
    from playground.model.form_reader import build_body
    from playground.model.validation import validate_body

    op = get_operation(op_id)
    body = CORPORA[op_id][case]
    assert validate_body(op.request_schema, op.root, body) == {}
    filled = form_from_body(op.root, body)
    assert filled.problems == {}
    assert _canonical(build_body(op.root, filled.form).body) == _canonical(body)
