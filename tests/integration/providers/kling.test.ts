// Kling official API against the local mock on loopback: (a) a hand-written client that follows
// docs/providers.md §5 (there is no official JS client) proves the mock speaks the protocol; (b) the adapter
// end to end down to a playable clip; (c) every scripted fault becomes the right ProviderError;
// (d) no cancel on Kling — instead, a lost submit is found again by external_task_id (the documented
// `?external_task_id=` query first), and each JWT failure (1001–1004) is an auth error; (e) element ids
// travel as JSON numbers with every digit, a quoted one is refused, and a single API key signs in.
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKlingAdapter, type KlingAdapterOptions } from '../../../electron/core/providers/kling';
import type { AdapterContext, PollResult, ProviderAdapter } from '../../../electron/core/providers/provider';
import { ProviderError } from '../../../electron/core/providers/provider-error';
import type { GenerationSpec } from '../../../shared/generation';
import { KLING_MOCK_ACCESS_KEY as AK, KLING_MOCK_API_KEY as API_KEY, KLING_MOCK_SECRET_KEY as SK, type KlingMock, startKlingMock } from '../../mock-providers/kling';
import { ffprobe, tempDir } from '../helpers';
import { png } from '../../helpers/png';
import { specFactory } from '../../helpers/spec';

let mock: KlingMock;
let projectDir: string;


beforeAll(async () => {
  mock = await startKlingMock();
  projectDir = await tempDir('storyreel-kling-int-');
  await fs.mkdir(path.join(projectDir, 'refs'));
  await fs.writeFile(path.join(projectDir, 'refs', 'start.png'), png(320, 320, [200, 80, 40]));
  await fs.writeFile(path.join(projectDir, 'refs', 'end.png'), png(320, 320, [40, 80, 200]));
});
afterAll(async () => {
  await mock?.close();
  await fs.rm(projectDir, { recursive: true, force: true });
});
beforeEach(() => {
  mock.state.timing = { queueMs: 100, runMs: 200 };
  mock.state.faults = [];
  mock.state.log.length = 0;
  mock.settings.concurrency = 5;
  mock.settings.loseSubmitResponses = 0;
});
afterEach(async () => {
  // Let running tasks finish so they do not count against the next test's concurrency limit.
  const busy = () => [...mock.tasks.values()].some((t) => ['queued', 'running'].includes(mock.state.phase(t.job)));
  for (let i = 0; i < 50 && busy(); i++) await sleep(20);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let keyCounter = 0;
const newKey = () => `storyreel-job-${process.pid}-${++keyCounter}`;

// ——— (a) a hand-written client, independent of the adapter ————————————————————————————————————

/** §5.1: HS256, {iss: AK, exp: now+1800, nbf: now−5}, signed with SK. */
async function handToken(opts: { ak?: string; sk?: string; nowSec?: number } = {}): Promise<string> {
  const now = opts.nowSec ?? Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: opts.ak ?? AK, exp: now + 1800, nbf: now - 5 })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(opts.sk ?? SK));
}

interface Envelope {
  code: number;
  message: string;
  request_id: string;
  data?: Record<string, any>;
}

async function hand(method: string, p: string, body?: unknown, auth?: string | null): Promise<{ status: number; json: Envelope }> {
  const headers: Record<string, string> = {};
  const token = auth === undefined ? `Bearer ${await handToken()}` : auth;
  if (token !== null) headers.Authorization = token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${mock.url}${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Envelope };
}

async function probeUrl(url: string, name: string) {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('video/mp4');
  const file = path.join(projectDir, name);
  await fs.writeFile(file, Buffer.from(await res.arrayBuffer()));
  return ffprobe(file);
}

const t2v = (over: Record<string, unknown> = {}) => ({
  model_name: 'kling-v3',
  prompt: 'A calm woman looks at the camera and says "good morning".',
  negative_prompt: '',
  mode: 'pro',
  sound: 'on',
  cfg_scale: 0.5,
  aspect_ratio: '16:9',
  duration: '4',
  external_task_id: newKey(),
  ...over,
});

describe('(a) the protocol, spoken by a hand-written client', () => {
  it('submits, polls submitted → processing → succeed, reads the result and fetches a real MP4', async () => {
    mock.state.timing = { queueMs: 300, runMs: 400 }; // room to see every state on a busy machine
    const body = t2v();
    const created = await hand('POST', '/v1/videos/text2video', body);
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ code: 0, message: 'SUCCEED', data: { task_status: 'submitted', task_info: { external_task_id: body.external_task_id } } });
    expect(created.json.request_id).toEqual(expect.any(String));
    const taskId: string = created.json.data!.task_id;
    expect(taskId).toMatch(/^\d{18}$/);

    const seen: string[] = [];
    let data: Record<string, any> = {};
    for (let i = 0; i < 100; i++) {
      const q = await hand('GET', `/v1/videos/text2video/${taskId}`);
      expect(q.status).toBe(200);
      data = q.json.data!;
      if (seen.at(-1) !== data.task_status) seen.push(data.task_status);
      if (data.task_status === 'succeed' || data.task_status === 'failed') break;
      await sleep(30);
    }
    expect(seen).toEqual(['submitted', 'processing', 'succeed']);
    expect(data.task_id).toBe(taskId);
    expect(data.task_status_msg).toBe('');
    const video = data.task_result.videos[0];
    expect(video.duration).toBe('4');
    expect(typeof data.final_unit_deduction).toBe('string');
    expect(video.url.startsWith(mock.url)).toBe(true);

    const probe = await probeUrl(video.url, 'hand-t2v.mp4');
    expect(Number(probe.format.duration)).toBeCloseTo(4, 0);
    const v = probe.streams.find((s) => s.codec_type === 'video')!;
    expect([v.codec_name, v.width, v.height]).toEqual(['h264', 320, 180]);
    expect(probe.streams.some((s) => s.codec_type === 'audio')).toBe(true); // sound "on"

    // The same task is found by our own id, in the same path slot (§5.2).
    const byExternal = await hand('GET', `/v1/videos/text2video/${body.external_task_id}`);
    expect(byExternal.json.data!.task_id).toBe(taskId);
  });

  it('makes image-to-video follow the start image (a square image gives a square clip, silent when sound is off)', async () => {
    const image = (await fs.readFile(path.join(projectDir, 'refs', 'start.png'))).toString('base64');
    const created = await hand('POST', '/v1/videos/image2video', { model_name: 'kling-v3', prompt: 'The door opens.', image, mode: 'std', duration: '3' });
    expect(created.status).toBe(200);
    await sleep(350);
    const q = await hand('GET', `/v1/videos/image2video/${created.json.data!.task_id}`);
    expect(q.json.data!.task_status).toBe('succeed');
    const probe = await probeUrl(q.json.data!.task_result.videos[0].url, 'hand-i2v.mp4');
    const v = probe.streams.find((s) => s.codec_type === 'video')!;
    expect(v.width).toBe(v.height);
    expect(Number(probe.format.duration)).toBeCloseTo(3, 0);
    expect(probe.streams.some((s) => s.codec_type === 'audio')).toBe(false);
    // A text2video id is not an image2video task, and vice versa.
    expect((await hand('GET', `/v1/videos/text2video/${created.json.data!.task_id}`)).status).toBe(404);
  });

  it('checks the JWT as Kling does: 1001 no header, 1002 bad signature or format, 1003 not yet valid, 1004 expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    const before = mock.tasks.size;
    const cases: [string | null, number][] = [
      [null, 1001],
      [`Bearer ${await handToken({ sk: 'not-the-secret' })}`, 1002],
      [`Bearer ${await handToken({ ak: 'unknown-access-key' })}`, 1002],
      ['Bearer not.a.jwt!', 1002],
      [`Token ${await handToken()}`, 1002],
      [`Bearer ${await handToken({ nowSec: now + 3600 })}`, 1003],
      [`Bearer ${await handToken({ nowSec: now - 3600 })}`, 1004],
    ];
    for (const [auth, code] of cases) {
      const r = await hand('POST', '/v1/videos/text2video', t2v(), auth);
      expect([r.status, r.json.code], String(auth).slice(0, 20)).toEqual([401, code]);
      expect(r.json.message).toEqual(expect.any(String));
      expect(r.json).not.toHaveProperty('data');
    }
    expect(mock.tasks.size).toBe(before); // a refused token creates nothing
  });

  it('refuses bad parameters with 400/1201 and a message naming the field', async () => {
    const longShot = 'x'.repeat(513);
    const shot = (i: number, d: string, prompt = `shot ${i}`) => ({ index: i, prompt, duration: d });
    const image = (await fs.readFile(path.join(projectDir, 'refs', 'start.png'))).toString('base64');
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['text2video', t2v({ duration: 5 }), /^duration\b/],
      ['text2video', t2v({ duration: '16' }), /^duration\b/],
      ['text2video', t2v({ prompt: undefined, multi_shot: true, shot_type: 'customize', duration: '10', multi_prompt: [shot(1, '4'), shot(2, '5')] }), /^duration: .*add up to 9/],
      ['text2video', t2v({ prompt: undefined, multi_shot: true, shot_type: 'customize', duration: '14', multi_prompt: [1, 2, 3, 4, 5, 6, 7].map((i) => shot(i, '2')) }), /^multi_prompt: at most 6/],
      ['text2video', t2v({ prompt: undefined, multi_shot: true, shot_type: 'customize', duration: '5', multi_prompt: [shot(1, '2'), shot(2, '3', longShot)] }), /^multi_prompt\[1\]\.prompt: .*512/],
      ['text2video', t2v({ multi_shot: true, shot_type: 'intelligent' }), /^shot_type\b/],
      ['image2video', { model_name: 'kling-v3', prompt: 'p', image_tail: image, duration: '5' }, /^image\b/],
      ['text2video', t2v({ image_tail: image }), /^image_tail: .*requires image/],
      ['image2video', { model_name: 'kling-v3', prompt: 'p', image: `data:image/png;base64,${image}` }, /^image: .*data: prefix/],
      ['image2video', { model_name: 'kling-v3', prompt: 'p <<<voice_1>>>', image, sound: 'on', voice_list: [{ voice_id: '1' }], element_list: [{ element_id: '2' }] }, /voice_list and element_list/],
      ['text2video', t2v({ voice_list: [{ voice_id: '1' }], sound: 'off' }), /^voice_list: requires sound/],
    ];
    for (const [kind, body, message] of cases) {
      const r = await hand('POST', `/v1/videos/${kind}`, body);
      expect([r.status, r.json.code], JSON.stringify(body).slice(0, 120)).toEqual([400, 1201]);
      expect(r.json.message).toMatch(message);
    }
    expect(mock.state.jobs.size).toBe(mock.tasks.size); // nothing created by a refused request
  });

  it('knows only real model names (404/1203), refuses a reused external_task_id, and enforces concurrency (429/1303)', async () => {
    const unknown = await hand('POST', '/v1/videos/text2video', t2v({ model_name: 'kling-v9' }));
    expect([unknown.status, unknown.json.code]).toEqual([404, 1203]);

    const body = t2v();
    expect((await hand('POST', '/v1/videos/text2video', body)).status).toBe(200);
    const again = await hand('POST', '/v1/videos/text2video', body);
    expect([again.status, again.json.code, again.json.message]).toEqual([400, 1201, 'external_task_id already exists']);

    mock.settings.concurrency = 1;
    const busy = await hand('POST', '/v1/videos/text2video', t2v());
    expect([busy.status, busy.json]).toMatchObject([429, { code: 1303, message: 'parallel task over resource pack limit' }]);
  });

  it('has no cancel route', async () => {
    const created = await hand('POST', '/v1/videos/text2video', t2v());
    const id = created.json.data!.task_id;
    for (const [method, p] of [['POST', `/v1/videos/text2video/${id}/cancel`], ['DELETE', `/v1/videos/text2video/${id}`]] as const) {
      const r = await hand(method, p);
      expect([r.status, r.json.code]).toEqual([404, 1202]);
    }
    expect(mock.state.log.filter((r) => r.stage === 'cancel')).toHaveLength(0);
  });

  it('serves scripted download faults: expired link, truncated body, corrupt bytes', async () => {
    mock.state.faults.push({ stage: 'download', kind: 'expired' });
    const created = await hand('POST', '/v1/videos/text2video', t2v({ sound: 'off', duration: '3' }));
    await sleep(350);
    const q = await hand('GET', `/v1/videos/text2video/${created.json.data!.task_id}`);
    const url: string = q.json.data!.task_result.videos[0].url;
    expect((await fetch(url)).status).toBe(403);

    mock.state.faults.push({ stage: 'download', kind: 'truncate' }, { stage: 'download', kind: 'corrupt' });
    const second = await hand('POST', '/v1/videos/text2video', t2v({ sound: 'off', duration: '3' }));
    await sleep(350);
    const url2: string = (await hand('GET', `/v1/videos/text2video/${second.json.data!.task_id}`)).json.data!.task_result.videos[0].url;
    const truncated = await fetch(url2);
    const length = Number(truncated.headers.get('content-length'));
    const got = await truncated.arrayBuffer().then((b) => b.byteLength, () => -1);
    expect(got).toBeLessThan(length);
    const corrupt = Buffer.from(await (await fetch(url2)).arrayBuffer());
    expect(corrupt.length).toBeGreaterThan(0);
    const file = path.join(projectDir, 'corrupt.mp4');
    await fs.writeFile(file, corrupt);
    // Random bytes are no MP4 (ffprobe may still guess some raw stream in them).
    const format = await ffprobe(file).then((p) => String((p.format as Record<string, unknown>).format_name), () => 'unreadable');
    expect(format).not.toContain('mp4');
    // Scripted faults are used up: the next download is whole and playable.
    expect(Number((await probeUrl(url2, 'whole.mp4')).format.duration)).toBeCloseTo(3, 0);
  });
});

// ——— (b)–(d) the adapter ——————————————————————————————————————————————————————————————————————————

const spec = specFactory({ provider: 'kling', durationSec: 4, audio: true, negativePrompt: 'blur, distort, and low quality' });
const ctx = (credentials: Record<string, string> = { accessKey: AK, secretKey: SK }, signal?: AbortSignal): AdapterContext => ({
  config: { baseUrl: mock.url, credentials },
  projectDir,
  workDir: projectDir,
  signal,
});

async function runToEnd(adapter: ProviderAdapter, ref: string, c = ctx()): Promise<{ last: PollResult; states: string[] }> {
  const states: string[] = [];
  for (let i = 0; i < 200; i++) {
    const r = await adapter.poll(ref, c);
    if (states.at(-1) !== r.state) states.push(r.state);
    if (r.state === 'succeeded' || r.state === 'failed') return { last: r, states };
    await sleep(25);
  }
  throw new Error(`still ${states.at(-1)} after 200 polls`);
}

async function providerError(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

/** Neither half of the key pair, nor a token made from it, may reach a person. */
function expectNoSecrets(err: ProviderError) {
  const shown = [err.message, err.providerMessage, ...(err.details ?? []), String(err), JSON.stringify(err), err.stack ?? ''].join('\n');
  expect(shown).not.toContain(SK);
  expect(shown).not.toContain(AK);
  expect(shown).not.toMatch(/eyJ[\w-]{8,}\.[\w-]+\.[\w-]+/);
}

describe('(b) the adapter end to end', () => {
  it('text-to-video: one submission shaped as docs/providers.md says, polled to a clip of the right length', async () => {
    mock.state.timing = { queueMs: 300, runMs: 400 }; // room to see every state on a busy machine
    const adapter = createKlingAdapter();
    const key = newKey();
    const { ref } = await adapter.submit(spec({ durationSec: 5 }), ctx(), { idempotencyKey: key });
    const { last, states } = await runToEnd(adapter, ref);
    expect(states).toEqual(['queued', 'running', 'succeeded']);
    if (last.state !== 'succeeded' || last.result.kind !== 'url') throw new Error(`unexpected ${JSON.stringify(last)}`);
    expect(last.providerCost).toMatch(/^\d+(\.\d+)? units$/);
    expect(Date.parse(last.result.expiresAt!)).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);

    const probe = await probeUrl(last.result.url, 'adapter-t2v.mp4');
    expect(Number(probe.format.duration)).toBeCloseTo(5, 0);
    expect(probe.streams.some((s) => s.codec_type === 'audio')).toBe(true);

    // Every request is in the log with its stage: one submit, the polls, one download.
    expect(mock.state.submissions('download')).toHaveLength(1);
    expect(mock.state.submissions('status').length).toBeGreaterThanOrEqual(3);
    const submits = mock.state.submissions();
    expect(submits).toHaveLength(1);
    expect(submits[0].path).toBe('/v1/videos/text2video');
    expect(String(submits[0].headers.authorization)).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(submits[0].body).toEqual({
      model_name: 'kling-v3',
      prompt: 'A lighthouse in a storm at dusk.',
      negative_prompt: 'blur, distort, and low quality',
      mode: 'std',
      sound: 'on',
      cfg_scale: 0.5,
      aspect_ratio: '16:9',
      duration: '5',
      external_task_id: key,
    });
  });

  it('image-to-video with start and end frames, and a three-shot group', async () => {
    const adapter = createKlingAdapter();
    const frames = await adapter.submit(spec({ startFrame: 'refs/start.png', endFrame: 'refs/end.png', audio: false, durationSec: 3 }), ctx(), { idempotencyKey: newKey() });
    const shots = [
      { shotId: 'a', label: 'shot 1', prompt: 'Wide: the lighthouse.', durationSec: 2 },
      { shotId: 'b', label: 'shot 2', prompt: 'Close: the lamp.', durationSec: 1 },
      { shotId: 'c', label: 'shot 3', prompt: 'Aerial: the beam.', durationSec: 3 },
    ];
    const group = await adapter.submit(spec({ prompt: undefined, shots, shotType: 'customize', durationSec: 6, aspectRatio: '9:16' }), ctx(), { idempotencyKey: newKey() });

    const a = await runToEnd(adapter, frames.ref);
    const b = await runToEnd(adapter, group.ref);
    if (a.last.state !== 'succeeded' || a.last.result.kind !== 'url' || b.last.state !== 'succeeded' || b.last.result.kind !== 'url') throw new Error('not succeeded');
    const pa = await probeUrl(a.last.result.url, 'adapter-i2v.mp4');
    const va = pa.streams.find((s) => s.codec_type === 'video')!;
    expect(va.width).toBe(va.height); // follows the square start image
    expect(Number(pa.format.duration)).toBeCloseTo(3, 0);
    const pb = await probeUrl(b.last.result.url, 'adapter-group.mp4');
    const vb = pb.streams.find((s) => s.codec_type === 'video')!;
    expect([vb.width, vb.height]).toEqual([180, 320]);
    expect(Number(pb.format.duration)).toBeCloseTo(6, 0);

    const [i2v, multi] = mock.state.submissions().map((r) => r.body as Record<string, unknown>);
    expect(mock.state.submissions().map((r) => r.path)).toEqual(['/v1/videos/image2video', '/v1/videos/text2video']);
    expect(typeof i2v.image).toBe('string');
    expect(typeof i2v.image_tail).toBe('string');
    expect(i2v).not.toHaveProperty('aspect_ratio');
    expect(multi).toMatchObject({ multi_shot: true, shot_type: 'customize', duration: '6', multi_prompt: [{ index: 1, duration: '2' }, { index: 2, duration: '1' }, { index: 3, duration: '3' }] });
  });

  it('passes spec.extra through: a callback_url receives each status change', async () => {
    const received: Record<string, any>[] = [];
    const hook = http.createServer((req, res) => {
      let text = '';
      req.on('data', (c) => (text += c));
      req.on('end', () => {
        received.push(JSON.parse(text));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    try {
      const adapter = createKlingAdapter();
      const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/kling`;
      const { ref } = await adapter.submit(spec({ extra: { callback_url: url } }), ctx(), { idempotencyKey: newKey() });
      await runToEnd(adapter, ref);
      for (let i = 0; i < 100 && received.length < 3; i++) await sleep(20);
      expect(received.map((d) => d.task_status)).toEqual(['submitted', 'processing', 'succeed']);
      expect(received[2].task_id).toBe(JSON.parse(ref).taskId);
      expect((mock.state.submissions()[0].body as Record<string, unknown>).callback_url).toBe(url);
    } finally {
      hook.close();
    }
  });

  it('stops at once when the engine aborts, without turning that into a provider error', async () => {
    const adapter = createKlingAdapter();
    const { ref } = await adapter.submit(spec(), ctx(), { idempotencyKey: newKey() });
    const controller = new AbortController();
    controller.abort();
    const err = await adapter.poll(ref, ctx(undefined, controller.signal)).catch((e) => e);
    expect(err).not.toBeInstanceOf(ProviderError);
    expect((err as Error).name).toBe('AbortError');
  });
});

describe('(c) faults become errors a person can act on', () => {
  it('429 with Retry-After → rate-limit with retryAfterMs, and no task was created', async () => {
    mock.state.faults.push({ stage: 'submit', kind: 'http-429', retryAfterSec: 2 });
    const before = mock.tasks.size;
    const err = await providerError(createKlingAdapter().submit(spec(), ctx(), { idempotencyKey: newKey() }));
    expect([err.kind, err.status, err.retryAfterMs]).toEqual(['rate-limit', 429, 2000]);
    expect(err.retryable).toBe(true);
    expect(mock.tasks.size).toBe(before);
  });

  it('the concurrency limit (429/1303) → rate-limit', async () => {
    mock.settings.concurrency = 0;
    const err = await providerError(createKlingAdapter().submit(spec(), ctx(), { idempotencyKey: newKey() }));
    expect(err.kind).toBe('rate-limit');
    expect(err.providerMessage).toContain('parallel task over resource pack limit');
  });

  it('500 on a poll and 503 on submit → outage', async () => {
    const adapter = createKlingAdapter();
    const { ref } = await adapter.submit(spec(), ctx(), { idempotencyKey: newKey() });
    mock.state.faults.push({ stage: 'status', kind: 'http-500' });
    const polled = await providerError(adapter.poll(ref, ctx()));
    expect([polled.kind, polled.status, polled.jobRef]).toEqual(['outage', 500, JSON.parse(ref).taskId]);
    expect(polled.providerMessage).toContain('5000');
    // The outage passes: the same ref polls on to a clip.
    expect((await runToEnd(adapter, ref)).last.state).toBe('succeeded');

    mock.state.faults.push({ stage: 'submit', kind: 'http-503' });
    const submitted = await providerError(adapter.submit(spec(), ctx(), { idempotencyKey: newKey() }));
    expect([submitted.kind, submitted.status]).toEqual(['outage', 503]);
  });

  it('a dropped connection → network, on submit and on a poll', async () => {
    const adapter = createKlingAdapter();
    mock.state.faults.push({ stage: 'submit', kind: 'drop' });
    expect((await providerError(adapter.submit(spec(), ctx(), { idempotencyKey: newKey() }))).kind).toBe('network');
    const { ref } = await adapter.submit(spec(), ctx(), { idempotencyKey: newKey() });
    mock.state.faults.push({ stage: 'status', kind: 'drop' });
    const err = await providerError(adapter.poll(ref, ctx()));
    expect(err.kind).toBe('network');
    expect(err.retryable).toBe(true);
  });

  it('an auth failure → auth, and neither key appears anywhere in the error', async () => {
    mock.state.faults.push({ stage: 'submit', kind: 'auth' });
    const scripted = await providerError(createKlingAdapter().submit(spec(), ctx(), { idempotencyKey: newKey() }));
    expect([scripted.kind, scripted.status]).toEqual(['auth', 401]);
    expect(scripted.message).toContain('KLING_API_KEY, or KLING_ACCESS_KEY and KLING_SECRET_KEY');
    expectNoSecrets(scripted);

    const wrong = await providerError(createKlingAdapter().submit(spec(), ctx({ accessKey: AK, secretKey: `${SK}-typo` }), { idempotencyKey: newKey() }));
    expect(wrong.kind).toBe('auth');
    expect(wrong.message).not.toContain(`${SK}-typo`);
    expectNoSecrets(wrong);
  });

  it('content policy on submit (400/1301) → policy with Kling’s reason', async () => {
    mock.state.faults.push({ stage: 'submit', kind: 'policy' });
    const err = await providerError(createKlingAdapter().submit(spec(), ctx(), { idempotencyKey: newKey() }));
    expect(err.kind).toBe('policy');
    expect(err.providerMessage).toContain('risk control');
    expect(err.message).toContain('content policy');
  });

  it('a task that fails moderation → failed poll with a policy error carrying the reason and the task id', async () => {
    mock.state.faults.push({ stage: 'status', kind: 'policy' });
    const adapter = createKlingAdapter();
    const { ref } = await adapter.submit(spec(), ctx(), { idempotencyKey: newKey() });
    const { last, states } = await runToEnd(adapter, ref);
    expect(states.at(-1)).toBe('failed');
    if (last.state !== 'failed') throw new Error('not failed');
    const err = last.error as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.kind).toBe('policy');
    expect(err.providerMessage).toContain('content safety');
    expect(err.jobRef).toBe(JSON.parse(ref).taskId);
  });

  it('validation errors from Kling → validation naming the field', async () => {
    const adapter = createKlingAdapter();
    const shots = (n: number, sec: number, prompt = 'a shot') => Array.from({ length: n }, (_, i) => ({ shotId: `s${i}`, label: `shot ${i + 1}`, prompt, durationSec: sec }));
    // Specs the shared validator would stop; the adapter trusts the engine, so Kling gets to refuse them.
    const cases: [Partial<GenerationSpec>, string, RegExp][] = [
      [{ extra: { duration: 5 } }, 'duration', /duration/],
      [{ prompt: undefined, shots: shots(7, 2), durationSec: 14 }, 'group', /at most 6 shots/],
      [{ prompt: undefined, shots: [...shots(1, 2), ...shots(1, 2, 'y'.repeat(513))], durationSec: 4 }, 'prompt', /512/],
      [{ prompt: undefined, shots: shots(2, 2), durationSec: 5 }, 'duration', /add up to 4/],
    ];
    for (const [over, field, said] of cases) {
      const err = await providerError(adapter.submit(spec(over), ctx(), { idempotencyKey: newKey() }));
      expect([err.kind, err.status, err.field]).toEqual(['validation', 400, field]);
      expect(err.providerMessage).toMatch(said);
      expect(err.message).toContain(`(${field})`);
    }
    expect(mock.state.submissions()).toHaveLength(cases.length);
  });
});

describe('(d) no cancel on Kling: reconcile by external_task_id, and JWT failures', () => {
  it('offers no cancel call', () => {
    expect(createKlingAdapter().cancel).toBeUndefined();
  });

  it('a submit whose answer was lost is found again by its key; the mock saw one submission', async () => {
    const adapter = createKlingAdapter();
    const key = newKey();
    const s = spec({ startFrame: 'refs/start.png', durationSec: 3 });
    mock.settings.loseSubmitResponses = 1;
    const lost = await providerError(adapter.submit(s, ctx(), { idempotencyKey: key }));
    expect(lost.kind).toBe('network');

    const found = await adapter.reconcile!(key, s, ctx());
    expect(found).toBeDefined();
    const task = [...mock.tasks.values()].find((t) => t.externalTaskId === key)!;
    expect(JSON.parse(found!.ref)).toMatchObject({ kind: 'image2video', taskId: task.taskId, externalTaskId: key });
    expect(mock.state.submissions()).toHaveLength(1);
    // Found with the documented query form, at the first ask.
    expect(mock.state.log.filter((r) => r.stage === 'status').map((r) => r.path)).toEqual([`/v1/videos/image2video?external_task_id=${key}`]);
    expect((await runToEnd(adapter, found!.ref)).last.state).toBe('succeeded');

    // A key Kling never saw is simply not there.
    expect(await adapter.reconcile!(newKey(), s, ctx())).toBeUndefined();
  });

  it('resubmitting a key Kling already has returns that task instead of paying twice', async () => {
    const adapter = createKlingAdapter();
    const key = newKey();
    mock.settings.loseSubmitResponses = 1;
    await providerError(adapter.submit(spec(), ctx(), { idempotencyKey: key }));
    const again = await adapter.submit(spec(), ctx(), { idempotencyKey: key });
    const withKey = [...mock.tasks.values()].filter((t) => t.externalTaskId === key);
    expect(withKey).toHaveLength(1);
    expect(JSON.parse(again.ref).taskId).toBe(withKey[0].taskId);
  });

  const stripAuth: typeof fetch = (input, init) => {
    const headers = { ...(init?.headers as Record<string, string>) };
    delete headers.authorization;
    return fetch(input, { ...init, headers });
  };
  const jwtCases: [string, KlingAdapterOptions, Record<string, string>, number][] = [
    ['no Authorization header', { fetch: stripAuth }, { accessKey: AK, secretKey: SK }, 1001],
    ['a token signed with the wrong secret', {}, { accessKey: AK, secretKey: 'SKmock-wrong-secret-0000000000' }, 1002],
    ['a token from a clock an hour fast (nbf in the future)', { now: () => Date.now() + 3600_000 }, { accessKey: AK, secretKey: SK }, 1003],
    ['a token from a clock an hour slow (expired)', { now: () => Date.now() - 3600_000 }, { accessKey: AK, secretKey: SK }, 1004],
  ];
  for (const [what, options, credentials, code] of jwtCases) {
    it(`${what} → 401/${code} → auth`, async () => {
      const err = await providerError(createKlingAdapter(options).submit(spec(), ctx(credentials), { idempotencyKey: newKey() }));
      expect([err.kind, err.status]).toEqual(['auth', 401]);
      expect(err.providerMessage).toContain(`code ${code}`);
      expectNoSecrets(err);
    });
  }
});

describe('(e) element ids as Kling documents them (a long), and the single API key', () => {
  const image = async () => (await fs.readFile(path.join(projectDir, 'refs', 'start.png'))).toString('base64');
  const i2v = async (over: Record<string, unknown>) => ({ model_name: 'kling-v3', prompt: 'The keeper turns.', image: await image(), duration: '3', external_task_id: newKey(), ...over });

  it('the mock refuses a quoted element_id (400/1201 naming it) and takes a number, as Vercel’s @ai-sdk/klingai sends it', async () => {
    const quoted = await hand('POST', '/v1/videos/image2video', await i2v({ element_list: [{ element_id: '860213457198923776' }] }));
    expect([quoted.status, quoted.json.code]).toEqual([400, 1201]);
    expect(quoted.json.message).toMatch(/^element_list\[0\]\.element_id: must be a number \(long\)/);
    // @ai-sdk/klingai types elementList as [{element_id: number}] and posts JSON.stringify of it (it is not
    // in node_modules here, so its request is written out by hand): accepted, with an API key as Bearer.
    const vercel = await hand('POST', '/v1/videos/image2video', await i2v({ element_list: [{ element_id: 829837 }], mode: 'pro', sound: 'off' }), `Bearer ${API_KEY}`);
    expect([vercel.status, vercel.json.code]).toEqual([200, 0]);
    expect(mock.tasks.get(vercel.json.data!.task_id)!.elementIds).toEqual(['829837']);
  });

  it('the adapter sends 18- and 21-digit ids as bare numbers: the mock reads back every digit', async () => {
    const ids = ['860213457198923776', '123456789012345678901'];
    const adapter = createKlingAdapter();
    const s = spec({ startFrame: 'refs/start.png', audio: false, durationSec: 3, elements: [{ name: 'Keeper', libraryId: ids[0] }, { name: 'Dog', libraryId: ids[1] }] });
    const { ref } = await adapter.submit(s, ctx(), { idempotencyKey: newKey() });
    const t = mock.tasks.get(JSON.parse(ref).taskId)!;
    expect(t.elementIds).toEqual(ids);
    // Parsed as a JS number, the same id would have lost its last digits: the mock kept the text.
    expect(String((t.job.input.element_list as { element_id: number }[])[0].element_id)).not.toBe(ids[0]);
    expect((await runToEnd(adapter, ref)).last.state).toBe('succeeded');
  });

  it('a single API key signs in end to end; a wrong one is an auth error that never shows the key', async () => {
    const adapter = createKlingAdapter();
    const key = newKey();
    const { ref } = await adapter.submit(spec({ durationSec: 3 }), ctx({ apiKey: API_KEY }), { idempotencyKey: key });
    const sent = mock.state.submissions().at(-1)!;
    expect(sent.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect((await runToEnd(adapter, ref, ctx({ apiKey: API_KEY }))).last.state).toBe('succeeded');
    expect(await adapter.reconcile!(key, spec(), ctx({ apiKey: API_KEY }))).toEqual({ ref: JSON.stringify({ kind: 'text2video', taskId: JSON.parse(ref).taskId, externalTaskId: key }) });

    const wrongKey = `${API_KEY}-revoked`;
    const err = await providerError(adapter.submit(spec(), ctx({ apiKey: wrongKey }), { idempotencyKey: newKey() }));
    expect([err.kind, err.status]).toEqual(['auth', 401]);
    expect([err.message, err.providerMessage, ...(err.details ?? [])].join('\n')).not.toContain(wrongKey);
  });

  it('answers the documented query form with the one task that carries the key, and 404/1203 for a key it never saw', async () => {
    const body = t2v();
    const created = await hand('POST', '/v1/videos/text2video', body);
    const byQuery = await hand('GET', `/v1/videos/text2video?external_task_id=${encodeURIComponent(body.external_task_id as string)}`);
    expect(byQuery.status).toBe(200);
    expect(byQuery.json.data).toMatchObject({ task_id: created.json.data!.task_id, task_info: { external_task_id: body.external_task_id } });
    const unknown = await hand('GET', '/v1/videos/text2video?external_task_id=never-sent');
    expect([unknown.status, unknown.json.code]).toEqual([404, 1203]);
    // Without the parameter it is still the task list.
    const list = await hand('GET', '/v1/videos/text2video?pageSize=2');
    expect(Array.isArray(list.json.data)).toBe(true);
  });
});
