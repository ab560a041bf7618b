"""A union of listed strings and other shapes (the voice) as the page draws it: one select."""

from __future__ import annotations

import json
import re
from html import unescape

from playground.codecs.share_token import encode_token
from playground.model.form_names import CUSTOM
from playground.model.operations import get_operation
from playground.model.select_union import SelectUnionNode
from playground.web.forms import field_id

VOICE = "session:realtime.audio.output.voice"
DOCUMENTED = [
    "alloy",
    "ash",
    "ballad",
    "coral",
    "echo",
    "sage",
    "shimmer",
    "verse",
    "marin",
    "cedar",
]


def _options(html: str, path: str) -> list[tuple[str, str, bool]]:
    """Give each ``(value, label, selected)`` option of the select at ``path``."""
    found = re.search(rf'<select[^>]*id="{field_id(path)}"[^>]*>(.*?)</select>', html, re.S)
    assert found, f"no select for {path}"
    return [
        (
            unescape(re.search(r'value="([^"]*)"', attrs).group(1)),
            unescape(label),
            "selected" in attrs,
        )  # type: ignore[union-attr]
        for attrs, label in re.findall(r"<option([^>]*)>(.*?)</option>", found.group(1), re.S)
    ]


def _body(html: str) -> dict[str, object]:
    found = re.search(r'data-testid="request-body"[^>]*>(.*?)</pre>', html, re.S)
    assert found
    return dict(json.loads(unescape(found.group(1))))


def test_the_voice_is_one_select_of_the_documented_voices_and_a_custom_voice(client) -> None:
    html = client.get("/").get_data(as_text=True)
    options = _options(html, VOICE)
    assert options[0] == ("", "unset (server default: alloy)", False)
    assert [value for value, _, _ in options[1:11]] == DOCUMENTED
    assert options[11:] == [
        (CUSTOM, "Custom value…", False),
        (":object", "Custom voice ID…", False),
    ]
    assert f'name="{VOICE}@mode"' not in html  # no radios to pass first
    assert f'<label for="{field_id(VOICE)}">Voice</label>' in html
    # Nothing is said of the voice before a choice: its error slots are empty.
    assert re.search(rf'id="e-{field_id(VOICE)}"[^>]*></p>', html)
    assert re.search(rf'id="e-{field_id(VOICE + ":object.id")}"[^>]*></p>', html)
    node = get_operation("client-secrets").root.at(VOICE)
    assert isinstance(node, SelectUnionNode) and node.string_node.choices == DOCUMENTED


def test_each_choice_of_the_voice_select_gives_its_body(client) -> None:
    base = {"op": "client-secrets", "session@mode": "realtime"}
    cases = [
        ({VOICE: "marin"}, "marin"),
        ({VOICE: CUSTOM, VOICE + "@custom": "my-voice"}, "my-voice"),
        ({VOICE: ":object", VOICE + ":object.id": "voice_1234"}, {"id": "voice_1234"}),
    ]
    for fields, voice in cases:
        html = client.post("/preview", data={**base, **fields}).get_data(as_text=True)
        assert _body(html) == {
            "session": {"type": "realtime", "audio": {"output": {"voice": voice}}}
        }
    unset = client.post("/preview", data={**base, VOICE: ""}).get_data(as_text=True)
    assert _body(unset) == {"session": {"type": "realtime"}}


def test_without_javascript_the_custom_voice_posts_and_stays_chosen(client) -> None:
    data = {"op": "client-secrets", "session@mode": "realtime", VOICE: ":object"}
    html = client.post("/", data={**data, VOICE + ":object.id": "voice_9"}).get_data(as_text=True)
    assert (":object", "Custom voice ID…", True) in _options(html, VOICE)
    assert re.search(rf'id="{field_id(VOICE + ":object.id")}"[^>]*value="voice_9"', html)
    assert _body(html)["session"] == {
        "type": "realtime",
        "audio": {"output": {"voice": {"id": "voice_9"}}},
    }


def test_a_shared_body_comes_back_in_the_select(client) -> None:
    for voice, chosen in (("ash", "ash"), ("house-voice", CUSTOM), ({"id": "v_1"}, ":object")):
        body = {"session": {"type": "realtime", "audio": {"output": {"voice": voice}}}}
        html = client.get(f"/?op=client-secrets&p={encode_token(body)}").get_data(as_text=True)
        selected = [value for value, _, is_selected in _options(html, VOICE) if is_selected]
        assert selected == [chosen], voice
        assert _body(html) == body
