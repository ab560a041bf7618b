import os
from pathlib import Path

from openai import OpenAI

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])

# The browser's SDP offer (RTCPeerConnection.createOffer()), as your server received it.
# Read as bytes: SDP lines end in CRLF, which reading as text would change.
offer_sdp = Path("offer.sdp").read_bytes().decode("utf-8")

answer = client.realtime.calls.create(
    sdp=offer_sdp,
    session={
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
    },
)
# The SDP answer: the browser passes it to setRemoteDescription().
print(answer.text)
