"""The live call panel in headless Chromium (fake microphone): the offer the page posts, a
refusal shown like a send's, no microphone, the event inspector, the effective configuration,
the session rules, the layout. Calls that connect are in test_call_live.py (against the mock)."""

from __future__ import annotations

import json
import re
import socket
import time

import pytest

from playground.model.form_names import json_path
from playground.web.forms import field_id

pytestmark = pytest.mark.browser

KEY = "sk-call-secret-7777"  # CallUI.key
EPHEMERAL = "ek_call_ephemeral_0123456789abcdef"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- the offer, and a call that does not start -----------------------------------------------


def test_a_refused_call_shows_in_the_response_pane_like_a_send(
    call_ui, call_page, upstream, multipart_fields
) -> None:
    recorder, server = upstream
    recorder.reply = (
        "401 Unauthorized",
        [("Content-Type", "application/json")],
        json.dumps(
            {"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error"}}
        ).encode(),
    )
    page = call_page
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    call_ui.open_ga(page, f"{server.url}/v1")
    call_ui.realtime_session(page)
    page.get_by_test_id("call-start").click()
    said = call_ui.settled_status(page)
    assert said.startswith("Not started: 401 Unauthorized: Incorrect API key provided.")
    pane = page.get_by_test_id("response")
    assert pane.get_by_test_id("response-status").text_content() == "401 Unauthorized"
    assert "Incorrect API key provided." in (pane.get_by_test_id("api-error").text_content() or "")
    assert page.get_by_test_id("call-start").is_enabled()
    assert page.get_by_test_id("call-hangup").is_disabled()

    (sent,) = recorder.requests
    assert sent["path"] == "/v1/realtime/calls"
    assert sent["headers"]["Authorization"] == f"Bearer {KEY}"
    parts = {
        name: data
        for name, _, _, data in multipart_fields(sent["headers"]["Content-Type"], sent["body"])
    }
    offer = parts["sdp"].decode()
    # The microphone goes out and comes back; the events ride a data channel.
    assert re.search(r"m=audio .*\r\n(?:.*\r\n)*?a=sendrecv", offer)
    assert "m=application" in offer and "webrtc-datachannel" in offer
    preview = json.loads(page.locator("#request-body").text_content() or "{}")
    assert json.loads(parts["session"]) == preview["session"]

    assert KEY not in page.content()
    assert not [text for text in console if KEY in text or "Content Security Policy" in text]


def test_a_call_refused_before_sending_shows_from_its_json_and_keeps_the_fresh_token(
    call_ui, call_page, upstream
) -> None:
    """/call answers JSON only: a stale CSRF token's refusal is drawn in the response pane
    from it, and the fresh token it carries lets the next Start call go out."""
    recorder, server = upstream
    recorder.reply = ("401 Unauthorized", [("Content-Type", "application/json")], b"{}")
    page = call_page
    call_ui.open_ga(page, f"{server.url}/v1")
    page.evaluate(  # as if the page had been open for hours
        "document.querySelector('meta[name=csrf-token]').content = 'stale';"
        "document.querySelectorAll('input[name=csrf_token]').forEach(i => i.value = 'stale')"
    )
    with page.expect_response("**/call") as answered:
        page.get_by_test_id("call-start").click()
    assert answered.value.status == 400
    assert answered.value.headers["content-type"] == "application/json"
    said = call_ui.settled_status(page)
    assert said.startswith("Not started: ") and "security token" in said
    failure = page.get_by_test_id("response").get_by_test_id("send-failure")
    shown = failure.text_content() or ""
    assert shown.startswith("Not done. ") and "security token" in shown
    assert recorder.requests == []
    with page.expect_response("**/call") as again:
        page.get_by_test_id("call-start").click()
    assert again.value.status == 502  # the gateway's 401, shown as a send's
    call_ui.wait_for(page, "document.querySelector('[data-testid=response-status]') !== null")
    assert page.get_by_test_id("response-status").text_content() == "401 Unauthorized"
    assert len(recorder.requests) == 1


def test_a_param_the_api_names_is_marked_in_the_form(call_ui, call_page, upstream) -> None:
    recorder, server = upstream
    error = {
        "message": "Speed must be between 0.25 and 1.5.",
        "type": "invalid_request_error",
        "param": "session.audio.output.speed",
    }
    recorder.reply = (
        "400 Bad Request",
        [("Content-Type", "application/json")],
        json.dumps({"error": error}).encode(),
    )
    page = call_page
    call_ui.open_ga(page, f"{server.url}/v1")
    call_ui.realtime_session(page)
    page.locator("#f-session-realtime-audio-output-speed").fill("1.4")
    call_ui.wait_for(page, "document.getElementById('request-body').textContent.includes('1.4')")
    page.get_by_test_id("call-start").click()
    assert "Speed must be between 0.25 and 1.5." in call_ui.settled_status(page)
    slot = page.locator("#e-f-session-realtime-audio-output-speed")
    assert (slot.text_content() or "").startswith("The API says: Speed must be between")
    link = page.get_by_role("link", name="marked in the form")
    assert link.get_attribute("href") == "#f-session-realtime-audio-output-speed"


def test_a_gateway_that_is_down_is_explained(call_ui, call_page) -> None:
    page = call_page
    call_ui.open_ga(page, f"http://127.0.0.1:{closed_port()}/v1")
    page.get_by_test_id("call-start").click()
    said = call_ui.settled_status(page)
    assert said.startswith("Not started: No response:")
    failure = page.get_by_test_id("response").get_by_test_id("send-failure").text_content() or ""
    assert failure and failure in said
    assert page.get_by_test_id("call-start").is_enabled()


def test_without_a_microphone_the_call_still_offers_to_listen(
    call_ui, call_page, upstream, multipart_fields
) -> None:
    recorder, server = upstream
    recorder.reply = ("401 Unauthorized", [("Content-Type", "application/json")], b"{}")
    page = call_page
    # The browser's answer to a visitor who says no (Playwright's script runs outside the CSP).
    page.add_init_script(
        "navigator.mediaDevices.getUserMedia = () =>"
        " Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));"
    )
    call_ui.open_ga(page, f"{server.url}/v1")
    page.get_by_test_id("call-start").click()
    call_ui.settled_status(page)
    note = page.get_by_test_id("call-mic-note")
    assert note.is_visible()
    assert "microphone access was denied" in (note.text_content() or "")
    assert "text messages still work" in (note.text_content() or "")
    (sent,) = recorder.requests
    parts = {
        name: data
        for name, _, _, data in multipart_fields(sent["headers"]["Content-Type"], sent["body"])
    }
    offer = parts["sdp"].decode()
    assert "m=audio" in offer and "a=recvonly" in offer and "a=sendrecv" not in offer


def test_connect_with_this_key_posts_the_bare_offer_with_the_key(
    call_ui, call_page, upstream
) -> None:
    recorder, server = upstream
    recorder.reply = (
        "200 OK",
        [("Content-Type", "application/json")],
        json.dumps({"value": EPHEMERAL, "expires_at": int(time.time()) + 600}).encode(),
    )
    page = call_page
    call_ui.open_ga(page, f"{server.url}/v1")
    connect = page.get_by_test_id("call-connect-key")
    assert connect.is_disabled()
    page.get_by_role("button", name="Send").click()
    call_ui.wait_for(
        page, "document.querySelector('[data-testid=call-connect-key]').disabled === false"
    )
    # The key is in the response pane (its input, for Copy, and the JSON), nowhere else.
    shown = page.locator("#response").evaluate("pane => pane.outerHTML").count(EPHEMERAL)
    assert shown >= 1 and page.content().count(EPHEMERAL) == shown
    recorder.reply = ("403 Forbidden", [("Content-Type", "application/json")], b"{}")
    connect.click()
    assert call_ui.settled_status(page).startswith("Not started: 403 Forbidden")
    # The call's answer takes the response pane, as a send's would: the key goes with it.
    assert EPHEMERAL not in page.content()
    assert connect.is_disabled()
    call = recorder.requests[-1]
    assert call["path"] == "/v1/realtime/calls"
    assert call["headers"]["Authorization"] == f"Bearer {EPHEMERAL}"
    assert call["headers"]["Content-Type"] == "application/sdp"
    assert call["body"].startswith(b"v=0\r\n")


# --- the pieces the call draws, fed with given events -------------------------------------


def test_each_field_says_its_body_path_as_the_server_names_it(call_ui, call_page) -> None:
    """The field grammar is the server's: each wrapper carries data-json-path, and the call's
    script reads that instead of mirroring the rules."""
    page = call_page
    page.goto(call_ui.ga)
    names = page.evaluate(
        "Array.from(document.getElementById('session-form').elements)"
        ".map(e => e.name).filter(n => n && n[0] !== '_' && n !== 'csrf_token')"
    )
    paths = sorted({name.split("@")[0] for name in names})
    got = page.evaluate(
        "(ids) => ids.map(id => { const w = document.getElementById(id);"
        " return w ? w.dataset.jsonPath : null; })",
        ["g-" + field_id(p) for p in paths],
    )
    said = {p: path for p, path in zip(paths, got, strict=True) if path is not None}
    assert len(said) > 60
    assert said == {p: json_path(p) for p in said}


def test_a_body_path_finds_the_field_of_the_chosen_branch(call_ui, call_page) -> None:
    page = call_page
    page.goto(call_ui.ga)
    call_ui.load_scripts(page)

    def field(path: str) -> str:
        return page.evaluate(
            "(p) => { const w = window.__modules.session.fieldFor("
            "document.getElementById('session-form'), p); return w ? w.id : null; }",
            path,
        )

    # session.audio.input.format exists under both session branches: the chosen one wins.
    assert field("session.audio.input.format") == "g-f-session-realtime-audio-input-format"
    page.locator('input[name="session@mode"][value="transcription"]').check()
    assert field("session.audio.input.format") == "g-f-session-transcription-audio-input-format"
    assert field("session.audio.output.speed") == "g-f-session-realtime-audio-output-speed"
    # A path deeper than any field lands on its nearest field.
    assert field("session.tools.0.name") == "g-f-session-realtime-tools"


def test_the_effective_view_says_what_matched_changed_and_came_from_defaults(
    call_ui, call_page
) -> None:
    page = call_page
    page.goto(call_ui.ga)
    call_ui.load_scripts(page)
    asked = {"type": "realtime", "audio": {"output": {"voice": "ash", "speed": 1.1}}, "tools": []}
    server = {
        "type": "realtime",
        "object": "realtime.session",
        "id": "sess_1",
        "audio": {
            "input": {"turn_detection": {"type": "server_vad", "threshold": 0.5}},
            "output": {"voice": "marin", "speed": 1.1},
        },
    }
    lines = page.evaluate(
        "([a, s]) => window.__modules.session.effective(a, s)"
        ".map(r => [r.kind, window.__modules.session.describe(r)])",
        [asked, server],
    )
    assert ["match", 'type: "realtime"'] in lines
    assert ["info", 'object: "realtime.session" (the server\'s own)'] in lines
    assert ["default", "audio.input.turn_detection.threshold: unset, server used 0.5"] in lines
    assert ["changed", 'audio.output.voice: asked "ash", server has "marin"'] in lines
    assert ["match", "audio.output.speed: 1.1"] in lines
    assert ["missing", "tools: asked [], the server did not report it"] in lines


def test_a_change_of_the_form_becomes_the_smallest_session_update(call_ui, call_page) -> None:
    page = call_page
    page.goto(call_ui.ga)
    call_ui.load_scripts(page)
    before = {"type": "realtime", "instructions": "a", "audio": {"output": {"voice": "ash"}}}
    after = {
        "type": "realtime",
        "instructions": "a",
        "audio": {"output": {"voice": "ash", "speed": 1.2}, "input": {"noise_reduction": None}},
        "tools": [{"type": "function", "name": "f"}],
    }
    result = page.evaluate(
        "([b, a]) => { const S = window.__modules.session; const c = S.changes(b, a);"
        " return [c, S.patch(c, 'realtime')]; }",
        [before, after],
    )
    changes, session = result
    assert changes == [
        {"path": "audio.output.speed", "value": 1.2},
        {"path": "audio.input.noise_reduction", "value": None},
        {"path": "tools", "value": [{"type": "function", "name": "f"}]},
    ]
    assert session == {
        "type": "realtime",
        "audio": {"output": {"speed": 1.2}, "input": {"noise_reduction": None}},
        "tools": [{"type": "function", "name": "f"}],
    }
    refusals = page.evaluate(
        """() => { const S = window.__modules.session;
          return [S.refusal({path: 'type', value: 'transcription'}, {}),
                  S.refusal({path: 'audio.output.voice', value: 'ash'}, {answeredWithAudio: true}),
                  S.refusal({path: 'audio.output.voice', value: 'ash'}, {answeredWithAudio: false}),
                  S.refusal({path: 'instructions', value: undefined}, {}),
                  S.refusal({path: 'model', value: 'gpt-realtime'}, {})]; }"""
    )
    assert "cannot change during a call" in refusals[0]
    assert "voice cannot change once the model has answered with audio" in refusals[1]
    assert refusals[2] == "" and refusals[4] == ""
    assert "Unset is not sent mid-call" in refusals[3]


def test_the_inspector_lists_filters_pauses_clears_and_downloads(call_ui, call_page) -> None:
    page = call_page
    page.goto(call_ui.ga)
    call_ui.scratch_inspector(page, EPHEMERAL)
    audio = "A" * 400  # 300 bytes of base64 audio
    page.evaluate(
        """([audio, key]) => {
          const ins = window.scratch;
          ins.add('server', {type: 'session.created', session: {id: 'sess_1', note: key}});
          ins.add('client', {type: 'input_audio_buffer.append', audio: audio});
          ins.add('server', {type: 'response.output_audio.delta', delta: audio.slice(2) + '=='});
          ins.add('client', {type: 'response.create'});
        }""",
        [audio, EPHEMERAL],
    )
    items = page.locator("#scratch [data-testid=call-events] > li")
    assert items.count() == 4
    assert [items.nth(i).get_attribute("data-event-type") for i in range(4)] == [
        "session.created",
        "input_audio_buffer.append",
        "response.output_audio.delta",
        "response.create",
    ]
    assert [items.nth(i).get_attribute("data-direction") for i in range(4)] == [
        "server",
        "client",
        "server",
        "client",
    ]
    texts = [items.nth(i).locator("pre").text_content() or "" for i in range(4)]
    assert json.loads(texts[1])["audio"] == "[300 bytes of audio]"
    assert json.loads(texts[2])["delta"] == "[298 bytes of audio]"
    assert audio not in page.content() and EPHEMERAL not in page.content()
    assert "[the ephemeral key]" in texts[0]
    # Folded until opened.
    assert not items.nth(0).locator("pre").is_visible()
    items.nth(0).locator("summary").click()
    assert items.nth(0).locator("pre").is_visible()

    scratch = page.locator("#scratch")
    scratch.get_by_test_id("call-events-filter").fill("audio")
    visible = [items.nth(i).is_visible() for i in range(4)]
    assert visible == [False, True, True, False]
    scratch.get_by_test_id("call-events-filter").fill("")

    scratch.get_by_test_id("call-events-pause").click()
    page.evaluate("window.scratch.add('server', {type: 'response.done'})")
    assert items.count() == 4
    assert "1 held while paused" in (
        scratch.get_by_test_id("call-events-count").text_content() or ""
    )
    scratch.get_by_test_id("call-events-pause").click()
    assert items.count() == 5

    with page.expect_download() as download_info:
        scratch.get_by_test_id("call-events-download").click()
    download = download_info.value
    assert download.suggested_filename == "call-events.jsonl"
    with open(download.path(), encoding="utf-8") as saved:
        lines = [json.loads(line) for line in saved]
    assert [line["event"]["type"] for line in lines] == [
        "session.created",
        "input_audio_buffer.append",
        "response.output_audio.delta",
        "response.create",
        "response.done",
    ]
    assert [line["direction"] for line in lines][:2] == ["server", "client"]
    assert all(
        audio not in json.dumps(line) and EPHEMERAL not in json.dumps(line) for line in lines
    )

    scratch.get_by_test_id("call-events-clear").click()
    assert items.count() == 0
    assert page.evaluate("window.scratch.all().length") == 0


# --- layout ---------------------------------------------------------------------------------


def test_the_inspector_masks_the_visitors_key_and_shows_hidden_characters(
    call_ui, call_page
) -> None:
    """Shown: the ek_ key masked, every format character, tag and variation selector as
    <U+XXXX>. Downloaded: masked, otherwise exact. (The visitor's sk- key: test_call_live.py.)"""
    page = call_page
    call_ui.open_ga(page)  # the visitor's key typed in the send panel
    call_ui.scratch_inspector(page, EPHEMERAL)
    hidden = "Hi\u202e\U000e0049\U000e0067\ufe0f\U000e0100\u200b\u2066!"
    page.evaluate(
        "([ek, text]) => window.scratch.add('server', {type: 'error', error: {message: text, ek}})",
        [EPHEMERAL, hidden],
    )
    shown = page.locator("#scratch [data-testid=call-events] pre").text_content() or ""
    assert "Hi<U+202E><U+E0049><U+E0067><U+FE0F><U+E0100><U+200B><U+2066>!" in shown
    assert EPHEMERAL not in shown and "[the ephemeral key]" in shown
    with page.expect_download() as download_info:
        page.locator("#scratch").get_by_test_id("call-events-download").click()
    line = json.loads(download_info.value.path().read_text(encoding="utf-8"))
    assert line["event"]["error"]["message"] == hidden  # exact apart from masking


def test_on_a_wide_screen_the_right_column_stays_in_view(call_ui, call_page) -> None:
    page = call_page
    page.goto(call_ui.ga)
    call_ui.realtime_session(page)  # a long form
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    call_ui.wait_for(page, "window.scrollY > 1000")
    box = page.evaluate(
        "(() => { const o = document.querySelector('.output'); const r = o.getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom, sw: o.scrollWidth, cw: o.clientWidth,"
        " page: document.documentElement.scrollWidth, vw: window.innerWidth}; })()"
    )
    assert abs(box["top"]) <= 1 and box["bottom"] <= 901
    assert box["sw"] <= box["cw"] and box["page"] <= box["vw"]
    assert page.get_by_test_id("call-start").is_visible()


def test_on_a_narrow_screen_the_call_controls_stay_reachable(call_ui, call_page, upstream) -> None:
    recorder, server = upstream
    recorder.hang()  # the call stays "connecting…" while the gateway thinks
    page = call_page
    page.set_viewport_size({"width": 375, "height": 740})
    call_ui.open_ga(page, f"{server.url}/v1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_test_id("call-start").click()
    call_ui.wait_for(page, "document.getElementById('call').dataset.inCall === '1'")
    page.evaluate("window.scrollTo(0, 0)")
    hang_up = page.get_by_test_id("call-hangup")
    box = hang_up.bounding_box()
    assert box and 0 <= box["y"] and box["y"] + box["height"] <= 740
    hang_up.click()
    assert "ended" in call_ui.status(page).lower()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
