// `npm run bench -- engine`: what the durable engine costs on top of the provider protocol it drives,
// as ratios against baselines measured in the same run on this machine.
//   1. 200 jobs at once against the fal mock (running in its own process, so its work is not counted):
//      the engine's CPU time, resident-memory growth, HTTP requests per job and journal writes, against
//      the same 200 jobs driven by the bare fal adapter (submit, the same poll schedule, download, hash)
//      with no journal, no project document, no checks.
//   2. A 1 GB result through downloadToPart from a local server (its own process) that streams generated
//      bytes: resident-memory growth must stay under 64 MB; throughput against a bare fetch → file pipe.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, promises as fs, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { fileURLToPath } from 'node:url';
import { downloadToPart } from '../electron/core/jobs/download';
import { Engine } from '../electron/core/jobs/engine';
import { SlotScheduler } from '../electron/core/jobs/scheduler';
import { createProjectFolder, newProject, newShot } from '../electron/core/project/project-folder';
import { ProjectSession } from '../electron/core/project/session';
import { createFalAdapter } from '../electron/core/providers/fal';
import type { AdapterContext, ProviderAdapter } from '../electron/core/providers/provider';
import { envConfig } from '../electron/core/providers/registry';
import type { GenerationSpec } from '../shared/generation';
import type { ProviderId } from '../shared/schema';
import { FAL_MOCK_KEY } from '../tests/mock-providers/fal';
import type { BenchResult } from './run';

const JOBS = 200;
const GIGABYTE = 1024 ** 3;
const RSS_LIMIT = 64 * 1024 ** 2;
const SCALE = 0.05;
const MOCK_TIMING = { queueMs: 800, runMs: 1200 };
const PROMPT = 'A lighthouse keeper climbs the stairs at dusk';
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);

// ——— child processes: the mock and the byte server run apart so their work is not measured ————————

const MOCK_FLAG = '--engine-bench-mock';
const BYTES_FLAG = '--engine-bench-bytes';

if (process.argv.includes(MOCK_FLAG)) {
  const { startFalMock } = await import('../tests/mock-providers/fal');
  const mock = await startFalMock();
  mock.state.timing = MOCK_TIMING;
  process.stdout.write(`${JSON.stringify({ url: mock.url })}\n`);
} else if (process.argv.includes(BYTES_FLAG)) {
  // GIGABYTE bytes of a repeating 1 MB block, with Range, streamed with backpressure.
  const block = Buffer.alloc(1 << 20, 0x5a);
  const server = http.createServer((req, res) => {
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    res.writeHead(m ? 206 : 200, {
      'content-type': 'video/mp4',
      'content-length': String(GIGABYTE - start),
      ...(m ? { 'content-range': `bytes ${start}-${GIGABYTE - 1}/${GIGABYTE}` } : {}),
    });
    let left = GIGABYTE - start;
    const pump = () => {
      while (left > 0) {
        const n = Math.min(left, block.length);
        left -= n;
        if (!res.write(n === block.length ? block : block.subarray(0, n))) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/big.mp4` })}\n`));
}

function startChild(flag: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'engine.ts'), flag], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve({ child, url: (JSON.parse(line) as { url: string }).url });
    });
    child.on('exit', (code) => reject(new Error(`bench child ${flag} exited with ${code}`)));
  });
}

// ——— measuring ——————————————————————————————————————————————————————————————————————————————————

/** CPU seconds of this process, and of the children it has waited for (ffprobe), from /proc where present. */
function cpu(): { self: number; children: number } {
  const u = process.cpuUsage();
  let children = 0;
  if (existsSync('/proc/self/stat')) {
    // Fields after the command name: utime stime cutime cstime are the 12th–15th (clock ticks, 100/s).
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    children = (Number(fields[13]) + Number(fields[14])) / 100;
  }
  return { self: (u.user + u.system) / 1e6, children };
}

/** Samples resident memory while `work` runs; returns the peak growth over the starting value. */
async function measure<T>(work: () => Promise<T>): Promise<{ value: T; wallSec: number; cpuSec: number; childCpuSec: number; rssGrowth: number }> {
  global.gc?.();
  const rss0 = process.memoryUsage.rss();
  let peak = rss0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  const c0 = cpu();
  const t0 = performance.now();
  try {
    const value = await work();
    const c1 = cpu();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, wallSec: (performance.now() - t0) / 1000, cpuSec: c1.self - c0.self, childCpuSec: c1.children - c0.children, rssGrowth: peak - rss0 };
  } finally {
    clearInterval(timer);
  }
}

async function mockLogCount(url: string): Promise<{ total: number; byStage: Record<string, number> }> {
  const log = (await (await fetch(`${url}/__mock/log`)).json()) as { stage: string }[];
  await fetch(`${url}/__mock/log`, { method: 'DELETE' });
  const byStage: Record<string, number> = {};
  for (const r of log) byStage[r.stage] = (byStage[r.stage] ?? 0) + 1;
  return { total: log.length, byStage };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MB`;

// ——— 1. 200 jobs ————————————————————————————————————————————————————————————————————————————————

/** The same work without the engine: the adapter's submit and poll, the engine's poll schedule, download, hash. */
async function bareJobs(opts: { adapter: ProviderAdapter; ctx: AdapterContext; dir: string; n: number }): Promise<void> {
  const spec: GenerationSpec = { provider: 'fal', tier: 'standard', aspectRatio: '16:9', durationSec: 3, audio: false, cfgScale: 0.5, negativePrompt: '', prompt: PROMPT, voiceIds: [], elements: [] };
  await Promise.all(
    Array.from({ length: opts.n }, async (_, i) => {
      const { ref } = await opts.adapter.submit(spec, opts.ctx, { idempotencyKey: `bare-${i}` });
      let interval = opts.adapter.pollIntervalMs;
      for (;;) {
        await sleep(interval * SCALE);
        const state = await opts.adapter.poll(ref, opts.ctx);
        if (state.state === 'failed') throw state.error;
        if (state.state === 'succeeded' && state.result.kind === 'url') {
          const file = path.join(opts.dir, `bare-${i}.mp4`);
          const res = await fetch(state.result.url);
          await pipeline(Readable.fromWeb(res.body as WebReadableStream), createWriteStream(file));
          const hash = createHash('sha256');
          await pipeline(createReadStream(file), hash);
          return;
        }
        interval = Math.min(opts.adapter.maxPollIntervalMs, interval * 1.5);
      }
    }),
  );
}

async function engineBench(): Promise<{ summary: string[]; metrics: Record<string, number> }> {
  const { child, url } = await startChild(MOCK_FLAG);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'sr-bench-engine-'));
  try {
    const resolveConfig = envConfig({ FAL_KEY: FAL_MOCK_KEY, STORYREEL_FAL_URL: url });
    const adapter = createFalAdapter();
    const ctx: AdapterContext = { config: resolveConfig('fal')!, projectDir: work, workDir: work };
    // Warm up: the mock renders its clip once, and both paths load their code before anything is timed.
    await bareJobs({ adapter, ctx, dir: work, n: 1 });
    await mockLogCount(url);

    const bare = await measure(() => bareJobs({ adapter, ctx, dir: work, n: JOBS }));
    const bareRequests = await mockLogCount(url);

    const dir = path.join(work, 'bench.storyreel');
    const project = newProject('Engine bench', Array.from({ length: JOBS }, (_, i) => newShot({ title: `Shot ${i + 1}`, prompt: PROMPT, durationSec: 3 })));
    project.settings.provider = 'fal';
    await createProjectFolder(dir, project);
    const session = await ProjectSession.open(dir);
    const engine = new Engine({
      session,
      providers: new Map<ProviderId, ProviderAdapter>([['fal', adapter]]),
      resolveConfig,
      scheduler: new SlotScheduler({ fal: JOBS }),
      timing: { scale: SCALE },
    });
    await engine.resume();
    let events = 0;
    const firstLast = new Map<string, [number, number]>();
    const t0 = performance.now();
    engine.on('job', (j) => {
      events++;
      const t = (performance.now() - t0) / 1000;
      const fl = firstLast.get(j.status);
      firstLast.set(j.status, fl ? [fl[0], t] : [t, t]);
    });
    const run = await measure(async () => {
      await engine.generate();
      await engine.idle();
    });
    const requests = await mockLogCount(url);
    const ready = engine.list().filter((j) => j.status === 'ready').length;
    const writes = engine.journalWrites;
    await engine.close();
    await session.close();
    if (ready !== JOBS) throw new Error(`only ${ready} of ${JOBS} jobs became ready: ${engine.list().find((j) => j.status !== 'ready')?.error}`);

    const perJob = requests.total / JOBS;
    const bareCpu = bare.cpuSec;
    return {
      summary: [
        `${JOBS} jobs at once on the fal mock (queue ${MOCK_TIMING.queueMs} ms + run ${MOCK_TIMING.runMs} ms; waits ×${SCALE}):`,
        `  engine: ${run.wallSec.toFixed(1)} s wall, ${run.cpuSec.toFixed(2)} s CPU (${((run.cpuSec / JOBS) * 1000).toFixed(1)} ms a job) + ${run.childCpuSec.toFixed(2)} s in ffprobe, RSS +${mb(run.rssGrowth)}`,
        `  bare adapter, same work without the engine: ${bare.wallSec.toFixed(1)} s wall, ${bareCpu.toFixed(2)} s CPU, RSS +${mb(bare.rssGrowth)}`,
        `  engine CPU / bare CPU = ${(run.cpuSec / bareCpu).toFixed(2)}×; wall = ${(run.wallSec / bare.wallSec).toFixed(2)}×`,
        `  HTTP requests a job: ${perJob.toFixed(1)} (${Object.entries(requests.byStage).map(([k, v]) => `${k} ${(v / JOBS).toFixed(1)}`).join(', ')}); bare: ${(bareRequests.total / JOBS).toFixed(1)}`,
        `  journal writes: ${writes} for ${JOBS} jobs (${(writes / JOBS).toFixed(2)} a job, coalesced); ${events} job events`,
        `  when (s): ${[...firstLast].map(([k, [a, b]]) => `${k} ${a.toFixed(1)}–${b.toFixed(1)}`).join(', ')} — after the mock finishes, checking clips (ffprobe, ${Math.max(2, os.availableParallelism())} at a time) is the long part`,
      ],
      metrics: {
        jobs: JOBS,
        engineWallSec: run.wallSec,
        engineCpuSec: run.cpuSec,
        engineChildCpuSec: run.childCpuSec,
        engineRssGrowthBytes: run.rssGrowth,
        bareWallSec: bare.wallSec,
        bareCpuSec: bareCpu,
        bareRssGrowthBytes: bare.rssGrowth,
        cpuRatio: run.cpuSec / bareCpu,
        requestsPerJob: perJob,
        bareRequestsPerJob: bareRequests.total / JOBS,
        journalWrites: writes,
        jobEvents: events,
      },
    };
  } finally {
    child.kill();
    await fs.rm(work, { recursive: true, force: true });
  }
}

// ——— 2. 1 GB download ————————————————————————————————————————————————————————————————————————————

async function downloadBench(): Promise<{ summary: string[]; metrics: Record<string, number> }> {
  const { child, url } = await startChild(BYTES_FLAG);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'sr-bench-download-'));
  try {
    const bareFile = path.join(work, 'bare.bin');
    const bare = await measure(async () => {
      const res = await fetch(url);
      await pipeline(Readable.fromWeb(res.body as WebReadableStream), createWriteStream(bareFile));
    });
    await fs.rm(bareFile);
    const part = path.join(work, 'big.mp4.part');
    const ours = await measure(() => downloadToPart(url, part, { provider: 'fal', jobRef: 'bench', expectedBytes: GIGABYTE }));
    if (ours.value.bytes !== GIGABYTE) throw new Error(`downloaded ${ours.value.bytes} bytes, not ${GIGABYTE}`);
    const within = ours.rssGrowth < RSS_LIMIT;
    return {
      summary: [
        `1 GB result through downloadToPart: RSS +${mb(ours.rssGrowth)} (${within ? 'within' : 'OVER'} the ${mb(RSS_LIMIT)} limit), ${(GIGABYTE / 1024 ** 2 / ours.wallSec).toFixed(0)} MB/s incl. fsync`,
        `  bare fetch → file: RSS +${mb(bare.rssGrowth)}, ${(GIGABYTE / 1024 ** 2 / bare.wallSec).toFixed(0)} MB/s; downloadToPart takes ${(ours.wallSec / bare.wallSec).toFixed(2)}× the time`,
      ],
      metrics: {
        downloadRssGrowthBytes: ours.rssGrowth,
        downloadWithinLimit: within ? 1 : 0,
        downloadWallSec: ours.wallSec,
        bareDownloadRssGrowthBytes: bare.rssGrowth,
        bareDownloadWallSec: bare.wallSec,
      },
    };
  } finally {
    child.kill();
    await fs.rm(work, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchResult> {
  // The download first, in a process whose heap has not yet grown for 200 jobs.
  const download = await downloadBench();
  const jobs = await engineBench();
  return { name: 'engine', summary: [...download.summary, ...jobs.summary], metrics: { ...download.metrics, ...jobs.metrics } };
}
