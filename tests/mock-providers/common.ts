// Shared machinery for the local mock provider servers: an HTTP server with a request log, scripted
// faults, a clock for job progress, and real small MP4s (prompt drawn on them, sound when asked for).
// Each provider's mock (fal.ts, replicate.ts, lumenfall.ts, kling.ts) adds its own wire protocol on top.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export type FaultKind =
  | 'http-429' // 429 with Retry-After
  | 'http-500'
  | 'http-503'
  | 'drop' // connection destroyed without a response
  | 'slow' // response body trickles out
  | 'truncate' // download ends halfway
  | 'corrupt' // download has the right length but garbage bytes
  | 'policy' // content-policy rejection (on submit, or the job fails with a policy message)
  | 'auth' // credentials rejected
  | 'expired'; // result URL no longer valid

/** Where in the protocol a fault fires. */
export type FaultStage = 'submit' | 'status' | 'result' | 'download' | 'cancel' | 'upload' | 'any';

export interface Fault {
  stage: FaultStage;
  kind: FaultKind;
  /** How many matching requests it affects (default 1). */
  times?: number;
  retryAfterSec?: number;
}

export interface LoggedRequest {
  at: number;
  method: string;
  path: string;
  stage: FaultStage | 'control' | 'other';
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface MockTiming {
  /** Time a job spends queued, then running, before it completes. */
  queueMs: number;
  runMs: number;
  /**
   * Holds every submission this long after it arrived (it is logged at once) before handling it: a test
   * can stop the client while its request is in flight. The job is still created afterwards, as a real
   * provider would, even though nobody is left to read the answer.
   */
  submitDelayMs?: number;
  /** Streams every download at this rate, so a test can stop the client mid-download. */
  downloadBytesPerSec?: number;
}

export interface MockJob {
  id: string;
  createdAt: number;
  /** The request body as the mock received it. */
  input: Record<string, unknown>;
  durationSec: number;
  aspect: '16:9' | '9:16' | '1:1';
  audio: boolean;
  text: string;
  canceled?: boolean;
  /** A failure decided at submit time (e.g. a scripted policy fault on the job). */
  failure?: { kind: 'policy' | 'failed'; message: string };
  /** Per-job faults applied to its download. */
  downloadFault?: FaultKind;
}

export type JobPhase = 'queued' | 'running' | 'completed' | 'failed' | 'canceled';

export interface MockContext {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  body: unknown;
  /** The request body as it arrived (binary-safe: file uploads are read from here). */
  raw: Buffer;
  baseUrl: string;
  state: MockState;
  /** Sends JSON with a status and extra headers. */
  json(status: number, body: unknown, headers?: Record<string, string>): void;
}

export class MockState {
  readonly log: LoggedRequest[] = [];
  readonly jobs = new Map<string, MockJob>();
  faults: Fault[] = [];
  timing: MockTiming = { queueMs: 300, runMs: 600 };

  /** Takes the next fault scripted for this stage (optionally only of these kinds). */
  takeFault(stage: FaultStage, kinds?: FaultKind[]): Fault | undefined {
    const i = this.faults.findIndex((f) => (f.stage === stage || f.stage === 'any') && (!kinds || kinds.includes(f.kind)));
    if (i < 0) return undefined;
    const fault = this.faults[i];
    const left = (fault.times ?? 1) - 1;
    if (left <= 0) this.faults.splice(i, 1);
    else this.faults[i] = { ...fault, times: left };
    return fault;
  }

  phase(job: MockJob, now = Date.now()): JobPhase {
    if (job.canceled) return 'canceled';
    const elapsed = now - job.createdAt;
    if (elapsed < this.timing.queueMs) return 'queued';
    if (elapsed < this.timing.queueMs + this.timing.runMs) return 'running';
    return job.failure ? 'failed' : 'completed';
  }

  /** 0..1 through the running phase. */
  progress(job: MockJob, now = Date.now()): number {
    const running = now - job.createdAt - this.timing.queueMs;
    return Math.max(0, Math.min(1, running / this.timing.runMs));
  }

  /** Position in the queue (0 = next) among queued jobs. */
  queuePosition(job: MockJob, now = Date.now()): number {
    return [...this.jobs.values()].filter((j) => this.phase(j, now) === 'queued' && j.createdAt < job.createdAt).length;
  }

  submissions(stage: FaultStage = 'submit'): LoggedRequest[] {
    return this.log.filter((r) => r.stage === stage);
  }
}

const SIZES = { '16:9': [320, 180], '9:16': [180, 320], '1:1': [240, 240] } as const;
const clipDir = path.join(os.tmpdir(), 'storyreel-mock-clips');

/** A real, small MP4 of the requested length and aspect with the prompt drawn on it; cached by content. */
export async function makeClip(opts: { durationSec: number; aspect: '16:9' | '9:16' | '1:1'; audio: boolean; text: string }): Promise<string> {
  const key = createHash('sha256').update(JSON.stringify(opts)).digest('hex').slice(0, 16);
  const out = path.join(clipDir, `${key}.mp4`);
  if (existsSync(out)) return out;
  await fs.mkdir(clipDir, { recursive: true });
  const [w, h] = SIZES[opts.aspect];
  const textFile = path.join(clipDir, `${key}.txt`);
  const words = opts.text.replace(/\s+/g, ' ').trim().slice(0, 120) || 'mock clip';
  const lines = words.match(/.{1,24}(\s|$)/g) ?? [words];
  await fs.writeFile(textFile, lines.join('\n'));
  const tmp = `${out}.${randomBytes(3).toString('hex')}.tmp.mp4`;
  const args = ['-hide_banner', '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=s=${w}x${h}:r=24:d=${opts.durationSec}`];
  if (opts.audio) args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${opts.durationSec}`);
  args.push(
    '-vf', `drawtext=font=Sans:textfile=${textFile}:expansion=none:fontsize=${Math.round(Math.min(w, h) / 12)}:fontcolor=white:box=1:boxcolor=black@0.6:x=8:y=8`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-t', String(opts.durationSec),
  );
  if (opts.audio) args.push('-c:a', 'aac', '-b:a', '64k', '-ac', '2');
  args.push('-movflags', '+faststart', tmp);
  await exec('ffmpeg', args);
  await fs.rename(tmp, out);
  return out;
}

/** Serves a job's clip, applying its download fault. Supports Range like a CDN. */
export async function serveClip(ctx: MockContext, job: MockJob, fault?: FaultKind): Promise<void> {
  const { req, res } = ctx;
  if (fault === 'expired') return ctx.json(403, { error: 'URL expired' });
  if (fault === 'drop') return void req.socket.destroy();
  const file = await makeClip({ durationSec: job.durationSec, aspect: job.aspect, audio: job.audio, text: job.text });
  let data = await fs.readFile(file);
  // Deterministic damage: the header (with the faststart moov) is zeroed, so no demuxer can read the file.
  if (fault === 'corrupt') data = Buffer.concat([Buffer.alloc(Math.min(data.length, 65536)), data.subarray(65536)]);
  let start = 0;
  let end = data.length - 1;
  const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  if (m) {
    start = Number(m[1]);
    end = m[2] ? Math.min(Number(m[2]), end) : end;
    if (start > end) {
      res.writeHead(416, { 'content-range': `bytes */${data.length}` });
      return void res.end();
    }
  }
  const chunk = data.subarray(start, end + 1);
  const rate = ctx.state.timing.downloadBytesPerSec;
  res.writeHead(m ? 206 : 200, {
    'content-type': 'video/mp4',
    'content-length': String(chunk.length),
    'accept-ranges': 'bytes',
    ...(m ? { 'content-range': `bytes ${start}-${end}/${data.length}` } : {}),
  });
  if (fault === 'truncate') {
    // Half the body reaches the client (the write has left this process) before the connection drops, as when
    // a CDN connection breaks mid-file: a client that kept what it got can resume with Range.
    res.write(chunk.subarray(0, Math.floor(chunk.length / 2)), () => setTimeout(() => req.socket.destroy(), 20));
    return;
  }
  if (fault === 'slow') {
    let off = 0;
    const tick = setInterval(() => {
      if (off >= chunk.length || res.destroyed) {
        clearInterval(tick);
        return void res.end();
      }
      res.write(chunk.subarray(off, off + 4096));
      off += 4096;
    }, 5);
    return;
  }
  if (rate) {
    // Twenty slices a second at the configured rate.
    const slice = Math.max(1, Math.floor(rate / 20));
    let off = 0;
    const tick = setInterval(() => {
      if (off >= chunk.length || res.destroyed) {
        clearInterval(tick);
        return void res.end();
      }
      res.write(chunk.subarray(off, off + slice));
      off += slice;
    }, 50);
    return;
  }
  res.end(chunk);
}

export type Route = (ctx: MockContext) => Promise<boolean | void> | boolean | void;

export interface RunningMock {
  name: string;
  url: string;
  port: number;
  state: MockState;
  close(): Promise<void>;
}

/** Applies an HTTP-level fault (rate limit, outage, drop) if one is scripted for this stage. */
export function applyHttpFault(ctx: MockContext, stage: FaultStage, shape: (status: number, message: string) => unknown): boolean {
  const fault = ctx.state.takeFault(stage, ['http-429', 'http-500', 'http-503', 'drop', 'auth']);
  if (!fault) return false;
  switch (fault.kind) {
    case 'drop':
      ctx.req.socket.destroy();
      return true;
    case 'http-429':
      ctx.json(429, shape(429, 'Request was throttled. Expected available in 1 second.'), { 'retry-after': String(fault.retryAfterSec ?? 1) });
      return true;
    case 'http-500':
      ctx.json(500, shape(500, 'Internal server error'));
      return true;
    case 'http-503':
      ctx.json(503, shape(503, 'Service temporarily unavailable'));
      return true;
    case 'auth':
      ctx.json(401, shape(401, 'Invalid credentials'));
      return true;
  }
  return false;
}

async function readBody(req: http.IncomingMessage): Promise<{ raw: Buffer; body: unknown }> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  if (!chunks.length) return { raw, body: undefined };
  const text = raw.toString('utf8');
  try {
    return { raw, body: JSON.parse(text) };
  } catch {
    return { raw, body: text };
  }
}

/**
 * Starts a mock on 127.0.0.1. `stageOf` classifies a request for the log and for faults; `routes` are
 * tried in order until one handles the request. Control routes (for tests in other processes):
 *   POST /__mock/faults {stage, kind, times?}   DELETE /__mock/faults
 *   GET /__mock/log   DELETE /__mock/log   POST /__mock/timing {queueMs, runMs}
 */
export async function startMock(opts: {
  name: string;
  port?: number;
  stageOf: (method: string, pathname: string) => FaultStage | 'other';
  routes: Route[];
  notFound?: (ctx: MockContext) => void;
}): Promise<RunningMock> {
  const state = new MockState();
  let baseUrl = '';
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const { raw, body } = await readBody(req).catch(() => ({ raw: Buffer.alloc(0), body: undefined }));
    const json = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(payload === undefined ? undefined : JSON.stringify(payload));
    };
    const ctx: MockContext = { req, res, url, body, raw, baseUrl, state, json };
    if (url.pathname.startsWith('/__mock/')) {
      const what = url.pathname.slice('/__mock/'.length);
      if (what === 'faults' && req.method === 'POST') {
        const list = Array.isArray(body) ? body : [body];
        state.faults.push(...(list as Fault[]));
        return json(200, { faults: state.faults });
      }
      if (what === 'faults' && req.method === 'DELETE') {
        state.faults = [];
        return json(200, { faults: [] });
      }
      if (what === 'log' && req.method === 'GET') return json(200, state.log);
      if (what === 'log' && req.method === 'DELETE') {
        state.log.length = 0;
        return json(200, []);
      }
      if (what === 'timing' && req.method === 'POST') {
        state.timing = { ...state.timing, ...(body as Partial<MockTiming>) };
        return json(200, state.timing);
      }
      return json(404, { error: 'unknown mock control route' });
    }
    const stage = opts.stageOf(req.method ?? 'GET', url.pathname);
    state.log.push({ at: Date.now(), method: req.method ?? 'GET', path: url.pathname + url.search, stage, headers: req.headers, body });
    if (stage === 'submit' && state.timing.submitDelayMs) await new Promise((r) => setTimeout(r, state.timing.submitDelayMs));
    try {
      for (const route of opts.routes) {
        // A client that hung up while a submission was held still has its request handled (the job is
        // created, as at a real provider); only a route that itself ended the connection stops the chain.
        const goneBefore = res.destroyed;
        if ((await route(ctx)) === true || res.headersSent || (res.destroyed && !goneBefore)) return;
      }
      if (opts.notFound) opts.notFound(ctx);
      else json(404, { detail: 'Not found' });
    } catch (err) {
      json(500, { detail: `mock error: ${(err as Error).message}` });
    }
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;
  return {
    name: opts.name,
    url: baseUrl,
    port,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function newMockJob(init: Omit<MockJob, 'createdAt'>, state: MockState): MockJob {
  const job: MockJob = { ...init, createdAt: Date.now() };
  // A scripted policy fault lets the submit succeed and the job fail later, as moderation does.
  if (state.takeFault('status', ['policy'])) job.failure = { kind: 'policy', message: 'The prompt was flagged by the content safety system.' };
  const download = state.takeFault('download', ['truncate', 'corrupt', 'slow', 'expired', 'drop']);
  if (download) job.downloadFault = download.kind;
  state.jobs.set(job.id, job);
  return job;
}
