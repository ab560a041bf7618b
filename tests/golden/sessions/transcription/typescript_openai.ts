import OpenAI from 'openai';

const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

const result = await client.beta.realtime.sessions.create({
  modalities: ['text'],
  input_audio_transcription: {
    model: 'gpt-transcribe',
    language: 'fr',
    prompt: 'Vocabulaire technique : API, webhook, latence.',
  },
  turn_detection: { type: 'server_vad', silence_duration_ms: 700 },
  input_audio_noise_reduction: { type: 'near_field' },
});
console.log(result);
