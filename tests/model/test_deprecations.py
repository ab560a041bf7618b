"""Deprecated values and fields: marked in the documents, warned next to the field, in a loaded
link's banner and by the CLI, never an error; past the shutdown day the API refuses them."""

from __future__ import annotations

import json
import re
from datetime import date
from html import unescape
from importlib import resources
from typing import Any

import pytest

from playground.codecs.share_token import encode_token
from playground.model import deprecations as deprecations_module
from playground.model.deprecations import (
    DeprecatedValue,
    DeprecationDataError,
    body_warnings,
    deprecated_values,
    deprecations_in,
)
from playground.model.form_names import CUSTOM
from playground.model.operations import all_operations, get_operation
from playground.model.schema import iter_nodes
from playground.presets import presets_for

BEFORE = date(2026, 6, 1)
AFTER = date(2027, 3, 1)  # past both shutdown days
REALTIME_GONE = {
    "gpt-realtime",
    "gpt-realtime-2025-08-28",
    "gpt-realtime-mini",
    "gpt-realtime-mini-2025-12-15",
    "gpt-audio-mini",
    "gpt-audio-mini-2025-12-15",
}
TRANSCRIBE_GONE = {
    "whisper-1",
    "gpt-4o-mini-transcribe",
    "gpt-4o-mini-transcribe-2025-12-15",
    "gpt-4o-transcribe",
    "gpt-4o-transcribe-diarize",
}
GA_MODEL = "session:realtime.model"
GA_TRANSCRIBE = "session:realtime.audio.input.transcription.model"


def _marked(op_id: str, form_path: str) -> dict[str, date]:
    found = deprecations_in(get_operation(op_id).root)[form_path]
    return {value: entry.shutdown for value, entry in found.values.items()}


@pytest.mark.parametrize(
    ("op_id", "path", "values", "day"),
    [
        ("client-secrets", GA_MODEL, REALTIME_GONE, date(2027, 1, 20)),
        ("client-secrets", GA_TRANSCRIBE, TRANSCRIBE_GONE, date(2027, 2, 26)),
        (
            "client-secrets",
            "session:transcription.audio.input.transcription.model",
            TRANSCRIBE_GONE,
            date(2027, 2, 26),
        ),
        ("sessions", "model", REALTIME_GONE, date(2027, 1, 20)),
        ("sessions", "input_audio_transcription.model", TRANSCRIBE_GONE, date(2027, 2, 26)),
    ],
)
def test_the_documents_mark_what_the_sdk_announces(op_id, path, values, day) -> None:
    assert _marked(op_id, path) == dict.fromkeys(values, day)


def test_connector_id_is_a_deprecated_field_naming_what_to_use() -> None:
    found = deprecations_in(get_operation("client-secrets").root)
    entry = found["session:realtime.tools.0:mcp.connector_id"]
    assert entry.field_note is not None and "server_url" in entry.field_note
    assert "tunnel_id" in entry.field_note and not entry.values


def test_the_warning_turns_into_a_refusal_on_the_shutdown_day() -> None:
    value = DeprecatedValue("old-model", date(2027, 1, 20), "new-model")
    assert value.warning(date(2027, 1, 19)) == (
        "old-model is deprecated: it shuts down on 2027-01-20. Use new-model instead."
    )
    assert value.label(date(2027, 1, 19)) == "old-model — deprecated, shuts down 2027-01-20"
    on_the_day = value.warning(date(2027, 1, 20))
    assert on_the_day.startswith("old-model was shut down on 2027-01-20: the API will refuse it.")
    assert value.label(date(2027, 1, 20)) == "old-model — shut down 2027-01-20"


@pytest.mark.parametrize(
    "entry",
    [{"shutdown": "2027-01-20"}, {"value": "x", "shutdown": "soon"}, {"value": "x"}, "x"],
)
def test_a_malformed_entry_is_refused_by_name(entry: Any) -> None:
    with pytest.raises(DeprecationDataError, match="x-deprecated-values"):
        deprecated_values({"type": "string", "x-deprecated-values": [entry]})


def test_body_warnings_name_each_path_and_accept_custom_values() -> None:
    ga = get_operation("client-secrets")
    body = {
        "session": {
            "type": "realtime",
            "model": "gpt-realtime-mini",
            "audio": {"input": {"transcription": {"model": "whisper-1"}}},
            "tools": [
                {"type": "mcp", "server_label": "a", "server_url": "https://a.example"},
                {"type": "mcp", "server_label": "b", "connector_id": "connector_gmail"},
            ],
        }
    }
    warnings = body_warnings(ga.root, body, BEFORE)
    assert set(warnings) == {
        "session.model",
        "session.audio.input.transcription.model",
        "session.tools.1.connector_id",
    }
    assert (
        "connector_id is deprecated: for models released after 2026-09-01"
        in (warnings["session.tools.1.connector_id"])
    )
    # The beta enum lacks gpt-realtime-mini: typed as a custom value, it is still told.
    beta = get_operation("sessions")
    assert body_warnings(beta.root, {"model": "gpt-realtime-mini"}, BEFORE) == {
        "model": "gpt-realtime-mini is deprecated: it shuts down on 2027-01-20."
    }
    assert body_warnings(beta.root, {"model": "gpt-realtime-2.1"}, BEFORE) == {}


def test_the_walk_for_warnings_enters_only_what_can_hold_a_deprecation() -> None:
    """33,000 tool names in one link were each looked up for a deprecation mark: the walk
    now skips every part of the tree that holds none (found once per node and kept)."""
    ga = get_operation("client-secrets")
    holds = deprecations_module._holds_deprecations
    session = ga.root.at("session:realtime")
    assert session is not None and holds(ga.root) and holds(session)
    tools = session.at("tools")
    assert tools is not None and holds(tools)  # an MCP tool's connector_id
    instructions = session.at("instructions")
    assert instructions is not None and not holds(instructions)
    function_tool = session.at("tools.0:function")
    assert function_tool is not None and not holds(function_tool)


# --- presets ------------------------------------------------------------------------------


def _preset_folders() -> list[str]:
    """Give every operation that has presets, found by walking the data (not a list)."""
    folder = resources.files("playground.presets")
    return sorted(
        entry.name for entry in folder.iterdir() if entry.is_dir() and "_" not in entry.name
    )


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_the_preset_folders_are_the_operations() -> None:
    assert {"sessions", "client-secrets"} <= set(_preset_folders())
    assert set(_preset_folders()) <= set(all_operations())


@pytest.mark.parametrize("op_id", _preset_folders())
def test_no_preset_uses_a_deprecated_value(op_id: str) -> None:
    op = get_operation(op_id)
    # Anything any document marks, wherever it sits (a document may forget a mark).
    every = {
        value
        for other in all_operations().values()
        for found in deprecations_in(other.root).values()
        for value in found.values
    }
    assert every >= REALTIME_GONE | TRANSCRIBE_GONE
    for name, preset in presets_for(op_id).items():
        assert body_warnings(op.root, preset.body, BEFORE) == {}, name
        assert not set(_strings(preset.body)) & every, name


# --- the page -----------------------------------------------------------------------------


def _options(html: str, select_id: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert select, select_id
    return re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))


def _warning(html: str, field: str) -> str:
    found = re.search(rf'<p class="warning" id="w-{field}"[^>]*>([^<]*)</p>', html)
    assert found, f"no warning slot for {field}"
    return found.group(1)


def test_the_dropdown_lists_current_models_first_and_labels_the_deprecated(client) -> None:
    html = client.get("/?op=client-secrets").get_data(as_text=True)
    options = _options(html, "f-session-realtime-model")
    values = [value for value, _ in options]
    deprecated = [i for i, v in enumerate(values) if v in REALTIME_GONE]
    current = [i for i, v in enumerate(values) if v and v not in REALTIME_GONE and v != CUSTOM]
    assert len(deprecated) == 6 and max(current) < min(deprecated)
    assert values[-1] == CUSTOM  # the custom value stays last
    assert ("gpt-realtime", "gpt-realtime — deprecated, shuts down 2027-01-20") in options
    assert _warning(html, "f-session-realtime-model") == ""  # nothing chosen, nothing said


def test_choosing_a_deprecated_model_warns_next_to_the_field_and_send_stays_send(
    client, slot_messages
) -> None:
    data = {"op": "client-secrets", "session@mode": "realtime", GA_MODEL: "gpt-realtime"}
    html = client.post("/update", data=data).get_data(as_text=True)
    assert slot_messages(html)["w-f-session-realtime-model"] == (
        "gpt-realtime is deprecated: it shuts down on 2027-01-20."
    )
    assert '<span id="send-label" hx-swap-oob="true">Send</span>' in html
    assert 'data-testid="problems"' not in html  # a warning is not a problem in the form
    assert '"model": "gpt-realtime"' in unescape(html)  # and the value is sent as chosen


def test_without_javascript_the_warning_is_in_the_page(client) -> None:
    data = {"op": "client-secrets", "session@mode": "realtime", GA_MODEL: "gpt-realtime-mini"}
    html = client.post("/", data=data).get_data(as_text=True)
    assert _warning(html, "f-session-realtime-model") == (
        "gpt-realtime-mini is deprecated: it shuts down on 2027-01-20."
    )
    assert '<span id="send-label">Send</span>' in html


def test_a_custom_value_on_the_beta_page_warns_too(client, slot_messages) -> None:
    data = {"op": "sessions", "model": CUSTOM, "model@custom": "gpt-audio-mini"}
    html = client.post("/update", data=data).get_data(as_text=True)
    assert slot_messages(html)["w-f-model"].startswith("gpt-audio-mini is deprecated")


def test_after_the_shutdown_day_the_page_says_the_api_refuses_it(make_app) -> None:
    client = make_app(DEPRECATIONS_TODAY="2027-01-20").test_client()
    html = client.get("/?op=client-secrets").get_data(as_text=True)
    assert ("gpt-realtime", "gpt-realtime — shut down 2027-01-20") in _options(
        html, "f-session-realtime-model"
    )
    # The transcription models shut down later: still "deprecated" on this day.
    assert ("whisper-1", "whisper-1 — deprecated, shuts down 2027-02-26") in _options(
        html, "f-session-realtime-audio-input-transcription-model"
    )
    data = {"op": "client-secrets", "session@mode": "realtime", GA_MODEL: "gpt-realtime"}
    preview = client.post("/preview", data=data).get_data(as_text=True)
    assert "gpt-realtime was shut down on 2027-01-20: the API will refuse it." in preview
    assert '<span id="send-label" hx-swap-oob="true">Send</span>' in preview


def test_a_share_link_carrying_a_deprecated_value_says_so_in_its_banner(client) -> None:
    body = {"session": {"type": "realtime", "model": "gpt-realtime"}}
    html = client.get(f"/?op=client-secrets&p={encode_token(body)}").get_data(as_text=True)
    banner = re.search(r'data-testid="load-deprecated">(.*?)</ul>', html, re.S)
    assert banner, "the banner lists no deprecated value"
    assert "session.model" in banner.group(1)
    assert "gpt-realtime is deprecated: it shuts down on 2027-01-20." in banner.group(1)


def test_an_import_carrying_a_deprecated_value_says_so_in_its_banner(client) -> None:
    pasted = json.dumps({"input_audio_transcription": {"model": "whisper-1"}})
    html = client.post("/import", data={"op": "sessions", "pasted": pasted}).get_data(as_text=True)
    assert 'data-testid="load-deprecated"' in html
    assert "whisper-1 is deprecated: it shuts down on 2027-02-26." in html


def test_a_link_without_deprecated_values_has_no_such_list(client) -> None:
    body = {"session": {"type": "realtime", "model": "gpt-realtime-2.1"}}
    html = client.get(f"/?op=client-secrets&p={encode_token(body)}").get_data(as_text=True)
    assert 'data-testid="loaded-banner"' in html and "load-deprecated" not in html


# --- the command line ---------------------------------------------------------------------


def test_cli_body_warns_on_stderr_and_still_succeeds(cli) -> None:
    body = {"session": {"type": "realtime", "model": "gpt-realtime"}}
    result = cli(
        "body", "--op", "client-secrets", "--today", "2026-06-01", "-", stdin=json.dumps(body)
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == body
    assert result.stderr == (
        "warning: session.model: gpt-realtime is deprecated: it shuts down on 2027-01-20.\n"
    )


def test_cli_body_after_the_shutdown_says_the_api_refuses_it(cli) -> None:
    result = cli(
        "body", "--op", "sessions", "--today", "2027-03-01", "-", stdin='{"model": "gpt-realtime"}'
    )
    assert result.returncode == 0
    assert "gpt-realtime was shut down on 2027-01-20: the API will refuse it." in result.stderr


def test_every_node_with_deprecations_is_drawn_with_a_warning_slot(client) -> None:
    for op in all_operations().values():
        html = client.get(f"/?op={op.id}").get_data(as_text=True)
        for path, node in iter_nodes(op.root):
            if path in deprecations_in(op.root) and ".0" not in path:  # rows exist once added
                slot = "w-f-" + re.sub(r"[^A-Za-z0-9_-]", "-", path)
                assert f'id="{slot}"' in html, (op.id, path, node.name)
