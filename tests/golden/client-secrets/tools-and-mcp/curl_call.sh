# offer.sdp: the browser's SDP offer (RTCPeerConnection.createOffer()). Prints the SDP answer.
cat > session.json <<'JSON'
{
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
        "properties": {
          "order_number": {
            "type": "string"
          }
        },
        "required": [
          "order_number"
        ]
      }
    },
    {
      "type": "mcp",
      "server_label": "docs",
      "server_url": "https://mcp.example.com/sse",
      "allowed_tools": [
        "search"
      ],
      "require_approval": "never"
    }
  ],
  "tool_choice": "auto"
}
JSON
curl 'https://api.openai.com/v1/realtime/calls' \
  -H "Authorization: Bearer $OPENAI_API_KEY" \
  -F 'sdp=<offer.sdp;type=application/sdp' \
  -F 'session=<session.json;type=application/json'
