curl 'https://api.openai.com/v1/realtime/client_secrets' \
  -H "Authorization: Bearer $OPENAI_API_KEY" \
  -H 'Content-Type: application/json' \
  -d '{
  "expires_after": {
    "anchor": "created_at",
    "seconds": 600
  },
  "session": {
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
}'
