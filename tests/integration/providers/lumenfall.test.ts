// Lumenfall against the local mock on loopback: the official openai client proves the mock speaks the
// protocol; then our adapter runs end to end, through every scripted fault, cancels, reconciles by
// idempotency key and records the real cost.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CAPABILITIES } from '../../../shared/capabilities';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLumenfallAdapter } from '../../../electron/core/providers/lumenfall';
import type { AdapterContext, PollResult } from '../../../electron/core/providers/provider';
import { ProviderError } from '../../../electron/core/providers/provider-error';
import { LUMENFALL_MOCK_KEY, startLumenfallMock, type LumenfallMock } from '../../mock-providers/lumenfall';
import { ffprobe, tempDir } from '../helpers';
import { png } from '../../helpers/png';
import { specFactory } from '../../helpers/spec';

const adapter = createLumenfallAdapter();
let mock: LumenfallMock;
let dir: string;
let ctx: AdapterContext;


const spec = specFactory({ provider: 'lumenfall', audio: true });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let keys = 0;
const key = () => `job-${Date.now()}-${++keys}`;

async function pollToEnd(ref: string, c: AdapterContext = ctx): Promise<PollResult[]> {
  const seen: PollResult[] = [];
  for (let i = 0; i < 200; i++) {
    const r = await adapter.poll(ref, c);
    seen.push(r);
    if (r.state === 'succeeded' || r.state === 'failed') return seen;
    await sleep(40);
  }
  throw new Error('the job never finished');
}

async function download(url: string, name: string): Promise<{ file: string; bytes: number; status: number }> {
  const res = await fetch(url);
  const buf = Buffer.from(await res.arrayBuffer());
  const file = path.join(dir, name);
  await fs.writeFile(file, buf);
  return { file, bytes: buf.length, status: res.status };
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

const submissions = () => mock.state.submissions('submit');

beforeAll(async () => {
  mock = await startLumenfallMock();
  dir = await tempDir('storyreel-lumenfall-');
  await fs.mkdir(path.join(dir, 'refs'));
  await fs.writeFile(path.join(dir, 'refs', 'start.png'), png(320, 568));
  ctx = { config: { baseUrl: `${mock.url}/openai/v1`, credentials: { key: LUMENFALL_MOCK_KEY } }, projectDir: dir, workDir: dir };
});
afterAll(async () => {
  await mock?.close();
  await fs.rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  mock.state.timing = { queueMs: 100, runMs: 200 };
  mock.state.faults = [];
  mock.state.log.length = 0;
  mock.setBalance(1000);
});

describe('the official openai client against the mock', () => {
  it('creates, polls, reads the result and fetches a real MP4 of the requested length', async () => {
    const client = new OpenAI({ apiKey: LUMENFALL_MOCK_KEY, baseURL: `${mock.url}/openai/v1`, maxRetries: 0 });
    // The typed params are Sora's; Lumenfall takes its own model and free-form seconds/size.
    const created = await client.videos.create({ model: 'kling-v3', prompt: 'A paper boat in a rain gutter', seconds: '4', size: '768x1365' } as unknown as OpenAI.VideoCreateParams);
    expect(created.status).toBe('queued');
    expect(created.id).toMatch(/^video_/);
    // The client sends multipart/form-data; the mock reads it as Lumenfall does.
    const logged = submissions()[0];
    expect(String(logged.headers['content-type'])).toMatch(/^multipart\/form-data/);
    expect(logged.body).toMatchObject({ model: 'kling-v3', seconds: '4', size: '768x1365' });

    // Poll through the documented alias base (/v1) to show both paths reach the same job.
    const alias = new OpenAI({ apiKey: LUMENFALL_MOCK_KEY, baseURL: `${mock.url}/v1`, maxRetries: 0 });
    const statuses: string[] = [];
    let video = created as unknown as Record<string, any>;
    while (video.status !== 'completed' && video.status !== 'failed') {
      await sleep(40);
      video = (await alias.videos.retrieve(created.id)) as unknown as Record<string, any>;
      statuses.push(video.status);
    }
    expect(statuses).toContain('in_progress');
    expect(video.status).toBe('completed');
    expect(video.output.content_type).toBe('video/mp4');
    expect(video.expires_at).toBeGreaterThan(video.completed_at);
    expect(video.metadata).toMatchObject({ cost: 0.504, cost_currency: 'USD', provider: 'fal' });

    const { file, bytes } = await download(video.output.url, 'official.mp4');
    expect(bytes).toBe(video.output.size_bytes);
    const probe = (await ffprobe(file)) as Awaited<ReturnType<typeof ffprobe>> & { format: { format_name: string } };
    expect(probe.format.format_name).toContain('mp4');
    expect(Number(probe.format.duration)).toBeCloseTo(4, 0);
    const v = probe.streams.find((s) => s.codec_type === 'video')!;
    expect(v.width! < v.height!).toBe(true); // 9:16, as the size asked
  });

  it('refuses DELETE on a video (no documented cancel; it would delete a finished video in the API Lumenfall imitates)', async () => {
    const client = new OpenAI({ apiKey: LUMENFALL_MOCK_KEY, baseURL: `${mock.url}/openai/v1`, maxRetries: 0 });
    const created = await client.videos.create({ model: 'kling-v3', prompt: 'A short test', seconds: '3' } as unknown as OpenAI.VideoCreateParams);
    const err = await client.videos.delete(created.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(405);
    expect(((await client.videos.retrieve(created.id)) as { status: string }).status).not.toBe('cancelled');
  });
});

describe('the Lumenfall adapter end to end', () => {
  it('submits once, polls to success, and the URL gives a playable clip of the right length', async () => {
    const k = key();
    const s = spec({ aspectRatio: '9:16', durationSec: 5, startFrame: 'refs/start.png', prompt: 'The keeper climbs the stairs.' });
    const { ref } = await adapter.submit(s, ctx, { idempotencyKey: k });
    const seen = await pollToEnd(ref);
    expect(seen[0].state).toBe('queued');
    const running = seen.filter((r): r is Extract<PollResult, { state: 'running' }> => r.state === 'running');
    expect(running.length).toBeGreaterThan(0);
    expect(running.every((r) => r.progress! >= 0 && r.progress! <= 1)).toBe(true);
    const done = seen.at(-1)!;
    if (done.state !== 'succeeded' || done.result.kind !== 'url') throw new Error(`expected success, got ${JSON.stringify(done)}`);
    // The real cost from metadata.cost: fal standard with audio, 5 s × $0.126.
    expect(done.actualUsd).toBeCloseTo(0.63, 6);
    expect(done.providerCost).toBe('0.63 USD');
    expect(Date.parse(done.result.expiresAt!)).toBeGreaterThan(Date.now());

    const { file, bytes } = await download(done.result.url, 'adapter.mp4');
    expect(bytes).toBe(done.result.sizeBytes);
    const probe = await ffprobe(file);
    expect(Number(probe.format.duration)).toBeCloseTo(5, 0);
    expect(probe.streams.map((st) => st.codec_type).sort()).toEqual(['audio', 'video']);

    // Exactly one submission, shaped as docs/providers.md §4.3 says.
    expect(submissions()).toHaveLength(1);
    expect(mock.state.jobs.size).toBeGreaterThanOrEqual(1);
    const sent = submissions()[0];
    expect(sent.path).toBe('/openai/v1/videos');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.headers.authorization).toBe(`Bearer ${LUMENFALL_MOCK_KEY}`);
    const body = sent.body as Record<string, any>;
    expect(body).toMatchObject({ model: 'kling-v3', prompt: 'The keeper climbs the stairs.', seconds: '5', aspect_ratio: '9:16', generate_audio: true, cfg_scale: 0.5, idempotency_key: k });
    expect(body.input_reference).toHaveLength(1);
    expect(body.input_reference[0].image_url).toMatch(/^data:image\/png;base64,/);
    expect(body).not.toHaveProperty('mode');
  });

  it('sends a three-shot group the mock accepts and returns one clip of the whole length', async () => {
    const s = spec({
      prompt: undefined,
      durationSec: 10,
      audio: false,
      shots: [
        { shotId: 'a', label: 'shot 1', prompt: 'Wide: the lighthouse.', durationSec: 3 },
        { shotId: 'b', label: 'shot 2', prompt: 'Close: the lamp.', durationSec: 3 },
        { shotId: 'c', label: 'shot 3', prompt: 'Aerial: the beam.', durationSec: 4 },
      ],
    });
    const { ref } = await adapter.submit(s, ctx, { idempotencyKey: key() });
    const done = (await pollToEnd(ref)).at(-1)!;
    if (done.state !== 'succeeded' || done.result.kind !== 'url') throw new Error(`expected success, got ${JSON.stringify(done)}`);
    const probe = await ffprobe((await download(done.result.url, 'group.mp4')).file);
    expect(Number(probe.format.duration)).toBeCloseTo(10, 0);
    expect(probe.streams.some((st) => st.codec_type === 'audio')).toBe(false);
    expect(done.actualUsd).toBeCloseTo(0.84, 6); // 10 s × $0.084, audio off
  });

  it('asks Lumenfall for a dry-run quote without creating a job', async () => {
    const before = mock.state.jobs.size;
    const quote = await adapter.estimate(spec({ tier: 'pro', durationSec: 10, audio: true }), ctx);
    expect(quote.usd).toBeCloseTo(2.52, 6); // Replicate route, audio on: 10 s × $0.252
    expect(quote.raw).toMatchObject({ estimated: true, model: 'kling-v3', provider: 'replicate' });
    expect(mock.state.jobs.size).toBe(before);
    expect(submissions()[0].path).toBe('/openai/v1/videos?dryRun=true');
    expect(submissions()[0].body).not.toHaveProperty('idempotency_key');
  });

  it('stops before sending anything once the signal is aborted', async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(adapter.submit(spec(), { ...ctx, signal: abort.signal }, { idempotencyKey: key() })).rejects.toThrow();
    expect(mock.state.log).toHaveLength(0);
  });
});

describe('faults become ProviderErrors a person can act on', () => {
  it('429 with Retry-After → rate-limit with retryAfterMs, and no job', async () => {
    const before = mock.state.jobs.size;
    mock.state.faults.push({ stage: 'submit', kind: 'http-429', retryAfterSec: 7 });
    const err = await failure(adapter.submit(spec(), ctx, { idempotencyKey: key() }));
    expect([err.kind, err.status, err.retryAfterMs]).toEqual(['rate-limit', 429, 7000]);
    expect(err.retryable).toBe(true);
    expect(mock.state.jobs.size).toBe(before);
  });

  it('500 while polling and 503 / 502 (all providers exhausted) on submit → outage', async () => {
    const { ref } = await adapter.submit(spec(), ctx, { idempotencyKey: key() });
    mock.state.faults.push({ stage: 'status', kind: 'http-500' });
    const polled = await failure(adapter.poll(ref, ctx));
    expect([polled.kind, polled.status]).toEqual(['outage', 500]);
    expect(polled.jobRef).toMatch(/^video_/);

    mock.state.faults.push({ stage: 'submit', kind: 'http-503' });
    const unavailable = await failure(adapter.submit(spec(), ctx, { idempotencyKey: key() }));
    expect([unavailable.kind, unavailable.status]).toEqual(['outage', 503]);

    mock.exhaustProviders(1);
    const exhausted = await failure(adapter.submit(spec(), ctx, { idempotencyKey: key() }));
    expect([exhausted.kind, exhausted.status]).toEqual(['outage', 502]);
    expect(exhausted.providerMessage).toContain('ALL_PROVIDERS_EXHAUSTED');
  });

  it('a dropped connection → network, on submit and on poll', async () => {
    mock.state.faults.push({ stage: 'submit', kind: 'drop' });
    expect((await failure(adapter.submit(spec(), ctx, { idempotencyKey: key() }))).kind).toBe('network');
    const { ref } = await adapter.submit(spec(), ctx, { idempotencyKey: key() });
    mock.state.faults.push({ stage: 'status', kind: 'drop' });
    expect((await failure(adapter.poll(ref, ctx))).kind).toBe('network');
  });

  it('a rejected key → auth, and the key appears nowhere in the error', async () => {
    const wrong = 'lmnfl_wrongButPlausibleKey77x';
    const bad = { ...ctx, config: { ...ctx.config, credentials: { key: wrong } } };
    const err = await failure(adapter.submit(spec(), bad, { idempotencyKey: key() }));
    expect([err.kind, err.status]).toEqual(['auth', 401]);
    expect(err.message).toContain('LUMENFALL_API_KEY');
    for (const text of [err.message, err.providerMessage, String(err), JSON.stringify(err), JSON.stringify(err.details ?? [])]) {
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(LUMENFALL_MOCK_KEY);
    }
    // A key without Lumenfall's prefix, and a scripted auth failure while polling, say the same.
    const malformed = { ...ctx, config: { ...ctx.config, credentials: { key: 'sk-notLumenfall123456' } } };
    expect((await failure(adapter.submit(spec(), malformed, { idempotencyKey: key() }))).kind).toBe('auth');
    const { ref } = await adapter.submit(spec(), ctx, { idempotencyKey: key() });
    mock.state.faults.push({ stage: 'status', kind: 'auth' });
    const polled = await failure(adapter.poll(ref, ctx));
    expect(polled.kind).toBe('auth');
    expect(polled.message).not.toContain(LUMENFALL_MOCK_KEY);
  });

  it('content policy → policy with the provider reason, at submit and when the job fails later', async () => {
    mock.state.faults.push({ stage: 'submit', kind: 'policy' });
    const refused = await failure(adapter.submit(spec(), ctx, { idempotencyKey: key() }));
    expect([refused.kind, refused.field]).toEqual(['policy', 'prompt']);
    expect(refused.providerMessage).toContain('Content policy violation');

    mock.state.faults.push({ stage: 'status', kind: 'policy' });
    const { ref } = await adapter.submit(spec(), ctx, { idempotencyKey: key() });
    const end = (await pollToEnd(ref)).at(-1)!;
    if (end.state !== 'failed') throw new Error(`expected failure, got ${end.state}`);
    const err = end.error as ProviderError;
    expect(err.kind).toBe('policy');
    expect(err.providerMessage).toContain('flagged by the content safety system');
    expect(err.jobRef).toMatch(/^video_/);
  });

  it('a refused parameter → validation naming the field, and nothing is created', async () => {
    const before = mock.state.jobs.size;
    // The engine validates first; this bypasses it to hear the provider's own refusal.
    const long = await failure(adapter.submit(spec({ durationSec: 20 }), ctx, { idempotencyKey: key() }));
    expect([long.kind, long.field, long.status]).toEqual(['validation', 'duration', 400]);
    expect(long.providerMessage).toContain("'seconds'");
    const hook = await failure(adapter.submit(spec({ extra: { webhook_url: 'http://localhost:9/hook' } }), ctx, { idempotencyKey: key() }));
    expect([hook.kind, hook.field]).toEqual(['validation', 'webhook']);
    expect(mock.state.jobs.size).toBe(before);
  });

  it('an empty account → balance, with Lumenfall’s amounts', async () => {
    mock.setBalance(0.05);
    const err = await failure(adapter.submit(spec(), ctx, { idempotencyKey: key() }));
    expect([err.kind, err.status]).toEqual(['balance', 402]);
    expect(err.providerMessage).toContain('Insufficient balance: $0.63 required, $0.05 available');
  });

  it('the mock serves scripted download faults (corrupt bytes, expired link)', async () => {
    mock.state.faults.push({ stage: 'download', kind: 'corrupt' });
    const { ref } = await adapter.submit(spec({ durationSec: 3 }), ctx, { idempotencyKey: key() });
    const done = (await pollToEnd(ref)).at(-1)!;
    if (done.state !== 'succeeded' || done.result.kind !== 'url') throw new Error('expected success');
    const corrupt = await download(done.result.url, 'corrupt.mp4');
    expect(corrupt.bytes).toBe(done.result.sizeBytes);
    await expect(ffprobe(corrupt.file)).rejects.toThrow();

    mock.state.faults.push({ stage: 'download', kind: 'expired' });
    const second = await adapter.submit(spec({ durationSec: 3 }), ctx, { idempotencyKey: key() });
    const end = (await pollToEnd(second.ref)).at(-1)!;
    if (end.state !== 'succeeded' || end.result.kind !== 'url') throw new Error('expected success');
    expect((await download(end.result.url, 'expired.mp4')).status).toBe(403);
  });
});

describe('cancel, reconcile and cost', () => {
  it('has no provider cancel: a stop is local only (capabilities: local-only), and nothing is sent to Lumenfall', async () => {
    expect(adapter.cancel).toBeUndefined();
    expect(CAPABILITIES.lumenfall.cancel).toBe('local-only');
  });

  it('reconcile re-sends the same idempotency_key and gets the existing job back, not a second one', async () => {
    mock.state.timing = { queueMs: 2000, runMs: 2000 };
    const k = key();
    const jobsBefore = mock.state.jobs.size;
    const first = await adapter.submit(spec(), ctx, { idempotencyKey: k });
    const found = await adapter.reconcile!(k, spec(), ctx);
    expect(found).toEqual(first);
    expect(submissions()).toHaveLength(2); // two requests arrived…
    expect(mock.state.jobs.size).toBe(jobsBefore + 1); // …one job exists
    expect(mock.balance()).toBeCloseTo(1000 - 0.63, 6); // and it was charged once
  });

  it('records the actual cost from metadata.cost on the Replicate (pro) route', async () => {
    const { ref } = await adapter.submit(spec({ tier: 'pro', durationSec: 4, audio: false }), ctx, { idempotencyKey: key() });
    expect((submissions()[0].body as Record<string, unknown>).mode).toBe('pro');
    const done = (await pollToEnd(ref)).at(-1)!;
    if (done.state !== 'succeeded') throw new Error('expected success');
    expect(done.actualUsd).toBeCloseTo(0.672, 6); // 4 s × $0.168
    expect(mock.record(JSON.parse(ref).id)?.route).toBe('replicate');
  });
});
