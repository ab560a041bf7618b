import openai from '@utdk/openai';

// @utdk/openai reads OPENAI_API_KEY from the environment.
const result = await openai.createRealtimeSession({
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
