import openai from '@utdk/openai';

// @utdk/openai reads OPENAI_API_KEY from the environment.
const result = await openai.createRealtimeSession({
  modalities: ['audio', 'text'],
  model: 'gpt-4o-realtime-preview',
  instructions: 'You are a friendly voice assistant. Keep answers short and conversational, and ask before doing anything irreversible.',
  voice: 'verse',
  input_audio_format: 'pcm16',
  output_audio_format: 'pcm16',
  input_audio_transcription: { model: 'gpt-transcribe' },
  turn_detection: {
    type: 'server_vad',
    threshold: 0.5,
    prefix_padding_ms: 300,
    silence_duration_ms: 500,
    create_response: true,
    interrupt_response: true,
  },
  temperature: 0.8,
});
console.log(result);
