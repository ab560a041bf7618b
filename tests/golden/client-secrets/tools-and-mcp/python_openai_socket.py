import os

from openai import OpenAI

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])

session = {
    "type": "realtime",
    "model": "gpt-realtime-2.1",
    "instructions": "Answer questions about our product. Search the docs before answering.",
    "tools": [
        {
            "type": "function",
            "name": "lookup_order",
            "description": "Find an order by its number.",
            "parameters": {
                "type": "object",
                "properties": {"order_number": {"type": "string"}},
                "required": ["order_number"],
            },
        },
        {
            "type": "mcp",
            "server_label": "docs",
            "server_url": "https://mcp.example.com/sse",
            "allowed_tools": ["search"],
            "require_approval": "never",
        },
    ],
    "tool_choice": "auto",
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
