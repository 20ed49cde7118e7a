// Replicate against its mock on loopback: (a) the official `replicate` client unchanged, which proves
// the mock speaks the protocol; (b) our adapter end to end, down to a playable clip; (c) every scripted
// fault surfacing as the right ProviderError; (d) cancel.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Replicate, { type Prediction } from 'replicate';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AdapterContext, PollResult } from '../../../electron/core/providers/provider';
import { ProviderError } from '../../../electron/core/providers/provider-error';
import { createReplicateAdapter } from '../../../electron/core/providers/replicate';
import { validateSpec } from '../../../shared/validate';
import type { RunningMock } from '../../mock-providers/common';
import { REPLICATE_MOCK_TOKEN, REPLICATE_POLICY_MESSAGE, startReplicateMock } from '../../mock-providers/replicate';
import { ffprobe, tempDir } from '../helpers';
import { specFactory } from '../../helpers/spec';

const adapter = createReplicateAdapter();
let mock: RunningMock;
let dir: string;

const ctxWith = (key = REPLICATE_MOCK_TOKEN, m: RunningMock = mock, signal?: AbortSignal): AdapterContext => ({
  config: { baseUrl: `${m.url}/v1`, credentials: { key } },
  projectDir: dir,
  workDir: dir,
  signal,
});

const spec = specFactory({ provider: 'replicate', tier: 'pro', durationSec: 3, prompt: 'A lighthouse keeper climbs the stairs' });

/** A w×h PNG written into the project folder (generated, not committed). */
async function writePng(rel: string, w: number, h: number): Promise<void> {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(zlib.crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc((w * 3 + 1) * h, 90);
  for (let y = 0; y < h; y++) raw[y * (w * 3 + 1)] = 0;
  const file = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
  await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
  await fs.writeFile(path.join(dir, rel), file);
}

/** A w×h PNG of random pixels (it does not compress: 3 bytes a pixel), for images over Replicate's 1 MB inline limit. */
async function writeNoisePng(rel: string, w: number, h: number): Promise<Buffer> {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = randomBytes((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) raw[y * (w * 3 + 1)] = 0;
  const file = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
  await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
  await fs.writeFile(path.join(dir, rel), file);
  return file;
}

async function pollUntilDone(ref: string, ctx = ctxWith()): Promise<{ final: PollResult; seen: PollResult['state'][] }> {
  const seen: PollResult['state'][] = [];
  for (let i = 0; i < 200; i++) {
    const r = await adapter.poll(ref, ctx);
    if (seen.at(-1) !== r.state) seen.push(r.state);
    if (r.state === 'succeeded' || r.state === 'failed') return { final: r, seen };
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error('prediction never finished');
}

async function download(url: string, name: string): Promise<string> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const file = path.join(dir, name);
  await fs.writeFile(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

async function rejection(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

beforeAll(async () => {
  dir = await tempDir('storyreel-replicate-');
  mock = await startReplicateMock();
  mock.state.timing = { queueMs: 100, runMs: 200 };
});
afterAll(async () => {
  await mock.close();
  await fs.rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  mock.state.faults = [];
  mock.state.log.length = 0;
});

describe('the official replicate client against the mock', () => {
  it('creates, polls to completion and downloads a real MP4 of the requested length and shape', async () => {
    const client = new Replicate({ auth: REPLICATE_MOCK_TOKEN, baseUrl: `${mock.url}/v1` });
    const input = { prompt: 'A paper boat on a puddle', duration: 4, aspect_ratio: '9:16', mode: 'standard', generate_audio: true };
    const created = await client.predictions.create({ model: 'kwaivgi/kling-v3-video', input });
    expect(created.status).toBe('starting');
    expect(created.urls.get).toBe(`${mock.url}/v1/predictions/${created.id}`);
    expect(created.id).toMatch(/^[0-9a-z]{26}$/);

    const done = await client.wait(created, { interval: 50 });
    expect(done.status).toBe('succeeded');
    expect(done.input).toEqual(input);
    expect(done.metrics?.predict_time).toBeCloseTo(0.2, 1);
    expect(typeof done.output).toBe('string');

    const file = await download(done.output as string, 'client.mp4');
    const probe = (await ffprobe(file)) as Awaited<ReturnType<typeof ffprobe>> & { format: { format_name: string } };
    expect(probe.format.format_name).toContain('mp4');
    expect(Number(probe.format.duration)).toBeCloseTo(4, 0);
    const video = probe.streams.find((s) => s.codec_type === 'video')!;
    expect([video.width, video.height]).toEqual([180, 320]);
    expect(probe.streams.some((s) => s.codec_type === 'audio')).toBe(true);

    const statusPolls = mock.state.log.filter((r) => r.stage === 'status' || r.stage === 'result');
    expect(statusPolls.length).toBeGreaterThan(0);
    expect(statusPolls.at(-1)!.stage).toBe('result');
    expect(mock.state.submissions()[0].headers.authorization).toBe(`Bearer ${REPLICATE_MOCK_TOKEN}`);
  });

  it('run() with Prefer: wait gets the finished output from the create call itself', async () => {
    const client = new Replicate({ auth: REPLICATE_MOCK_TOKEN, baseUrl: `${mock.url}/v1`, useFileOutput: false });
    const output = await client.run('kwaivgi/kling-v3-video', { input: { prompt: 'Rain on a window', duration: 3 } });
    expect(String(output)).toMatch(new RegExp(`^${mock.url}/delivery/.+\\.mp4$`));
    expect(mock.state.submissions()[0].headers.prefer).toBe('wait');
  });

  it('POST /v1/predictions with a version, and Cancel-After aborts a prediction that has not started', async () => {
    const client = new Replicate({ auth: REPLICATE_MOCK_TOKEN, baseUrl: `${mock.url}/v1` });
    const p = await client.predictions.create({ version: 'kwaivgi/kling-v3-video', input: { prompt: 'x', duration: 3 } });
    expect(mock.state.submissions()[0].path).toBe('/v1/predictions');
    expect((await client.wait(p, { interval: 50 })).status).toBe('succeeded');

    const res = await fetch(`${mock.url}/v1/models/kwaivgi/kling-v3-video/predictions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${REPLICATE_MOCK_TOKEN}`, 'content-type': 'application/json', 'cancel-after': '50ms' },
      body: JSON.stringify({ input: { prompt: 'y', duration: 3 } }),
    });
    expect(res.status).toBe(201);
    const late = (await res.json()) as Prediction;
    expect(late.deadline).toBeDefined();
    // client.wait() (replicate 1.4.0) does not treat `aborted` as final, so poll with predictions.get.
    await new Promise((r) => setTimeout(r, 150));
    const after = await client.predictions.get(late.id);
    expect(after.status).toBe('aborted');
    expect(after.output).toBeNull();
  });

  it('answers a missing token and a wrong token with the real 401 bodies', async () => {
    const none = await fetch(`${mock.url}/v1/predictions/abc`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ title: 'Unauthenticated', detail: 'You did not pass an authentication token', status: 401 });
    const wrong = new Replicate({ auth: 'r8_notTheRightToken0000', baseUrl: `${mock.url}/v1` });
    await expect(wrong.predictions.get('abc')).rejects.toThrow(/401.*You did not pass a valid authentication token/);
  });
});

describe('the Replicate adapter end to end', () => {
  it('submits once, polls through queued and running, and the clip at the URL plays for the requested length', async () => {
    const s = spec({ durationSec: 5, audio: true, negativePrompt: 'blur', tier: 'standard' });
    const { ref } = await adapter.submit(s, ctxWith(), { idempotencyKey: 'k-e2e' });
    const { final, seen } = await pollUntilDone(ref);
    expect(seen).toEqual(['queued', 'running', 'succeeded']);
    if (final.state !== 'succeeded' || final.result.kind !== 'url') throw new Error(`unexpected ${JSON.stringify(final)}`);
    expect(final.result.url.startsWith(mock.url)).toBe(true);
    const expires = Date.parse(final.result.expiresAt!) - Date.now();
    expect(expires).toBeGreaterThan(59 * 60 * 1000);
    expect(expires).toBeLessThanOrEqual(60 * 60 * 1000);

    const probe = await ffprobe(await download(final.result.url, 'adapter.mp4'));
    expect(Number(probe.format.duration)).toBeCloseTo(5, 0);
    expect(probe.streams.some((x) => x.codec_type === 'audio')).toBe(true);

    const subs = mock.state.submissions();
    expect(subs).toHaveLength(1);
    expect(subs[0].method).toBe('POST');
    expect(subs[0].path).toBe('/v1/models/kwaivgi/kling-v3-video/predictions');
    expect(subs[0].headers.authorization).toBe(`Bearer ${REPLICATE_MOCK_TOKEN}`);
    expect(subs[0].body).toEqual({
      input: { prompt: 'A lighthouse keeper climbs the stairs', negative_prompt: 'blur', mode: 'standard', duration: 5, aspect_ratio: '16:9', generate_audio: true },
    });
    expect(subs[0].body).toEqual(adapter.buildSubmit(s, { elements: [] }, { idempotencyKey: 'k-e2e', baseUrl: `${mock.url}/v1` }).body);
  });

  it('a two-shot group from a portrait start frame: multi_prompt accepted, clip follows the image', async () => {
    await writePng('refs/portrait.png', 320, 569);
    const s = spec({
      prompt: undefined,
      startFrame: 'refs/portrait.png',
      aspectRatio: '16:9',
      durationSec: 4,
      shots: [
        { shotId: 'a', label: 'shot 1', prompt: 'She looks up', durationSec: 1 },
        { shotId: 'b', label: 'shot 2', prompt: 'She smiles', durationSec: 3 },
      ],
    });
    expect(validateSpec(s, { shotLabel: 'group' })).toEqual([]);
    const { ref } = await adapter.submit(s, ctxWith(), { idempotencyKey: 'k-group' });
    const { final } = await pollUntilDone(ref);
    if (final.state !== 'succeeded' || final.result.kind !== 'url') throw new Error(`unexpected ${JSON.stringify(final)}`);
    const probe = await ffprobe(await download(final.result.url, 'group.mp4'));
    expect(Number(probe.format.duration)).toBeCloseTo(4, 0);
    const video = probe.streams.find((x) => x.codec_type === 'video')!;
    expect([video.width, video.height]).toEqual([180, 320]);
    const input = (mock.state.submissions()[0].body as { input: Record<string, unknown> }).input;
    expect(JSON.parse(input.multi_prompt as string)).toEqual([
      { prompt: 'She looks up', duration: 1 },
      { prompt: 'She smiles', duration: 3 },
    ]);
    expect(input.start_image).toMatch(/^data:image\/png;base64,/);
  });
});

describe('reference images over 1 MB go through the Files API (Replicate: data URIs only under 1 MB)', () => {
  it('the official client uploads a file the mock keeps, and a prediction can use its urls.get', async () => {
    const client = new Replicate({ auth: REPLICATE_MOCK_TOKEN, baseUrl: `${mock.url}/v1` });
    const image = await writeNoisePng('refs/client-upload.png', 400, 640);
    const file = await client.files.create(new Blob([new Uint8Array(image)], { type: 'image/png' }), { purpose: 'test' });
    expect(file).toMatchObject({ content_type: 'image/png', size: image.length, metadata: { purpose: 'test' } });
    expect(file.checksums.sha256).toBe(createHash('sha256').update(image).digest('hex'));
    expect(file.urls.get).toBe(`${mock.url}/v1/files/${file.id}`);
    expect((await client.files.get(file.id)).size).toBe(image.length);

    const p = await client.predictions.create({ model: 'kwaivgi/kling-v3-video', input: { prompt: 'She turns', duration: 3, start_image: file.urls.get } });
    const done = await client.wait(p, { interval: 50 });
    const probe = await ffprobe(await download(done.output as string, 'from-file.mp4'));
    const video = probe.streams.find((x) => x.codec_type === 'video')!;
    expect([video.width, video.height]).toEqual([180, 320]); // the uploaded portrait image decided the shape

    const missing = await fetch(`${mock.url}/v1/models/kwaivgi/kling-v3-video/predictions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${REPLICATE_MOCK_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ input: { prompt: 'x', start_image: `${mock.url}/v1/files/nope` } }),
    });
    expect(missing.status).toBe(422);
  });

  it('the adapter uploads a 1.5 MB start frame first and sends its URL; a small end frame stays inline', async () => {
    const big = await writeNoisePng('refs/big-portrait.png', 560, 900);
    expect(big.length).toBeGreaterThan(1_000_000);
    await writePng('refs/small-end.png', 560, 900);
    const s = spec({ startFrame: 'refs/big-portrait.png', endFrame: 'refs/small-end.png' });
    const { ref } = await adapter.submit(s, ctxWith(), { idempotencyKey: 'k-big' });

    const uploads = mock.state.log.filter((r) => r.stage === 'upload');
    expect(uploads).toHaveLength(1);
    expect(uploads[0].body).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'content', type: 'image/png', bytes: big.length })]));
    const submissions = mock.state.submissions();
    expect(submissions).toHaveLength(1);
    const input = (submissions[0].body as { input: Record<string, unknown> }).input;
    expect(input.start_image).toMatch(new RegExp(`^${mock.url}/v1/files/[\\w-]+$`));
    expect(input.end_image).toMatch(/^data:image\/png;base64,/);
    // The upload happened before the prediction was created.
    expect(mock.state.log.indexOf(uploads[0])).toBeLessThan(mock.state.log.indexOf(submissions[0]));

    const { final } = await pollUntilDone(ref);
    if (final.state !== 'succeeded' || final.result.kind !== 'url') throw new Error(`unexpected ${JSON.stringify(final)}`);
    const video = (await ffprobe(await download(final.result.url, 'big.mp4'))).streams.find((x) => x.codec_type === 'video')!;
    expect([video.width, video.height]).toEqual([180, 320]);
  });

  it('a failed upload creates no prediction and says so (nothing charged), naming the frame', async () => {
    await writeNoisePng('refs/big-start.png', 560, 900);
    mock.state.faults.push({ stage: 'upload', kind: 'http-503' });
    const e = await rejection(adapter.submit(spec({ startFrame: 'refs/big-start.png' }), ctxWith(), { idempotencyKey: 'k-up' }));
    expect([e.kind, e.status, e.field, e.nothingCreated]).toEqual(['outage', 503, 'start frame', true]);
    expect(e.providerMessage).toMatch(/^Uploading the start image failed: /);
    expect(mock.state.submissions()).toHaveLength(0);
    // A prediction's own failure is not marked so.
    mock.state.faults.push({ stage: 'submit', kind: 'drop' });
    expect((await rejection(adapter.submit(spec(), ctxWith(), { idempotencyKey: 'k-drop' }))).nothingCreated).toBe(false);
  });
});

describe('Replicate faults surface as ProviderErrors', () => {
  it('429 on submit → rate-limit with Retry-After, and the client does not re-send the POST', async () => {
    mock.state.faults.push({ stage: 'submit', kind: 'http-429', retryAfterSec: 2 });
    const e = await rejection(adapter.submit(spec(), ctxWith(), { idempotencyKey: 'k' }));
    expect(e.kind).toBe('rate-limit');
    expect(e.retryAfterMs).toBe(2000);
    expect(e.providerMessage).toBe('Request was throttled. Expected available in 1 second.');
    expect(mock.state.submissions()).toHaveLength(1);
  });

  it('429 on a poll → rate-limit (the engine backs off, not the client)', async () => {
    const { ref } = await adapter.submit(spec(), ctxWith(), { idempotencyKey: 'k' });
    mock.state.faults.push({ stage: 'status', kind: 'http-429', retryAfterSec: 1 });
    const e = await rejection(adapter.poll(ref, ctxWith()));
    expect(e.kind).toBe('rate-limit');
    expect(e.retryAfterMs).toBe(1000);
    expect(e.jobRef).toBe(ref);
    expect(mock.state.submissions('status')).toHaveLength(1);
    expect((await pollUntilDone(ref)).final.state).toBe('succeeded');
  });

  it('500 and 503 → outage, on polls and on submit', async () => {
    const { ref } = await adapter.submit(spec(), ctxWith(), { idempotencyKey: 'k' });
    mock.state.faults.push({ stage: 'status', kind: 'http-500' });
    const e500 = await rejection(adapter.poll(ref, ctxWith()));
    expect([e500.kind, e500.status]).toEqual(['outage', 500]);
    mock.state.faults.push({ stage: 'submit', kind: 'http-503' });
    const e503 = await rejection(adapter.submit(spec(), ctxWith(), { idempotencyKey: 'k2' }));
    expect([e503.kind, e503.status]).toEqual(['outage', 503]);
    expect(e503.message).toContain('HTTP 503');
  });

  it('a dropped connection → network, and the submit is not silently re-sent (no double charge)', async () => {
    mock.state.faults.push({ stage: 'submit', kind: 'drop' });
    const e = await rejection(adapter.submit(spec(), ctxWith(), { idempotencyKey: 'k' }));
    expect(e.kind).toBe('network');
    expect(e.retryable).toBe(true);
    expect(mock.state.submissions()).toHaveLength(1);
    const { ref } = await adapter.submit(spec(), ctxWith(), { idempotencyKey: 'k' });
    mock.state.faults.push({ stage: 'status', kind: 'drop' });
    expect((await rejection(adapter.poll(ref, ctxWith()))).kind).toBe('network');
  });

  it('a wrong key → auth, and the key appears in no message', async () => {
    const wrongKey = 'r8_WrongKeyForStoryreel0123456789';
    const e = await rejection(adapter.submit(spec(), ctxWith(wrongKey), { idempotencyKey: 'k' }));
    expect(e.kind).toBe('auth');
    expect(e.status).toBe(401);
    expect(e.providerMessage).toBe('Unauthenticated: You did not pass a valid authentication token');
    mock.state.faults.push({ stage: 'status', kind: 'auth' });
    const onPoll = await rejection(adapter.poll('somepredictionid', ctxWith()));
    expect(onPoll.kind).toBe('auth');
    for (const [err, key] of [[e, wrongKey], [onPoll, REPLICATE_MOCK_TOKEN]] as const) {
      const everything = `${err.message} ${err.providerMessage} ${String(err.stack)} ${JSON.stringify(err.toJSON())} ${(err.details ?? []).join(' ')}`;
      expect(everything).not.toContain(key);
      expect(everything).not.toContain(key.slice(3));
    }
  });

  it('no key configured → auth before anything is sent', async () => {
    const e = await rejection(adapter.submit(spec(), ctxWith(''), { idempotencyKey: 'k' }));
    expect(e.kind).toBe('auth');
    expect(mock.state.log).toHaveLength(0);
  });

  it('content policy → the prediction fails with kind policy and Replicate’s reason', async () => {
    mock.state.faults.push({ stage: 'status', kind: 'policy' });
    const { ref } = await adapter.submit(spec({ prompt: 'something the moderator dislikes' }), ctxWith(), { idempotencyKey: 'k' });
    const { final } = await pollUntilDone(ref);
    if (final.state !== 'failed') throw new Error(`expected a failure, got ${final.state}`);
    const e = final.error as ProviderError;
    expect(e.kind).toBe('policy');
    expect(e.providerMessage).toBe(REPLICATE_POLICY_MESSAGE);
    expect(e.jobRef).toBe(ref);
  });

  it('validation errors from the mock → validation naming the field', async () => {
    const tooLong = await rejection(adapter.submit(spec({ durationSec: 20 }), ctxWith(), { idempotencyKey: 'k' }));
    expect([tooLong.kind, tooLong.field, tooLong.status]).toEqual(['validation', 'duration', 422]);
    expect(tooLong.providerMessage).toContain('Must be less than or equal to 15');
    const cfg = await rejection(adapter.submit(spec({ extra: { cfg_scale: 0.7 } }), ctxWith(), { idempotencyKey: 'k' }));
    expect([cfg.kind, cfg.field]).toEqual(['validation', 'CFG scale']);
    expect(cfg.message).toContain('(CFG scale)');
    const sum = await rejection(
      adapter.submit(spec({ prompt: undefined, durationSec: 6, shots: [{ shotId: 'a', label: 'a', prompt: 'one', durationSec: 2 }] }), ctxWith(), { idempotencyKey: 'k' }),
    );
    expect([sum.kind, sum.field]).toEqual(['validation', 'group']);
    expect(sum.providerMessage).toContain('add up to 2 but duration is 6');
  });

  it('an output past its hour → expired, and the expired URL no longer downloads', async () => {
    const shortLived = await startReplicateMock({ resultTtlMs: 150 });
    shortLived.state.timing = { queueMs: 20, runMs: 40 };
    try {
      const { ref } = await adapter.submit(spec(), ctxWith(REPLICATE_MOCK_TOKEN, shortLived), { idempotencyKey: 'k' });
      const { final } = await pollUntilDone(ref, ctxWith(REPLICATE_MOCK_TOKEN, shortLived));
      if (final.state !== 'succeeded' || final.result.kind !== 'url') throw new Error('expected success');
      await new Promise((r) => setTimeout(r, 200));
      expect((await fetch(final.result.url)).status).toBe(403);
      const later = await adapter.poll(ref, ctxWith(REPLICATE_MOCK_TOKEN, shortLived));
      if (later.state !== 'failed') throw new Error('expected expiry');
      expect((later.error as ProviderError).kind).toBe('expired');
    } finally {
      await shortLived.close();
    }
  });

  it('a truncated download can be resumed with Range into a playable clip; a corrupt one is not an MP4', async () => {
    mock.state.faults.push({ stage: 'download', kind: 'truncate' });
    const { ref } = await adapter.submit(spec({ durationSec: 3 }), ctxWith(), { idempotencyKey: 'k' });
    const { final } = await pollUntilDone(ref);
    if (final.state !== 'succeeded' || final.result.kind !== 'url') throw new Error('expected success');
    // Read what arrives until the connection drops, then ask for the rest, as the engine does.
    const first = await fetch(final.result.url);
    const total = Number(first.headers.get('content-length'));
    const got: Buffer[] = [];
    const reader = first.body!.getReader();
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) break;
      got.push(Buffer.from(chunk.value));
    }
    const part = Buffer.concat(got);
    expect(part.length).toBeGreaterThan(0);
    expect(part.length).toBeLessThan(total);
    const rest = await fetch(final.result.url, { headers: { range: `bytes=${part.length}-` } });
    expect(rest.status).toBe(206);
    expect(rest.headers.get('content-range')).toBe(`bytes ${part.length}-${total - 1}/${total}`);
    const resumed = Buffer.concat([part, Buffer.from(await rest.arrayBuffer())]);
    expect(resumed.length).toBe(total);
    const file = path.join(dir, 'resumed.mp4');
    await fs.writeFile(file, resumed);
    expect(Number((await ffprobe(file)).format.duration)).toBeCloseTo(3, 0);

    mock.state.faults.push({ stage: 'download', kind: 'corrupt' });
    const { ref: ref2 } = await adapter.submit(spec({ durationSec: 3, prompt: 'corrupt me' }), ctxWith(), { idempotencyKey: 'k2' });
    const done2 = (await pollUntilDone(ref2)).final;
    if (done2.state !== 'succeeded' || done2.result.kind !== 'url') throw new Error('expected success');
    const bad = path.join(dir, 'corrupt.mp4');
    await fs.writeFile(bad, Buffer.from(await (await fetch(done2.result.url)).arrayBuffer()));
    await expect(ffprobe(bad)).rejects.toThrow();
  });

  it('an aborted signal stops a poll without a provider error and without a request', async () => {
    const ac = new AbortController();
    ac.abort();
    const err = await adapter.poll('whatever', ctxWith(REPLICATE_MOCK_TOKEN, mock, ac.signal)).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(ProviderError);
    expect((err as Error).name).toBe('AbortError');
    expect(mock.state.log).toHaveLength(0);
  });
});

describe('Replicate cancel', () => {
  it('cancels a running prediction with POST …/cancel; it then polls as canceled', async () => {
    mock.state.timing = { queueMs: 100, runMs: 2000 };
    try {
      const { ref } = await adapter.submit(spec(), ctxWith(), { idempotencyKey: 'k' });
      await new Promise((r) => setTimeout(r, 150));
      expect((await adapter.poll(ref, ctxWith())).state).toBe('running');
      await adapter.cancel!(ref, ctxWith());
      const cancels = mock.state.submissions('cancel');
      expect(cancels).toHaveLength(1);
      expect([cancels[0].method, cancels[0].path]).toEqual(['POST', `/v1/predictions/${ref}/cancel`]);
      const after = await adapter.poll(ref, ctxWith());
      if (after.state !== 'failed') throw new Error(`expected canceled, got ${after.state}`);
      expect((after.error as ProviderError).providerMessage).toBe('The prediction was canceled.');
      // It stays canceled: it never turns into a success later.
      await new Promise((r) => setTimeout(r, 100));
      expect((await adapter.poll(ref, ctxWith())).state).toBe('failed');
    } finally {
      mock.state.timing = { queueMs: 100, runMs: 200 };
    }
  });

  it('cancelling a finished prediction leaves it succeeded', async () => {
    const { ref } = await adapter.submit(spec(), ctxWith(), { idempotencyKey: 'k' });
    await pollUntilDone(ref);
    await adapter.cancel!(ref, ctxWith());
    expect((await adapter.poll(ref, ctxWith())).state).toBe('succeeded');
  });
});
