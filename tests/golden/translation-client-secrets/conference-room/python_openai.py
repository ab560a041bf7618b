import os

from openai import OpenAI

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])

result = client.realtime.translations.client_secrets.create(
    expires_after={"anchor": "created_at", "seconds": 3600},
    session={
        "model": "gpt-realtime-translate",
        "audio": {
            "input": {"noise_reduction": {"type": "far_field"}, "transcription": None},
            "output": {"language": "de"},
        },
    },
)
print(result)
