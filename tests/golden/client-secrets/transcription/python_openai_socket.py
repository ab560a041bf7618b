import os

from openai import OpenAI

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])

session = {
    "type": "transcription",
    "audio": {
        "input": {
            "format": {"type": "audio/pcm", "rate": 24000},
            "noise_reduction": {"type": "near_field"},
            "transcription": {"model": "gpt-transcribe", "language": "en"},
            "turn_detection": {
                "type": "server_vad",
                "threshold": 0.5,
                "prefix_padding_ms": 300,
                "silence_duration_ms": 500,
            },
        },
    },
    "include": ["item.input_audio_transcription.logprobs"],
}

# The call over WebSocket: /realtime?intent=transcription under the base URL, the key in a header.
with client.realtime.connect(extra_query={"intent": "transcription"}) as connection:
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
