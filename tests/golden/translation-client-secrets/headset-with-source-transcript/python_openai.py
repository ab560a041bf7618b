import os

from openai import OpenAI

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])

result = client.realtime.translations.client_secrets.create(
    session={
        "model": "gpt-realtime-translate",
        "audio": {
            "input": {
                "noise_reduction": {"type": "near_field"},
                "transcription": {"model": "gpt-realtime-whisper"},
            },
            "output": {"language": "fr"},
        },
    },
)
print(result)
