import OpenAI from 'openai';

const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

const result = await client.realtime.translations.clientSecrets.create({
  expires_after: { anchor: 'created_at', seconds: 3600 },
  session: {
    model: 'gpt-realtime-translate',
    audio: {
      input: { noise_reduction: { type: 'far_field' }, transcription: null },
      output: { language: 'de' },
    },
  },
});
console.log(result);
