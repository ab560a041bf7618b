import os

import requests

response = requests.post(
    "https://api.openai.com/v1/realtime/sessions",
    headers={"Authorization": f"Bearer {os.environ['OPENAI_API_KEY']}"},
    json={
        "modalities": ["text"],
        "model": "gpt-4o-mini-realtime-preview",
        "instructions": "You are a concise assistant. Answer in plain text.",
        "turn_detection": None,
        "temperature": 0.7,
        "max_response_output_tokens": 1024,
    },
    timeout=30,
)
response.raise_for_status()
print(response.json())
