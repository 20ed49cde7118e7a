// `npm run bench -- sync`: what the core sends the renderer, and what typing costs as a project grows.
//   1. Bytes over the browser host's WebSocket while `storyreel serve` generates 300 shots with the
//      animatic provider (from jobs.generate until every job has ended), split by event. Against it, in the
//      same run: what sending the whole state for each of those revisions would have been (the state each
//      push leads to, as JSON: what project.changed carried before it carried patches). The pushes are
//      also replayed onto the state first fetched, and the result must equal the final project.get.
//   2. Key → painted frame typing in the prompt of a 1,000-shot project against a 10-shot one (Chromium,
//      the typing of bench/ui.ts).
//      With it, the bytes the page receives over its WebSocket per key (the edits' answers and the pushes).
// SYNC_BENCH_SHOTS / SYNC_BENCH_TYPING_SHOTS (bench-only) make either smaller for a quick look (0 shots:
// the generation is skipped).
import { type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import WebSocket from 'ws';
import type { ProjectChange, ProjectState } from '../shared/api';
import { applyProjectChange } from '../shared/project-patch';
import type { BenchResult } from './run';
import { makeProject, openTime, pct, serve, typingLatency } from './ui';

const GENERATE_SHOTS = Number(process.env.SYNC_BENCH_SHOTS ?? 300);
const TYPING_SHOTS = Number(process.env.SYNC_BENCH_TYPING_SHOTS ?? 1000);
const TERMINAL = ['ready', 'failed', 'canceled', 'needs-attention'];

interface Traffic {
  bytes: Record<string, number>;
  frames: Record<string, number>;
  /** Bytes the same revisions would have cost as whole states. */
  wholeStateBytes: number;
  revisions: number;
  replayMatches: boolean;
  jobs: number;
  failed: number;
  seconds: number;
}

async function generateTraffic(dir: string): Promise<Traffic> {
  const { url, child } = await serve(dir);
  try {
    const u = new URL(url);
    const ws = new WebSocket(`ws://${u.host}/api?token=${u.searchParams.get('token')}`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    let nextId = 1;
    const waiting = new Map<number, (frame: { ok: boolean; result?: unknown; error?: unknown }) => void>();
    const call = <T>(method: string, input?: unknown): Promise<T> =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, (f) => (f.ok ? resolve(f.result as T) : reject(new Error(JSON.stringify(f.error)))));
        ws.send(JSON.stringify({ id, method, input }));
      });

    let counting = false;
    const t: Traffic = { bytes: {}, frames: {}, wholeStateBytes: 0, revisions: 0, replayMatches: false, jobs: 0, failed: 0, seconds: 0 };
    let held: ProjectState | undefined;
    let replayBroken = false;
    const jobStatus = new Map<string, string>();
    let allDone: () => void = () => {};
    const done = new Promise<void>((r) => (allDone = r));
    let expected = Infinity;
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      const frame = JSON.parse(text) as { id?: number; event?: string; payload?: unknown; ok?: boolean; result?: unknown; error?: unknown };
      if (frame.id !== undefined) waiting.get(frame.id)?.(frame as { ok: boolean });
      const kind = frame.event ?? 'answers';
      if (counting) {
        t.bytes[kind] = (t.bytes[kind] ?? 0) + data.length;
        t.frames[kind] = (t.frames[kind] ?? 0) + 1;
      }
      if (frame.event === 'project.changed') {
        const next = held ? applyProjectChange(held, frame.payload as ProjectChange) : undefined;
        if (!next) replayBroken = true;
        else held = next;
        if (counting && next) {
          t.wholeStateBytes += Buffer.byteLength(JSON.stringify({ event: 'project.changed', payload: next }));
          t.revisions++;
        }
      }
      if (frame.event === 'job.updated') {
        const job = frame.payload as { id: string; status: string };
        jobStatus.set(job.id, job.status);
        const ended = [...jobStatus.values()].filter((s) => TERMINAL.includes(s));
        if (ended.length >= expected) allDone();
      }
    });

    held = await call<ProjectState>('project.get');
    const started = performance.now();
    counting = true;
    const generated = await call<{ jobIds: string[] }>('jobs.generate', {});
    expected = generated.jobIds.length;
    t.jobs = expected;
    if ([...jobStatus.values()].filter((s) => TERMINAL.includes(s)).length >= expected) allDone();
    await done;
    t.seconds = (performance.now() - started) / 1000;
    // Pushes that follow the last job (its take's save) belong to the generation too.
    await new Promise((r) => setTimeout(r, 1500));
    counting = false;
    t.failed = [...jobStatus.values()].filter((s) => s !== 'ready').length;
    const final = await call<ProjectState>('project.get');
    t.replayMatches = !replayBroken && held !== undefined && JSON.stringify(held.project) === JSON.stringify(final.project) && held.rev === final.rev;
    ws.close();
    return t;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r).once('error', r));
  }
}

interface Typing {
  /** Key → painted frame per keystroke, ms. */
  latency: number[];
  /** Bytes the page received over its WebSocket while typing (edit answers and pushes), and how many frames. */
  bytes: number;
  frames: number;
}

async function typing(browser: Browser, dir: string, shots: number): Promise<Typing> {
  const { url, child } = await serve(dir);
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    let counting = false;
    let bytes = 0;
    let frames = 0;
    page.on('websocket', (ws) =>
      ws.on('framereceived', ({ payload }) => {
        if (!counting) return;
        bytes += typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
        frames++;
      }),
    );
    await openTime(page, url, shots);
    await page.waitForTimeout(500);
    counting = true;
    const latency = await typingLatency(page);
    counting = false;
    await page.close();
    return { latency, bytes, frames };
  } finally {
    // Wait for it to stop (it saves on the way out), so the folder can be removed after.
    const exited = new Promise((r) => child.once('exit', r).once('error', r));
    child.kill('SIGTERM');
    await exited;
  }
}

export async function run(): Promise<BenchResult> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'storyreel-bench-sync-'));
  const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  let browser: Browser | undefined;
  const servers: ChildProcess[] = [];
  try {
    const genDir = path.join(tmp, 'generate.storyreel');
    let t: Traffic = { bytes: {}, frames: {}, wholeStateBytes: 0, revisions: 0, replayMatches: true, jobs: 0, failed: 0, seconds: 0 };
    if (GENERATE_SHOTS > 0) {
      await makeProject(genDir, GENERATE_SHOTS, () => 3);
      t = await generateTraffic(genDir);
    }

    browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
    const small = path.join(tmp, 'typing-10.storyreel');
    const big = path.join(tmp, `typing-${TYPING_SHOTS}.storyreel`);
    await makeProject(small, 10);
    await makeProject(big, TYPING_SHOTS);
    const small10 = await typing(browser, small, 10);
    const bigN = await typing(browser, big, TYPING_SHOTS);
    const typeSmall = small10.latency;
    const typeBig = bigN.latency;

    const sent = Object.values(t.bytes).reduce((a, b) => a + b, 0);
    const changed = t.bytes['project.changed'] ?? 0;
    const kb = (v: number) => `${(v / 1024).toFixed(0)} KB`;
    const f = (v: number) => v.toFixed(1);
    const metrics = {
      shots: GENERATE_SHOTS,
      jobs: t.jobs,
      jobsNotReady: t.failed,
      generateSec: t.seconds,
      bytesTotal: sent,
      projectChangedBytes: changed,
      projectChangedPushes: t.frames['project.changed'] ?? 0,
      wholeStateBytes: t.wholeStateBytes,
      patchVsWhole: changed / Math.max(1, t.wholeStateBytes),
      jobUpdatedBytes: t.bytes['job.updated'] ?? 0,
      jobUpdatedPushes: t.frames['job.updated'] ?? 0,
      taskProgressBytes: t.bytes['task.progress'] ?? 0,
      taskProgressPushes: t.frames['task.progress'] ?? 0,
      otherBytes: sent - changed - (t.bytes['job.updated'] ?? 0) - (t.bytes['task.progress'] ?? 0),
      replayMatches: t.replayMatches ? 1 : 0,
      typingShots: TYPING_SHOTS,
      typing10P50Ms: pct(typeSmall, 50),
      typing10P95Ms: pct(typeSmall, 95),
      typingBigP50Ms: pct(typeBig, 50),
      typingBigP95Ms: pct(typeBig, 95),
      typingRatioP95: pct(typeBig, 95) / Math.max(1, pct(typeSmall, 95)),
      typing10BytesPerKey: small10.bytes / Math.max(1, typeSmall.length),
      typingBigBytesPerKey: bigN.bytes / Math.max(1, typeBig.length),
      typingBigFrames: bigN.frames,
      bytesPerGeneratedShot: sent / Math.max(1, GENERATE_SHOTS),
    };
    return {
      name: 'sync',
      metrics,
      summary: [
        GENERATE_SHOTS > 0
          ? `generate ${GENERATE_SHOTS} shots with the animatic (${t.jobs} jobs, ${t.failed} not ready, ${f(t.seconds)} s): ${kb(sent)} sent over the WebSocket, ${kb(metrics.bytesPerGeneratedShot)} per shot`
          : 'generate: skipped (SYNC_BENCH_SHOTS=0)',
        `  project.changed: ${metrics.projectChangedPushes} pushes, ${kb(changed)}; the same ${t.revisions} revisions as whole states: ${kb(t.wholeStateBytes)} → ${(metrics.patchVsWhole * 100).toFixed(1)}%`,
        `  job.updated: ${metrics.jobUpdatedPushes} pushes, ${kb(metrics.jobUpdatedBytes)}; task.progress: ${metrics.taskProgressPushes}, ${kb(metrics.taskProgressBytes)}; answers and the rest: ${kb(metrics.otherBytes)}`,
        `  ${t.replayMatches ? 'the pushes replayed onto the first state equal the final project.get' : 'THE PUSHES REPLAYED DO NOT EQUAL THE FINAL STATE'}`,
        `typing in the prompt (${typeBig.length} keys), key → painted frame p95: ${TYPING_SHOTS} shots ${f(metrics.typingBigP95Ms)} ms vs 10 shots ${f(metrics.typing10P95Ms)} ms → ${metrics.typingRatioP95.toFixed(2)}× (p50 ${f(metrics.typingBigP50Ms)} vs ${f(metrics.typing10P50Ms)} ms)`,
        `  received by the page while typing, per key: ${TYPING_SHOTS} shots ${f(metrics.typingBigBytesPerKey / 1024)} KB vs 10 shots ${f(metrics.typing10BytesPerKey / 1024)} KB (${bigN.frames} frames for ${typeBig.length} keys)`,
      ],
    };
  } finally {
    await browser?.close();
    for (const c of servers) c.kill('SIGTERM');
    await fs.rm(tmp, { recursive: true, force: true, maxRetries: 5 }).catch((err: Error) => console.warn(`  (could not remove ${tmp}: ${err.message})`));
  }
}
