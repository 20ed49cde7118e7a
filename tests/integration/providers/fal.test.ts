// fal.ai against the local mock on loopback: the official client proves the mock speaks fal's queue
// protocol; then our adapter runs end to end, through every scripted fault, and cancels.
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createFalClient, ApiError, ValidationError } from '@fal-ai/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFalAdapter } from '../../../electron/core/providers/fal';
import type { AdapterContext, PollResult } from '../../../electron/core/providers/provider';
import { ProviderError } from '../../../electron/core/providers/provider-error';
import { FAL_MOCK_KEY, startFalMock } from '../../mock-providers/fal';
import type { RunningMock } from '../../mock-providers/common';
import { ffprobe, tempDir } from '../helpers';
import { png } from '../../helpers/png';
import { specFactory } from '../../helpers/spec';

const T2V = 'fal-ai/kling-video/v3/standard/text-to-video';
const adapter = createFalAdapter();
let mock: RunningMock;
let dir: string;
let ctx: AdapterContext;


const spec = specFactory({ provider: 'fal', tier: 'pro', audio: true });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pollUntilDone(ref: string, c: AdapterContext = ctx): Promise<{ last: PollResult; seen: PollResult[] }> {
  const seen: PollResult[] = [];
  for (let i = 0; i < 400; i++) {
    const r = await adapter.poll(ref, c);
    seen.push(r);
    if (r.state === 'succeeded' || r.state === 'failed') return { last: r, seen };
    await sleep(20);
  }
  throw new Error('the job never finished');
}

async function rejection(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ProviderError);
    return err as ProviderError;
  }
  throw new Error('expected a ProviderError, but the call succeeded');
}

/** Everything about an error a person or a log could see. */
const visible = (e: ProviderError) => [e.message, e.providerMessage, ...(e.details ?? []), String(e.stack), JSON.stringify(e)].join('\n');

/** Reads a body until the server cuts it off; returns what arrived. */
async function readUntilCut(url: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    const res = await fetch(url);
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value));
    }
  } catch {
    // the cut is the point
  }
  return Buffer.concat(chunks);
}

async function download(url: string, name: string): Promise<{ file: string; bytes: number }> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('video/mp4');
  const buf = Buffer.from(await res.arrayBuffer());
  const file = path.join(dir, name);
  await fs.writeFile(file, buf);
  return { file, bytes: buf.length };
}

beforeAll(async () => {
  mock = await startFalMock();
  dir = await tempDir('storyreel-fal-int-');
  await fs.mkdir(path.join(dir, 'frames'), { recursive: true });
  await fs.writeFile(path.join(dir, 'frames', 'portrait.png'), png(320, 568));
  await fs.writeFile(path.join(dir, 'frames', 'hero.png'), png(320, 320));
  ctx = { config: { baseUrl: mock.url, credentials: { key: FAL_MOCK_KEY } }, projectDir: dir, workDir: dir };
});
afterAll(async () => {
  await mock.close();
  await fs.rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  mock.state.timing = { queueMs: 100, runMs: 200 };
  mock.state.faults = [];
  mock.state.log.length = 0;
});

describe('the official @fal-ai/client against the mock', () => {
  // The client builds https://queue.fal.run/… URLs; its request middleware is the documented hook for
  // sending them elsewhere (a proxy) — here, to the mock.
  const client = (credentials = FAL_MOCK_KEY) =>
    createFalClient({
      credentials,
      requestMiddleware: async (req) => ({ ...req, url: req.url.replace('https://queue.fal.run', mock.url) }),
    });

  it('refuses what fal v3 refuses: a top-level voice_ids, prompt together with multi_prompt, a voice on an image element', async () => {
    const fal = client();
    const refused = async (input: Record<string, unknown>, endpoint = T2V) => {
      const err = await fal.queue.submit(endpoint, { input }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      return (err as ValidationError).fieldErrors.map((f) => [f.loc.join('.'), f.type]);
    };
    expect(await refused({ prompt: 'two friends talk', voice_ids: ['v1'], generate_audio: true })).toEqual([['body.voice_ids', 'extra_forbidden']]);
    expect(await refused({ prompt: 'one', multi_prompt: [{ prompt: 'a', duration: '2' }, { prompt: 'b', duration: '3' }], shot_type: 'customize' })).toEqual([['body.prompt', 'value_error']]);
    const image = `data:image/png;base64,${png(320, 320).toString('base64')}`;
    const i2v = 'fal-ai/kling-video/v3/pro/image-to-video';
    expect(await refused({ prompt: 'p', start_image_url: image, elements: [{ frontal_image_url: image, reference_image_urls: [image], voice_id: 'v1' }] }, i2v)).toEqual([
      ['body.elements.0.voice_id', 'value_error'],
    ]);
    // A 1 s shot in a group is fine (KlingV3MultiPromptElement.duration "1"…"15").
    const ok = await fal.queue.submit(T2V, { input: { multi_prompt: [{ prompt: 'a', duration: '1' }, { prompt: 'b', duration: '2' }], shot_type: 'customize', duration: '3' } });
    expect(ok.status).toBe('IN_QUEUE');
  });

  it('uploads a file through storage as the client does, and the returned URL serves it', async () => {
    const fal = createFalClient({
      credentials: FAL_MOCK_KEY,
      requestMiddleware: async (req) => ({ ...req, url: req.url.replace('https://rest.fal.ai', mock.url) }),
    });
    const bytes = png(320, 568);
    const url = await fal.storage.upload(new Blob([new Uint8Array(bytes)], { type: 'image/png' }));
    expect(url).toMatch(new RegExp(`^${mock.url}/cdn/`));
    expect(Buffer.from(await (await fetch(url)).arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('submits, polls to completion with logs, reads the result and downloads a real MP4 of the asked length', async () => {
    mock.state.timing = { queueMs: 3000, runMs: 200 }; // each queue place lasts 1 s: long enough to see every place on a busy machine (500 ms was not, in CI)
    // The mock's timing is global: a job an earlier test submitted moments ago would count as queued ahead of
    // this one again under the longer queue, and leave it only milliseconds before this one's own turn (CI saw 1, not 0).
    mock.state.jobs.clear();
    const fal = client();
    const input = { prompt: 'a paper boat on a rain-soaked street', duration: '4' as const, aspect_ratio: '9:16' as const, generate_audio: true };
    const submitted = await fal.queue.submit(T2V, { input });
    expect(submitted.status).toBe('IN_QUEUE');
    expect(submitted.status_url).toBe(`${mock.url}/fal-ai/kling-video/requests/${submitted.request_id}/status`);

    const early = await fetch(submitted.response_url, { headers: { authorization: `Key ${FAL_MOCK_KEY}` } });
    expect(early.status).toBe(400);
    expect(await early.json()).toEqual({ detail: 'Request is still in progress' });

    const updates: { status: string; queue_position?: number; logs?: unknown[] | null; metrics?: { inference_time: number | null } }[] = [];
    const done = await fal.queue.subscribeToStatus(T2V, {
      requestId: submitted.request_id,
      logs: true,
      pollInterval: 25,
      onQueueUpdate: (u) => updates.push(u as (typeof updates)[number]),
    });
    expect(done.status).toBe('COMPLETED');
    const queued = updates.filter((u) => u.status === 'IN_QUEUE').map((u) => u.queue_position!);
    expect(queued.length).toBeGreaterThan(0);
    expect(queued[0]).toBeGreaterThan(queued[queued.length - 1]); // the queue drains
    expect(queued[queued.length - 1]).toBe(0);
    const running = updates.find((u) => u.status === 'IN_PROGRESS');
    expect(running?.logs?.length).toBeGreaterThan(0);
    expect(updates[updates.length - 1].metrics?.inference_time).toBeCloseTo(0.2);

    const result = await fal.queue.result(T2V, { requestId: submitted.request_id });
    expect(result.requestId).toBe(submitted.request_id);
    const video = (result.data as { video: { url: string; content_type: string; file_size: number } }).video;
    expect(video.content_type).toBe('video/mp4');
    expect(video.url.startsWith(mock.url)).toBe(true);

    const { file, bytes } = await download(video.url, 'official.mp4');
    expect(bytes).toBe(video.file_size);
    const probe = await ffprobe(file);
    expect(Number(probe.format.duration)).toBeCloseTo(4, 0);
    const v = probe.streams.find((s) => s.codec_type === 'video')!;
    expect(v.height! > v.width!).toBe(true);
    expect(probe.streams.some((s) => s.codec_type === 'audio')).toBe(true);

    // The client asks for status in owner/alias form; the per-model OpenAPI's full-path form works too.
    expect(mock.state.log.filter((r) => r.stage === 'status').every((r) => r.path.startsWith(`/fal-ai/kling-video/requests/${submitted.request_id}/status?logs=1`))).toBe(true);
    const full = await fetch(`${mock.url}/${T2V}/requests/${submitted.request_id}/status`, { headers: { authorization: `Key ${FAL_MOCK_KEY}` } });
    expect(full.headers.get('x-fal-request-id')).toBe(submitted.request_id);
    expect(((await full.json()) as { status: string }).status).toBe('COMPLETED');
  });

  it('subscribe() runs the whole round trip, and the stream endpoint ends on COMPLETED', async () => {
    const fal = client();
    const out = await fal.subscribe(T2V, { input: { prompt: 'fog over a harbour', duration: '3' as const }, pollInterval: 25 });
    expect((out.data as { video: { url: string } }).video.url).toMatch(/\/files\/.+\/output\.mp4$/);

    const sse = await fetch(`${mock.url}/fal-ai/kling-video/requests/${out.requestId}/status/stream?logs=0`, { headers: { authorization: `Key ${FAL_MOCK_KEY}` } });
    expect(sse.headers.get('content-type')).toBe('text/event-stream');
    const events = (await sse.text()).split('\n\n').filter(Boolean).map((e) => JSON.parse(e.replace(/^data: /, '')) as { status: string });
    expect(events[events.length - 1].status).toBe('COMPLETED');
  });

  it('reports a number duration as a 422 ValidationError on that field, and a wrong key as 401', async () => {
    const fal = client();
    const bad = await fal.queue.submit(T2V, { input: { prompt: 'x', duration: 5 } as never }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ValidationError);
    expect((bad as ValidationError).status).toBe(422);
    expect((bad as ValidationError).getFieldErrors('duration')[0].msg).toMatch(/Input should be '3'/);

    const wrong = await client('someone-else:not-the-secret').queue.submit(T2V, { input: { prompt: 'x' } }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ApiError);
    expect((wrong as ApiError<{ detail: string }>).status).toBe(401);
    expect((wrong as ApiError<{ detail: string }>).body.detail).toBe('No user found for Key ID and Secret');
  });

  it('cancels a queued request, and reports a finished one as already completed', async () => {
    const fal = client();
    mock.state.timing = { queueMs: 5000, runMs: 200 };
    const { request_id } = await fal.queue.submit(T2V, { input: { prompt: 'x' } });
    await fal.queue.cancel(T2V, { requestId: request_id });
    const again = await fal.queue.cancel(T2V, { requestId: request_id }).catch((e: unknown) => e);
    expect((again as ApiError<unknown>).status).toBe(400);
    expect((again as ApiError<{ status: string }>).body).toEqual({ status: 'ALREADY_COMPLETED' });
    const unknown = await fal.queue.cancel(T2V, { requestId: 'no-such-request' }).catch((e: unknown) => e);
    expect((unknown as ApiError<{ status: string }>).status).toBe(404);
  });
});

describe('the fal adapter end to end', () => {
  it('submits once, polls through queued and running to a URL, and the download is the clip asked for', async () => {
    const s = spec({ tier: 'pro', durationSec: 5, aspectRatio: '16:9', audio: true, negativePrompt: 'blur', cfgScale: 0.4 });
    const { ref } = await adapter.submit(s, ctx, { idempotencyKey: 'idem-1' });
    expect(JSON.parse(ref).status).toMatch(/^\/fal-ai\/kling-video\/requests\/[0-9a-f-]+\/status$/);

    const { last, seen } = await pollUntilDone(ref);
    const queued = seen.find((r) => r.state === 'queued');
    expect(queued && queued.state === 'queued' && typeof queued.queuePosition).toBe('number');
    expect(seen.some((r) => r.state === 'running')).toBe(true);
    expect(last.state).toBe('succeeded');
    if (last.state !== 'succeeded' || last.result.kind !== 'url') throw new Error('no URL');

    const { file, bytes } = await download(last.result.url, 'adapter.mp4');
    expect(bytes).toBe(last.result.sizeBytes);
    const probe = await ffprobe(file);
    expect(Number(probe.format.duration)).toBeCloseTo(5, 0);
    const v = probe.streams.find((x) => x.codec_type === 'video')!;
    expect(v.width! > v.height!).toBe(true);
    expect(probe.streams.some((x) => x.codec_type === 'audio')).toBe(true);

    const submissions = mock.state.submissions();
    expect(submissions).toHaveLength(1);
    expect(submissions[0].path).toBe('/fal-ai/kling-video/v3/pro/text-to-video');
    expect(submissions[0].headers.authorization).toBe(`Key ${FAL_MOCK_KEY}`);
    expect(submissions[0].body).toEqual({
      prompt: 'A lighthouse in a storm at dusk.',
      duration: '5',
      aspect_ratio: '16:9',
      generate_audio: true,
      negative_prompt: 'blur',
      cfg_scale: 0.4,
    });
    // Polling followed the URLs fal returned (owner/alias form), the result was read once.
    expect(mock.state.log.filter((r) => r.stage === 'status').every((r) => r.path.includes('/fal-ai/kling-video/requests/'))).toBe(true);
    expect(mock.state.submissions('result')).toHaveLength(1);
  });

  it('image-to-video with a three-shot group: the clip follows the portrait start frame and lasts as long as its shots', async () => {
    const s = spec({
      tier: 'standard',
      prompt: undefined,
      audio: false,
      durationSec: 9,
      startFrame: 'frames/portrait.png',
      shotType: 'customize',
      // A 1 s shot inside the group: fal's per-shot duration enum starts at "1" (docs/providers.md §2.5).
      shots: [
        { shotId: 'a', label: 'shot 1', prompt: 'She looks up.', durationSec: 1 },
        { shotId: 'b', label: 'shot 2', prompt: 'She smiles.', durationSec: 3 },
        { shotId: 'c', label: 'shot 3', prompt: 'She walks away.', durationSec: 5 },
      ],
    });
    const { ref } = await adapter.submit(s, ctx, { idempotencyKey: 'idem-2' });
    const { last } = await pollUntilDone(ref);
    if (last.state !== 'succeeded' || last.result.kind !== 'url') throw new Error(`not succeeded: ${last.state}`);
    const probe = await ffprobe((await download(last.result.url, 'i2v.mp4')).file);
    expect(Number(probe.format.duration)).toBeCloseTo(9, 0);
    const v = probe.streams.find((x) => x.codec_type === 'video')!;
    expect(v.height! > v.width!).toBe(true);
    expect(probe.streams.some((x) => x.codec_type === 'audio')).toBe(false);
    const sent = mock.state.submissions()[0];
    expect(sent.path).toBe('/fal-ai/kling-video/v3/standard/image-to-video');
    expect((sent.body as Record<string, unknown>).multi_prompt).toEqual([
      { prompt: 'She looks up.', duration: '1' },
      { prompt: 'She smiles.', duration: '3' },
      { prompt: 'She walks away.', duration: '5' },
    ]);
    // The start frame went to fal's storage first (initiate + PUT, as @fal-ai/client does) and the body names its URL.
    const uploads = mock.state.log.filter((r) => r.stage === 'upload');
    expect(uploads.map((r) => `${r.method} ${r.path.split('?')[0].replace(/[0-9a-f-]{36}/, 'ID')}`)).toEqual(['POST /storage/upload/initiate', 'PUT /cdn/ID/upload']);
    expect(uploads[0].headers.authorization).toBe(`Key ${FAL_MOCK_KEY}`);
    expect(uploads[1].headers.authorization).toBeUndefined(); // the signed upload URL carries no key
    const startUrl = String((sent.body as Record<string, unknown>).start_image_url);
    expect(startUrl).toMatch(new RegExp(`^${mock.url}/cdn/[0-9a-f-]{36}/start\\.png$`));
    expect(Buffer.from(await (await fetch(startUrl)).arrayBuffer()).equals(await fs.readFile(path.join(dir, 'frames', 'portrait.png')))).toBe(true);
  });

  it('stops when the engine aborts, with the engine’s own reason', async () => {
    const { ref } = await adapter.submit(spec(), ctx, { idempotencyKey: 'idem-3' });
    const controller = new AbortController();
    controller.abort(new Error('job paused'));
    await expect(adapter.poll(ref, { ...ctx, signal: controller.signal })).rejects.toThrow('job paused');
  });
});

describe('fal faults reach the engine as ProviderErrors of the right kind', () => {
  it('429 with Retry-After → rate-limit with the wait, and no hidden retry', async () => {
    mock.state.faults.push({ stage: 'submit', kind: 'http-429', retryAfterSec: 3 });
    const e = await rejection(adapter.submit(spec(), ctx, { idempotencyKey: 'k' }));
    expect([e.kind, e.status, e.retryAfterMs, e.retryable]).toEqual(['rate-limit', 429, 3000, true]);
    expect(mock.state.submissions()).toHaveLength(1);
  });

  it('500 while polling and 503 on submit → outage; the next poll carries on', async () => {
    const { ref } = await adapter.submit(spec(), ctx, { idempotencyKey: 'k' });
    mock.state.faults.push({ stage: 'status', kind: 'http-500' });
    const e500 = await rejection(adapter.poll(ref, ctx));
    expect([e500.kind, e500.status, e500.jobRef]).toEqual(['outage', 500, JSON.parse(ref).requestId]);
    expect((await pollUntilDone(ref)).last.state).toBe('succeeded');

    mock.state.faults.push({ stage: 'submit', kind: 'http-503' });
    const e503 = await rejection(adapter.submit(spec(), ctx, { idempotencyKey: 'k2' }));
    expect([e503.kind, e503.status]).toEqual(['outage', 503]);
    expect(e503.providerMessage).toContain('runner_scheduling_failure');
  });

  it('a dropped connection → network, on submit and on poll', async () => {
    mock.state.faults.push({ stage: 'submit', kind: 'drop' });
    expect((await rejection(adapter.submit(spec(), ctx, { idempotencyKey: 'k' }))).kind).toBe('network');
    const { ref } = await adapter.submit(spec(), ctx, { idempotencyKey: 'k' });
    mock.state.faults.push({ stage: 'status', kind: 'drop' });
    expect((await rejection(adapter.poll(ref, ctx))).kind).toBe('network');
  });

  it('a wrong, malformed or missing key → auth, and the key appears in no message', async () => {
    const wrongKey = 'a1b2c3d4-0000-4000-8000-deadbeef0001:s3cr3tVALUEthatMustNeverLeak42';
    const wrong = await rejection(adapter.submit(spec(), { ...ctx, config: { ...ctx.config, credentials: { key: wrongKey } } }, { idempotencyKey: 'k' }));
    expect([wrong.kind, wrong.status, wrong.providerMessage]).toEqual(['auth', 401, 'No user found for Key ID and Secret']);

    const malformedKey = 'justOneLongSecretWithoutAColon123';
    const malformed = await rejection(adapter.submit(spec(), { ...ctx, config: { ...ctx.config, credentials: { key: malformedKey } } }, { idempotencyKey: 'k' }));
    expect(malformed.kind).toBe('auth');
    // fal's own words reach the person: redaction masks credentials, not the word after "Key".
    expect(malformed.providerMessage).toMatch(/^Invalid Key Authorization header format\. Expected '<key_id>:<key_secret>'/);

    const before = mock.state.log.length;
    const missing = await rejection(adapter.submit(spec(), { ...ctx, config: { ...ctx.config, credentials: {} } }, { idempotencyKey: 'k' }));
    expect(missing.kind).toBe('auth');
    expect(mock.state.log.length).toBe(before); // nothing was sent without a key

    const { ref } = await adapter.submit(spec(), ctx, { idempotencyKey: 'k' });
    mock.state.faults.push({ stage: 'status', kind: 'auth' });
    const onPoll = await rejection(adapter.poll(ref, ctx));
    expect(onPoll.kind).toBe('auth');

    for (const e of [wrong, malformed, missing, onPoll]) {
      for (const secret of [wrongKey, malformedKey, FAL_MOCK_KEY, FAL_MOCK_KEY.split(':')[1], wrongKey.split(':')[1]]) {
        expect(visible(e)).not.toContain(secret);
      }
    }
  });

  it('a proxy that echoes the key back still cannot put it in front of a person', async () => {
    const key = 'e5f6a7b8-1111-4222-8333-cafef00d0002:echoedSecretThatMustNotShow77';
    const echo = http.createServer((req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ detail: `rejected ${req.headers.authorization}; secret ${key.split(':')[1]} unknown` }));
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    try {
      const port = (echo.address() as AddressInfo).port;
      const e = await rejection(adapter.submit(spec(), { ...ctx, config: { baseUrl: `http://127.0.0.1:${port}`, credentials: { key } } }, { idempotencyKey: 'k' }));
      expect(e.kind).toBe('auth');
      expect(e.providerMessage).toMatch(/^rejected Key ····; secret ···· unknown$/);
      for (const secret of [key, key.split(':')[0], key.split(':')[1]]) expect(visible(e)).not.toContain(secret);
    } finally {
      await new Promise<void>((r) => echo.close(() => r()));
    }
  });

  it('nobody listening → network', async () => {
    const gone = http.createServer();
    await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
    const port = (gone.address() as AddressInfo).port;
    await new Promise<void>((r) => gone.close(() => r()));
    const e = await rejection(adapter.submit(spec(), { ...ctx, config: { ...ctx.config, baseUrl: `http://127.0.0.1:${port}` } }, { idempotencyKey: 'k' }));
    expect(e.kind).toBe('network');
    expect(e.providerMessage).toMatch(/ECONNREFUSED/);
  });

  it('content policy → policy with fal’s reason, whether moderation answers at submit or fails the run', async () => {
    mock.state.faults.push({ stage: 'submit', kind: 'policy' });
    const atSubmit = await rejection(adapter.submit(spec(), ctx, { idempotencyKey: 'k' }));
    expect([atSubmit.kind, atSubmit.field]).toEqual(['policy', 'prompt']);
    expect(atSubmit.providerMessage).toMatch(/flagged by a content checker/);

    mock.state.faults.push({ stage: 'status', kind: 'policy' });
    const { ref } = await adapter.submit(spec(), ctx, { idempotencyKey: 'k' });
    const { last } = await pollUntilDone(ref);
    if (last.state !== 'failed') throw new Error(`expected failed, got ${last.state}`);
    const e = last.error as ProviderError;
    expect(e).toBeInstanceOf(ProviderError);
    expect([e.kind, e.field, e.jobRef]).toEqual(['policy', 'prompt', JSON.parse(ref).requestId]);
    expect(e.providerMessage).toBe('The prompt was flagged by the content safety system.');
    expect(e.message).toContain('Rephrase the shot');
  });

  it('a 422 from fal → validation naming the field in our words, and no job is queued', async () => {
    const jobsBefore = mock.state.jobs.size;
    const bad = await rejection(adapter.submit(spec({ negativePrompt: 'x'.repeat(2501) }), ctx, { idempotencyKey: 'k' }));
    expect([bad.kind, bad.status, bad.field]).toEqual(['validation', 422, 'negative prompt']);
    expect(mock.state.jobs.size).toBe(jobsBefore);
  });

  it('shot voices are refused before anything is sent; a voice bound to a character given as a video reaches fal as elements[].voice_id', async () => {
    const before = mock.state.log.length;
    const listed = await rejection(adapter.submit(spec({ voiceIds: ['v1'] }), ctx, { idempotencyKey: 'k' }));
    expect([listed.kind, listed.field, listed.providerMessage]).toEqual(['validation', 'voices', 'fal.ai binds a voice to a character: add a character with this voice']);
    expect(mock.state.log.length).toBe(before);

    const video = path.join(dir, 'chars', 'hero.mp4');
    await fs.mkdir(path.dirname(video), { recursive: true });
    await fs.writeFile(video, Buffer.from('not really an mp4, but bytes fal stores as given'));
    const { ref } = await adapter.submit(
      spec({ startFrame: 'frames/hero.png', elements: [{ name: 'Hero', video: 'chars/hero.mp4', voiceId: 'voice_853965' }], prompt: '@Element1 says "the lamp is out"' }),
      ctx,
      { idempotencyKey: 'k' },
    );
    expect(ref).toBeTruthy();
    const sent = mock.state.submissions().at(-1)!.body as Record<string, unknown>;
    expect(sent.voice_ids).toBeUndefined();
    const [element] = sent.elements as { video_url: string; voice_id: string }[];
    expect(element.voice_id).toBe('voice_853965');
    expect(element.video_url).toMatch(new RegExp(`^${mock.url}/cdn/[0-9a-f-]{36}/hero\\.mp4$`));
  });
});

describe('fal cancel', () => {
  it('PUTs the returned cancel URL; the run then ends as failed, a second cancel is harmless, an unknown job is not found', async () => {
    mock.state.timing = { queueMs: 5000, runMs: 200 };
    const { ref } = await adapter.submit(spec(), ctx, { idempotencyKey: 'k' });
    expect((await adapter.poll(ref, ctx)).state).toBe('queued');
    await adapter.cancel!(ref, ctx);
    const cancels = mock.state.submissions('cancel');
    expect(cancels).toHaveLength(1);
    expect(cancels[0].method).toBe('PUT');
    expect(cancels[0].path).toBe(`/fal-ai/kling-video/requests/${JSON.parse(ref).requestId}/cancel`);

    const after = await adapter.poll(ref, ctx);
    expect(after.state).toBe('failed');
    if (after.state === 'failed') expect((after.error as ProviderError).providerMessage).toMatch(/cancelled/);
    await expect(adapter.cancel!(ref, ctx)).resolves.toBeUndefined();

    const ghost = JSON.stringify({ ...JSON.parse(ref), requestId: 'nope', cancel: '/fal-ai/kling-video/requests/nope/cancel' });
    expect((await rejection(adapter.cancel!(ghost, ctx))).kind).toBe('not-found');
  });
});

describe('the mock’s download faults', () => {
  it('serves an expired URL as 403, and a truncated transfer once, after which a Range resume completes the file', async () => {
    mock.state.faults.push({ stage: 'download', kind: 'truncate' });
    const { ref } = await adapter.submit(spec({ durationSec: 3 }), ctx, { idempotencyKey: 'k' });
    const { last } = await pollUntilDone(ref);
    if (last.state !== 'succeeded' || last.result.kind !== 'url') throw new Error('no URL');
    const url = last.result.url;
    const size = last.result.sizeBytes!;
    const first = await readUntilCut(url);
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(size);
    const rest = await fetch(url, { headers: { range: `bytes=${first.length}-` } });
    expect(rest.status).toBe(206);
    const whole = Buffer.concat([first, Buffer.from(await rest.arrayBuffer())]);
    expect(whole.length).toBe(size);
    await fs.writeFile(path.join(dir, 'resumed.mp4'), whole);
    expect(Number((await ffprobe(path.join(dir, 'resumed.mp4'))).format.duration)).toBeCloseTo(3, 0);

    mock.state.faults.push({ stage: 'download', kind: 'expired' });
    const { ref: ref2 } = await adapter.submit(spec({ durationSec: 3 }), ctx, { idempotencyKey: 'k' });
    const done = await pollUntilDone(ref2);
    if (done.last.state !== 'succeeded' || done.last.result.kind !== 'url') throw new Error('no URL');
    expect((await fetch(done.last.result.url)).status).toBe(403);
  });
});
