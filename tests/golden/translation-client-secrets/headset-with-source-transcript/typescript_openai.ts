import OpenAI from 'openai';

const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

const result = await client.realtime.translations.clientSecrets.create({
  session: {
    model: 'gpt-realtime-translate',
    audio: {
      input: {
        noise_reduction: { type: 'near_field' },
        transcription: { model: 'gpt-realtime-whisper' },
      },
      output: { language: 'fr' },
    },
  },
});
console.log(result);
