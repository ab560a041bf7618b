curl 'https://api.openai.com/v1/realtime/sessions' \
  -H "Authorization: Bearer $OPENAI_API_KEY" \
  -H 'Content-Type: application/json' \
  -d '{
  "modalities": [
    "audio",
    "text"
  ],
  "model": "gpt-4o-realtime-preview-2025-06-03",
  "voice": "sage",
  "turn_detection": {
    "type": "semantic_vad",
    "eagerness": "low",
    "create_response": true,
    "interrupt_response": true
  },
  "input_audio_noise_reduction": {
    "type": "far_field"
  }
}'
