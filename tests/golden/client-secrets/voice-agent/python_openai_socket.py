import os

from openai import OpenAI

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])

session = {
    "type": "realtime",
    "model": "gpt-realtime-2.1",
    "instructions": "You are a friendly voice assistant. Keep answers short.",
    "output_modalities": ["audio"],
    "audio": {
        "input": {
            "format": {"type": "audio/pcm", "rate": 24000},
            "noise_reduction": {"type": "far_field"},
            "transcription": {"model": "gpt-transcribe", "language": "en"},
            "turn_detection": {"type": "semantic_vad", "eagerness": "auto"},
        },
        "output": {
            "format": {"type": "audio/pcm", "rate": 24000},
            "voice": "marin",
            "speed": 1.0,
        },
    },
}

# The call over WebSocket: /realtime?model=gpt-realtime-2.1 under the base URL, the key in a header.
with client.realtime.connect(model="gpt-realtime-2.1") as connection:
    # The first event: the session, as the playground's preview shows it.
    connection.session.update(session=session)
    for event in connection:
        if event.type == "error":
            raise SystemExit(f"{event.error.param}: {event.error.message}")
        if event.type == "session.updated":
            # The session in effect. From here: input_audio_buffer.append (base64 PCM16,
            # 24 kHz mono), conversation.item.create, response.create ...
            print(event.session.to_json())
            break
