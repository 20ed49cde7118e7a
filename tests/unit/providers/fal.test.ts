// fal adapter, pure parts: the request bodies it builds (golden files), the parameter conversions, and how
// fal's error answers become ProviderErrors. Regenerate the golden files with UPDATE_GOLDEN=1.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFalAdapter, falHttpError, parseFalRef } from '../../../electron/core/providers/fal';
import { resolveAssets } from '../../../electron/core/providers/assets';
import { ProviderError } from '../../../electron/core/providers/provider-error';
import type { ResolvedAssets } from '../../../electron/core/providers/provider';
import type { GenerationSpec } from '../../../shared/generation';
import { formatIssue, validateSpec } from '../../../shared/validate';
import { validateFalInput } from '../../mock-providers/fal';
import { png } from '../../helpers/png';
import { specFactory } from '../../helpers/spec';

const GOLDEN = path.join(__dirname, 'golden', 'fal');
const BASE = 'https://queue.fal.run';
const adapter = createFalAdapter();
const at = { shotId: 's1', shotLabel: 'shot 1' };


const IMAGES: Record<string, [number, number, number]> = {
  'frames/start.png': [200, 40, 40],
  'frames/end.png': [40, 40, 200],
  'elements/hero-front.png': [40, 160, 40],
  'elements/hero-side.png': [160, 160, 40],
};

let projectDir = '';
beforeAll(async () => {
  projectDir = await fs.mkdtemp(path.join(os.tmpdir(), 'storyreel-fal-unit-'));
  for (const [rel, rgb] of Object.entries(IMAGES)) {
    await fs.mkdir(path.dirname(path.join(projectDir, rel)), { recursive: true });
    await fs.writeFile(path.join(projectDir, rel), png(320, 320, rgb));
  }
});
afterAll(async () => {
  await fs.rm(projectDir, { recursive: true, force: true });
});

const spec = specFactory({ provider: 'fal', prompt: 'A lighthouse in a storm at dusk, waves breaking over the rocks.' });

const noAssets: ResolvedAssets = { elements: [] };
const body = (s: GenerationSpec, assets: ResolvedAssets = noAssets) =>
  adapter.buildSubmit(s, assets, { baseUrl: BASE, idempotencyKey: 'k-1' }).body as Record<string, unknown>;

/** Replaces each data URI with the file it encodes, after checking it is exactly that file's bytes. */
async function readable(value: unknown): Promise<unknown> {
  const uris = new Map<string, string>();
  for (const rel of Object.keys(IMAGES)) {
    const buf = await fs.readFile(path.join(projectDir, rel));
    uris.set(`data:image/png;base64,${buf.toString('base64')}`, `<data URI of ${rel}>`);
  }
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string' && v.startsWith('data:')) {
      const name = uris.get(v);
      if (!name) throw new Error(`a data URI that is not one of the project images: ${v.slice(0, 60)}…`);
      return name;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value);
}

async function golden(name: string, s: GenerationSpec, given?: ResolvedAssets): Promise<Record<string, unknown>> {
  expect(validateSpec(s, at).map(formatIssue)).toEqual([]);
  const assets = given ?? (await resolveAssets(s, projectDir, 'data-uri'));
  const wire = adapter.buildSubmit(s, assets, { baseUrl: BASE, idempotencyKey: 'golden' });
  const actual = await readable(wire);
  const file = path.join(GOLDEN, `${name}.json`);
  if (process.env.UPDATE_GOLDEN === '1') {
    await fs.mkdir(GOLDEN, { recursive: true });
    await fs.writeFile(file, `${JSON.stringify(actual, null, 2)}\n`);
  }
  const expected = JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
  expect(actual).toEqual(expected);
  // Whatever we send must be a body the mock's model of fal's schema accepts.
  const endpoint = new URL(wire.url).pathname.slice(1);
  expect(validateFalInput(endpoint, wire.body as Record<string, unknown>)).toEqual([]);
  return wire.body as Record<string, unknown>;
}

describe('fal request bodies (golden)', () => {
  it('plain text-to-video', async () => {
    const b = await golden(
      'text-to-video',
      spec({ tier: 'pro', aspectRatio: '9:16', durationSec: 8, audio: true, cfgScale: 0.6, negativePrompt: 'blur, distort, and low quality' }),
    );
    expect(b).not.toHaveProperty('start_image_url');
  });

  it('start and end frame (image-to-video)', async () => {
    const b = await golden(
      'start-end-frame',
      spec({ prompt: 'The door swings open and the keeper steps out into the rain.', durationSec: 6, startFrame: 'frames/start.png', endFrame: 'frames/end.png' }),
    );
    expect(typeof b.start_image_url).toBe('string');
    expect(String(b.start_image_url)).toMatch(/^data:image\/png;base64,/);
  });

  it('a three-shot customize group', async () => {
    const b = await golden(
      'multi-shot-customize',
      spec({
        prompt: undefined,
        durationSec: 12,
        audio: true,
        shotType: 'customize',
        shots: [
          { shotId: 'a', label: 'shot 1', prompt: 'Wide shot: a lighthouse in a storm at dusk.', durationSec: 4 },
          { shotId: 'b', label: 'shot 2', prompt: 'Close-up: the keeper lights the lamp, rain on the glass.', durationSec: 3 },
          { shotId: 'c', label: 'shot 3', prompt: 'Aerial pull-back as the beam sweeps the sea.', durationSec: 5 },
        ],
      }),
    );
    expect(b).not.toHaveProperty('prompt');
  });

  // fal-js libs/client/src/types/endpoints.ts, KlingV3ComboElementInput.voice_id: "The voice will be binded to
  // the element … Voice binding is only supported for video elements, and cannot be used with image elements."
  // No v3 input type has a top-level voice_ids (docs/providers.md §2.6).
  it('a voice bound to a character given as a video (elements[].voice_id, no voice_ids)', async () => {
    const s = spec({
      prompt: 'At a night market @Element1 turns to the camera and says "we are late again".',
      durationSec: 8,
      audio: true,
      startFrame: 'frames/start.png',
      elements: [{ name: 'Mei', video: 'chars/mei.mp4', voiceId: '853965338566852685' }],
    });
    const start = await resolveAssets(s, projectDir, 'data-uri');
    const b = await golden('voice-on-element', s, {
      startFrame: start.startFrame,
      elements: [{ name: 'Mei', references: [], video: 'https://v3b.fal.media/files/b/mei.mp4', voiceId: '853965338566852685' }],
    });
    expect(b).not.toHaveProperty('voice_ids');
    expect(b.elements).toEqual([{ video_url: 'https://v3b.fal.media/files/b/mei.mp4', voice_id: '853965338566852685' }]);
  });

  it('never sends a top-level voice_ids: shot voices are refused by the adapter too', () => {
    expect(() => body(spec({ audio: true, voiceIds: ['853965338566852685'] }))).toThrow(ProviderError);
  });

  it('elements (inline front and reference images)', async () => {
    await golden(
      'elements',
      spec({
        prompt: '@Element1 walks toward the camera and stops, smiling.',
        durationSec: 6,
        startFrame: 'frames/start.png',
        elements: [{ name: 'Hero', frontal: 'elements/hero-front.png', references: ['elements/hero-side.png'] }],
      }),
    );
  });
});

describe('fal parameter conversions', () => {
  it('sends duration as a string, for the whole clip and for every shot', () => {
    for (let d = 3; d <= 15; d++) expect(body(spec({ durationSec: d })).duration).toBe(String(d));
    const b = body(spec({ prompt: undefined, durationSec: 9, shots: [
      { shotId: 'a', label: 'a', prompt: 'one', durationSec: 3 },
      { shotId: 'b', label: 'b', prompt: 'two', durationSec: 6 },
    ] }));
    expect(b.multi_prompt).toEqual([{ prompt: 'one', duration: '3' }, { prompt: 'two', duration: '6' }]);
    expect(b.duration).toBe('9');
  });

  it('turns tier and start frame into the endpoint id, on the configured base exactly', () => {
    const url = (s: GenerationSpec, baseUrl = BASE) => adapter.buildSubmit(s, noAssets, { baseUrl, idempotencyKey: 'k' }).url;
    expect(url(spec({ tier: 'standard' }))).toBe('https://queue.fal.run/fal-ai/kling-video/v3/standard/text-to-video');
    expect(url(spec({ tier: 'pro' }))).toBe('https://queue.fal.run/fal-ai/kling-video/v3/pro/text-to-video');
    expect(url(spec({ tier: '4k' }))).toBe('https://queue.fal.run/fal-ai/kling-video/v3/4k/text-to-video');
    expect(url(spec({ tier: 'pro', startFrame: 'frames/start.png' }))).toBe('https://queue.fal.run/fal-ai/kling-video/v3/pro/image-to-video');
    expect(url(spec({ tier: '4k', startFrame: 'frames/start.png' }))).toBe('https://queue.fal.run/fal-ai/kling-video/v3/4k/image-to-video');
    expect(url(spec(), 'http://127.0.0.1:8123/fal-proxy/')).toBe('http://127.0.0.1:8123/fal-proxy/fal-ai/kling-video/v3/standard/text-to-video');
  });

  it('spells the model-split mode "intelligent" and sends one prompt instead of per-shot prompts', () => {
    const b = body(spec({
      prompt: 'A chase across rooftops, ending on a jump.',
      durationSec: 10,
      shotType: 'intelligence',
      shots: [
        { shotId: 'a', label: 'a', prompt: '', durationSec: 5 },
        { shotId: 'b', label: 'b', prompt: '', durationSec: 5 },
      ],
    }));
    expect(b.shot_type).toBe('intelligent');
    expect(b.prompt).toBe('A chase across rooftops, ending on a jump.');
    expect(b).not.toHaveProperty('multi_prompt');
    expect(body(spec({ prompt: undefined, durationSec: 3, shots: [{ shotId: 'a', label: 'a', prompt: 'x', durationSec: 3 }] })).shot_type).toBe('customize');
    expect(body(spec())).not.toHaveProperty('shot_type');
  });

  it('always states generate_audio, because fal switches sound on when it is left out', () => {
    expect(body(spec({ audio: false })).generate_audio).toBe(false);
    expect(body(spec({ audio: true })).generate_audio).toBe(true);
  });

  it('leaves an empty negative prompt out so fal applies its default, and passes cfg_scale and aspect_ratio', () => {
    expect(body(spec({ negativePrompt: '  ' }))).not.toHaveProperty('negative_prompt');
    expect(body(spec({ negativePrompt: 'text, watermark' })).negative_prompt).toBe('text, watermark');
    expect(body(spec({ cfgScale: 0.3 })).cfg_scale).toBe(0.3);
    expect(body(spec({ aspectRatio: '1:1' })).aspect_ratio).toBe('1:1');
  });

  it('lets image-to-video take the start frame\'s shape: no aspect_ratio unless extra asks for one', () => {
    const i2v = { startFrame: 'data:image/png;base64,AAAA', elements: [] };
    expect(body(spec({ aspectRatio: '9:16', startFrame: 'frames/start.png' }), i2v)).not.toHaveProperty('aspect_ratio');
    expect(body(spec({ startFrame: 'frames/start.png', extra: { aspect_ratio: '9:16' } }), i2v).aspect_ratio).toBe('9:16');
  });

  it('passes unknown options in extra straight through, but never lets them contradict the spec', () => {
    const b = body(spec({ durationSec: 5, extra: { motion_strength: 0.8, webhook_note: { a: 1 }, duration: 99, end_image_url: 'https://x/y.png' } }));
    expect(b.motion_strength).toBe(0.8);
    expect(b.webhook_note).toEqual({ a: 1 });
    expect(b.duration).toBe('5');
    expect(b).not.toHaveProperty('end_image_url');
  });

  it('sends only fields fal has: nothing image-related on text-to-video, no seed, no idempotency key', () => {
    // KlingVideoV3ProTextToVideoInput in fal-js endpoints.ts: exactly these fields.
    const allowed = ['prompt', 'multi_prompt', 'duration', 'generate_audio', 'shot_type', 'aspect_ratio', 'negative_prompt', 'cfg_scale'];
    const b = body(spec({ negativePrompt: 'blur', audio: true, card: { title: 'Storm' }, extra: { voice_ids: ['1'] } }));
    expect(Object.keys(b).filter((k) => !allowed.includes(k))).toEqual([]);
    const wire = adapter.buildSubmit(spec(), noAssets, { baseUrl: BASE, idempotencyKey: 'secret-idem' });
    expect(JSON.stringify(wire)).not.toContain('secret-idem');
    expect(Object.keys(wire.headers).map((h) => h.toLowerCase())).not.toContain('authorization');
  });

  it('sends a lone front image as the element reference too, and refuses a library-only element', () => {
    const b = body(
      spec({ startFrame: 'frames/start.png', elements: [{ name: 'Hero', frontal: 'elements/hero-front.png' }] }),
      { startFrame: 'data:image/png;base64,AAAA', elements: [{ name: 'Hero', frontal: 'data:image/png;base64,BBBB', references: [] }] },
    );
    expect(b.elements).toEqual([{ frontal_image_url: 'data:image/png;base64,BBBB', reference_image_urls: ['data:image/png;base64,BBBB'] }]);
    let err: unknown;
    try {
      body(spec({ startFrame: 'frames/start.png', elements: [{ name: 'Hero', libraryId: 'el_123' }] }), {
        startFrame: 'data:image/png;base64,AAAA',
        elements: [{ name: 'Hero', libraryId: 'el_123', references: [] }],
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).kind).toBe('validation');
    expect((err as ProviderError).field).toBe('elements');
  });
});

describe('what fal cannot do is refused before any money is spent', () => {
  const fields = (s: GenerationSpec) => validateSpec(s, at).map((i) => i.field);

  it('a voice listed on the shot instead of bound to a character, and a voice on an image element', () => {
    expect(validateSpec(spec({ audio: true, voiceIds: ['1'] }), at).map((i) => i.message)).toEqual([
      "fal.ai binds a voice to a character: add a character with this voice (nothing was sent; the shot's voices are kept)",
    ]);
    const s = spec({ audio: true, startFrame: 'frames/start.png', elements: [{ name: 'Hero', frontal: 'elements/hero-front.png', voiceId: '1' }] });
    expect(fields(s)).toEqual(['voices']);
  });

  it('elements on text-to-video (no start frame)', () => {
    expect(fields(spec({ elements: [{ name: 'Hero', frontal: 'elements/hero-front.png' }] }))).toEqual(['elements']);
  });

  it('an end frame inside a multi-shot group', () => {
    const s = spec({
      prompt: undefined,
      durationSec: 6,
      startFrame: 'frames/start.png',
      endFrame: 'frames/end.png',
      shots: [
        { shotId: 'a', label: 'a', prompt: 'one', durationSec: 3 },
        { shotId: 'b', label: 'b', prompt: 'two', durationSec: 3 },
      ],
    });
    expect(fields(s)).toEqual(['end frame']);
  });

  it("a shot shorter than fal's 1-second minimum (multi_prompt[].duration \"1\"…\"15\"), and a seventh shot", () => {
    const two = [
      { shotId: 'a', label: 'a', prompt: 'one', durationSec: 1 },
      { shotId: 'b', label: 'b', prompt: 'two', durationSec: 4 },
    ];
    expect(fields(spec({ prompt: undefined, durationSec: 5, shots: two }))).toEqual([]);
    expect(fields(spec({ prompt: undefined, durationSec: 4, shots: [{ ...two[0], durationSec: 0 }, two[1]] }))).toEqual(['duration']);
    const seven = Array.from({ length: 7 }, (_, i) => ({ shotId: `s${i}`, label: `s${i}`, prompt: 'x', durationSec: 3 }));
    expect(fields(spec({ prompt: undefined, durationSec: 21, shots: seven }))).toContain('group');
  });

  it('a bound voice without native audio, and more characters with a voice than the one video element fal takes', () => {
    const hero = { name: 'Hero', video: 'chars/hero.mp4', voiceId: '1' };
    expect(fields(spec({ audio: false, startFrame: 'frames/start.png', elements: [hero] }))).toEqual(['voices']);
    expect(fields(spec({ audio: true, startFrame: 'frames/start.png', elements: [hero, { ...hero, name: 'Mate', voiceId: '2' }] }))).toEqual(['voices']);
  });
});

describe('fal error answers become ProviderErrors', () => {
  const answer = (status: number, b: unknown, headers: Record<string, string> = {}) =>
    falHttpError({ status, headers: new Headers(headers), body: b, text: JSON.stringify(b) }, 'req-1');

  it('422 validation names the field in our words, and the shot for per-shot problems', () => {
    const e = answer(422, { detail: [{ loc: ['body', 'duration'], msg: "Input should be '3', '4' or '15'", type: 'literal_error' }] });
    expect([e.kind, e.field, e.providerMessage]).toEqual(['validation', 'duration', "Input should be '3', '4' or '15'"]);
    const shot = answer(422, { detail: [{ loc: ['body', 'multi_prompt', 1, 'duration'], msg: 'bad', type: 'literal_error' }] });
    expect([shot.field, shot.providerMessage]).toEqual(['duration', 'shot 2: bad']);
    expect(answer(422, { detail: [{ loc: ['body', 'start_image_url'], msg: 'too small', type: 'value_error' }] }).field).toBe('start frame');
    expect(answer(422, { detail: [{ loc: ['body', 'aspect_ratio'], msg: 'x', type: 'literal_error' }] }).field).toBe('aspect ratio');
    expect(answer(422, { detail: [{ loc: ['body', 'voice_ids'], msg: 'Extra inputs are not permitted', type: 'extra_forbidden' }] }).field).toBe('voices');
    expect(answer(422, { detail: 'prompt is required' }).kind).toBe('validation');
  });

  it('content_policy_violation is a policy refusal carrying fal’s reason', () => {
    const e = answer(422, { detail: [{ loc: ['body', 'prompt'], msg: 'flagged by a content checker', type: 'content_policy_violation' }] });
    expect([e.kind, e.field, e.providerMessage]).toEqual(['policy', 'prompt', 'flagged by a content checker']);
    expect(e.message).toContain('flagged by a content checker');
  });

  it('auth, balance, rate limit, outage, not found and a user timeout', () => {
    expect(answer(401, { detail: 'No user found for Key ID and Secret' }).kind).toBe('auth');
    expect(answer(403, { detail: 'User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing.' }).kind).toBe('balance');
    const rl = answer(429, { detail: 'Too many requests' }, { 'retry-after': '7' });
    expect([rl.kind, rl.retryAfterMs, rl.retryable]).toEqual(['rate-limit', 7000, true]);
    const down = answer(503, { detail: 'No runner available', error_type: 'runner_scheduling_failure' });
    expect([down.kind, down.retryable]).toEqual(['outage', true]);
    expect(down.providerMessage).toContain('runner_scheduling_failure');
    expect(answer(404, { detail: 'Request not found' }).kind).toBe('not-found');
    expect(answer(504, { detail: 'Request timed out', error_type: 'request_timeout' }, { 'x-fal-request-timeout-type': 'user' }).kind).toBe('failed');
  });

  it('a stored reference survives a round trip and a foreign one is refused', () => {
    const ref = parseFalRef(JSON.stringify({ endpoint: 'fal-ai/kling-video/v3/pro/text-to-video', requestId: 'abc' }));
    expect(ref.status).toBe('/fal-ai/kling-video/requests/abc/status');
    expect(ref.cancel).toBe('/fal-ai/kling-video/requests/abc/cancel');
    expect(() => parseFalRef('video_123')).toThrow(ProviderError);
  });
});
