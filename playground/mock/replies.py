"""The mock's responses as the API sends them: a spoken (or written) message, a function call,
and a response cut short, each counted (:mod:`playground.mock.usage`) and timed.

:class:`Replies` is the part of :class:`~playground.mock.script.Conversation` that builds them:
it reads the conversation's session and items and adds the assistant's items.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from typing import Any

from playground.mock.arguments import arguments
from playground.mock.session import new_id
from playground.mock.usage import (
    RateWindow,
    Tokens,
    context_tokens,
    item_tokens,
    spoken,
    text_tokens,
    usage,
)

#: Seconds of speech per word of a spoken reply, and the reply's bounds: a few seconds at
#: least, so that an interrupt can be tried.
SECONDS_PER_WORD = 0.3
SPOKEN_SECONDS = (3.0, 8.0)
#: Seconds between a function call's events.
CALL_EVENT_SECONDS = 0.05


@dataclass
class Reply:
    """A scripted response: events at their offsets (seconds from its start), and its count."""

    response_id: str
    timeline: list[tuple[float, dict[str, Any]]]
    tone_seconds: float = 0.0
    heard: Tokens = Tokens()  # its input: the conversation so far
    cached: Tokens = Tokens()
    said: Tokens = Tokens()  # its output, in full
    text: str = ""  # what it says, in full
    item: dict[str, Any] | None = None  # the assistant message it adds (a spoken reply)
    started: float = field(default_factory=time.monotonic)
    seconds: float = 0.0  # how long its output takes to come out


class Replies:
    """Building responses for a conversation (a part of ``Conversation``)."""

    session: dict[str, Any]
    conversation_id: str
    items: list[dict[str, Any]]
    active: Reply | None
    awaiting_call: str | None
    spoke: bool
    rate: RateWindow
    _spoken_ms: dict[str, int]
    _said: dict[str, Tokens]
    _seen: Tokens
    _cancel_reason: str

    def event(self, kind: str, **fields: Any) -> dict[str, Any]:
        """Give a server event of type ``kind`` with a fresh ``event_id``."""
        return {"type": kind, "event_id": new_id("event_"), **fields}

    def _heard(self) -> tuple[Tokens, Tokens]:
        """Give a new response's input (the session's context and every item) and the part of
        it that is cached (what the previous response already had as input)."""
        heard = context_tokens(self.session)
        for item in self.items:
            if item["id"] in self._spoken_ms:
                heard += spoken(self._spoken_ms[item["id"]] / 1000)
            elif item["id"] in self._said:
                heard += self._said[item["id"]]
            else:
                heard += item_tokens(item)
        cached, self._seen = self._seen, heard
        return heard, cached

    def _response(
        self,
        response_id: str,
        status: str,
        output: list[Any],
        mods: Any,
        counted: dict[str, Any] | None = None,
        reason: str | None = None,
    ) -> Any:
        audio_out = self.session.get("audio", {}).get("output", {})
        ended = status not in ("in_progress", "completed")  # the API gives no details then
        return {
            "object": "realtime.response",
            "id": response_id,
            "status": status,
            "status_details": {"type": status, "reason": reason} if ended else None,
            "output": output,
            "conversation_id": self.conversation_id,
            "output_modalities": mods,
            "max_output_tokens": self.session.get("max_output_tokens", "inf"),
            "audio": {"output": {k: audio_out.get(k) for k in ("format", "voice")}},
            "usage": counted,
            "metadata": None,
        }

    def _opening(self, rid: str, mods: Any, heard: Tokens, said: Tokens) -> list[dict[str, Any]]:
        """Give ``response.created`` and the ``rate_limits.updated`` that follows it."""
        limits = self.rate.take(heard.total + said.total)
        return [
            self.event("response.created", response=self._response(rid, "in_progress", [], mods)),
            self.event("rate_limits.updated", rate_limits=limits),
        ]

    def _say(self, text: str, modalities: Any) -> Reply:
        """Give a reply speaking (or, in text mode, writing) ``text`` word by word."""
        mods = list(modalities or ["audio"])
        audio = "audio" in mods
        rid, item_id = new_id("resp_"), new_id("item_")
        words = text.split(" ")
        low, high = SPOKEN_SECONDS
        seconds = min(high, max(low, SECONDS_PER_WORD * len(words)))
        heard, cached = self._heard()
        said = Tokens(text_tokens(text)) + (spoken(seconds, assistant=True) if audio else Tokens())
        at = {"response_id": rid, "item_id": item_id, "output_index": 0, "content_index": 0}
        part_kind, key = ("audio", "transcript") if audio else ("text", "text")
        delta = "response.output_audio_transcript.delta" if audio else "response.output_text.delta"
        content_kind = "output_audio" if audio else "output_text"
        item = {"id": item_id, "object": "realtime.item", "type": "message", "role": "assistant"}
        open_item = {**item, "status": "in_progress", "content": []}
        done_item = {**item, "status": "completed", "content": [{"type": content_kind, key: text}]}
        opening = [
            *self._opening(rid, mods, heard, said),
            *self._item_events("added", rid, open_item),
            self.event("response.content_part.added", **at, part={"type": part_kind, key: ""}),
        ]
        timeline: list[tuple[float, dict[str, Any]]] = [(0, e) for e in opening]
        if audio:
            timeline.append((0, self.event("output_audio_buffer.started", response_id=rid)))
        for i, word in enumerate(words):
            piece = word if i == len(words) - 1 else word + " "
            timeline.append((seconds * i / len(words), self.event(delta, **at, delta=piece)))
        done = self._response(rid, "completed", [done_item], mods, usage(heard, cached, said))
        closing = [
            self.event("response.output_audio.done", **at) if audio else None,
            self.event("response.output_audio_transcript.done", **at, transcript=text)
            if audio
            else self.event("response.output_text.done", **at, text=text),
            self.event("response.content_part.done", **at, part={"type": part_kind, key: text}),
            *self._item_events("done", rid, done_item),
            self.event("response.done", response=done),
            self.event("output_audio_buffer.stopped", response_id=rid) if audio else None,
        ]
        timeline += [(seconds, e) for e in closing if e is not None]
        self.items.append(done_item)
        self._said[item_id] = said
        self.active = Reply(
            rid, timeline, seconds if audio else 0.0, heard, cached, said, text, done_item
        )
        self.active.seconds = seconds
        return self.active

    def _item_events(self, kind: str, rid: str, item: dict[str, Any]) -> list[dict[str, Any]]:
        """Give ``response.output_item.{kind}`` and ``conversation.item.{kind}`` for ``item``."""
        return [
            self.event(f"response.output_item.{kind}", response_id=rid, output_index=0, item=item),
            self.event(f"conversation.item.{kind}", previous_item_id=self._last_id(), item=item),
        ]

    def _last_id(self) -> str | None:
        return self.items[-1]["id"] if self.items else None

    def _call(self, tool: dict[str, Any], typed: str) -> Reply:
        """Give a reply calling ``tool`` (arguments that fit its parameters' schema)."""
        rid, item_id, call_id = new_id("resp_"), new_id("item_"), new_id("call_")
        given = json.dumps(arguments(tool.get("parameters"), typed))
        item = {"id": item_id, "object": "realtime.item", "type": "function_call"}
        name = str(tool["name"])
        item.update(name=name, call_id=call_id)
        open_item = {**item, "status": "in_progress", "arguments": ""}
        done_item = {**item, "status": "completed", "arguments": given}
        heard, cached = self._heard()
        said = item_tokens(done_item)
        at = {"response_id": rid, "item_id": item_id, "output_index": 0, "call_id": call_id}
        half = len(given) // 2
        done = self._response(rid, "completed", [done_item], None, usage(heard, cached, said))
        events = [
            *self._opening(rid, None, heard, said),
            *self._item_events("added", rid, open_item),
            self.event("response.function_call_arguments.delta", **at, delta=given[:half]),
            self.event("response.function_call_arguments.delta", **at, delta=given[half:]),
            self.event("response.function_call_arguments.done", **at, name=name, arguments=given),
            *self._item_events("done", rid, done_item),
            self.event("response.done", response=done),
        ]
        self.items.append(done_item)
        self.awaiting_call = call_id
        timeline = [(CALL_EVENT_SECONDS * i, e) for i, e in enumerate(events)]
        self.active = Reply(rid, timeline, heard=heard, cached=cached, said=said)
        self.active.seconds = timeline[-1][0]
        return self.active

    def finished(self, reply: Reply) -> None:
        """Note that ``reply`` was sent in full (a spoken one fixes the voice)."""
        if self.active is reply:
            self.active = None
            self.spoke = self.spoke or reply.tone_seconds > 0

    def cancelled(self, reply: Reply) -> list[dict[str, Any]]:
        """Give the events closing a reply cut short, as the API reports it: ``response.done``
        with ``status: cancelled``, its reason, what was said so far and what that cost."""
        self.finished(reply)
        played = (time.monotonic() - reply.started) / reply.seconds if reply.seconds else 1.0
        played = min(1.0, max(0.0, played))
        said = reply.said.part(played)
        output: list[Any] = []
        if reply.item is not None:
            words = reply.text.split(" ")
            part = dict(reply.item["content"][0])
            key = "transcript" if "transcript" in part else "text"
            part[key] = " ".join(words[: math.ceil(len(words) * played)])
            cut = {**reply.item, "status": "incomplete", "content": [part]}
            self.items = [cut if i["id"] == cut["id"] else i for i in self.items]
            self._said[cut["id"]] = said
            output = [cut]
        counted = usage(reply.heard, reply.cached, said)
        reason = self._cancel_reason
        done = self._response(reply.response_id, "cancelled", output, None, counted, reason)
        events = [self.event("response.done", response=done)]
        if reply.tone_seconds:
            events.append(self.event("output_audio_buffer.cleared", response_id=reply.response_id))
        return events
