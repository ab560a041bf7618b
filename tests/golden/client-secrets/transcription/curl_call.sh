# offer.sdp: the browser's SDP offer (RTCPeerConnection.createOffer()). Prints the SDP answer.
cat > session.json <<'JSON'
{
  "type": "transcription",
  "audio": {
    "input": {
      "format": {
        "type": "audio/pcm",
        "rate": 24000
      },
      "noise_reduction": {
        "type": "near_field"
      },
      "transcription": {
        "model": "gpt-transcribe",
        "language": "en"
      },
      "turn_detection": {
        "type": "server_vad",
        "threshold": 0.5,
        "prefix_padding_ms": 300,
        "silence_duration_ms": 500
      }
    }
  },
  "include": [
    "item.input_audio_transcription.logprobs"
  ]
}
JSON
curl 'https://api.openai.com/v1/realtime/calls' \
  -H "Authorization: Bearer $OPENAI_API_KEY" \
  -F 'sdp=<offer.sdp;type=application/sdp' \
  -F 'session=<session.json;type=application/json'
