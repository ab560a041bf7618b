"""The page as the server renders it: a control for every node, the preview, errors in place."""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser

import pytest
from werkzeug.datastructures import MultiDict

from playground.codecs.share_token import decode_token, encode_token
from playground.model.form_data import FormData
from playground.model.form_filler import form_from_body
from playground.model.operations import all_operations
from playground.model.schema import ConstNode, iter_nodes
from playground.snippets import GATEWAY_PLACEHOLDER, LANGUAGES, render_snippet
from playground.web.forms import SessionForm, field_id


class Elements(HTMLParser):
    """Collect every element's tag and attributes, and the text of every element with an id."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: dict[str, str] = {}
        self._open: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self.elements.append((tag, a))
        if tag not in ("input", "br", "meta", "link"):
            self._open.append(a.get("id", ""))

    def handle_endtag(self, tag):
        if tag not in ("input", "br", "meta", "link") and self._open:
            self._open.pop()

    def handle_data(self, data):
        for element_id in self._open:
            if element_id:
                self.text[element_id] = self.text.get(element_id, "") + data

    def by_id(self, element_id: str) -> dict[str, str]:
        return next(a for _, a in self.elements if a.get("id") == element_id)

    def ids(self) -> set[str]:
        return {a["id"] for _, a in self.elements if "id" in a}


FULL = {
    "modalities": ["text"],
    "tools": [{"type": "function", "name": "lookup", "parameters": {"type": "object"}}],
    "tracing": {"workflow_name": "w"},
}


def test_page_has_a_control_for_every_parameter_and_nested_field(client, sessions_op) -> None:
    page = Elements(client.get("/").get_data(as_text=True))
    ids = page.ids()
    for path, node in iter_nodes(sessions_op.root):
        if not path or ".0" in path:  # the root; rows appear once added
            continue
        union, _, key = path.rpartition(":")
        if key and "." not in key and isinstance(node, ConstNode):  # a fixed branch: its radio
            radios = [a for t, a in page.elements if a.get("name") == f"{union}@mode"]
            assert key in [a["value"] for a in radios], path
            continue
        assert f"g-{field_id(path)}" in ids or any(
            i.startswith(f"f-{field_id(path)[2:]}") for i in ids
        ), path
    for name in sessions_op.fields.properties:
        assert f"g-{field_id(name)}" in ids, name


def test_every_input_has_a_label(client, sessions_op) -> None:
    data = MultiDict(form_from_body(sessions_op.root, FULL).form.items(multi=True))
    html = client.post("/", data=data).get_data(as_text=True)
    page = Elements(html)
    labelled = {a["for"] for tag, a in page.elements if tag == "label" and "for" in a}
    for tag, attrs in page.elements:
        if tag in ("input", "select", "textarea") and attrs.get("type") != "hidden":
            assert attrs.get("id") in labelled or "aria-label" in attrs, attrs


def test_html5_attributes_mirror_the_schema(client) -> None:
    page = Elements(client.get("/").get_data(as_text=True))
    temp = page.by_id("f-temperature")
    assert (temp["type"], temp["min"], temp["max"], temp["step"]) == ("number", "0.6", "1.2", "any")
    seconds = page.by_id("f-client_secret-expires_after-seconds")
    assert (seconds["min"], seconds["max"], seconds["step"]) == ("10", "7200", "1")
    assert page.by_id("f-max_response_output_tokens-integer")["max"] == "4096"


def test_required_within_a_present_object_is_required_and_nothing_else_is(client) -> None:
    """A tool row's ``name`` (required within a tool) carries ``required`` and the label mark;
    no top-level optional parameter does, and the form stays ``novalidate`` so a post with the
    name still empty reaches the server and comes back with the error in place."""
    html = client.post(
        "/", data={"op": "sessions", "tools@mode": "set", "tools.0@row": "1"}
    ).get_data(as_text=True)
    page = Elements(html)
    assert "required" in page.by_id("f-tools-0-name")
    assert '<label for="f-tools-0-name">name <span class="req">(required)</span>' in html
    assert page.text["e-f-tools-0-name"] == "Required."
    required = [a["name"] for t, a in page.elements if "required" in a and t != "form"]
    assert required == ["tools.0.name"]
    assert "novalidate" in page.by_id("session-form")
    assert "required" not in page.by_id("f-tools-0-description")


def test_required_within_a_configured_object_or_chosen_branch(client) -> None:
    page = Elements(client.get("/?op=client-secrets").get_data(as_text=True))
    for path in ("session:realtime.prompt.id", "session:realtime.tool_choice:function.name"):
        assert "required" in page.by_id(field_id(path)), path
        assert "(required)" in page.text[f"g-{field_id(path)}"].split(), path
    assert "required" not in page.by_id(field_id("session:realtime.instructions"))


def test_unset_choices_name_the_server_default(client) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "unset (server default: pcm16)" in html
    assert "unset (server default: alloy)" in html
    assert "unset (server default: true)" in html  # create_response


def test_preview_shows_the_exact_body(client) -> None:
    response = client.post(
        "/preview", data={"temperature": "0.9", "turn_detection@mode": "null", "op": "sessions"}
    )
    page = Elements(response.get_data(as_text=True))
    assert json.loads(page.text["request-body"]) == {"turn_detection": None, "temperature": 0.9}


@pytest.mark.parametrize("route", ["/preview", "/update"])
def test_preview_lists_errors_and_sends_them_to_the_field_slots(
    client, slot_messages, route
) -> None:
    html = client.post(route, data={"temperature": "1.5"}).get_data(as_text=True)
    message = "Must be a number from 0.6 to 1.2; got 1.5."
    assert slot_messages(html) == {"e-f-temperature": message}
    assert '<a href="#f-temperature">temperature</a>' in html
    # The slots of problems now gone are emptied: every slot but this one's.
    emptied = re.findall(r'<div hx-swap-oob="innerHTML:([^"]*)"></div>', html)
    assert emptied == [
        "#form-fields .error[id^=e-]:not(:empty):not(#e-f-temperature), #oob-fallback",
        "#form-fields .warning[id^=w-]:not(:empty), #oob-fallback",  # no warning: all emptied
    ]


def _oob_panels(html: str) -> dict[str, str]:
    """Give the snippet panels an answer brings out of band, as text by language."""
    found = re.search(
        r'<div id="snippet-panels" hx-swap-oob="innerHTML">(.*?)</div>\s*$', html, re.S
    )
    assert found, html
    codes = re.findall(r'data-testid="snippet-(\w+)"[^>]*><code>(.*?)</code>', found.group(1), re.S)
    return {lang: unescape(re.sub(r"<[^>]+>", "", code)) for lang, code in codes}


def test_update_answers_preview_problems_and_snippet_from_one_body(client, sessions_op) -> None:
    """One answer: the preview as the target; out of band the field slots, the send check and
    the snippet panels (the asked tab drawn), for the body the preview shows, the asked tab highlighted."""
    form = {"op": "sessions", "temperature": "1.5", "instructions": "hi", "_snippet_lang": "curl"}
    html = client.post("/update", data=form).get_data(as_text=True)
    assert html.startswith('<section id="preview"')
    body = json.loads(Elements(html).text["request-body"])
    assert body == {"instructions": "hi", "temperature": 1.5}
    assert '<span id="send-label" hx-swap-oob="true">Send anyway</span>' in html
    assert re.search(r'<div id="send-check"[^>]*hx-swap-oob="true">.*?temperature', html, re.S)
    panels = _oob_panels(html)
    assert panels == {
        lang: render_snippet(sessions_op, lang, body) if lang == "curl" else ""
        for lang in LANGUAGES
    }
    assert 'data-lang="curl" data-highlighted="true">' in html
    assert GATEWAY_PLACEHOLDER not in html


def test_update_and_rows_bring_the_placeholder_when_there_is_a_gateway(client) -> None:
    """``_gateway=1`` alone (never the URL) gives snippets with the placeholder the page fills;
    a row button's answer brings the panels as well."""
    for route, extra in (("/update", {}), ("/form", {"_action": "add:tools"})):
        html = client.post(route, data={"op": "sessions", "_gateway": "1", **extra})
        panels = _oob_panels(html.get_data(as_text=True))
        assert set(panels) == set(LANGUAGES)
        shown = [text for text in panels.values() if text]
        assert len(shown) == 1 and GATEWAY_PLACEHOLDER in shown[0], route


@pytest.mark.parametrize(
    ("typed", "reason"),
    [('{"a": "\\ud800"}', "half of a character"), ("[" * 9000 + "]" * 9000, "nested more than")],
)
@pytest.mark.parametrize("route", ["/", "/preview", "/update", "/form", "/snippet"])
def test_json_the_page_could_not_show_is_an_error_on_its_field(
    client, route, typed, reason
) -> None:
    """Python's json takes a lone surrogate and any nesting; the page could not write the one
    and the validator would run out of stack on the other: both were 500s."""
    form = {"op": "sessions", "tools@mode": "set", "tools.0@row": "1", "tools.0.type": "function"}
    form |= {"tools.0.name": "f", "tools.0.parameters": typed}
    response = client.post(route, data=form)
    assert response.status_code == 200
    if route != "/snippet":
        assert reason in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "extra",
    [
        {"_action": "remove:tools.²"},
        {"_action": "remove:tools." + "9" * 5000},
        {"tools.²@row": "1"},
    ],
)
@pytest.mark.parametrize(
    "route", ["/", "/preview", "/update", "/form", "/snippet", "/share", "/send"]
)
def test_row_numbers_the_page_never_writes_are_ignored(client, route, extra) -> None:
    """``"²".isdigit()`` is true and int() refuses it; 5,000 digits are over int()'s limit."""
    form = {"op": "sessions", "tools@mode": "set", "tools.0@row": "1", "tools.0.name": "f"}
    assert client.post(route, data={**form, **extra}).status_code == 200


def test_without_javascript_the_form_posts_and_keeps_what_was_typed(client) -> None:
    html = client.post(
        "/",
        data={
            "temperature": "hot",
            "instructions": "Hi <b>there</b>",
            "turn_detection@mode": "set",
            "turn_detection.threshold": "3",
        },
    ).get_data(as_text=True)
    page = Elements(html)
    assert page.by_id("f-temperature")["value"] == "hot"
    assert page.text["e-f-temperature"] == "Must be a number; 'hot' is not."
    assert page.text["e-f-turn_detection-threshold"] == "Must be a number from 0 to 1; got 3."
    assert page.by_id("f-turn_detection-threshold")["aria-invalid"] == "true"
    assert "Hi &lt;b&gt;there&lt;/b&gt;" in html and "<b>there</b>" not in html
    assert page.by_id("f-turn_detection-mode-1").get("checked") is not None


def test_adding_and_removing_rows(client) -> None:
    html = client.post("/form", data={"_action": "add:tools"}).get_data(as_text=True)
    page = Elements(html)
    assert "f-tools-0-name" in page.ids()
    assert json.loads(page.text["request-body"]) == {"tools": [{"type": "function"}]}
    html = client.post(
        "/form",
        data={
            "_action": "remove:tools.0",
            "tools@mode": "set",
            "tools.0@row": "1",
            "tools.0.name": "a",
            "tools.1@row": "1",
            "tools.1.name": "b",
        },
    ).get_data(as_text=True)
    page = Elements(html)
    assert page.by_id("f-tools-0-name")["value"] == "b" and "f-tools-1-name" not in page.ids()


def test_preview_applies_the_row_button_htmx_sends_with_it(client) -> None:
    """A preview fired while an Add/Remove request is in flight names that button: the body it
    shows is the one the row request will show, not the one from before the click."""
    added = client.post("/preview", data={"temperature": "0.9", "_action": "add:tools"})
    assert json.loads(Elements(added.get_data(as_text=True)).text["request-body"]) == {
        "temperature": 0.9,
        "tools": [{"type": "function"}],
    }
    removed = client.post(
        "/preview",
        data={"tools.0@row": "1", "tools.0.name": "a", "_action": "remove:tools.0"},
    )
    assert json.loads(Elements(removed.get_data(as_text=True)).text["request-body"]) == {}


def test_enum_list_keeps_the_order_of_the_body(sessions_op) -> None:
    form = SessionForm(
        sessions_op.root, form_from_body(sessions_op.root, {"modalities": ["audio", "text"]}).form
    )
    html = form["modalities"]()
    assert html.index('value="audio"') < html.index('value="text"')
    assert [c.value for c in form["modalities"].choices] == ["audio", "text"]


@pytest.mark.parametrize(
    "data",
    [
        {"temperature@mode": "bogus", "tools.x@row": "1", "tools@mode": "set"},
        {"_action": "remove:tools.notanumber"},
        {"_action": "add:nothing.here"},
        {"tracing@mode": "object", "tracing:object.metadata": "{"},
        {"op": "sessions", "modalities": ["text", "text", "video"], "modalities@mode": "set"},
    ],
)
def test_garbage_posts_get_a_page_not_a_500(client, data) -> None:
    for url in ("/", "/preview", "/update", "/form"):
        assert client.post(url, data=data).status_code == 200


def test_unknown_operation_is_a_404(client) -> None:
    assert client.get("/?op=nope").status_code == 404


def test_form_data_is_the_source_of_truth_for_rows(sessions_op) -> None:
    data = FormData([("tools@mode", "set"), ("tools.3@row", "1"), ("tools.3.name", "x")])
    form = SessionForm(sessions_op.root, data)
    assert form.rows["tools"] == [3] and "tools.3.name" in form


def test_beta_page_says_the_beta_shape_is_gone_and_offers_ga(client) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "no longer accepts the beta shape" in html
    assert 'formaction="/convert"' in html and "Open as Client secret (GA)" in html
    assert "no longer accepts" not in client.get("/?op=client-secrets").get_data(as_text=True)


def test_open_as_ga_fills_the_ga_form_and_lists_what_was_not_carried(client) -> None:
    form = {
        "op": "sessions",
        "temperature": "0.9",
        "voice": "marin",
        "turn_detection@mode": "set",
        "turn_detection.type": "semantic_vad",
        "turn_detection.threshold": "0.5",
    }
    posted = client.post("/convert", data=form)
    # The address bar names the conversion: a reload or Back shows it again.
    assert posted.status_code == 303
    location = posted.headers["Location"]
    assert location.startswith("/convert?from=sessions&p=1.")
    beta_body = decode_token(location.split("&p=")[1])
    assert beta_body["temperature"] == 0.9 and beta_body["voice"] == "marin"
    html = client.get(location).get_data(as_text=True)
    again = Elements(client.get(location).get_data(as_text=True))  # a reload
    page = Elements(html)
    assert again.text["request-body"] == page.text["request-body"]
    assert again.text["migration-title"] == page.text["migration-title"]
    assert json.loads(page.text["request-body"]) == {
        "session": {
            "type": "realtime",
            "audio": {
                "input": {"turn_detection": {"type": "semantic_vad"}},
                "output": {"voice": "marin"},
            },
        }
    }
    notes = page.text["migration-title"]
    assert notes.startswith("Converted from Realtime session (beta)")
    assert "<code>temperature</code>: temperature 0.9 has no GA equivalent" in html
    assert "<code>turn_detection.threshold</code>" in html
    assert 'name="op" value="client-secrets"' in html


def test_a_conversion_link_says_what_the_ga_form_could_not_take(client) -> None:
    """A hand-made link's empty string and carriage return are named, as on a share link."""
    token = encode_token(
        {
            "instructions": "",
            "voice": "marin",
            "tools": [{"type": "function", "name": "f", "description": "a\r\nb"}],
        }
    )
    html = client.get(f"/convert?from=sessions&p={token}").get_data(as_text=True)
    assert "<code>session.instructions</code>: Left out of the form: " in html
    assert "<code>session.tools.0.description</code>: Carriage returns" in html


@pytest.mark.parametrize("op_id", ["client-secrets", "translation-client-secrets"])
def test_ga_has_nothing_to_convert_to(client, op_id: str) -> None:
    assert client.post("/convert", data={"op": op_id}).status_code == 404
    assert client.get(f"/convert?from={op_id}&p=1.x").status_code == 404
    assert 'formaction="/convert"' not in client.get(f"/?op={op_id}").get_data(as_text=True)


def test_the_picker_lists_every_operation_and_marks_the_open_one(client) -> None:
    ops = all_operations()
    for op in ops.values():
        html = client.get(f"/?op={op.id}").get_data(as_text=True)
        picker = html[html.index('<nav class="op-picker"') : html.index("</nav>")]
        for other in ops.values():
            current = ' aria-current="page"' if other is op else ""
            assert f'<a href="/?op={other.id}"{current}>{other.label}</a>' in picker
        assert f'name="op" value="{op.id}"' in html


def test_the_translation_page_asks_for_its_model(client) -> None:
    """The form says which fields must be set (the model), not that every one is optional;
    choosing a model is enough for a body without errors."""
    html = client.get("/?op=translation-client-secrets").get_data(as_text=True)
    page = Elements(html)
    assert "Fields marked (required) must be set" in html
    assert "Every parameter is optional" not in html
    assert "required" in page.by_id(field_id("session.model"))
    assert page.text["e-f-session-model"] == "Required."
    assert json.loads(page.text["request-body"]) == {"session": {}}
    data = {"op": "translation-client-secrets", "session.model": "gpt-realtime-translate"}
    filled = Elements(client.post("/preview", data=data).get_data(as_text=True))
    assert json.loads(filled.text["request-body"]) == {
        "session": {"model": "gpt-realtime-translate"}
    }
    assert "Every parameter is optional" in client.get("/").get_data(as_text=True)


def test_a_broken_conversion_link_says_so_on_the_beta_page(client) -> None:
    response = client.get("/convert?from=sessions&p=1.not-a-token")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "This conversion link is broken" in html
    assert 'name="op" value="sessions"' in html and "Converted from" not in html
