import OpenAI from 'openai';

const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

const result = await client.beta.realtime.sessions.create({
  modalities: ['audio', 'text'],
  model: 'gpt-4o-realtime-preview-2025-06-03',
  voice: 'sage',
  turn_detection: {
    type: 'semantic_vad',
    eagerness: 'low',
    create_response: true,
    interrupt_response: true,
  },
  input_audio_noise_reduction: { type: 'far_field' },
});
console.log(result);
