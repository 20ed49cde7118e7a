// downloadToPart against a tiny loopback server: Range resume after a cut, servers that ignore Range,
// Retry-After, links that are gone, and a size that differs from what the provider announced.
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { downloadToPart } from '../../../electron/core/jobs/download';
import { ProviderError } from '../../../electron/core/providers/provider-error';

const DATA = randomBytes(300_000);
type Behaviour = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;
let behave: Behaviour;
let requests: { range?: string }[] = [];
let server: http.Server;
let url: string;
let dir: string;

function serveRange(req: http.IncomingMessage, res: http.ServerResponse, opts: { cutAt?: number; cutOnceReceived?: () => boolean } = {}) {
  const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const start = m ? Number(m[1]) : 0;
  const body = DATA.subarray(start);
  res.writeHead(m ? 206 : 200, {
    'content-length': String(body.length),
    ...(m ? { 'content-range': `bytes ${start}-${DATA.length - 1}/${DATA.length}` } : {}),
  });
  if (opts.cutAt !== undefined) {
    res.write(body.subarray(0, opts.cutAt));
    // Cut only once the client has the first bytes (client and server share this process), so the
    // resume is certain to start past zero however busy the machine is.
    const received = opts.cutOnceReceived ?? (() => true);
    const cut = () => (received() ? req.socket.destroy() : setTimeout(cut, 5));
    setTimeout(cut, 10);
    return;
  }
  res.end(body);
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sr-download-'));
  server = http.createServer((req, res) => {
    requests.push({ range: req.headers.range });
    behave(req, res, requests.length);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/clip.mp4`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await fs.rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  requests = [];
});

const waits: number[] = [];
const opts = (extra: Partial<Parameters<typeof downloadToPart>[2]> = {}) => ({
  provider: 'fal' as const,
  jobRef: 'req-1234',
  sleep: async (ms: number) => void waits.push(ms),
  ...extra,
});
const part = (name: string) => path.join(dir, `${name}.mp4.part`);

describe('downloadToPart', () => {
  it('resumes with a Range request after the connection is cut, and ends with every byte in order', async () => {
    const seen: number[] = [];
    // Cut once the first bytes are on disk (not merely received: bytes still on their way to the file when
    // the connection drops are not kept, and the resume starts from what the file holds).
    const onDisk = () => (existsSync(part('resume')) ? statSync(part('resume')).size : 0);
    behave = (req, res, n) => serveRange(req, res, n === 1 ? { cutAt: 100_000, cutOnceReceived: () => onDisk() > 0 } : {});
    const { bytes } = await downloadToPart(url, part('resume'), opts({ onBytes: (have) => seen.push(have) }));
    expect(bytes).toBe(DATA.length);
    expect(Buffer.compare(await fs.readFile(part('resume')), DATA)).toBe(0);
    expect(requests[0].range).toBeUndefined();
    expect(Number(/^bytes=(\d+)-$/.exec(requests[1].range ?? '')?.[1])).toBeGreaterThan(0);
    expect(seen.at(-1)).toBe(DATA.length);
  });

  it('starts over when a server ignores Range and sends the whole file again', async () => {
    behave = (req, res, n) => {
      if (n === 1) return serveRange(req, res, { cutAt: 50_000 });
      res.writeHead(200, { 'content-length': String(DATA.length) });
      res.end(DATA);
    };
    await downloadToPart(url, part('norange'), opts());
    expect(Buffer.compare(await fs.readFile(part('norange')), DATA)).toBe(0);
  });

  it('honours Retry-After on 429 and 503', async () => {
    waits.length = 0;
    behave = (req, res, n) => {
      if (n === 1) return void res.writeHead(429, { 'retry-after': '7' }).end();
      if (n === 2) return void res.writeHead(503, { 'retry-after': '3' }).end();
      serveRange(req, res);
    };
    await downloadToPart(url, part('retry'), opts());
    expect(waits).toEqual([7000, 3000]);
  });

  it.each([401, 403, 404, 410])('a link answering %i is gone: one request, and the error names the job so the clip can be recovered', async (status) => {
    behave = (_req, res) => void res.writeHead(status).end('no');
    const err = await downloadToPart(url, part(`gone-${status}`), opts()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).kind).toBe('expired');
    expect((err as Error).message).toContain('(fal.ai job req-1234)');
    expect((err as Error).message).toContain('recover the clip');
    expect(requests).toHaveLength(1);
  });

  it('refuses a file whose size differs from what the provider announced, fetching it whole again first', async () => {
    behave = (req, res) => serveRange(req, res);
    const err = await downloadToPart(url, part('size'), opts({ expectedBytes: DATA.length + 5, attempts: 2 })).catch((e: unknown) => e);
    expect((err as ProviderError).kind).toBe('network');
    expect((err as Error).message).toContain(`${DATA.length} bytes, but the provider announced ${DATA.length + 5}`);
    expect(requests.map((r) => r.range)).toEqual([undefined, undefined]);
    await expect(fs.stat(part('size'))).rejects.toThrow();
  });

  it('gives up after its attempts with the last error, keeping what arrived for the next resume', async () => {
    behave = (req, res) => serveRange(req, res, { cutAt: 1000 });
    const err = await downloadToPart(url, part('flaky'), opts({ attempts: 3 })).catch((e: unknown) => e);
    expect((err as ProviderError).retryable).toBe(true);
    expect((await fs.stat(part('flaky'))).size).toBe(3000);
  });
});
