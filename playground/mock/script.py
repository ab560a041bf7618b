"""What the mock says on a call: client events in, server events out (no WebRTC, no Flask).

A :class:`Conversation` answers each data-channel message with a :class:`Step`: events to send
now and, for ``response.create`` or the end of a spoken turn, a :class:`Reply` whose events the
caller sends on its timeline while it plays a tone for ``tone_seconds``. The script: a typed
message is answered "You said: …"; a message that says "call" or a function tool's name (or a
session that forces a tool) gets a call of the first such tool; its ``function_call_output``
then gets "The tool answered: …"; a spoken turn gets "I heard you speak for N s". Every
response is counted (:mod:`playground.mock.usage`) and its spoken part lasts a few seconds, in
real time, so that it can be interrupted; a function call's arguments fit the tool's parameters
(:mod:`playground.mock.arguments`); a user's spoken turn is transcribed (by duration, the
mock hears no words) when the session configures transcription.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from playground.mock.call_limits import CallSettings
from playground.mock.replies import Replies, Reply
from playground.mock.session import SessionRules, merged, new_id, turn_settings
from playground.mock.usage import RateWindow, Tokens, transcription_usage
from playground.model import strict_json

__all__ = ["Conversation", "Reply", "Step"]

_ITEM_TYPES = ("message", "function_call_output")
_CALL_WORD = re.compile(r"\bcall\b", re.IGNORECASE)


@dataclass
class Step:
    """What one client event or turn change gives: events now, maybe a reply, maybe a cancel."""

    events: list[dict[str, Any]] = field(default_factory=list)
    reply: Reply | None = None
    cancel: bool = False  # stop the active reply (response.cancel, or speech interrupting it)
    session_changed: bool = False


class Conversation(Replies):
    """One call's session and conversation, and the mock's script for answering them."""

    def __init__(
        self,
        rules: SessionRules,
        request: dict[str, Any],
        lifetime_seconds: float = CallSettings.max_seconds,
    ) -> None:
        self.rules = rules
        self.request = dict(request)
        self.session_id = new_id("sess_")
        self.expires_at = int(time.time() + lifetime_seconds)  # the mock ends the call then
        self.session = rules.effective(self.request, self.session_id, self.expires_at)
        self.conversation_id = new_id("conv_")
        self.items: list[dict[str, Any]] = []
        self.active: Reply | None = None
        self.awaiting_call: str | None = None  # a function call the client has not answered yet
        self.spoke = False  # assistant audio was sent: the voice is fixed from now on
        self._speech_item = ""
        self._spoken_ms: dict[str, int] = {}  # user audio items: how long the speech lasted
        self._said: dict[str, Tokens] = {}  # assistant audio items: the tokens they took
        self._seen = Tokens()  # the last response's input: cached while the prefix holds
        self._cancel_reason = "client_cancelled"
        self.rate = RateWindow()

    def error(
        self, message: str, param: str | None = None, code: str | None = None, about: Any = None
    ) -> dict[str, Any]:
        """Give an ``error`` event (``about``: the client event's own ``event_id``)."""
        details = {"type": "invalid_request_error", "code": code, "message": message}
        return self.event("error", error={**details, "param": param, "event_id": about})

    def created(self) -> dict[str, Any]:
        """Give the ``session.created`` event (the effective session)."""
        return self.event("session.created", session=self.session)

    def handle(self, text: str) -> Step:
        """Give the answer to one data-channel message."""
        try:  # strictly, as every body the mock takes: no NaN, bounded nesting
            event = strict_json.loads(text)
        except ValueError as exc:
            message = f"The message is not valid JSON: {exc}."
            return Step([self.error(message, None, "invalid_json")])
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            return Step([self.error("Missing required parameter: 'type'.", "type", "missing")])
        kind, about = event["type"], event.get("event_id")
        if kind == "session.update":
            return self._update(event.get("session"), about)
        if kind == "conversation.item.create":
            return self._add(event.get("item"), about)
        if kind == "response.create":
            return self._respond(event.get("response"), about)
        if kind in ("response.cancel", "output_audio_buffer.clear"):
            if self.active is None:
                return Step(
                    [self.error("There is no active response.", None, "no_response", about)]
                )
            self._cancel_reason = "client_cancelled"
            return Step(cancel=True)
        if kind == "input_audio_buffer.clear":
            return Step([self.event("input_audio_buffer.cleared")])
        if kind == "input_audio_buffer.append":
            return Step()  # on a call the audio comes on the media track
        if kind == "conversation.item.delete":
            found = [item for item in self.items if item["id"] == event.get("item_id")]
            if not found:
                return Step([self.error("No such item.", "item_id", "item_not_found", about)])
            self.items.remove(found[0])
            self._seen = Tokens()  # the conversation's prefix changed: nothing is cached
            return Step([self.event("conversation.item.deleted", item_id=found[0]["id"])])
        message = f"Invalid value: '{kind}'. The playground's mock does not take this event."
        return Step([self.error(message, "type", "invalid_value", about)])

    def _update(self, update: Any, about: Any) -> Step:
        if not isinstance(update, dict):
            message = "Missing required parameter: 'session'."
            return Step([self.error(message, "session", "missing_required_parameter", about)])
        kind = self.request.get("type")
        if "type" in update and update["type"] != kind:
            message = f"The session type cannot change mid-session ({kind!r}): start a new call."
            return Step([self.error(message, "session.type", "invalid_value", about)])
        candidate = {**update, "type": kind} if kind else dict(update)
        # The update as sent, beside the session's other top-level settings: a rule between
        # two of them (tool_choice names one of the tools) holds against what is in force.
        problems = self.rules.problems({**self.request, **candidate})
        if problems:
            param, message = next(iter(problems.items()))
            return Step(
                [self.error(f"Invalid '{param}': {message}", param, "invalid_value", about)]
            )
        voice = candidate.get("audio", {}).get("output", {}).get("voice")
        if self.spoke and voice is not None and voice != self._voice():
            message = "Cannot update a conversation's voice if assistant audio is present."
            param = "session.audio.output.voice"
            return Step([self.error(message, param, "cannot_update_voice", about)])
        self.request = merged(self.request, candidate)
        self.session = self.rules.effective(self.request, self.session_id, self.expires_at)
        if {"instructions", "tools"} & set(candidate):
            self._seen = Tokens()  # what every response reads first changed
        return Step([self.event("session.updated", session=self.session)], session_changed=True)

    def _voice(self) -> Any:
        return self.session.get("audio", {}).get("output", {}).get("voice")

    def _add(self, item: Any, about: Any) -> Step:
        if not isinstance(item, dict) or item.get("type") not in _ITEM_TYPES:
            message = "Supported item types here: 'message' and 'function_call_output'."
            return Step([self.error(message, "item.type", "invalid_value", about)])
        if item["type"] == "function_call_output":
            called = [i.get("call_id") for i in self.items if i.get("type") == "function_call"]
            if item.get("call_id") not in called:
                message = f"Tool call ID '{item.get('call_id')}' not found in conversation."
                return Step([self.error(message, "item.call_id", "invalid_value", about)])
            if item.get("call_id") == self.awaiting_call:
                self.awaiting_call = None
        elif not isinstance(item.get("content"), list):
            return Step([self.error("Required.", "item.content", "missing", about)])
        return Step(self._store({**item, "id": item.get("id") or new_id("item_")}))

    def _store(self, item: dict[str, Any]) -> list[dict[str, Any]]:
        previous = self.items[-1]["id"] if self.items else None
        stored = {**item, "object": "realtime.item", "status": "completed"}
        self.items.append(stored)
        return [
            self.event("conversation.item.added", previous_item_id=previous, item=stored),
            self.event("conversation.item.done", previous_item_id=previous, item=stored),
            *self._transcribed(stored),
        ]

    def _transcribed(self, item: dict[str, Any]) -> list[dict[str, Any]]:
        """Give the input transcription events of a user's spoken item, when the session
        configures transcription (the mock hears no words: the transcript says so)."""
        setting = self.session.get("audio", {}).get("input", {}).get("transcription")
        content = item.get("content") or [{}]
        if not isinstance(setting, dict) or content[0].get("type") != "input_audio":
            return []
        seconds = self._spoken_ms.get(item["id"], 0) / 1000
        text = f"(The mock's transcript: {seconds:.1f} s of speech, no words recognised.)"
        # The conversation's item gets the transcript (the events already made show it null).
        heard = {**item, "content": [{**content[0], "transcript": text}, *content[1:]]}
        self.items[self.items.index(item)] = heard
        at = {"item_id": item["id"], "content_index": 0}
        words = text.split(" ")
        kind = "conversation.item.input_audio_transcription"
        deltas = [
            self.event(f"{kind}.delta", **at, delta=w if i == len(words) - 1 else w + " ")
            for i, w in enumerate(words)
        ]
        model = str(setting.get("model", ""))
        completed = self.event(
            f"{kind}.completed",
            **at,
            transcript=text,
            usage=transcription_usage(model, seconds, text),
        )
        return [*deltas, completed]

    def speech(self, change: tuple[str, int], spoken_ms: int = 0) -> Step:
        """Give the events for a turn change the mic audio made (``("started"|"stopped", ms)``)."""
        what, at_ms = change
        turns = turn_settings(self.session)
        if what == "started":
            self._speech_item = new_id("item_")
            event = self.event(
                "input_audio_buffer.speech_started", audio_start_ms=at_ms, item_id=self._speech_item
            )
            interrupt = self.active is not None and bool(turns and turns.interrupt_response)
            self._cancel_reason = "turn_detected"
            return Step([event], cancel=interrupt)
        item_id = self._speech_item or new_id("item_")
        stopped = self.event(
            "input_audio_buffer.speech_stopped", audio_end_ms=at_ms, item_id=item_id
        )
        step = Step([stopped, *self.commit(spoken_ms, item_id).events])
        if turns and turns.create_response and self.active is None and self.awaiting_call is None:
            step.reply = self._respond(None, None).reply
        return step

    def commit(self, spoken_ms: int, item_id: str = "") -> Step:
        """Give the events of committing ``spoken_ms`` of the user's audio as a message (at the
        end of a turn, or by ``input_audio_buffer.commit`` with turn detection off)."""
        item_id = item_id or new_id("item_")
        previous = self._last_id()
        events = [
            self.event("input_audio_buffer.committed", previous_item_id=previous, item_id=item_id)
        ]
        content = [{"type": "input_audio", "transcript": None}]
        item = {"id": item_id, "type": "message", "role": "user", "content": content}
        self._spoken_ms[item_id] = spoken_ms
        return Step(events + self._store(item))

    def _respond(self, options: Any, about: Any) -> Step:
        if self.active is not None:
            message = (
                f"Conversation already has an active response in progress: "
                f"{self.active.response_id}. Wait until the response is finished before "
                "creating a new one."
            )
            return Step([self.error(message, None, "conversation_already_has_active_response")])
        options = options if isinstance(options, dict) else {}
        modalities = options.get("output_modalities") or self.session.get("output_modalities")
        last = self.items[-1] if self.items else {}
        if last.get("type") == "function_call_output":
            return Step(reply=self._say(f"The tool answered: {last.get('output', '')}", modalities))
        if last.get("type") == "message" and last.get("role") == "user":
            if last["id"] in self._spoken_ms:
                seconds = self._spoken_ms[last["id"]] / 1000
                return Step(reply=self._say(f"I heard you speak for {seconds:.1f} s.", modalities))
            typed = " ".join(
                str(part.get("text", "")) for part in last.get("content", []) if part
            ).strip()
            tool = self._tool_for(typed)
            if tool is not None:
                return Step(reply=self._call(tool, typed))
            return Step(reply=self._say(f"You said: {typed}", modalities))
        return Step(reply=self._say("You said nothing yet: type a message or speak.", modalities))

    def _tool_for(self, typed: str) -> dict[str, Any] | None:
        tools = [t for t in self.session.get("tools") or [] if t.get("type") == "function"]
        choice = self.session.get("tool_choice", "auto")
        if not tools or choice == "none":
            return None
        if isinstance(choice, dict):
            return next((t for t in tools if t.get("name") == choice.get("name")), None)
        named = [t for t in tools if t.get("name") and t["name"].lower() in typed.lower()]
        chosen: dict[str, Any] | None = named[0] if named else None
        if chosen is None and (choice == "required" or _CALL_WORD.search(typed)):
            chosen = tools[0]
        return chosen
