# offer.sdp: the browser's SDP offer (RTCPeerConnection.createOffer()). Prints the SDP answer.
cat > session.json <<'JSON'
{
  "type": "realtime",
  "model": "gpt-realtime-2.1",
  "instructions": "You are a friendly voice assistant. Keep answers short.",
  "output_modalities": [
    "audio"
  ],
  "audio": {
    "input": {
      "format": {
        "type": "audio/pcm",
        "rate": 24000
      },
      "noise_reduction": {
        "type": "far_field"
      },
      "transcription": {
        "model": "gpt-transcribe",
        "language": "en"
      },
      "turn_detection": {
        "type": "semantic_vad",
        "eagerness": "auto"
      }
    },
    "output": {
      "format": {
        "type": "audio/pcm",
        "rate": 24000
      },
      "voice": "marin",
      "speed": 1.0
    }
  }
}
JSON
curl 'https://api.openai.com/v1/realtime/calls' \
  -H "Authorization: Bearer $OPENAI_API_KEY" \
  -F 'sdp=<offer.sdp;type=application/sdp' \
  -F 'session=<session.json;type=application/json'
