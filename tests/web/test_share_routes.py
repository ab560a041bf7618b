"""Share links, presets, import and export through the app, with JavaScript off.

The page is read the way a browser submits it: the values of ``#session-form`` as drawn in the
HTML are fed to the body builder, so "the form is filled" means "the form builds this body".
"""

from __future__ import annotations

import html
import json
import random
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from playground.codecs.share_token import decode_token, encode_token
from playground.model.form_reader import build_body
from playground.model.operations import Operation, all_operations, get_operation
from playground.presets import presets_for

HX = {"HX-Request": "true"}
SECRETS = ("sk-test-SECRET123456", "org-SECRETORG99", "proj_SECRETPROJ", "gw.example.internal")
# In the schema's key order, as the form builds it: a link round-trips to the same text.
BODY = {
    "modalities": ["text"],
    "instructions": "Be brief.\nAnswer in French.",
    "voice": "ash",
    "turn_detection": {"type": "semantic_vad", "eagerness": "high"},
    "tools": [{"type": "function", "name": "get_time", "parameters": {"type": "object"}}],
    "tool_choice": "get_time",
    "temperature": 0.9,
    "max_response_output_tokens": 512,
}


class _FormReader(HTMLParser):
    """Collect what a browser would submit for one form: ``(name, value)`` pairs."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.pairs: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self.pairs.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button"):
                self.pairs.append((name, a.get("value", "")))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.pairs.append((self._select, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = "".join(self._text)  # a browser drops the newline that opens a textarea
            text = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
            self.pairs.append((self._textarea, text))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text.append(data)


def submitted(page: str, form_id: str = "session-form") -> list[tuple[str, str]]:
    """Give the pairs the browser would send for the form in the page."""
    reader = _FormReader(form_id)
    reader.feed(page)
    return reader.pairs


def preview_of(page: str) -> Any:
    """Give the JSON the preview shows."""
    found = re.search(r'data-testid="request-body"[^>]*>(.*?)</pre>', page, re.DOTALL)
    assert found, "no preview in the page"
    return json.loads(html.unescape(found.group(1)))


def marked_fields(page: str) -> list[str]:
    """Give the ids of the top-level fields marked as set by a link, preset or import."""
    return re.findall(
        r'<div class="marked"[^>]*>.*?\n<(?:fieldset|div) [^>]*id="g-f-([^"]+)"', page
    )


def banner(page: str) -> str:
    """Give the text of the loaded banner ("" when there is none)."""
    found = re.search(r'<div id="loaded-banner"(.*?)</div>', page, re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split()) if found else ""


def open_link(client: FlaskClient, body: dict[str, Any]) -> str:
    response = client.get(f"/?p={encode_token(body)}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


# --- opening a link ------------------------------------------------------------------------


def test_link_fills_the_form_and_preview_without_javascript(
    client: FlaskClient, sessions_op: Operation
) -> None:
    page = open_link(client, BODY)
    built = build_body(sessions_op.root, submitted(page))
    assert built.errors == {}
    assert json.dumps(built.body) == json.dumps(BODY)
    assert json.dumps(preview_of(page)) == json.dumps(BODY)
    assert sorted(marked_fields(page)) == sorted(BODY)
    text = banner(page)
    assert "Loaded from a share link" in text and "8 parameters set" in text
    assert 'role="status"' in page
    assert 'href="/" data-testid="reset">Reset to defaults</a>' in page


def test_link_marks_nothing_and_shows_no_banner_on_the_plain_page(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert banner(page) == "" and marked_fields(page) == []
    assert preview_of(page) == {}


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (encode_token(BODY)[:-7], "truncated"),
        ("1.QUJD" + "%21%21", "damaged"),
        ("1." + "A" * 17_000, "too long"),
        ("9." + encode_token(BODY)[2:], "another version"),
        ("hello", "not a playground share link"),
    ],
    ids=["truncated", "tampered", "oversized", "unknown-version", "no-version"],
)
def test_bad_link_shows_a_banner_and_the_default_form(
    client: FlaskClient, token: str, reason: str
) -> None:
    response = client.get(f"/?p={token}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    text = banner(page)
    assert "This share link cannot be opened" in text and reason in text
    assert "The form shows the defaults" in text
    assert 'role="alert"' in page
    assert preview_of(page) == {}
    assert marked_fields(page) == []


def test_unknown_keys_are_named_and_the_rest_is_loaded(client: FlaskClient) -> None:
    page = open_link(client, {"voice": "ash", "colour": "blue", "tools": [{"name": "f", "x": 2}]})
    text = banner(page)
    assert "colour : Unknown parameter." in text
    assert "tools.0.x : Unknown parameter." in text
    assert preview_of(page) == {"voice": "ash", "tools": [{"name": "f"}]}


def test_out_of_range_values_are_kept_and_shown_with_their_errors(client: FlaskClient) -> None:
    page = open_link(client, {"temperature": 5, "max_response_output_tokens": 9000})
    assert preview_of(page) == {"temperature": 5, "max_response_output_tokens": 9000}
    assert re.search(r'id="f-temperature"[^>]*value="5"', page) or re.search(
        r'value="5"[^>]*id="f-temperature"', page
    )
    slot = re.search(r'id="e-f-temperature"[^>]*>([^<]*)<', page)
    assert slot and "1.2" in slot.group(1)
    assert 'data-testid="problems"' in page


def test_empty_strings_and_wrong_types_are_named_and_not_marked(
    client: FlaskClient, sessions_op: Operation
) -> None:
    page = open_link(
        client,
        {
            "instructions": "",
            "voice": "ash",
            "temperature": "hot",
            "tools": [{"type": "function", "name": "f", "description": ""}],
        },
    )
    text = banner(page)
    assert "2 parameters set" in text
    assert (
        "instructions : An empty string, which the form leaves out (the server default applies)."
        in text
    )
    assert "tools.0.description : An empty string, which the form leaves out" in text
    assert 'temperature : Expected a number, got "hot".' in text
    assert "Left out of the form (nothing else was changed):" in text
    assert sorted(marked_fields(page)) == ["tools", "voice"]
    expected = {"voice": "ash", "tools": [{"type": "function", "name": "f"}]}
    assert preview_of(page) == expected
    assert build_body(sessions_op.root, submitted(page)).body == expected


def test_values_sent_back_otherwise_are_named_and_still_marked(client: FlaskClient) -> None:
    page = open_link(client, {"instructions": "Hi.\r\nBye.", "voice": "ash"})
    text = banner(page)
    assert "Left out of the form" not in text
    assert "In the form, but not sent exactly as given:" in text
    assert "instructions : Carriage returns, which the form turns into plain line breaks" in text
    assert sorted(marked_fields(page)) == ["instructions", "voice"] and "2 parameters set" in text
    assert 'role="alert"' in page


def test_a_choice_the_schema_refuses_stays_in_the_form_for_the_validation(
    client: FlaskClient, sessions_op: Operation
) -> None:
    """A closed list has no custom input: the loaded value stays selected as an extra option,
    so the form posts it back and the validation names it, instead of showing Unset."""
    body = {"input_audio_format": "mp3", "modalities": ["text", "video"]}
    page = open_link(client, body)
    assert build_body(sessions_op.root, submitted(page)).body == body
    assert preview_of(page) == body
    assert "mp3 (not a choice)" in page
    assert 'data-testid="problems"' in page
    assert sorted(marked_fields(page)) == sorted(body)


def test_link_to_an_unknown_operation_is_not_found(client: FlaskClient) -> None:
    response = client.get(f"/?op=no-such-op&p={encode_token(BODY)}")
    assert response.status_code == 404


# --- presets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op_id", "name"), [(op_id, name) for op_id in all_operations() for name in presets_for(op_id)]
)
def test_preset_page_fills_the_form(client: FlaskClient, op_id: str, name: str) -> None:
    op = get_operation(op_id)
    page = client.get(f"/?op={op_id}&preset={name}").get_data(as_text=True)
    assert f'name="op" value="{op_id}"' in page
    preset = presets_for(op_id)[name]
    assert json.dumps(build_body(op.root, submitted(page)).body) == json.dumps(preset.body)
    assert json.dumps(preview_of(page)) == json.dumps(preset.body)
    assert f"Preset: {preset.title}" in banner(page)
    assert sorted(marked_fields(page)) == sorted(preset.body)


def test_preset_menu_links_push_the_url(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    for name in presets_for("sessions"):
        link = re.search(rf'<a href="/\?preset={name}" hx-get="/\?preset={name}"[^>]*>', page)
        assert link and 'hx-push-url="true"' in link.group(0)
        assert 'hx-select="main"' in link.group(0)


def test_unknown_preset_names_the_known_ones(client: FlaskClient) -> None:
    page = client.get("/?preset=nope").get_data(as_text=True)
    assert "no preset called 'nope'" in banner(page) and "voice-assistant" in banner(page)
    assert preview_of(page) == {}


# --- share button ------------------------------------------------------------------------------


def _form_of(client: FlaskClient, body: dict[str, Any]) -> MultiDict[str, str]:
    return MultiDict(submitted(open_link(client, body)))


def test_share_gives_the_link_of_the_current_form(client: FlaskClient) -> None:
    form = _form_of(client, BODY)
    response = client.post("/share", data=form, headers=HX)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    fragment = response.get_data(as_text=True)
    url = html.unescape(re.search(r'id="share-url"[^>]*value="([^"]+)"', fragment).group(1))
    assert url.startswith("http://localhost/?p=1.")
    assert json.dumps(decode_token(url.split("p=", 1)[1])) == json.dumps(BODY)
    assert "<html" not in fragment


def test_share_without_javascript_draws_the_page_with_the_link(client: FlaskClient) -> None:
    response = client.post("/share", data=_form_of(client, BODY))
    page = response.get_data(as_text=True)
    assert 'data-testid="share-url"' in page and "<html" in page
    assert json.dumps(preview_of(page)) == json.dumps(BODY)


def test_share_link_never_carries_credentials(client: FlaskClient) -> None:
    # Whatever the browser sends besides the form (it should send none), the link holds the body.
    form = _form_of(client, {"voice": "ash"})
    form.add("api_key", SECRETS[0])
    form.add("organization", SECRETS[1])
    form.add("project", SECRETS[2])
    form.add("gateway", f"https://{SECRETS[3]}/v1")
    response = client.post(
        "/share", data=form, headers={**HX, "Authorization": f"Bearer {SECRETS[0]}"}
    )
    fragment = response.get_data(as_text=True)
    url = html.unescape(re.search(r'value="([^"]+)"', fragment).group(1))
    assert decode_token(url.split("p=", 1)[1]) == {"voice": "ash"}
    for secret in SECRETS:
        assert secret not in fragment


def test_share_too_large_a_body_says_so(client: FlaskClient) -> None:
    rng = random.Random(1)
    noise = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(30_000))
    response = client.post("/share", data={"op": "sessions", "instructions": noise}, headers=HX)
    fragment = response.get_data(as_text=True)
    assert 'role="alert"' in fragment and "export the body as a file" in fragment


def test_share_link_of_a_non_default_operation_names_it(app: Any, client: FlaskClient) -> None:
    app.config["DEFAULT_OPERATION"] = "some-other-op"
    response = client.post("/share", data={"op": "sessions", "voice": "ash"}, headers=HX)
    assert "/?op=sessions&amp;p=1." in response.get_data(as_text=True)


# --- export --------------------------------------------------------------------------------------


def test_export_downloads_the_body(client: FlaskClient) -> None:
    response = client.post("/export", data=_form_of(client, BODY))
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == "attachment; filename=realtime-session.json"
    assert json.dumps(json.loads(response.get_data(as_text=True))) == json.dumps(BODY)


# --- import ----------------------------------------------------------------------------------------


CURL = f"""curl https://api.openai.com/v1/realtime/sessions \\
  -H "Authorization: Bearer {SECRETS[0]}" \\
  -H "Content-Type: application/json" \\
  -d '{json.dumps(BODY)}'"""


@pytest.mark.parametrize("pasted", [json.dumps(BODY, indent=2), CURL], ids=["json", "curl"])
def test_import_fills_the_form(client: FlaskClient, sessions_op: Operation, pasted: str) -> None:
    response = client.post("/import", data={"op": "sessions", "pasted": pasted})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert json.dumps(build_body(sessions_op.root, submitted(page)).body) == json.dumps(BODY)
    assert json.dumps(preview_of(page)) == json.dumps(BODY)
    assert "Imported from a pasted" in banner(page)
    assert sorted(marked_fields(page)) == sorted(BODY)
    assert SECRETS[0] not in page


def test_import_with_htmx_pushes_the_share_link(client: FlaskClient) -> None:
    response = client.post("/import", data={"op": "sessions", "pasted": CURL}, headers=HX)
    pushed = response.headers["HX-Push-Url"]
    assert pushed.startswith("/?p=1.")
    assert json.dumps(decode_token(pushed[len("/?p=") :])) == json.dumps(BODY)
    assert "key and headers were ignored" in banner(response.get_data(as_text=True))


def test_import_names_unknown_keys(client: FlaskClient) -> None:
    page = client.post(
        "/import", data={"op": "sessions", "pasted": '{"voice": "ash", "speeed": 2}'}
    ).get_data(as_text=True)
    assert "speeed : Unknown parameter." in banner(page)
    assert preview_of(page) == {"voice": "ash"}


@pytest.mark.parametrize(
    ("pasted", "reason"),
    [
        ('{"voice": "ash",', "not valid JSON"),
        ("curl https://api.openai.com/v1/realtime/sessions -H 'X: 1'", "sends no body"),
        ('{"instructions": "a\\ud800b"}', "half of a character"),
        ('{"tools": ' + "[" * 5000 + "]" * 5000 + "}", "nested more than 64 levels"),
    ],
)
def test_import_error_keeps_the_text_without_javascript(
    client: FlaskClient, pasted: str, reason: str
) -> None:
    response = client.post("/import", data={"op": "sessions", "pasted": pasted})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(r'id="import-error" role="alert">([^<]*)<', page)
    assert error and reason in html.unescape(error.group(1))
    textarea = re.search(r'<textarea id="import-text"[^>]*>(.*?)</textarea>', page, re.DOTALL)
    assert textarea and html.unescape(textarea.group(1)) == pasted
    assert '<details class="menu import" open' in page


def test_import_error_never_shows_a_pasted_key_again(client: FlaskClient) -> None:
    pasted = f"curl https://x/v1/realtime/sessions -H 'Authorization: Bearer {SECRETS[0]}'"
    page = client.post("/import", data={"op": "sessions", "pasted": pasted}).get_data(as_text=True)
    assert SECRETS[0] not in page
    assert "Authorization: [removed]" in html.unescape(page)


def test_import_error_with_htmx_changes_only_the_message(client: FlaskClient) -> None:
    response = client.post("/import", data={"op": "sessions", "pasted": "{oops"}, headers=HX)
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#import-error"
    assert response.headers["HX-Reselect"] == "#import-error"
    fragment = response.get_data(as_text=True)
    assert fragment.startswith('<p class="error" id="import-error" role="alert">')
    assert "not valid JSON" in fragment and "<textarea" not in fragment


GA_BODY = {
    "expires_after": {"anchor": "created_at", "seconds": 600},
    "session": {"type": "realtime", "instructions": "Be brief."},
}
TRANSLATION_BODY = {
    "expires_after": {"anchor": "created_at", "seconds": 300},
    "session": {
        "model": "gpt-realtime-translate",
        "audio": {"input": {"transcription": None}, "output": {"language": "es"}},
    },
}
#: A body for each operation other than the default one.
OTHER_BODIES = {"client-secrets": GA_BODY, "translation-client-secrets": TRANSLATION_BODY}


def test_every_other_operation_has_a_body_here(app: Any) -> None:
    assert set(OTHER_BODIES) == set(all_operations()) - {app.config["DEFAULT_OPERATION"]}


@pytest.mark.parametrize("other", list(OTHER_BODIES))
def test_link_of_another_operation_names_it_and_opens_it(
    client: FlaskClient, app: Any, other: str
) -> None:
    body = OTHER_BODIES[other]
    assert app.config["DEFAULT_OPERATION"] != other
    page = client.post("/import", data={"op": other, "pasted": json.dumps(body)})
    form = MultiDict(submitted(page.get_data(as_text=True)))
    fragment = client.post("/share", data=form, headers=HX).get_data(as_text=True)
    url = html.unescape(re.search(r'id="share-url"[^>]*value="([^"]+)"', fragment).group(1))
    assert f"/?op={other}&p=1." in url
    opened = client.get(url.removeprefix("http://localhost")).get_data(as_text=True)
    assert f'name="op" value="{other}"' in opened
    assert json.dumps(preview_of(opened)) == json.dumps(body)


@pytest.mark.parametrize("other", list(OTHER_BODIES))
def test_import_of_a_curl_command_opens_the_operation_its_url_calls(
    client: FlaskClient, other: str
) -> None:
    body = OTHER_BODIES[other]
    url = "https://api.openai.com/v1" + get_operation(other).path
    curl = f"curl {url} -H 'Authorization: Bearer {SECRETS[0]}' -d '{json.dumps(body)}'"
    response = client.post("/import", data={"op": "sessions", "pasted": curl}, headers=HX)
    page = response.get_data(as_text=True)
    assert f'name="op" value="{other}"' in page
    assert json.dumps(preview_of(page)) == json.dumps(body)
    assert SECRETS[0] not in page
    # With htmx the whole page is loaded, since the header names the operation too.
    assert response.headers["HX-Redirect"].startswith(f"/?op={other}&p=1.")
    assert "HX-Push-Url" not in response.headers


def test_a_pasted_translation_body_fills_its_form(
    client: FlaskClient, translation_op: Operation
) -> None:
    """Pasted JSON on the translation page fills the translation form, nulls included."""
    pasted = json.dumps(TRANSLATION_BODY, indent=2)
    response = client.post("/import", data={"op": translation_op.id, "pasted": pasted})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    built = build_body(translation_op.root, submitted(page))
    assert built.errors == {}
    assert json.dumps(built.body) == json.dumps(TRANSLATION_BODY)
    assert "Imported from a pasted" in banner(page)


def test_an_old_beta_link_opens_the_beta_form_when_ga_is_the_default(make_app) -> None:
    client = make_app(DEFAULT_OPERATION="client-secrets").test_client()
    page = client.get(f"/?p={encode_token({'voice': 'ash'})}").get_data(as_text=True)
    assert 'name="op" value="sessions"' in page and "Left out of the form" not in page
    assert preview_of(page) == {"voice": "ash"}
    ga = client.get("/").get_data(as_text=True)
    assert 'name="op" value="client-secrets"' in ga
