// Issue "Durable generation engine", item 5: a result is downloaded to `*.part`, checked (the size the
// provider announced, ffprobe: a video stream, a duration close to the request), hashed and renamed — and
// only then is the take ready. A clip that fails a check is fetched once more (a damaged transfer costs
// nothing to repeat), then refused with a message that names the provider's job id and is kept aside,
// never used. The real engine runs with a provider that answers with a URL on a local server.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../electron/core/jobs/engine';
import { SlotScheduler } from '../../../electron/core/jobs/scheduler';
import { ProjectSession } from '../../../electron/core/project/session';
import type { ProviderAdapter } from '../../../electron/core/providers/provider';
import type { ProviderId } from '../../../shared/schema';
import { tempDir } from '../helpers';
import { makeProject } from './helpers';

const exec = promisify(execFile);
let base: string;
let server: http.Server;
let origin: string;
/** What the server hands out, by path; each request is counted. */
const files = new Map<string, string>();
const served: string[] = [];

beforeAll(async () => {
  base = await tempDir('sr-checks-');
  const clip = (name: string, args: string[]) => exec('ffmpeg', ['-v', 'error', '-y', ...args, path.join(base, name)]).then(() => path.join(base, name));
  const video = (sec: number) => ['-f', 'lavfi', '-i', `testsrc2=s=320x180:r=24:d=${sec}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];
  files.set('/five.mp4', await clip('five.mp4', video(5)));
  files.set('/two.mp4', await clip('two.mp4', video(2)));
  files.set('/sound.mp4', await clip('sound.mp4', ['-f', 'lavfi', '-i', 'sine=f=440:d=5', '-c:a', 'aac']));
  server = http.createServer(async (req, res) => {
    served.push(req.url ?? '');
    const file = files.get(req.url ?? '');
    if (!file) return void res.writeHead(404).end();
    const data = await fs.readFile(file);
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(data.length) });
    res.end(data);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await fs.rm(base, { recursive: true, force: true });
});

/** A provider whose one job succeeds at once with `url` as its result (and, if given, an announced size). */
function answering(result: { url: string; sizeBytes?: number }): ProviderAdapter {
  return {
    id: 'fal',
    pollIntervalMs: 1000,
    maxPollIntervalMs: 1000,
    buildSubmit: () => ({ method: 'POST', url: 'x', headers: {}, body: {} }),
    submit: async () => ({ ref: JSON.stringify({ requestId: 'req-77' }) }),
    poll: async () => ({ state: 'succeeded', result: { kind: 'url', ...result } }),
  };
}

let n = 0;
async function generate(result: { url: string; sizeBytes?: number }) {
  const dir = path.join(base, `p${++n}.storyreel`);
  await makeProject({ dir, provider: 'fal', shots: [{ title: 'Harbour', prompt: 'The harbour at dawn', durationSec: 5 }] });
  const session = await ProjectSession.open(dir);
  const engine = new Engine({
    session,
    providers: new Map<ProviderId, ProviderAdapter>([['fal', answering(result)]]),
    resolveConfig: () => ({ baseUrl: origin, credentials: { key: 'k:s' } }),
    scheduler: new SlotScheduler(),
    timing: { wait: async () => {} },
  });
  try {
    await engine.resume();
    served.length = 0;
    await engine.generate();
    await engine.idle();
    const job = engine.list()[0];
    const take = session.current.shots[0].takes[0];
    const takeDir = path.join(dir, 'media', 'takes', session.current.shots[0].id);
    const onDisk = await fs.readdir(takeDir).catch(() => [] as string[]);
    return { job, take, onDisk, requests: [...served] };
  } finally {
    await engine.close();
    await session.close();
  }
}

describe('a downloaded clip is checked before its take is ready', () => {
  it('a clip as long as asked for, with a picture: hashed, renamed, ready', async () => {
    const { job, take, onDisk } = await generate({ url: `${origin}/five.mp4` });
    expect(job.status, job.error).toBe('ready');
    expect(take.status).toBe('ready');
    expect(onDisk).toEqual([`${take.id}.mp4`]);
    const served = await fs.readFile(files.get('/five.mp4')!);
    expect(take.media!.sha256).toBe(createHash('sha256').update(served).digest('hex'));
    expect(take.media!.durationSec).toBeCloseTo(5, 1);
  });

  it.each([
    { what: 'a clip of the wrong length', file: '/two.mp4', problem: /is 2\.\d\d s long, not the 5 s asked for/ },
    { what: 'a file with no picture', file: '/sound.mp4', problem: /has no video stream/ },
  ])('$what: fetched once more, then refused naming the job; kept as .part, never used', async ({ file, problem }) => {
    const { job, take, onDisk, requests } = await generate({ url: `${origin}${file}` });
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(problem);
    expect(job.error).toContain('(fal.ai job req-77)');
    expect(job.error).toMatch(/kept as take_\w+\.mp4\.part and not used\. Generate the shot again, or recover the clip from fal\.ai's dashboard with the job id/);
    // One whole fetch again in case the transfer was at fault, and no more.
    expect(requests).toEqual([file, file]);
    expect(take.status).toBe('failed');
    expect(take.media).toBeUndefined();
    expect(onDisk).toEqual([`${take.id}.mp4.part`]);
  });

  it('a file whose size is not the one the provider announced is not used, and the job is kept with its id', async () => {
    const size = (await fs.stat(files.get('/five.mp4')!)).size;
    const { job, take, onDisk } = await generate({ url: `${origin}/five.mp4`, sizeBytes: size + 10 });
    expect(job.status).toBe('needs-attention');
    expect(job.error).toContain(`${size} bytes, but the provider announced ${size + 10}`);
    expect(job.error).toMatch(/The job is kept \(fal\.ai job req-77\)/);
    expect(take.media).toBeUndefined();
    // Nothing of it is kept as if it were the clip.
    expect(onDisk).toEqual([]);
  });
});
