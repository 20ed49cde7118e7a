// The ffmpeg runner (issue 13, item 5): what it logs is what it runs, its progress comes from ffmpeg's own
// `-progress` report, every ffmpeg/ffprobe it starts can be stopped at once when the app quits (or the process
// exits), and an ffprobe that never answers is stopped after its time limit with an error naming the file.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitCommand } from '../../../bench/ffmpeg-count';
import type { FfmpegJob } from '../../../electron/core/media/ffmpeg-args';
import { keyframeTimes, killAllMedia, probe, runFfmpeg, runningMediaPids, setFfmpegLogger } from '../../../electron/core/media/ffmpeg';
import { ROOT, tempDir } from '../helpers';

let base: string;
let fifo: string;

beforeAll(async () => {
  base = path.join(await tempDir('sr-runner-'), 'a folder');
  await fs.mkdir(base, { recursive: true });
  // A named pipe nobody writes to: ffprobe opening it waits for ever, like a file on a hung network drive.
  fifo = path.join(base, "take's pipe.mp4");
  execFileSync('mkfifo', [fifo]);
});

afterAll(async () => {
  setFfmpegLogger(() => {});
  killAllMedia();
  await fs.rm(path.dirname(base), { recursive: true, force: true });
});

/** A job that runs for ten minutes unless stopped (real time, tiny frames: it costs next to nothing). */
function longJob(output = '-'): FfmpegJob {
  return { inputs: [{ source: 'testsrc=size=64x36:rate=5:d=600', options: ['-re', '-f', 'lavfi'] }], outputOptions: ['-f', 'null'], output, durationSec: 600, cwd: base };
}

/** Whether a process is still there (a zombie waiting for its parent to read its status is not). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Waits (a few seconds at most) for a killed process to be gone. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
}

/** Starts `job` and resolves once ffmpeg has reported progress, with the run's promise and what it logged. */
async function startLong(job: FfmpegJob, signal?: AbortSignal) {
  const lines: string[] = [];
  let started!: () => void;
  const running = new Promise<void>((r) => (started = r));
  const done = runFfmpeg(job, { signal, onCommand: (l) => lines.push(l), onProgress: () => started() });
  done.catch(() => {});
  await Promise.race([running, done]);
  return { done, lines };
}

describe('runFfmpeg', () => {
  it('runs exactly the command line it logs, in the job’s folder, and a cancel stops it with “Canceled.”', async () => {
    const before = new Set(runningMediaPids());
    const abort = new AbortController();
    const { done, lines } = await startLong(longJob(), abort.signal);
    const [pid] = runningMediaPids().filter((p) => !before.has(p));
    const ran = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith(`   (in ${base})`)).toBe(true);
    // The pasteable line, split the way the bench reads it, is the argument list of the running process.
    expect(ran).toEqual(splitCommand(lines[0]));
    expect(ran).toContain('-progress');
    expect(await fs.realpath(`/proc/${pid}/cwd`)).toBe(await fs.realpath(base));
    abort.abort();
    await expect(done).rejects.toThrow(/^Canceled\.$/);
    expect(alive(pid)).toBe(false);
  });

  it('reports progress as the share of the job’s length written, from ffmpeg’s own report, up to 1', async () => {
    const fractions: number[] = [];
    const job: FfmpegJob = {
      inputs: [{ source: 'testsrc=size=320x180:rate=24:d=3', options: ['-f', 'lavfi'] }],
      outputOptions: ['-c:v', 'libx264', '-preset', 'ultrafast'],
      output: path.join(base, 'progress.mp4'),
      durationSec: 3,
    };
    await runFfmpeg(job, { onProgress: (f) => fractions.push(f) });
    expect(fractions.length).toBeGreaterThan(0);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
    expect(fractions.at(-1)).toBeCloseTo(1, 1);
    expect(Math.max(...fractions)).toBeLessThanOrEqual(1);
  });

  it('fails with the file it was writing and the end of what ffmpeg said', async () => {
    const job: FfmpegJob = { inputs: [{ source: path.join(base, 'missing.mp4'), options: [] }], outputOptions: ['-c', 'copy'], output: path.join(base, 'out.mp4') };
    const err = await runFfmpeg(job).then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(/^ffmpeg failed writing out\.mp4: ffmpeg exited with code 1\n/);
    expect(err?.message).toContain('missing.mp4: No such file or directory');
  });
});

describe('killAllMedia', () => {
  it('stops every running ffmpeg and ffprobe: their runs fail saying why, and the processes are gone', async () => {
    const { done: encode } = await startLong(longJob());
    const probing = probe(fifo, { timeoutMs: 600_000 }).then(() => undefined, (e: Error) => e);
    while (runningMediaPids().length < 2) await new Promise((r) => setTimeout(r, 20));
    const pids = runningMediaPids();
    expect(pids.every(alive)).toBe(true);

    expect(killAllMedia()).toBe(2);
    await expect(encode).rejects.toThrow(/stopped because Storyreel is quitting/);
    expect((await probing)?.message).toBe(`Reading ${path.basename(fifo)} was stopped: Storyreel is quitting.`);
    expect(pids.filter(alive)).toEqual([]);
    expect(runningMediaPids()).toEqual([]);
  });

  it('runs by itself when the process exits, so no ffmpeg outlives it', async () => {
    const script = path.join(base, 'exits.ts');
    await fs.writeFile(
      script,
      [
        `import { runFfmpeg, runningMediaPids } from ${JSON.stringify(path.join(ROOT, 'electron/core/media/ffmpeg.ts'))};`,
        `void runFfmpeg(${JSON.stringify(longJob())}, { onProgress: () => { console.log(runningMediaPids().join(',')); process.exit(0); } }).catch(() => {});`,
      ].join('\n'),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(0);
    const pid = Number(out.trim());
    expect(pid).toBeGreaterThan(0);
    // Without the exit hook this ffmpeg would go on for ten minutes with nobody to read it.
    expect(await gone(pid)).toBe(true);
  });
});

describe('probe time limit', () => {
  it('stops an ffprobe that does not answer, with an error naming the file and saying nothing changed', async () => {
    const err = await probe(fifo, { timeoutMs: 500 }).then(() => undefined, (e: Error) => e);
    expect(err?.message).toBe(
      `ffprobe did not finish reading ${fifo} within 0.5 s, so it was stopped and nothing was changed. ` +
        'If the file is on a network drive or still being written, copy it to a local disk (or wait) and try again.',
    );
    expect(runningMediaPids()).toEqual([]);
    await expect(keyframeTimes(fifo, { timeoutMs: 500 })).rejects.toThrow(`ffprobe did not finish reading ${fifo} within 0.5 s`);
    expect(runningMediaPids()).toEqual([]);
    expect(existsSync(fifo)).toBe(true);
  });
});

describe('input from bytes still being made (stdin)', () => {
  const pcmJob = (output: string): FfmpegJob => ({
    inputs: [{ source: 'pipe:0', options: ['-f', 'f32le', '-ar', '48000', '-ac', '2'] }],
    outputOptions: ['-c:a', 'flac', '-f', 'flac'],
    output,
    durationSec: 1,
  });

  it('starts ffmpeg before the bytes exist and encodes them when they come', async () => {
    const out = path.join(base, 'tone.flac');
    // The bytes are made only once ffmpeg has been started (its command logged): it must not wait for them.
    let started!: () => void;
    const ffmpegStarted = new Promise<void>((resolve) => (started = resolve));
    setFfmpegLogger(() => started());
    const bytes = ffmpegStarted.then(() => {
      const pcm = new Float32Array(48000 * 2).map((_, i) => 0.25 * Math.sin((2 * Math.PI * 440 * Math.floor(i / 2)) / 48000));
      return new Uint8Array(pcm.buffer);
    });
    await runFfmpeg(pcmJob(out), { stdin: bytes });
    setFfmpegLogger(() => {});
    const info = await probe(out);
    expect(info.audio).toBeDefined();
    expect(Number(info.durationSec)).toBeCloseTo(1, 2);
  });

  it('fails with the reason the bytes could not be made, and leaves no ffmpeg running', async () => {
    const broken = Promise.reject(new Error('the mix could not be made: a lane file is gone'));
    broken.catch(() => undefined);
    await expect(runFfmpeg(pcmJob(path.join(base, 'never.flac')), { stdin: broken })).rejects.toThrow('the mix could not be made: a lane file is gone');
    expect(runningMediaPids()).toEqual([]);
  });
});
