"""The snippet registry, the per-language literal functions and render_snippet."""

from __future__ import annotations

import ast
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from playground.model.operations import Operation, all_operations, get_operation
from playground.snippets import (
    DEFAULT_BASE_URL,
    LANGUAGES,
    languages_for,
    render_snippet,
    render_snippets,
)
from playground.snippets.literals import (
    js_comment_json,
    js_literal,
    js_string,
    loose_paths,
    python_kwargs,
    python_literal,
    python_string,
    shell_single_quote,
    typed_values,
)

ROOT = Path(__file__).resolve().parents[2]

HOSTILE = [
    "",
    "plain",
    "it's",
    'say "hi"',
    "both ' and \"",
    "back\\slash \\n \\\\",
    "new\nline\r\ttab\b\f\x00\x1f\x7f",
    "$HOME ${x} $(id) `uname` !!",
    "emoji 😀🎙️ and 日本語, Ελληνικά, العربية",
    "line\u2028sep\u2029para",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_python_string_reads_back_as_the_same_text(text: str) -> None:
    """Python parses the literal back to exactly the text."""
    assert ast.literal_eval(python_string(text)) == text


def test_python_string_prefers_double_quotes_unless_single_save_escapes() -> None:
    """Quotes are chosen as black does."""
    assert python_string("it's") == '"it\'s"'
    assert python_string('say "hi"') == "'say \"hi\"'"


@pytest.mark.parametrize(
    "value",
    [None, True, False, 0, 1, 1.0, -2.5, 1e-07, "x", [], {}, [1, None], {"a": {"b": [True]}}],
)
def test_python_literal_keeps_json_types(value: Any) -> None:
    """null/true/false become None/True/False, and 1.0 stays a float."""
    text = python_literal(value)
    back = ast.literal_eval(text)
    assert json.dumps(back) == json.dumps(value)
    assert "null" not in text and "true" not in text


def test_python_literal_spreads_long_values_with_trailing_commas() -> None:
    """A value too long for a line is laid out one item a line, as black does."""
    body = {"instructions": "x" * 100, "modalities": ["text"]}
    assert python_literal(body) == (
        '{\n    "instructions": "' + "x" * 100 + '",\n    "modalities": ["text"],\n}'
    )


def test_python_kwargs_only_for_identifier_keys() -> None:
    """Keyword arguments need identifier keys that are not Python keywords."""
    assert python_kwargs({"model": "m", "speed": 1.0}) == '    model="m",\n    speed=1.0,'
    assert python_kwargs({"class": 1}) is None
    assert python_kwargs({"a-b": 1}) is None


def _node_eval(expression: str) -> Any:
    node = pytest.importorskip("shutil").which("node")
    if node is None:
        pytest.skip("node is not available")
    script = f"process.stdout.write(JSON.stringify({expression}))"
    done = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("text", HOSTILE)
def test_js_string_reads_back_as_the_same_text(text: str) -> None:
    """Node parses the literal back to exactly the text."""
    assert _node_eval(js_string(text)) == text


@pytest.mark.parametrize("text", [*HOSTILE, "</script><!-- */", "lone \ud800 surrogate"])
def test_js_comment_json_is_only_comment_and_reads_back(text: str) -> None:
    """Node sees nothing but comments (no string ends one early), and the lines, their comment
    mark taken off, are JSON of exactly the value; nothing closes an inline <script>."""
    value = {"text": text, "list": [text, 1, None]}
    comment = js_comment_json(value)
    assert _node_eval(comment + "\n'only comments above'") == "only comments above"
    lines = comment.encode("utf-8").decode("utf-8").split("\n")  # UTF-8 can hold it
    assert all(line.startswith("//   ") for line in lines)
    assert json.loads("\n".join(line[5:] for line in lines)) == value
    assert "</" not in comment and "<!" not in comment


def test_js_literal_uses_bare_keys_where_it_can() -> None:
    """Identifier keys are bare, the rest quoted; objects get spaces inside braces."""
    assert js_literal({"a_b": 1, "it's": None, "$x": True}) == (
        '{ a_b: 1, "it\'s": null, $x: true }'
    )
    assert _node_eval(js_literal({"a-b": [1, "x"], "日本": {}})) == {"a-b": [1, "x"], "日本": {}}


def test_js_literal_flags_values_with_a_ts_ignore_line() -> None:
    """A flagged value sits on its own line below a ``// @ts-ignore`` comment."""
    text = js_literal({"turn_detection": None, "voice": "x"}, flagged={("turn_detection",)})
    assert text.splitlines() == [
        "{",
        "  // @ts-ignore The API takes null to turn this off; the SDK's types leave null out.",
        "  turn_detection: null,",
        "  voice: 'x',",
        "}",
    ]


@pytest.mark.parametrize("text", [t.replace("\x00", "") for t in HOSTILE])  # argv holds no NUL
def test_shell_single_quote_survives_bash(text: str) -> None:
    """Bash echoes the quoted word back unchanged: nothing is expanded."""
    done = subprocess.run(
        ["bash", "-c", f"printf %s {shell_single_quote(text)}"],
        capture_output=True,
        check=True,
    )
    assert done.stdout.decode() == text


def test_loose_paths_are_what_the_beta_sdk_types_refuse(sessions_op: Operation) -> None:
    """The beta ``SessionCreateParams`` has no ``| null`` anywhere and lists ``model`` as a closed
    union, so those are flagged; ``voice`` is ``(string & {}) | ...``, ``tool_choice`` and the
    transcription ``model`` are ``string``, so custom values there are not. Free JSON (tool
    parameters, tracing metadata) is not looked into."""
    body = {
        "model": "gpt-realtime",
        "voice": "my-voice",
        "input_audio_transcription": {"model": "my-transcriber"},
        "turn_detection": None,
        "tool_choice": "get_weather",
        "tracing": {"workflow_name": "w", "metadata": {"a": None}},
        "tools": [{"type": "function", "name": "get_weather", "parameters": {"default": None}}],
    }
    assert loose_paths(sessions_op.root, body) == {("model",), ("turn_detection",)}
    nulls = dict.fromkeys(
        ["input_audio_transcription", "turn_detection", "input_audio_noise_reduction", "tracing"]
    )
    assert loose_paths(sessions_op.root, nulls) == {(key,) for key in nulls}
    listed = {"model": "gpt-4o-realtime-preview", "voice": "marin", "tool_choice": "auto"}
    assert loose_paths(sessions_op.root, listed) == set()


def test_loose_paths_are_what_the_ga_sdk_types_refuse() -> None:
    """The GA types take null for turn detection, tracing, the prompt, MCP fields and a forced
    MCP tool's name, and any string for models and voices; only ``noise_reduction`` and
    ``transcription`` leave null out (in both kinds of session)."""
    op = get_operation("client-secrets")
    for kind in ("realtime", "transcription"):
        audio_in = {"noise_reduction": None, "transcription": None, "turn_detection": None}
        body = {"session": {"type": kind, "audio": {"input": audio_in}}}
        assert loose_paths(op.root, body) == {
            ("session", "audio", "input", "noise_reduction"),
            ("session", "audio", "input", "transcription"),
        }, kind
        custom = {"transcription": {"model": "mine"}}
        body = {"session": {"type": kind, "audio": {"input": custom}}}
        assert loose_paths(op.root, body) == set(), kind
    tools = [
        {"type": "function", "name": "f", "parameters": {"default": None}},
        {"type": "mcp", "server_label": "s", "server_url": "https://x.test/", "headers": None},
    ]
    session = {
        "type": "realtime",
        "model": "my-model",
        "audio": {
            "input": {"turn_detection": {"type": "server_vad", "idle_timeout_ms": None}},
            "output": {"voice": "my-voice"},
        },
        "tools": tools,
        "tool_choice": {"type": "mcp", "server_label": "s", "name": None},
        "tracing": None,
        "prompt": {"id": "p", "version": None, "variables": None},
    }
    assert loose_paths(op.root, {"session": session}) == set()
    assert loose_paths(op.root, {"session": {**session, "prompt": None}}) == set()


def test_the_translation_sdk_types_take_every_null_and_any_model() -> None:
    """The npm types of a translation secret allow null for noise reduction and transcription,
    and type both models as any string: the TypeScript tab flags nothing."""
    op = get_operation("translation-client-secrets")
    audio_in = {"noise_reduction": None, "transcription": None}
    body = {"session": {"model": "mine", "audio": {"input": audio_in}}}
    assert loose_paths(op.root, body) == set()
    assert "@ts-ignore" not in render_snippet(op, "typescript_openai", body)


def test_typed_values_follow_the_tagged_branch() -> None:
    """In a union of typed objects the branch whose ``type`` matches is walked (an MCP tool's
    ``headers`` is its free-JSON field), and free JSON is not entered."""
    op = get_operation("client-secrets")
    tools = [
        {"type": "function", "name": "f", "parameters": {"default": None}},
        {"type": "mcp", "server_label": "s", "server_url": "https://x.test/", "headers": None},
    ]
    seen = {
        path: (type(node).__name__, node.nullable, value)
        for path, node, value, _rejects in typed_values(
            op.root, {"session": {"type": "realtime", "tools": tools}}
        )
    }
    assert seen[("session", "tools", 1, "headers")] == ("JsonNode", True, None)
    assert seen[("session", "tools", 0, "parameters")][0] == "JsonNode"
    assert ("session", "tools", 0, "parameters", "default") not in seen
    assert ("session", "tools", 0, "headers") not in seen


def test_rejects_on_a_union_reach_its_string_branch() -> None:
    """``x-typescript-rejects`` on a union of strings and objects (a closed SDK type for a voice
    that may also be an object) flags null and an unlisted string, not a listed one or the
    object branch."""
    from playground.model.schema import walk

    schema = {
        "type": "object",
        "properties": {
            "voice": {
                "x-typescript-rejects": ["null", "custom"],
                "anyOf": [
                    {"type": "string", "enum": ["alloy", "ash"]},
                    {"type": "string"},
                    {"type": "object", "properties": {"id": {"type": "string"}}},
                    {"type": "null"},
                ],
            }
        },
    }
    root = walk(schema)
    assert loose_paths(root, {"voice": None}) == {("voice",)}
    assert loose_paths(root, {"voice": "mine"}) == {("voice",)}
    assert loose_paths(root, {"voice": "ash"}) == set()
    assert loose_paths(root, {"voice": {"id": "v"}}) == set()


def _ts_ignored(text: str) -> list[str]:
    """Give the lines a snippet's ``// @ts-ignore`` comments sit above, stripped."""
    lines = [line.strip() for line in text.splitlines()]
    return [lines[i + 1] for i, line in enumerate(lines) if line.startswith("// @ts-ignore")]


def test_openai_tab_flags_only_what_tsc_would_refuse(sessions_op: Operation) -> None:
    """A custom ``tool_choice`` or ``voice`` type-checks against the ``openai`` package, so it
    gets no ``@ts-ignore``; a custom beta ``model`` and a null ``turn_detection`` don't, so
    they keep theirs. In the GA call a custom model, voice and a null turn detection pass."""
    body = {
        "model": "gpt-realtime",
        "voice": "my-voice",
        "turn_detection": None,
        "tools": [{"type": "function", "name": "get_weather"}],
        "tool_choice": "get_weather",
    }
    text = render_snippet(sessions_op, "typescript_openai", body)
    assert _ts_ignored(text) == ["model: 'gpt-realtime',", "turn_detection: null,"]
    ga = {
        "session": {
            "type": "realtime",
            "model": "my-model",
            "audio": {
                "input": {"noise_reduction": None, "turn_detection": None},
                "output": {"voice": "my-voice"},
            },
            "tool_choice": "auto",
        }
    }
    text = render_snippet(get_operation("client-secrets"), "typescript_openai", ga)
    assert _ts_ignored(text) == ["noise_reduction: null,"]


def test_utdk_tab_has_no_ts_ignore(sessions_op: Operation) -> None:
    """@utdk/openai types its input as any JSON object: nothing needs a ``@ts-ignore``, and the
    comment's "the SDK's types" would be wrong for it."""
    body = {"model": "gpt-realtime", "turn_detection": None, "tracing": None, "voice": "v"}
    assert render_snippet(sessions_op, "typescript_openai", body).count("@ts-ignore") == 3
    text = render_snippet(sessions_op, "typescript_utdk", body)
    assert "@ts-ignore" not in text
    assert "  model: 'gpt-realtime',\n  turn_detection: null,\n" in text


def test_registry_has_six_languages_with_templates(sessions_op: Operation) -> None:
    """Six languages, each with a template that renders, in the tab order of the issue."""
    assert list(LANGUAGES) == [
        "typescript_utdk",
        "typescript_openai",
        "python_openai",
        "python_requests",
        "curl",
        "javascript_fetch",
    ]
    assert [lang.id for lang in languages_for(sessions_op)] == list(LANGUAGES)


def test_utdk_tab_needs_a_utdk_method(sessions_op: Operation) -> None:
    """Without ``sdk.utdk`` in the operation data, there is no @utdk/openai snippet."""
    from dataclasses import replace

    extra = {**sessions_op.extra, "sdk": {"python": "a.b", "typescript": "a.b"}}
    bare = replace(sessions_op, extra=extra)
    assert "typescript_utdk" not in [lang.id for lang in languages_for(bare)]
    with pytest.raises(KeyError):
        render_snippet(bare, "typescript_utdk", {})


#: A small non-empty body for each operation.
SOME_BODY = {
    "sessions": {"instructions": "hi"},
    "client-secrets": {"session": {"type": "realtime"}},
    "translation-client-secrets": {"session": {"model": "gpt-realtime-translate"}},
}


@pytest.mark.parametrize(
    ("op_id", "lang"),
    [
        (op_id, lang.id)
        for op_id in all_operations()
        for lang in languages_for(get_operation(op_id))
    ],
)
def test_snippet_names_the_sdk_method_path_and_key_variable(op_id: str, lang: str) -> None:
    """The method comes from the operation data, the URL from its path, the key from env."""
    op = get_operation(op_id)
    text = render_snippet(op, lang, SOME_BODY[op_id])
    sdk = op.extra["sdk"]
    if lang == "python_openai":
        assert f"client.{sdk['python']}(\n" in text
        assert 'os.environ["OPENAI_API_KEY"]' in text
    elif lang == "typescript_openai":
        assert f"client.{sdk['typescript']}({{" in text
    elif lang == "typescript_utdk":
        assert text.startswith("import openai from '@utdk/openai';")
        assert f"await openai.{sdk['utdk']}({{" in text
    else:
        assert DEFAULT_BASE_URL + op.path in text
    assert "OPENAI_API_KEY" in text
    assert text.endswith("\n") and not text.endswith("\n\n")


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_gateway_url_replaces_the_public_api(sessions_op: Operation, lang: str) -> None:
    """With a base URL the snippet calls it, and not the public API."""
    text = render_snippet(sessions_op, lang, {}, base_url="https://gw.example/v1/")
    assert "gw.example/v1" in text
    assert "api.openai.com" not in text


def test_null_is_none_in_python_and_null_elsewhere(sessions_op: Operation) -> None:
    """JSON null is None in Python and null in JS/TS and curl, never the string "null"."""
    body = {"turn_detection": None}
    assert "turn_detection=None," in render_snippet(sessions_op, "python_openai", body)
    assert '"turn_detection": None' in render_snippet(sessions_op, "python_requests", body)
    assert "turn_detection: null" in render_snippet(sessions_op, "javascript_fetch", body)
    assert '"turn_detection": null' in render_snippet(sessions_op, "curl", body)
    for lang in LANGUAGES:
        assert '"null"' not in render_snippet(sessions_op, lang, body)


def test_empty_body_renders_an_empty_call(sessions_op: Operation) -> None:
    """No parameters: a call without arguments, an empty JSON object for HTTP."""
    assert "create()\n" in render_snippet(sessions_op, "python_openai", {})
    assert "-d '{}'" in render_snippet(sessions_op, "curl", {})


def test_unknown_language_is_a_key_error(sessions_op: Operation) -> None:
    """An unknown language names the known ones."""
    with pytest.raises(KeyError, match="curl"):
        render_snippet(sessions_op, "cobol", {})


CORPUS_FILES = {
    "sessions": "snippet_bodies.json",
    "client-secrets": "snippet_bodies_ga.json",
    "translation-client-secrets": "snippet_bodies_translation.json",
}


@pytest.mark.parametrize("op_id", list(CORPUS_FILES))
def test_tabs_rendered_together_equal_each_rendered_alone(op_id: str) -> None:
    """The pane lays a body out once for all tabs: what it shows is what each language gives."""
    fixture = CORPUS_FILES[op_id]
    bodies = json.loads((ROOT / "tests" / "fixtures" / fixture).read_text())
    op = get_operation(op_id)
    assert len(bodies) >= 5
    for name, body in bodies.items():
        for base_url in (None, "http://127.0.0.1:8080/v1"):
            together = render_snippets(op, body, base_url)
            alone = {
                lang.id: render_snippet(op, lang.id, body, base_url=base_url)
                for lang in languages_for(op)
            }
            assert together == alone, name
