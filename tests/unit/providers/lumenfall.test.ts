// Lumenfall request bodies (golden files), the parameter conversions, the seed's size rules and the
// error/poll mapping. Goldens live in golden/lumenfall/; regenerate with UPDATE_GOLDEN=1 after a
// deliberate wire change and review the diff.
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuthenticationError, BadRequestError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAssets, imageInfo } from '../../../electron/core/providers/assets';
import {
  buildLumenfallBody,
  clampSize,
  costFromMetadata,
  createLumenfallAdapter,
  fieldFrom,
  nearestResolution,
  pollResultFor,
  snapAspect,
  toProviderError,
} from '../../../electron/core/providers/lumenfall';
import type { ResolvedAssets } from '../../../electron/core/providers/provider';
import { ProviderError } from '../../../electron/core/providers/provider-error';
import type { GenerationSpec } from '../../../shared/generation';
import { StudioError } from '../../../shared/errors';
import { formatIssue, validateSpec } from '../../../shared/validate';
import { png } from '../../helpers/png';
import { specFactory } from '../../helpers/spec';

const GOLDEN = path.join(__dirname, 'golden', 'lumenfall');
const BASE = 'https://api.lumenfall.ai/openai/v1';
const KEY = 'lmnfl_unitTestSecret9f8e7d6c5b4a';
const NO_ASSETS: ResolvedAssets = { elements: [] };
const adapter = createLumenfallAdapter();

// ---- tiny generated PNGs come from tests/helpers/png.ts ---------------------------------------

let projectDir = '';
beforeAll(async () => {
  projectDir = await fs.mkdtemp(path.join(os.tmpdir(), 'storyreel-lumenfall-unit-'));
  await fs.mkdir(path.join(projectDir, 'refs'));
  await fs.writeFile(path.join(projectDir, 'refs', 'start.png'), png(320, 320));
  await fs.writeFile(path.join(projectDir, 'refs', 'end.png'), png(400, 320));
  await fs.writeFile(path.join(projectDir, 'refs', 'hero-front.png'), png(320, 320));
  await fs.writeFile(path.join(projectDir, 'refs', 'hero-side.png'), png(320, 400));
});
afterAll(async () => {
  await fs.rm(projectDir, { recursive: true, force: true });
});

/** Data URIs become "<png WxH>" so goldens stay small and independent of the zlib build. */
function normalise(value: unknown): unknown {
  if (typeof value === 'string') {
    const m = /^data:image\/(png|jpeg);base64,([A-Za-z0-9+/=]+)$/.exec(value);
    if (!m) return value;
    const info = imageInfo(Buffer.from(m[2], 'base64'));
    return `data:image/${m[1]};base64,<${info?.format} ${info?.width}x${info?.height}>`;
  }
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
  return value;
}

async function expectGolden(name: string, actual: unknown): Promise<void> {
  const file = path.join(GOLDEN, `${name}.json`);
  const text = `${JSON.stringify(normalise(actual), null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === '1') {
    await fs.mkdir(GOLDEN, { recursive: true });
    await fs.writeFile(file, text);
  }
  expect(existsSync(file), `golden ${name}.json is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
  expect(text).toBe(await fs.readFile(file, 'utf8'));
}

const spec = specFactory({ provider: 'lumenfall' });
const at = { shotId: 's1', shotLabel: 'shot 1 “Storm”' };
const issues = (s: GenerationSpec) => validateSpec(s, at).map(formatIssue);

async function wire(s: GenerationSpec, key = 'job-0001') {
  expect(issues(s)).toEqual([]);
  const assets = await resolveAssets(s, projectDir, 'data-uri');
  return adapter.buildSubmit(s, assets, { idempotencyKey: key, baseUrl: BASE });
}

// ---- goldens ------------------------------------------------------------------------------------

describe('Lumenfall request bodies (golden)', () => {
  it('plain text-to-video', async () => {
    const w = await wire(
      spec({
        prompt: 'A paper boat drifts down a rain gutter; soft rain and distant traffic.',
        durationSec: 6,
        aspectRatio: '9:16',
        audio: true,
        negativePrompt: 'blur, distort, and low quality',
      }),
    );
    expect(w.url).toBe(`${BASE}/videos`);
    expect(JSON.stringify(w)).not.toContain('lmnfl_');
    await expectGolden('text-to-video', w);
  });

  it('start and end frame', async () => {
    const w = await wire(spec({ prompt: 'The door swings open and light floods the hall.', startFrame: 'refs/start.png', endFrame: 'refs/end.png' }));
    const body = w.body as Record<string, unknown>;
    expect(normalise(body.input_reference)).toEqual([{ image_url: 'data:image/png;base64,<png 320x320>' }]);
    expect(normalise(body.end_image_url)).toBe('data:image/png;base64,<png 400x320>');
    await expectGolden('start-end-frame', w);
  });

  it('a three-shot customize group', async () => {
    const w = await wire(
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
    await expectGolden('three-shot-group', w);
  });

  // fal (the standard route) has no top-level voice_ids on v3; a voice binds to a video element
  // (fal-js endpoints.ts, KlingV3ComboElementInput.voice_id; docs/providers.md §2.6, §4.3).
  it('a voice bound to a character given as a video (fal route)', async () => {
    const s = spec({
      prompt: 'At a night market @Element1 turns and says "we are late again".',
      durationSec: 8,
      audio: true,
      startFrame: 'refs/start.png',
      elements: [{ name: 'Mei', video: 'chars/mei.mp4', voiceId: '853965338566852685' }],
    });
    expect(issues(s)).toEqual([]);
    const start = await resolveAssets(s, projectDir, 'data-uri');
    const w = adapter.buildSubmit(s, { startFrame: start.startFrame, elements: [{ name: 'Mei', references: [], video: 'data:video/mp4;base64,AAAA', voiceId: '853965338566852685' }] }, { idempotencyKey: 'job-0001', baseUrl: BASE });
    const body = w.body as Record<string, unknown>;
    expect(body).not.toHaveProperty('voice_ids');
    expect(body.elements).toEqual([{ video_url: 'data:video/mp4;base64,AAAA', voice_id: '853965338566852685' }]);
    await expectGolden('voice-on-element', w);
  });

  // Lumenfall's standard tier runs on fal, which reads characters as @Element1, @Element2… in the order of
  // `elements` (fal-js endpoints.ts, KlingVideoV3ProImageToVideoInput.elements: "reference in prompt as
  // @Element1, @Element2"); a typed @Name is what the person sees, @ElementN what fal is sent.
  it('@Name of a character becomes @ElementN on the fal route, and a line said by it is appended', async () => {
    const s = spec({
      prompt: '@Mei hands @Hero a lantern.',
      durationSec: 6,
      audio: true,
      startFrame: 'refs/start.png',
      characterNames: ['Hero', 'Mei'],
      elements: [
        { id: 'el_hero', name: 'Hero', frontal: 'refs/hero-front.png', references: ['refs/hero-side.png'] },
        { id: 'el_mei', name: 'Mei', frontal: 'refs/hero-front.png', references: [] },
      ],
      dialogue: [{ speaker: 'Mei', text: 'Keep it lit.', characterId: 'el_mei', character: 'Mei' }],
    });
    const w = await wire(s);
    expect((w.body as Record<string, unknown>).prompt).toBe('@Element2 hands @Element1 a lantern. @Element2 says: "Keep it lit."');
    await expectGolden('character-mentions', w);
  });

  it('@Name in each shot of a customize group on the fal route', async () => {
    const w = await wire(
      spec({
        prompt: undefined,
        durationSec: 6,
        startFrame: 'refs/start.png',
        characterNames: ['Hero'],
        elements: [{ id: 'el_hero', name: 'Hero', frontal: 'refs/hero-front.png', references: [] }],
        shots: [
          { shotId: 'a', label: 'shot 1', prompt: 'Wide: @Hero at the door.', durationSec: 3 },
          { shotId: 'b', label: 'shot 2', prompt: 'Close-up on the lamp.', durationSec: 3 },
        ],
      }),
    );
    expect((w.body as { multi_prompt: { prompt: string }[] }).multi_prompt.map((p) => p.prompt)).toEqual(['Wide: @Element1 at the door.', 'Close-up on the lamp.']);
  });

  // Replicate's kwaivgi/kling-v3-video input (docs/providers.md §3.4): multi_prompt is a JSON string with
  // integer durations, `prompt` is required, the end frame is `end_image`.
  it('a group on the pro tier (Replicate route): multi_prompt as a JSON string of integer durations, with prompt', async () => {
    const w = await wire(
      spec({
        tier: 'pro',
        prompt: undefined,
        durationSec: 6,
        audio: true,
        shots: [
          { shotId: 'a', label: 'shot 1', prompt: 'Lightning over the sea.', durationSec: 1 },
          { shotId: 'b', label: 'shot 2', prompt: 'The keeper runs up the stairs.', durationSec: 5 },
        ],
      }),
    );
    const body = w.body as Record<string, unknown>;
    expect(body.multi_prompt).toBe('[{"prompt":"Lightning over the sea.","duration":1},{"prompt":"The keeper runs up the stairs.","duration":5}]');
    expect(body.prompt).toBe('Lightning over the sea. The keeper runs up the stairs.');
    expect(body).not.toHaveProperty('shot_type');
    await expectGolden('pro-group-replicate', w);
  });

  it('elements', async () => {
    const w = await wire(
      spec({
        prompt: '@Element1 walks toward the camera and stops, smiling.',
        durationSec: 6,
        startFrame: 'refs/start.png',
        elements: [{ name: 'Hero', frontal: 'refs/hero-front.png', references: ['refs/hero-side.png'] }],
      }),
    );
    expect(normalise((w.body as Record<string, unknown>).elements)).toEqual([
      { frontal_image_url: 'data:image/png;base64,<png 320x320>', reference_image_urls: ['data:image/png;base64,<png 320x400>'] },
    ]);
    await expectGolden('elements', w);
  });
});

describe('what Lumenfall cannot do is refused by the shared validator, naming the field', () => {
  it('has no 4K tier for kling-v3', () => {
    expect(issues(spec({ tier: '4k' }))).toEqual(['shot 1 “Storm”, tier: Lumenfall has no 4k tier (it offers standard, pro)']);
  });
  it("takes fal's 1 s per-shot minimum in a group (the default route)", () => {
    const shots = [
      { shotId: 'a', label: 'shot 1', prompt: 'wide', durationSec: 2 },
      { shotId: 'b', label: 'shot 2', prompt: 'close', durationSec: 4 },
    ];
    expect(issues(spec({ prompt: undefined, shots, durationSec: 6 }))).toEqual([]);
  });
  it('refuses voices listed on the shot (fal binds a voice to a character), and an end frame in a group', () => {
    const listed = issues(spec({ audio: true, voiceIds: ['v1'] }));
    expect(listed).toEqual(["shot 1 “Storm”, voices: Lumenfall binds a voice to a character: add a character with this voice (nothing was sent; the shot's voices are kept)"]);
    const shots = [
      { shotId: 'a', label: 'shot 1', prompt: 'wide', durationSec: 3 },
      { shotId: 'b', label: 'shot 2', prompt: 'close', durationSec: 3 },
    ];
    expect(issues(spec({ prompt: undefined, shots, durationSec: 6, startFrame: 'refs/start.png', endFrame: 'refs/end.png' }))).toContain(
      'shot 1 “Storm”, end frame: an end frame cannot be used in a multi-shot group',
    );
  });
});

// ---- conversions ----------------------------------------------------------------------------------

const body = (s: GenerationSpec, assets: ResolvedAssets = NO_ASSETS) => buildLumenfallBody(s, assets, 'job-0001');

describe('parameter conversions', () => {
  it('sends the duration as `seconds`, a string, and per-shot durations as strings', () => {
    const b = body(spec({ durationSec: 7 }));
    expect(b.seconds).toBe('7');
    expect(b).not.toHaveProperty('duration');
    const group = body(
      spec({
        prompt: undefined,
        durationSec: 9,
        shots: [
          { shotId: 'a', label: 'shot 1', prompt: 'wide', durationSec: 4 },
          { shotId: 'b', label: 'shot 2', prompt: 'close', durationSec: 5 },
        ],
      }),
    );
    expect(group.multi_prompt).toEqual([
      { prompt: 'wide', duration: '4' },
      { prompt: 'close', duration: '5' },
    ]);
    // fal route: "Either prompt or multi_prompt must be provided, but not both" — no prompt beside the shots.
    expect(group).not.toHaveProperty('prompt');
    expect(group.shot_type).toBe('customize');
  });

  it('maps tiers onto routes: standard → fal (no mode), pro → mode "pro" without fal-only fields', () => {
    const std = body(spec({ tier: 'standard' }));
    expect(std).not.toHaveProperty('mode');
    expect(std.cfg_scale).toBe(0.5);
    const pro = body(spec({ tier: 'pro' }));
    expect(pro.mode).toBe('pro');
    expect(pro).not.toHaveProperty('cfg_scale');
    // A CFG scale set for another provider is not honoured on the Replicate route, as on Replicate
    // itself: left out of the request, not a failure after the estimate was accepted.
    const tuned = spec({ tier: 'pro', cfgScale: 0.8 });
    expect(validateSpec(tuned, { shotLabel: 'shot 1' })).toEqual([]);
    expect(body(tuned)).not.toHaveProperty('cfg_scale');
    expect(body(spec({ tier: 'standard', cfgScale: 0.8 })).cfg_scale).toBe(0.8);
    // A tier Lumenfall lacks goes to the nearest it has (the validator refuses it first anyway).
    expect(body(spec({ tier: '4k' })).mode).toBe('pro');
  });

  it('refuses pro-tier requests that need the fal route, naming the field, before anything is sent', () => {
    const refusal = (s: GenerationSpec, assets: ResolvedAssets = NO_ASSETS) => {
      try {
        body(s, assets);
      } catch (err) {
        expect(err).toBeInstanceOf(StudioError);
        return (err as StudioError).details?.[0];
      }
      return 'not refused';
    };
    expect(refusal(spec({ tier: 'pro', audio: true, voiceIds: ['v1'] }))).toMatch(/^voices: /);
    expect(refusal(spec({ tier: 'pro', startFrame: 'x.png' }), { startFrame: 'data:image/png;base64,AAAA', elements: [{ name: 'Hero', frontal: 'data:image/png;base64,AAAA', references: ['data:image/png;base64,AAAA'] }] })).toMatch(/^elements: /);
    const shots = [
      { shotId: 'a', label: 'shot 1', prompt: 'wide', durationSec: 3 },
      { shotId: 'b', label: 'shot 2', prompt: 'close', durationSec: 3 },
    ];
    expect(refusal(spec({ tier: 'pro', shots, durationSec: 6, shotType: 'intelligence', prompt: 'a storm' }))).toMatch(/^shot type: /);
  });

  it('spells the model-split mode "intelligent" (fal) and sends only the overall prompt', () => {
    const shots = [
      { shotId: 'a', label: 'shot 1', prompt: 'wide', durationSec: 3 },
      { shotId: 'b', label: 'shot 2', prompt: 'close', durationSec: 3 },
    ];
    const b = body(spec({ shots, durationSec: 6, shotType: 'intelligence', prompt: 'A storm, told in cuts.' }));
    expect(b.shot_type).toBe('intelligent');
    expect(b.prompt).toBe('A storm, told in cuts.');
    expect(b).not.toHaveProperty('multi_prompt');
  });

  it('always states audio explicitly, and leaves an empty negative prompt to the route default', () => {
    expect(body(spec({ audio: false })).generate_audio).toBe(false);
    expect(body(spec({ audio: true })).generate_audio).toBe(true);
    expect(body(spec({ negativePrompt: '' }))).not.toHaveProperty('negative_prompt');
    expect(body(spec({ negativePrompt: 'text, watermark' })).negative_prompt).toBe('text, watermark');
  });

  it('sends a lone front image as the reference too, as fal does on this route', () => {
    const b = body(spec({ startFrame: 'x.png' }), { startFrame: 'data:image/png;base64,AAAA', elements: [{ name: 'Hero', frontal: 'data:image/png;base64,BBBB', references: [] }] });
    expect(b.elements).toEqual([{ frontal_image_url: 'data:image/png;base64,BBBB', reference_image_urls: ['data:image/png;base64,BBBB'] }]);
  });

  it('refuses an element it cannot send as images (library id only)', () => {
    expect(() => body(spec({ startFrame: 'x.png' }), { startFrame: 'data:image/png;base64,AAAA', elements: [{ name: 'Kid', libraryId: '123', references: [] }] })).toThrow(/Kid/);
  });

  it('passes unknown options in spec.extra straight through, but never over a field it sets', () => {
    const b = body(
      spec({
        extra: {
          webhook_url: 'https://example.com/hooks/lumenfall',
          metadata: { project: 'storm', take: 3 },
          media_retention: '7d',
          future_flag: [1, { deep: true }],
          model: 'sora-2',
          idempotency_key: 'other',
          generate_audio: true,
        },
      }),
    );
    expect(b.webhook_url).toBe('https://example.com/hooks/lumenfall');
    expect(b.metadata).toEqual({ project: 'storm', take: 3 });
    expect(b.media_retention).toBe('7d');
    expect(b.future_flag).toEqual([1, { deep: true }]);
    expect(b.model).toBe('kling-v3');
    expect(b.idempotency_key).toBe('job-0001');
    expect(b.generate_audio).toBe(false);
  });

  it('applies the seed size rules to extra size, aspect_ratio and resolution', () => {
    const sized = body(spec({ extra: { size: '1920x1080', resolution: '4K' } }));
    expect(sized.size).toBe('1365x768');
    // size beats aspect_ratio + resolution
    expect(sized).not.toHaveProperty('aspect_ratio');
    expect(sized).not.toHaveProperty('resolution');
    expect(body(spec({ extra: { size: '7:1' } })).size).toBe('1365x768');
    expect(body(spec({ extra: { size: '1080x1350' } })).size).toBe('1024x1024');
    expect(body(spec({ extra: { aspect_ratio: '21:9' } })).aspect_ratio).toBe('16:9');
    expect(body(spec({ extra: { aspect_ratio: '2:3' } })).aspect_ratio).toBe('9:16');
    expect(body(spec({ extra: { resolution: '4K' } })).resolution).toBe('1K');
  });
});

describe('the seed size rules (pure)', () => {
  it('snaps a ratio to the nearest supported one', () => {
    expect(snapAspect('7:1', ['4:1', '8:1'])).toBe('8:1');
    expect(snapAspect('21:9', ['16:9', '9:16', '1:1'])).toBe('16:9');
    expect(snapAspect('4:5', ['16:9', '9:16', '1:1'])).toBe('1:1');
    expect(snapAspect('1080x1920', ['16:9', '9:16', '1:1'])).toBe('9:16');
    expect(snapAspect(1.7, ['16:9', '9:16', '1:1'])).toBe('16:9');
    expect(() => snapAspect('wide', ['16:9'])).toThrow(RangeError);
  });

  it('clamps dimensions into the limits keeping the ratio', () => {
    const limits = { maxWidth: 1365, maxHeight: 1365, maxPixels: 1024 * 1024, minWidth: 300, minHeight: 300 };
    expect(clampSize(1920, 1080, limits)).toEqual({ width: 1365, height: 768 });
    expect(clampSize(3840, 3840, limits)).toEqual({ width: 1024, height: 1024 });
    expect(clampSize(1000, 1000, { maxPixels: 500 * 500 })).toEqual({ width: 500, height: 500 });
    expect(clampSize(200, 200, limits)).toEqual({ width: 300, height: 300 });
    expect(clampSize(1280, 720, limits)).toEqual({ width: 1280, height: 720 });
    const tall = clampSize(1000, 4000, limits);
    expect(tall.height).toBeLessThanOrEqual(1365);
    expect(tall.width / tall.height).toBeCloseTo(0.25, 2);
  });

  it('matches a tier to the nearest available resolution', () => {
    expect(nearestResolution('pro', ['720p', '1080p'])).toBe('1080p');
    expect(nearestResolution('standard', ['720p', '1080p'])).toBe('720p');
    expect(nearestResolution('4k', ['1K'])).toBe('1K');
    expect(nearestResolution('4K', ['1K', '2K'])).toBe('2K');
    expect(nearestResolution('4k', ['standard', 'pro'])).toBe('pro');
  });
});

// ---- responses ------------------------------------------------------------------------------------

describe('poll results and errors', () => {
  it('maps video states onto PollResult, with the real cost from metadata.cost', () => {
    expect(pollResultFor({ id: 'video_1', status: 'queued' })).toEqual({ state: 'queued' });
    expect(pollResultFor({ id: 'video_1', status: 'in_progress', progress: 42 })).toEqual({ state: 'running', progress: 0.42 });
    const done = pollResultFor({
      id: 'video_1',
      status: 'completed',
      expires_at: 1772359200,
      output: { url: 'https://media.lumenfall.ai/v.mp4', content_type: 'video/mp4', size_bytes: 3149129 },
      metadata: { cost: 0.756, cost_currency: 'USD', provider: 'fal' },
    });
    expect(done).toEqual({
      state: 'succeeded',
      result: { kind: 'url', url: 'https://media.lumenfall.ai/v.mp4', expiresAt: '2026-03-01T10:00:00.000Z', sizeBytes: 3149129 },
      actualUsd: 0.756,
      providerCost: '0.756 USD',
    });
  });

  it('reads metadata.cost in USD or in micros', () => {
    expect(costFromMetadata({ cost: 0.63, cost_currency: 'USD' }).actualUsd).toBe(0.63);
    expect(costFromMetadata({ cost: 630000, cost_currency: 'USD' }).actualUsd).toBe(0.63);
    expect(costFromMetadata({ cost: '0.63' }).actualUsd).toBe(0.63);
    expect(costFromMetadata({ cost: 0.6, cost_currency: 'EUR' })).toEqual({ actualUsd: undefined, providerCost: '0.6 EUR' });
    expect(costFromMetadata({ cost_estimate: 0.6 })).toEqual({});
  });

  it('fails a job with the provider reason: content policy as `policy`, cancellation as `failed`', () => {
    const policy = pollResultFor({ id: 'video_2', status: 'failed', error: { code: 'content_policy_violation', message: 'The prompt was flagged.' } });
    if (policy.state !== 'failed') throw new Error(`expected failed, got ${policy.state}`);
    const err = policy.error as ProviderError;
    expect(err.kind).toBe('policy');
    expect(err.providerMessage).toContain('The prompt was flagged.');
    expect(err.jobRef).toBe('video_2');
    const cancelled = pollResultFor({ id: 'video_3', status: 'cancelled' });
    if (cancelled.state !== 'failed') throw new Error(`expected failed, got ${cancelled.state}`);
    expect((cancelled.error as ProviderError).kind).toBe('failed');
  });

  it('names the field Lumenfall blamed in our words', () => {
    expect(fieldFrom('seconds', '')).toBe('duration');
    expect(fieldFrom('multi_prompt[1].duration', '')).toBe('duration');
    expect(fieldFrom('multi_prompt', '')).toBe('group');
    expect(fieldFrom(undefined, "Invalid 'aspect_ratio': \"4:3\"")).toBe('aspect ratio');
    expect(fieldFrom(undefined, "'end_image_url' requires a start image in 'input_reference'.")).toBe('start frame');
    expect(fieldFrom(undefined, 'something else entirely')).toBeUndefined();
  });

  it('maps HTTP errors to kinds and never lets the key through', () => {
    const headers = new Headers({ 'retry-after': '3' });
    const auth = toProviderError(new AuthenticationError(401, { message: `Invalid API key ${KEY}`, type: 'authentication_error', code: 'AUTHENTICATION_FAILED' }, undefined, headers));
    expect(auth.kind).toBe('auth');
    expect(JSON.stringify({ m: auth.message, p: auth.providerMessage, d: auth.details })).not.toContain(KEY);
    const bad = toProviderError(new BadRequestError(400, { message: "Invalid 'seconds': 20", type: 'invalid_request_error', code: 'INVALID_REQUEST' }, undefined, headers));
    expect([bad.kind, bad.field, bad.status]).toEqual(['validation', 'duration', 400]);
  });
});
