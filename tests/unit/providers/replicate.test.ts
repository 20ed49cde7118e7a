// Replicate adapter, pure parts: request bodies against golden files (docs/providers.md §3.4), parameter
// conversions, spec.extra passthrough, error mapping (§3.5) and prediction → PollResult (§3.3).
// Regenerate the golden files after an intended change with UPDATE_GOLDEN=1.
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Prediction } from 'replicate';
import { describe, expect, it } from 'vitest';
import { resolveAssets } from '../../../electron/core/providers/assets';
import type { PollResult, ResolvedAssets } from '../../../electron/core/providers/provider';
import { ProviderError } from '../../../electron/core/providers/provider-error';
import {
  createReplicateAdapter,
  pollResultOf,
  replicateHttpError,
  REPLICATE_BASE_URL,
  summarizeShots,
  type ReplicateKlingInput,
} from '../../../electron/core/providers/replicate';
import type { GenerationSpec } from '../../../shared/generation';
import { validateSpec } from '../../../shared/validate';
import { validateKlingInput } from '../../mock-providers/replicate';
import { png } from '../../helpers/png';
import { specFactory } from '../../helpers/spec';

const GOLDEN = path.join(__dirname, 'golden', 'replicate');
const adapter = createReplicateAdapter();
const NO_ASSETS: ResolvedAssets = { elements: [] };
const at = { shotId: 's1', shotLabel: 'shot 1 “Harbour”' };

const spec = specFactory({ provider: 'replicate', tier: 'pro', prompt: 'A fishing boat leaves the harbour at dawn, gulls overhead' });


async function projectWithFrames(): Promise<{ dir: string; uris: Map<string, string> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'storyreel-replicate-unit-'));
  const uris = new Map<string, string>();
  for (const [name, rgb] of [['start.png', [20, 60, 120]], ['end.png', [200, 120, 40]]] as const) {
    const buf = png(320, 320, [...rgb]);
    await fs.mkdir(path.join(dir, 'refs'), { recursive: true });
    await fs.writeFile(path.join(dir, 'refs', name), buf);
    uris.set(`data:image/png;base64,${buf.toString('base64')}`, `<refs/${name} as a PNG data URI>`);
  }
  return { dir, uris };
}

/** Data URIs are replaced by the name of the file they encode, so golden files stay readable. */
function normalise(value: unknown, uris: Map<string, string>): unknown {
  return JSON.parse(JSON.stringify(value), (_k, v: unknown) => (typeof v === 'string' && uris.has(v) ? uris.get(v) : v));
}

async function expectGolden(name: string, actual: unknown): Promise<void> {
  const file = path.join(GOLDEN, `${name}.json`);
  const text = `${JSON.stringify(actual, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === '1') {
    await fs.mkdir(GOLDEN, { recursive: true });
    await fs.writeFile(file, text);
  }
  expect(existsSync(file), `${file} is missing; run with UPDATE_GOLDEN=1 to write it`).toBe(true);
  expect(text).toBe(await fs.readFile(file, 'utf8'));
}

const build = (s: GenerationSpec, assets: ResolvedAssets = NO_ASSETS) =>
  adapter.buildSubmit(s, assets, { idempotencyKey: 'idem-1', baseUrl: REPLICATE_BASE_URL });
const inputOf = (s: GenerationSpec, assets: ResolvedAssets = NO_ASSETS) => (build(s, assets).body as { input: ReplicateKlingInput }).input;

const threeShots = [
  { shotId: 'a', label: 'shot 1 “Dock”', prompt: 'Wide shot: the harbour in fog, boats rocking', durationSec: 4 },
  { shotId: 'b', label: 'shot 2 “Rope”', prompt: 'Close-up: a hand unties a wet rope', durationSec: 3 },
  { shotId: 'c', label: 'shot 3 “Sea”', prompt: 'Aerial: the boat cuts a white line through grey water', durationSec: 5 },
];

describe('Replicate request bodies (golden)', () => {
  it('text-to-video: prompt, mode, integer duration, aspect ratio, audio flag, negative prompt', async () => {
    const s = spec({ audio: true, negativePrompt: 'blurry, text overlays', aspectRatio: '9:16', durationSec: 8 });
    expect(validateSpec(s, at)).toEqual([]);
    const req = build(s);
    expect(req.method).toBe('POST');
    expect(req.url).toBe('https://api.replicate.com/v1/models/kwaivgi/kling-v3-video/predictions');
    await expectGolden('text-to-video', req);
  });

  it('start + end frame: images as data URIs, aspect ratio left to the start image', async () => {
    const { dir, uris } = await projectWithFrames();
    const s = spec({ startFrame: 'refs/start.png', endFrame: 'refs/end.png', prompt: 'The boat drifts from the dock to open water', tier: 'standard' });
    expect(validateSpec(s, at)).toEqual([]);
    const assets = await resolveAssets(s, dir, 'data-uri');
    const input = inputOf(s, assets);
    // The bytes sent are the project's images, unchanged.
    expect(input.start_image).toBe(`data:image/png;base64,${(await fs.readFile(path.join(dir, 'refs/start.png'))).toString('base64')}`);
    expect(input.end_image).toBe(`data:image/png;base64,${(await fs.readFile(path.join(dir, 'refs/end.png'))).toString('base64')}`);
    expect(input).not.toHaveProperty('aspect_ratio');
    await expectGolden('start-end-frames', normalise(build(s, assets), uris));
  });

  it('three-shot customize group: multi_prompt as a JSON string, a summary prompt, no shot_type', async () => {
    const s = spec({ prompt: undefined, shots: threeShots, shotType: 'customize', durationSec: 12, audio: true });
    expect(validateSpec(s, at)).toEqual([]);
    const input = inputOf(s);
    expect(typeof input.multi_prompt).toBe('string');
    expect(JSON.parse(input.multi_prompt!)).toEqual([
      { prompt: 'Wide shot: the harbour in fog, boats rocking', duration: 4 },
      { prompt: 'Close-up: a hand unties a wet rope', duration: 3 },
      { prompt: 'Aerial: the boat cuts a white line through grey water', duration: 5 },
    ]);
    for (const shot of threeShots) expect(input.prompt).toContain(shot.prompt);
    expect(input).not.toHaveProperty('shot_type');
    await expectGolden('three-shot-customize', build(s));
  });

  it('voices with audio: Replicate has no voice control, so validation refuses it (no golden body)', () => {
    const s = spec({ audio: true, voiceIds: ['853965338566852685'], prompt: 'The captain <<<voice_1>>> shouts "cast off!"' });
    const issues = validateSpec(s, at);
    expect(issues.map((i) => i.field)).toEqual(['voices']);
    expect(issues[0].message).toBe('Replicate has no voice control');
    // Even if the engine were bypassed, the body never carries a field the model does not have.
    expect(inputOf(s)).not.toHaveProperty('voice_ids');
    expect(validateKlingInput(inputOf(s))).toEqual([]);
  });

  it('elements: Replicate takes no character elements, so validation refuses it (no golden body)', () => {
    const s = spec({ startFrame: 'refs/start.png', elements: [{ name: 'Captain', frontal: 'refs/start.png', references: ['refs/end.png'] }] });
    const issues = validateSpec(s, at);
    expect(issues.map((i) => i.field)).toEqual(['elements']);
    expect(issues[0].message).toBe('Replicate does not take characters (elements): remove “Captain” from this shot or pick another provider (nothing was sent)');
    expect(inputOf(s, { startFrame: 'data:image/png;base64,AAAA', elements: [{ name: 'Captain', frontal: 'data:x', references: [] }] })).not.toHaveProperty('elements');
  });

  it('every golden body is accepted by the mock’s copy of the model schema', async () => {
    for (const name of ['text-to-video', 'start-end-frames', 'three-shot-customize']) {
      const golden = JSON.parse(await fs.readFile(path.join(GOLDEN, `${name}.json`), 'utf8')) as { body: { input: Record<string, unknown> } };
      const input = { ...golden.body.input };
      for (const k of ['start_image', 'end_image']) if (k in input) input[k] = 'data:image/png;base64,AAAA';
      expect(validateKlingInput(input), name).toEqual([]);
    }
  });
});

describe('Replicate parameter conversions', () => {
  it('sends duration as an integer, never a string', () => {
    for (const d of [3, 10, 15]) {
      const input = inputOf(spec({ durationSec: d }));
      expect(input.duration).toBe(d);
      expect(Number.isInteger(input.duration)).toBe(true);
    }
  });

  it('maps each tier onto `mode` (standard/pro/4k)', () => {
    expect(inputOf(spec({ tier: 'standard' })).mode).toBe('standard');
    expect(inputOf(spec({ tier: 'pro' })).mode).toBe('pro');
    expect(inputOf(spec({ tier: '4k' })).mode).toBe('4k');
    expect(validateSpec(spec({ tier: '4k' }), at)).toEqual([]);
  });

  it('always sends generate_audio, because Replicate defaults it to false', () => {
    expect(inputOf(spec({ audio: true })).generate_audio).toBe(true);
    expect(inputOf(spec({ audio: false })).generate_audio).toBe(false);
  });

  it('never sends cfg_scale, and leaves an empty negative prompt out', () => {
    const input = inputOf(spec({ cfgScale: 0.9, negativePrompt: '  ' }));
    expect(input).not.toHaveProperty('cfg_scale');
    expect(input).not.toHaveProperty('negative_prompt');
    expect(inputOf(spec({ negativePrompt: 'watermark' })).negative_prompt).toBe('watermark');
  });

  it('has no shot_type: the model-split ("intelligence") mode is refused by validation, naming the field', () => {
    const s = spec({ shots: threeShots, shotType: 'intelligence', durationSec: 12, prompt: 'A boat leaves the harbour' });
    expect(validateSpec(s, at).map((i) => i.field)).toContain('shot type');
    expect(inputOf(s)).not.toHaveProperty('shot_type');
  });

  it('keeps the summary prompt within 2500 characters for six 500-character shots', () => {
    const shots = Array.from({ length: 6 }, (_, i) => ({ shotId: `s${i}`, label: `shot ${i + 1}`, prompt: `${i + 1} `.padEnd(500, 'x'), durationSec: 2 }));
    const summary = summarizeShots(shots);
    expect(summary.length).toBe(2500);
    expect(summary.startsWith('6-shot sequence. Shot 1 (2 s): 1 x')).toBe(true);
    expect(summary.endsWith('…')).toBe(true);
  });

  it('passes spec.extra straight into the input (and lets it override a mapped field)', () => {
    const input = inputOf(spec({ extra: { future_option: { nested: [1, 2] }, mode: 'pro', duration: 7 }, tier: 'standard' }));
    expect(input.future_option).toEqual({ nested: [1, 2] });
    expect(input.mode).toBe('pro');
    expect(input.duration).toBe(7);
  });
});

describe('Replicate error mapping', () => {
  const KEY = 'r8_SuperSecretToken9876543210abcdef';

  it('401 → auth, with Replicate’s words', () => {
    const e = replicateHttpError({ status: 401, body: '{"title":"Unauthenticated","detail":"You did not pass an authentication token","status":401}' });
    expect(e).toBeInstanceOf(ProviderError);
    expect(e.kind).toBe('auth');
    expect(e.providerMessage).toBe('Unauthenticated: You did not pass an authentication token');
    expect(e.message).toContain('REPLICATE_API_TOKEN');
  });

  it('422 input validation → validation, naming our field', () => {
    const e = replicateHttpError({
      status: 422,
      body: JSON.stringify({
        title: 'Input validation failed',
        detail: '- input.duration: Must be less than or equal to 15\n',
        status: 422,
        invalid_fields: [{ type: 'number_lte', field: 'input.duration', description: 'Must be less than or equal to 15' }],
      }),
    });
    expect(e.kind).toBe('validation');
    expect(e.field).toBe('duration');
    expect(e.providerMessage).toContain('Must be less than or equal to 15');
    const extra = replicateHttpError({
      status: 422,
      body: JSON.stringify({ title: 'Input validation failed', invalid_fields: [{ type: 'additional_property_not_allowed', field: 'input', description: 'Additional property cfg_scale is not allowed' }] }),
    });
    expect(extra.field).toBe('CFG scale');
    const aspect = replicateHttpError({ status: 422, body: JSON.stringify({ invalid_fields: [{ type: 'enum', field: 'input.aspect_ratio', description: 'bad' }] }) });
    expect(aspect.field).toBe('aspect ratio');
  });

  it('429 → rate-limit with the wait from Retry-After, or from the detail when the header is missing', () => {
    const body = '{"detail":"Request was throttled. Expected available in 3 seconds."}';
    expect(replicateHttpError({ status: 429, body, retryAfter: '7' }).retryAfterMs).toBe(7000);
    const e = replicateHttpError({ status: 429, body });
    expect(e.kind).toBe('rate-limit');
    expect(e.retryAfterMs).toBe(3000);
  });

  it('5xx → outage, 402 → balance, 404 → not-found, an HTML page still yields a message', () => {
    expect(replicateHttpError({ status: 500, body: '{"detail":"boom"}' }).kind).toBe('outage');
    expect(replicateHttpError({ status: 503, body: '<html>bad gateway</html>' }).providerMessage).toBe('HTTP 503');
    expect(replicateHttpError({ status: 402, body: '{"title":"Insufficient credit","detail":"You have insufficient credit","status":402}' }).kind).toBe('balance');
    expect(replicateHttpError({ status: 404, body: '{"detail":"Not found."}', jobRef: 'abc' }).kind).toBe('not-found');
  });

  it('never lets the API key into a message, even when a proxy echoes the request', () => {
    const e = replicateHttpError({ status: 400, body: JSON.stringify({ detail: `Bad header Authorization: Bearer ${KEY} (token ${KEY})` }) });
    expect(e.message).not.toContain(KEY);
    expect(e.providerMessage).not.toContain(KEY);
    expect(JSON.stringify(e.toJSON())).not.toContain(KEY);
  });
});

describe('Replicate prediction → poll result', () => {
  const base: Prediction = {
    id: 'ty6ca28mv1rmr0cwd0hswwavdc',
    status: 'starting',
    model: 'kwaivgi/kling-v3-video',
    version: 'hidden',
    input: {},
    source: 'api',
    data_removed: false,
    created_at: '2026-03-01T10:00:00.000Z',
    urls: { get: 'x', cancel: 'y' },
  };
  const now = Date.parse('2026-03-01T10:10:00.000Z');
  const errorOf = (r: PollResult): ProviderError => {
    if (r.state !== 'failed') throw new Error(`expected a failure, got ${r.state}`);
    expect(r.error).toBeInstanceOf(ProviderError);
    return r.error as ProviderError;
  };

  it('starting → queued, processing → running with progress from the logs', () => {
    expect(pollResultOf({ ...base, status: 'starting' }, now)).toEqual({ state: 'queued' });
    expect(pollResultOf({ ...base, status: 'processing', logs: 'Generating\n 40%|████      | 40/100\n' }, now)).toEqual({ state: 'running', progress: 0.4 });
    expect(pollResultOf({ ...base, status: 'processing', logs: '' }, now)).toEqual({ state: 'running' });
  });

  it('succeeded → the output URL, expiring one hour after completion', () => {
    const r = pollResultOf({ ...base, status: 'succeeded', output: 'https://replicate.delivery/xezq/a/out.mp4', completed_at: '2026-03-01T10:02:53.000Z' }, now);
    expect(r).toEqual({ state: 'succeeded', result: { kind: 'url', url: 'https://replicate.delivery/xezq/a/out.mp4', expiresAt: '2026-03-01T11:02:53.000Z' } });
  });

  it('an output older than an hour is reported as expired, with the job id to recover it', () => {
    const r = pollResultOf({ ...base, status: 'succeeded', output: null, data_removed: true, completed_at: '2026-03-01T08:00:00.000Z' }, now);
    const e = errorOf(r);
    expect(e.kind).toBe('expired');
    expect(e.message).toContain('ty6ca28mv1rmr0cwd0hswwavdc');
  });

  it('failed → policy for moderation (E005), failed otherwise; canceled and aborted are failures too', () => {
    const kindOf = (p: Partial<Prediction>) => errorOf(pollResultOf({ ...base, ...p }, now)).kind;
    const policy = pollResultOf({ ...base, status: 'failed', error: 'The input or output was flagged as sensitive. Please try again with different inputs. (E005)' }, now);
    expect(errorOf(policy).kind).toBe('policy');
    expect(errorOf(policy).providerMessage).toContain('flagged as sensitive');
    expect(kindOf({ status: 'failed', error: 'CUDA out of memory' })).toBe('failed');
    expect(kindOf({ status: 'canceled' })).toBe('failed');
    expect(kindOf({ status: 'aborted' })).toBe('failed');
  });
});
