"""What the mock says on a call: client events in, server events out (no WebRTC, no Flask).

A :class:`Conversation` answers each data-channel message with a :class:`Step`: events to send
now and, for ``response.create`` or the end of a spoken turn, a :class:`Reply` whose events the
caller sends on its timeline while it plays a tone for ``tone_seconds``. The script: a typed
message is answered "You said: …"; a message that says "call" or a function tool's name (or a
session that forces a tool) gets a call of the first such tool; its ``function_call_output``
then gets "The tool answered: …"; a spoken turn gets "I heard you speak for N s".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from playground.mock.session import SessionRules, merged, new_id, turn_settings
from playground.model import strict_json

#: Seconds of speech per word of a spoken reply, and the reply's bounds.
SECONDS_PER_WORD = 0.2
_SPOKEN_SECONDS = (0.6, 6.0)
_ITEM_TYPES = ("message", "function_call_output")
_CALL_WORD = re.compile(r"\bcall\b", re.IGNORECASE)


@dataclass
class Reply:
    """A scripted response: events at their offsets (seconds from its start)."""

    response_id: str
    timeline: list[tuple[float, dict[str, Any]]]
    tone_seconds: float = 0.0


@dataclass
class Step:
    """What one client event or turn change gives: events now, maybe a reply, maybe a cancel."""

    events: list[dict[str, Any]] = field(default_factory=list)
    reply: Reply | None = None
    cancel: bool = False  # stop the active reply (response.cancel, or speech interrupting it)
    session_changed: bool = False


class Conversation:
    """One call's session and conversation, and the mock's script for answering them."""

    def __init__(self, rules: SessionRules, request: dict[str, Any]) -> None:
        self.rules = rules
        self.request = dict(request)
        self.session_id = new_id("sess_")
        self.session = rules.effective(self.request, self.session_id)
        self.conversation_id = new_id("conv_")
        self.items: list[dict[str, Any]] = []
        self.active: Reply | None = None
        self.awaiting_call: str | None = None  # a function call the client has not answered yet
        self.spoke = False  # assistant audio was sent: the voice is fixed from now on
        self._speech_item = ""
        self._spoken_ms: dict[str, int] = {}  # user audio items: how long the speech lasted

    def event(self, kind: str, **fields: Any) -> dict[str, Any]:
        """Give a server event of type ``kind`` with a fresh ``event_id``."""
        return {"type": kind, "event_id": new_id("event_"), **fields}

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
        problems = self.rules.problems(candidate)
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
        self.session = self.rules.effective(self.request, self.session_id)
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
        ]

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

    def _response(self, response_id: str, status: str, output: list[Any], mods: Any) -> Any:
        audio_out = self.session.get("audio", {}).get("output", {})
        return {
            "object": "realtime.response",
            "id": response_id,
            "status": status,
            "status_details": None if status != "cancelled" else {"type": "cancelled"},
            "output": output,
            "conversation_id": self.conversation_id,
            "output_modalities": mods,
            "max_output_tokens": self.session.get("max_output_tokens", "inf"),
            "audio": {"output": {k: audio_out.get(k) for k in ("format", "voice")}},
            "usage": None,
            "metadata": None,
        }

    def _say(self, text: str, modalities: Any) -> Reply:
        """Give a reply speaking (or, in text mode, writing) ``text`` word by word."""
        mods = list(modalities or ["audio"])
        audio = "audio" in mods
        rid, item_id = new_id("resp_"), new_id("item_")
        words = text.split(" ")
        low, high = _SPOKEN_SECONDS
        seconds = min(high, max(low, SECONDS_PER_WORD * len(words)))
        at = {"response_id": rid, "item_id": item_id, "output_index": 0, "content_index": 0}
        part_kind, key = ("audio", "transcript") if audio else ("text", "text")
        delta = "response.output_audio_transcript.delta" if audio else "response.output_text.delta"
        content_kind = "output_audio" if audio else "output_text"
        item = {"id": item_id, "object": "realtime.item", "type": "message", "role": "assistant"}
        open_item = {**item, "status": "in_progress", "content": []}
        done_item = {**item, "status": "completed", "content": [{"type": content_kind, key: text}]}
        opening = [
            self._lifecycle("response.created", rid, "in_progress", [], mods),
            *self._item_events("added", rid, open_item),
            self.event("response.content_part.added", **at, part={"type": part_kind, key: ""}),
        ]
        timeline: list[tuple[float, dict[str, Any]]] = [(0, e) for e in opening]
        if audio:
            timeline.append((0, self.event("output_audio_buffer.started", response_id=rid)))
        for i, word in enumerate(words):
            piece = word if i == len(words) - 1 else word + " "
            timeline.append((seconds * i / len(words), self.event(delta, **at, delta=piece)))
        closing = [
            self.event("response.output_audio.done", **at) if audio else None,
            self.event("response.output_audio_transcript.done", **at, transcript=text)
            if audio
            else self.event("response.output_text.done", **at, text=text),
            self.event("response.content_part.done", **at, part={"type": part_kind, key: text}),
            *self._item_events("done", rid, done_item),
            self._lifecycle("response.done", rid, "completed", [done_item], mods),
            self.event("output_audio_buffer.stopped", response_id=rid) if audio else None,
        ]
        timeline += [(seconds, e) for e in closing if e is not None]
        self.items.append(done_item)
        self.active = Reply(rid, timeline, seconds if audio else 0.0)
        return self.active

    def _item_events(self, kind: str, rid: str, item: dict[str, Any]) -> list[dict[str, Any]]:
        """Give ``response.output_item.{kind}`` and ``conversation.item.{kind}`` for ``item``."""
        return [
            self.event(f"response.output_item.{kind}", response_id=rid, output_index=0, item=item),
            self.event(f"conversation.item.{kind}", previous_item_id=self._last_id(), item=item),
        ]

    def _lifecycle(self, kind: str, rid: str, status: str, output: list[Any], mods: Any) -> Any:
        return self.event(kind, response=self._response(rid, status, output, mods))

    def _last_id(self) -> str | None:
        return self.items[-1]["id"] if self.items else None

    def _call(self, tool: dict[str, Any], typed: str) -> Reply:
        """Give a reply calling ``tool`` (arguments made from its parameters' schema)."""
        rid, item_id, call_id = new_id("resp_"), new_id("item_"), new_id("call_")
        arguments = json.dumps(_arguments(tool.get("parameters"), typed))
        item = {"id": item_id, "object": "realtime.item", "type": "function_call"}
        name = str(tool["name"])
        item.update(name=name, call_id=call_id)
        open_item = {**item, "status": "in_progress", "arguments": ""}
        done_item = {**item, "status": "completed", "arguments": arguments}
        at = {"response_id": rid, "item_id": item_id, "output_index": 0, "call_id": call_id}
        half = len(arguments) // 2
        events = [
            self._lifecycle("response.created", rid, "in_progress", [], None),
            *self._item_events("added", rid, open_item),
            self.event("response.function_call_arguments.delta", **at, delta=arguments[:half]),
            self.event("response.function_call_arguments.delta", **at, delta=arguments[half:]),
            self.event(
                "response.function_call_arguments.done", **at, name=name, arguments=arguments
            ),
            *self._item_events("done", rid, done_item),
            self._lifecycle("response.done", rid, "completed", [done_item], None),
        ]
        self.items.append(done_item)
        self.awaiting_call = call_id
        self.active = Reply(rid, [(0.05 * i, e) for i, e in enumerate(events)])
        return self.active

    def finished(self, reply: Reply) -> None:
        """Note that ``reply`` was sent in full (a spoken one fixes the voice)."""
        if self.active is reply:
            self.active = None
            self.spoke = self.spoke or reply.tone_seconds > 0

    def cancelled(self, reply: Reply) -> list[dict[str, Any]]:
        """Give the events closing a reply cut short (``response.done`` with ``cancelled``)."""
        self.finished(reply)
        done = self._response(reply.response_id, "cancelled", [], None)
        events = [self.event("response.done", response=done)]
        if reply.tone_seconds:
            events.append(self.event("output_audio_buffer.cleared", response_id=reply.response_id))
        return events


def _arguments(parameters: Any, typed: str) -> dict[str, Any]:
    """Give arguments for a function whose parameters schema is ``parameters``."""
    properties = parameters.get("properties") if isinstance(parameters, dict) else None
    if not isinstance(properties, dict):
        return {}
    samples = {"string": typed, "integer": 1, "number": 1, "boolean": True}
    return {
        name: samples[schema["type"]]
        for name, schema in properties.items()
        if isinstance(schema, dict) and schema.get("type") in samples
    }
