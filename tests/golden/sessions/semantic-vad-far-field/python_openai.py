import os

from openai import OpenAI

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])

result = client.beta.realtime.sessions.create(
    modalities=["audio", "text"],
    model="gpt-4o-realtime-preview-2025-06-03",
    voice="sage",
    turn_detection={
        "type": "semantic_vad",
        "eagerness": "low",
        "create_response": True,
        "interrupt_response": True,
    },
    input_audio_noise_reduction={"type": "far_field"},
)
print(result)
