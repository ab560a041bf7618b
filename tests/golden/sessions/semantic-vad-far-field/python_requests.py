import os

import requests

response = requests.post(
    "https://api.openai.com/v1/realtime/sessions",
    headers={"Authorization": f"Bearer {os.environ['OPENAI_API_KEY']}"},
    json={
        "modalities": ["audio", "text"],
        "model": "gpt-4o-realtime-preview-2025-06-03",
        "voice": "sage",
        "turn_detection": {
            "type": "semantic_vad",
            "eagerness": "low",
            "create_response": True,
            "interrupt_response": True,
        },
        "input_audio_noise_reduction": {"type": "far_field"},
    },
    timeout=30,
)
response.raise_for_status()
print(response.json())
