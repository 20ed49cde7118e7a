// The one module the rest of the app uses to find and run ffmpeg/ffprobe: everything else builds FfmpegJobs with the
// pure functions of ffmpeg-args.ts, and runFfmpeg runs exactly the argument list it logs. Behind it: locating the
// binaries (ffmpeg-locate.ts), spawning a job with its progress (ffmpeg-run.ts), ffprobe (probe.ts), and the table
// of running processes that quitting empties (processes.ts).
import { appendFileSync, chmodSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../../shared/errors';
import { commandLine, type FfmpegJob } from './ffmpeg-args';
import { ffmpegInfo } from './ffmpeg-locate';
import { spawnJob, type RunOptions } from './ffmpeg-run';

export * from './ffmpeg-locate';
export * from './probe';
export { killAllMedia, runningMediaPids } from './processes';

export type Logger = (line: string) => void;
let log: Logger = () => {};
/** Where the exact command lines go (the CLI prints them with --verbose; the app writes its log). */
export function setFfmpegLogger(l: Logger): void {
  log = l;
}

/**
 * A logger that appends each command line, time-stamped, to `file` (for the app: `setFfmpegLogger(fileLogger(…))`).
 * When the file passes `maxBytes` it is moved to `<file>.1` and a new one begun, so the log never grows without
 * bound. Command lines hold file paths and filter graphs, never a key. A log that cannot be written is skipped.
 */
export function fileLogger(file: string, maxBytes = 2 << 20): Logger {
  return (line) => {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      const st = statSync(file, { throwIfNoEntry: false });
      if ((st?.size ?? 0) > maxBytes) renameSync(file, `${file}.1`);
      // Command lines name the person's files: readable by them only (a log from an older build is fixed too).
      else if (st && (st.mode & 0o077) !== 0) chmodSync(file, 0o600);
      appendFileSync(file, `${new Date().toISOString()} ${line}\n`, { mode: 0o600 });
    } catch {
      // Logging must never stop a stitch or an export.
    }
  };
}

export async function runFfmpeg(
  job: FfmpegJob,
  opts: RunOptions & { /** Also given the exact command line (e.g. for an export's own log). */ onCommand?: (line: string) => void } = {},
): Promise<void> {
  // A signal aborted before the call never fires 'abort' again: without this, the job would run to the end.
  if (opts.signal?.aborted) throw new StudioError('FFMPEG_FAILED', 'Canceled.');
  const { ffmpegPath } = await ffmpegInfo();
  const line = `$ ${commandLine(ffmpegPath, job)}${job.cwd ? `   (in ${job.cwd})` : ''}`;
  log(line);
  opts.onCommand?.(line);
  await spawnJob(ffmpegPath, job, opts);
}
