import os

from openai import OpenAI

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])

result = client.beta.realtime.sessions.create(
    modalities=["text"],
    model="gpt-4o-mini-realtime-preview",
    instructions="You are a concise assistant. Answer in plain text.",
    turn_detection=None,
    temperature=0.7,
    max_response_output_tokens=1024,
)
print(result)
