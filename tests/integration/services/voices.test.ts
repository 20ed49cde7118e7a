// A voice made from a sample, against the fal and Kling mocks (tests/mock-providers/*, written from the
// providers' pages: fal create-voice {voice_url} → {voice_id}; Kling custom-voices {voice_name ≤ 20,
// voice_url} → task → task_result.voices[].voice_id): the sample is checked and copied in, the provider's
// id lands in the voice, the ledger records the line, and nothing is sent without a sample, key or URL.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Studio } from '../../../electron/core/api';
import { createProjectFolder, newProject, newShot } from '../../../electron/core/project/project-folder';
import type { ProviderConfig } from '../../../electron/core/providers/provider';
import { createVoiceOnFal } from '../../../electron/core/providers/voice-create';
import { readLedger } from '../../../electron/core/jobs/ledger';
import type { RunningMock } from '../../mock-providers/common';
import { FAL_MOCK_KEY, startFalMock } from '../../mock-providers/fal';
import { KLING_MOCK_API_KEY, startKlingMock } from '../../mock-providers/kling';
import { tempDir } from '../helpers';

const exec = promisify(execFile);
let base: string;
let fal: RunningMock;
let kling: RunningMock;
let files: http.Server;
let filesUrl: string;
let studio: Studio;
let dir: string;
let n = 0;
const events: { event: string; payload: unknown }[] = [];

const tone = async (name: string, seconds: number) => {
  const file = path.join(base, name);
  await exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=220:duration=${seconds}`, '-ar', '22050', file]);
  return file;
};

beforeAll(async () => {
  base = await tempDir('sr-voices-');
  fal = await startFalMock();
  kling = await startKlingMock();
  for (const m of [fal, kling]) m.state.timing = { queueMs: 60, runMs: 120 };
  // A public address for Kling to fetch the sample from (Kling takes voice_url only).
  files = http.createServer((req, res) => {
    fs.readFile(path.join(base, path.basename(req.url ?? ''))).then(
      (b) => res.writeHead(200, { 'content-type': 'audio/wav' }).end(b),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await Promise.all([fal.close(), kling.close(), new Promise((r) => files.close(r))]);
  await fs.rm(base, { recursive: true, force: true });
});

beforeEach(async () => {
  dir = path.join(base, `p${++n}.storyreel`);
  await createProjectFolder(dir, newProject('Voices', [newShot({ title: 'One', prompt: 'a room', durationSec: 5 })]));
  studio = await Studio.open(dir, {
    host: 'cli',
    resolveConfig: (id): ProviderConfig | undefined =>
      id === 'fal' ? { baseUrl: fal.url, credentials: { key: FAL_MOCK_KEY } } : id === 'kling' ? { baseUrl: kling.url, credentials: { apiKey: KLING_MOCK_API_KEY } } : undefined,
    voiceTiming: { pollMs: 30, timeoutMs: 15_000 },
  });
  events.length = 0;
  studio.on('event', (event, payload) => events.push({ event, payload }));
  fal.state.log.length = 0;
  kling.state.log.length = 0;
});
afterEach(() => studio.close());

const call = (method: string, input: unknown) => studio.dispatch(method, input);
const addVoice = async (name: string) => {
  await call('library.saveVoice', { name, providerIds: {} });
  return studio.session.current.voices.find((v) => v.name === name)!;
};
const voice = (id: string) => studio.session.current.voices.find((v) => v.id === id)!;

describe('a voice sample', () => {
  it('takes 5–30 s of sound into media/voices/ by content hash and refuses a 3 s clip or a silent video, naming the file and its length', async () => {
    const v = await addVoice('Narrator');
    await call('library.setVoiceSample', { voiceId: v.id, path: await tone('narrator.wav', 8) });
    const sample = voice(v.id).sample!;
    expect(sample.path).toMatch(/^media\/voices\/[0-9a-f]{16}\.wav$/);
    expect(sample.durationSec).toBeCloseTo(8, 1);
    await expect(fs.stat(path.join(dir, sample.path))).resolves.toBeTruthy();

    await expect(call('library.setVoiceSample', { voiceId: v.id, path: await tone('short.wav', 3) })).rejects.toThrow(
      /Nothing was changed: short\.wav runs 3\.00 s; the sample of voice “Narrator” must run 5–30 s/,
    );
    const silent = path.join(base, 'silent.mp4');
    await exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10:duration=6', '-pix_fmt', 'yuv420p', silent]);
    await expect(call('library.setVoiceSample', { voiceId: v.id, path: silent })).rejects.toThrow(/silent\.mp4 has no sound in it/);
    expect(voice(v.id).sample).toEqual(sample);

    await call('library.setVoiceSample', { voiceId: v.id, path: null });
    expect(voice(v.id).sample).toBeUndefined();
  });
});

describe('library.createVoice on fal.ai', () => {
  it('uploads the sample, asks create-voice through the queue and stores the voice_id in the voice; the ledger records $0.007', async () => {
    const v = await addVoice('Mara');
    const file = await tone('mara.wav', 6);
    await call('library.setVoiceSample', { voiceId: v.id, path: file });
    const out = (await call('library.createVoice', { voiceId: v.id, provider: 'fal' })) as { providerVoiceId: string; usd: number };
    expect(out.providerVoiceId).toMatch(/^\d{18}$/);
    expect(out.usd).toBe(0.007);
    expect(voice(v.id).providerIds.fal).toBe(out.providerVoiceId);

    // What fal got: the sample's own bytes on its CDN, then {voice_url} (and nothing else) to create-voice.
    const submit = fal.state.log.find((r) => r.method === 'POST' && r.path === '/fal-ai/kling-video/create-voice')!;
    expect(Object.keys(submit.body as object)).toEqual(['voice_url']);
    const stored = await fetch((submit.body as { voice_url: string }).voice_url).then((r) => r.arrayBuffer());
    expect(Buffer.from(stored).equals(await fs.readFile(file))).toBe(true);

    const ledger = await readLedger(dir);
    expect(ledger).toEqual([expect.objectContaining({ kind: 'actual', jobId: `voice:${v.id}`, provider: 'fal', usd: 0.007 })]);
    const progress = events.filter((e) => e.event === 'task.progress').map((e) => e.payload as { kind: string; done: boolean; label: string });
    expect(progress.at(-1)).toMatchObject({ kind: 'voice', done: true, label: 'Mara on fal.ai: done' });
  });

  it('refuses without a sample and sends nothing', async () => {
    const v = await addVoice('Quiet');
    await expect(call('library.createVoice', { voiceId: v.id, provider: 'fal' })).rejects.toThrow(/voice “Quiet”: no sample yet.*Nothing was sent to fal\.ai/);
    expect(fal.state.log).toEqual([]);
  });

  it('a second click while the first creation runs is refused, so fal is asked (and paid) once', async () => {
    const v = await addVoice('Twice');
    await call('library.setVoiceSample', { voiceId: v.id, path: await tone('twice.wav', 6) });
    const [first, second] = await Promise.allSettled([call('library.createVoice', { voiceId: v.id, provider: 'fal' }), call('library.createVoice', { voiceId: v.id, provider: 'fal' })]);
    expect(first.status).toBe('fulfilled');
    expect(second).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/already being created on fal\.ai; wait for it rather than paying twice/) } });
    expect(fal.state.log.filter((r) => r.method === 'POST' && r.path === '/fal-ai/kling-video/create-voice')).toHaveLength(1);
    expect(await readLedger(dir)).toHaveLength(1);
  });

  it('refuses without a fal.ai key, naming where the key goes, and sends nothing', async () => {
    const v = await addVoice('Keyless');
    await call('library.setVoiceSample', { voiceId: v.id, path: await tone('keyless.wav', 6) });
    await studio.close();
    studio = await Studio.open(dir, { host: 'cli', resolveConfig: () => undefined });
    await expect(call('library.createVoice', { voiceId: v.id, provider: 'fal' })).rejects.toThrow(/voice “Keyless”: no fal\.ai key is set \(FAL_KEY.*Nothing was sent/);
    expect(fal.state.log).toEqual([]);
  });

  it('names fal’s refusal of a 35 s sample (voice_url) and never shows the key', async () => {
    const long = await tone('long.wav', 35);
    const ctx = { config: { baseUrl: fal.url, credentials: { key: FAL_MOCK_KEY } }, projectDir: base, workDir: base };
    const err = await createVoiceOnFal(ctx, { data: await fs.readFile(long), contentType: 'audio/wav', fileName: 'long.wav' }, { timeoutMs: 10_000, pollMs: 30 }).catch((e: Error) => e);
    expect(err).toMatchObject({ provider: 'fal', kind: 'validation', field: 'voice_url' });
    expect((err as Error).message).toMatch(/between 5 and 30 seconds, got 35\.0 seconds/);
    expect((err as Error).message).not.toContain(FAL_MOCK_KEY.split(':')[1]);
  });
});

describe('library.createVoice on Kling', () => {
  it('refuses without a public URL for the sample and sends nothing', async () => {
    const v = await addVoice('Guide');
    await call('library.setVoiceSample', { voiceId: v.id, path: await tone('guide.wav', 7) });
    await expect(call('library.createVoice', { voiceId: v.id, provider: 'kling' })).rejects.toThrow(/Kling takes a voice sample only as a public URL.*Nothing was sent/);
    expect(kling.state.log).toEqual([]);
    expect(voice(v.id).providerIds.kling).toBeUndefined();
  });

  it('sends the name cut to 20 characters and the sample URL, polls the task and stores task_result.voices[0].voice_id', async () => {
    const v = await addVoice('The old lighthouse keeper');
    const file = await tone('keeper.wav', 9);
    await call('library.setVoiceSample', { voiceId: v.id, path: file });
    const out = (await call('library.createVoice', { voiceId: v.id, provider: 'kling', sampleUrl: `${filesUrl}/keeper.wav` })) as { providerVoiceId: string; usd: number | null };
    expect(voice(v.id).providerIds.kling).toBe(out.providerVoiceId);
    expect(out.usd).toBeNull();
    const submit = kling.state.log.find((r) => r.method === 'POST')!;
    expect(submit.path).toBe('/v1/general/custom-voices');
    expect(submit.body).toEqual({ voice_name: 'The old lighthouse k', voice_url: `${filesUrl}/keeper.wav` });
    const ledger = await readLedger(dir);
    expect(ledger).toEqual([expect.objectContaining({ kind: 'actual', jobId: `voice:${v.id}`, provider: 'kling', providerCost: '1 units', note: expect.stringContaining('price not published') })]);
    expect(ledger[0]).not.toHaveProperty('usd');
  });

  it('the Kling mock refuses what Kling documents it refuses: a voice_name over 20 characters, a data: URI for voice_url', async () => {
    const post = (body: unknown) =>
      fetch(`${kling.url}/v1/general/custom-voices`, { method: 'POST', headers: { authorization: `Bearer ${KLING_MOCK_API_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as { code: number; message: string } }));
    expect(await post({ voice_name: 'A name of twenty-one!', voice_url: `${filesUrl}/keeper.wav` })).toMatchObject({ status: 400, body: { code: 1201, message: expect.stringContaining('voice_name') } });
    expect(await post({ voice_name: 'Mara', voice_url: 'data:audio/wav;base64,UklGRg==' })).toMatchObject({ status: 400, body: { code: 1201, message: expect.stringContaining('voice_url') } });
  });

  it('says why Kling failed the task when the sample at the URL runs 40 s, and stores nothing', async () => {
    const v = await addVoice('Long');
    await call('library.setVoiceSample', { voiceId: v.id, path: await tone('ok.wav', 6) });
    await tone('forty.wav', 40);
    await expect(call('library.createVoice', { voiceId: v.id, provider: 'kling', sampleUrl: `${filesUrl}/forty.wav` })).rejects.toThrow(/between 5 and 30 seconds, got 40\.0 seconds/);
    expect(voice(v.id).providerIds.kling).toBeUndefined();
    expect(await readLedger(dir)).toEqual([]);
  });
});
