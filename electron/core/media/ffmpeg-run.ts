// Runs one FfmpegJob: the argument list of ffmpeg-args.ts's runArgs(), exactly the one logged, spawned directly.
//
// This replaced fluent-ffmpeg (archived upstream). It built a second argument list of its own from the job, so the
// logged command was not quite what ran, and its progress listener started an extra ffprobe — whichever was first
// on PATH, not the one the app chose — on every run to learn the inputs' lengths. Here the progress comes from
// ffmpeg itself (`-progress pipe:1`: `out_time=` lines on stdout), measured against the job's own durationSec.
import path from 'node:path';
import { StudioError } from '../../../shared/errors';
import { runArgs, type FfmpegJob } from './ffmpeg-args';
import { startTracked, wasStoppedOnQuit } from './processes';

/** Seconds written so far, from one line of `-progress` output (`out_time=00:01:02.500000`); undefined for any other line. */
export function outTimeSeconds(line: string): number | undefined {
  const m = /^out_time=(\d+):(\d+):(\d+(?:\.\d+)?)\s*$/.exec(line);
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : undefined;
}

/** The last lines of ffmpeg's stderr, for an error message (the cause is nearly always there). */
export function stderrTail(stderr: string, lines = 6): string {
  return stderr.trim().split(/\r?\n|\r/).slice(-lines).join('\n');
}

export interface RunOptions {
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  /**
   * Bytes for ffmpeg's standard input (an input `pipe:0`), which may still be being made: ffmpeg starts at
   * once and reads them when they come. If they cannot be made, ffmpeg is stopped and the run fails with that error.
   */
  stdin?: Promise<Uint8Array>;
}

/** Spawns `ffmpegPath` with runArgs(job) in job.cwd; resolves when it exits 0. */
export function spawnJob(ffmpegPath: string, job: FfmpegJob, opts: RunOptions = {}): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = startTracked(ffmpegPath, runArgs(job), { cwd: job.cwd, stdin: Boolean(opts.stdin) });
    let inputFailed: Error | undefined;
    if (opts.stdin && child.stdin) {
      const sink = child.stdin;
      // ffmpeg closing its input early (it failed) is reported by its exit, not by the pipe.
      sink.on('error', () => {});
      opts.stdin.then(
        (bytes) => sink.end(bytes),
        (err: unknown) => {
          inputFailed = err instanceof Error ? err : new Error(String(err));
          child.kill('SIGKILL');
        },
      );
    }
    const abort = () => child.kill('SIGKILL');
    opts.signal?.addEventListener('abort', abort, { once: true });
    if (opts.signal?.aborted) abort(); // aborted while ffmpeg was being located: 'abort' does not fire again
    let pending = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const t = outTimeSeconds(line);
        if (t !== undefined && job.durationSec) opts.onProgress?.(Math.min(1, t / job.durationSec));
      }
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      // Only the tail is ever shown; a long encode's warnings must not pile up in memory.
      stderr = (stderr + chunk).slice(-16_384);
    });
    let settled = false;
    const done = (err?: Error) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', abort);
      if (!err) return resolve();
      if (opts.signal?.aborted) return reject(new StudioError('FFMPEG_FAILED', 'Canceled.'));
      if (inputFailed) return reject(inputFailed);
      reject(new StudioError('FFMPEG_FAILED', `ffmpeg failed writing ${path.basename(job.output)}: ${err.message}\n${stderrTail(stderr)}`));
    };
    child.once('error', (err) => done(err));
    child.once('close', (code, signal) => {
      if (code === 0) return done();
      if (wasStoppedOnQuit(child)) return done(new Error('stopped because Storyreel is quitting'));
      done(new Error(code === null ? `ffmpeg was killed with signal ${signal}` : `ffmpeg exited with code ${code}`));
    });
  });
}
