// The request bodies of voice creation, as the providers document them:
// - fal `fal-ai/kling-video/create-voice` (fal.ai/models/fal-ai/kling-video/create-voice/llms.txt; fal-js
//   endpoints.ts KlingVideoCreateVoiceInput): `voice_url` (required) and nothing else → `voice_id`.
// - Kling `POST /v1/general/custom-voices` (docs/providers.md §5.2, Kling's custom-voices page):
//   `{voice_name ≤ 20 characters, voice_url | video_id, callback_url?, external_task_id?}`.
import { describe, expect, it } from 'vitest';
import { falCreateVoiceBody, klingCustomVoiceBody, klingSampleUrlProblem, createVoiceOnKling } from '../../../electron/core/providers/voice-create';
import { klingVoiceName, voiceCreatePriceText } from '../../../shared/voice-create';

describe('voice creation request bodies', () => {
  it('fal gets the uploaded sample URL as voice_url, alone', () => {
    expect(falCreateVoiceBody('https://v3b.fal.media/files/b/x/voice.wav')).toEqual({ voice_url: 'https://v3b.fal.media/files/b/x/voice.wav' });
  });

  it('Kling gets the name cut to 20 characters (whole characters, not bytes) and the URL', () => {
    expect(klingCustomVoiceBody('The old lighthouse keeper', 'https://cdn.example.com/k.wav')).toEqual({ voice_name: 'The old lighthouse k', voice_url: 'https://cdn.example.com/k.wav' });
    expect(klingVoiceName('灯塔看守人的声音灯塔看守人的声音灯塔看守人的声音')).toHaveLength(20);
    expect(klingVoiceName('  Mara  ')).toBe('Mara');
  });

  it('Kling is never sent a data: URI or nothing for voice_url: the person is told why and nothing is sent', async () => {
    expect(klingSampleUrlProblem(undefined)).toMatch(/only as a public URL.*Nothing was sent/);
    expect(klingSampleUrlProblem('data:audio/wav;base64,AAAA')).toMatch(/not an http\(s\) URL/);
    expect(klingSampleUrlProblem('https://cdn.example.com/k.wav')).toBeUndefined();
    let fetched = false;
    const ctx = { config: { baseUrl: 'http://127.0.0.1:9', credentials: { apiKey: 'kling-key-123456' } }, projectDir: '/tmp', workDir: '/tmp' };
    const globalFetch = globalThis.fetch;
    globalThis.fetch = (async () => {
      fetched = true;
      throw new Error('no');
    }) as typeof fetch;
    try {
      await expect(createVoiceOnKling(ctx, { name: 'Mara' }, { timeoutMs: 1000 })).rejects.toMatchObject({ kind: 'validation', field: 'sample', nothingCreated: true });
    } finally {
      globalThis.fetch = globalFetch;
    }
    expect(fetched).toBe(false);
  });

  it('shows fal’s published price and says Kling’s is not published', () => {
    expect(voiceCreatePriceText('fal')).toBe('$0.007');
    expect(voiceCreatePriceText('kling')).toBe('price not published');
  });
});
