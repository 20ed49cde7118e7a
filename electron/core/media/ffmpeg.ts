// The one module that finds and runs ffmpeg/ffprobe. fluent-ffmpeg is archived upstream, so it stays here:
// everything else builds FfmpegJobs with the pure functions of ffmpeg-args.ts.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import ffmpegCommand from 'fluent-ffmpeg';
import type { FfmpegInfo } from '../../../shared/api';
import { StudioError } from '../../../shared/errors';
import { commandLine, type FfmpegJob } from './ffmpeg-args';

const execFileAsync = promisify(execFile);

export interface LocateOptions {
  /** Paths chosen in the app's settings; they win over everything else. */
  settingsFfmpeg?: string;
  settingsFfprobe?: string;
  env?: NodeJS.ProcessEnv;
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/** ffmpeg-static's binary; inside a packaged app it lives in app.asar.unpacked, not in the archive. */
function ffmpegStaticPath(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const p = require('ffmpeg-static') as string | null;
    if (!p) return undefined;
    const unpacked = p.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
    return existsSync(unpacked) ? unpacked : undefined;
  } catch {
    return undefined; // optional dependency not installed (its download is blocked on some machines)
  }
}

export function locateBinaries(opts: LocateOptions = {}): { ffmpegPath: string; ffprobePath: string; source: FfmpegInfo['source'] } {
  const env = opts.env ?? process.env;
  let ffmpegPath: string | undefined;
  let source: FfmpegInfo['source'] = 'path';
  if (opts.settingsFfmpeg) [ffmpegPath, source] = [opts.settingsFfmpeg, 'settings'];
  else if (env.STORYREEL_FFMPEG) [ffmpegPath, source] = [env.STORYREEL_FFMPEG, 'env'];
  else {
    const fromStatic = ffmpegStaticPath();
    if (fromStatic) [ffmpegPath, source] = [fromStatic, 'ffmpeg-static'];
    else ffmpegPath = onPath('ffmpeg', env);
  }
  if (!ffmpegPath) {
    throw new StudioError(
      'FFMPEG_MISSING',
      'ffmpeg was not found. Install it (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg) ' +
        'or point STORYREEL_FFMPEG at it. Your project was not changed.',
    );
  }
  const sibling = path.join(path.dirname(ffmpegPath), path.basename(ffmpegPath).replace(/ffmpeg/i, 'ffprobe'));
  const ffprobePath =
    opts.settingsFfprobe ?? env.STORYREEL_FFPROBE ?? (sibling !== ffmpegPath && existsSync(sibling) ? sibling : onPath('ffprobe', env));
  if (!ffprobePath) {
    throw new StudioError('FFMPEG_MISSING', 'ffprobe was not found next to ffmpeg or on PATH. Install ffmpeg (it includes ffprobe) or set STORYREEL_FFPROBE.');
  }
  return { ffmpegPath, ffprobePath, source };
}

/** Parses `ffmpeg -filters` and `-encoders` output into the features Storyreel uses. */
export function parseFeatures(filters: string, encoders: string): FfmpegInfo['features'] {
  const hasFilter = (name: string) => new RegExp(`^\\s*\\S+\\s+${name}\\s`, 'm').test(filters);
  return {
    libx264: /^\s*V\S*\s+libx264\s/m.test(encoders),
    drawtext: hasFilter('drawtext'),
    flite: hasFilter('flite'),
  };
}

let cached: Promise<FfmpegInfo> | undefined;

/** Locates ffmpeg once and reports its version and features. */
export function ffmpegInfo(opts: LocateOptions = {}): Promise<FfmpegInfo> {
  cached ??= (async () => {
    const bins = locateBinaries(opts);
    const [version, filters, encoders] = await Promise.all([
      execFileAsync(bins.ffmpegPath, ['-hide_banner', '-version']),
      execFileAsync(bins.ffmpegPath, ['-hide_banner', '-filters'], { maxBuffer: 4 << 20 }),
      execFileAsync(bins.ffmpegPath, ['-hide_banner', '-encoders'], { maxBuffer: 4 << 20 }),
    ]).catch((err: Error) => {
      throw new StudioError('FFMPEG_MISSING', `ffmpeg at ${bins.ffmpegPath} could not be started: ${err.message}`);
    });
    return {
      ...bins,
      version: version.stdout.split('\n')[0].replace(/^ffmpeg version /, '').split(' ')[0],
      features: parseFeatures(filters.stdout, encoders.stdout),
    };
  })();
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}

export function resetFfmpegCache(): void {
  cached = undefined;
}

export type Logger = (line: string) => void;
let log: Logger = () => {};
/** Where the exact command lines go (the CLI prints them with --verbose; the app writes its log). */
export function setFfmpegLogger(l: Logger): void {
  log = l;
}

const running = new Set<ReturnType<typeof ffmpegCommand>>();

/** Stops every ffmpeg this process started (app quit, cancel all). */
export function killAllFfmpeg(): void {
  for (const cmd of running) cmd.kill('SIGKILL');
  running.clear();
}

function timemarkSeconds(mark: string | undefined): number | undefined {
  const m = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(mark ?? '');
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : undefined;
}

export async function runFfmpeg(job: FfmpegJob, opts: { onProgress?: (fraction: number) => void; signal?: AbortSignal } = {}): Promise<void> {
  const { ffmpegPath } = await ffmpegInfo();
  log(`$ ${commandLine(ffmpegPath, job)}${job.cwd ? `   (in ${job.cwd})` : ''}`);
  await new Promise<void>((resolve, reject) => {
    const cmd = ffmpegCommand({ cwd: job.cwd, stdoutLines: 30 }).setFfmpegPath(ffmpegPath);
    for (const input of job.inputs) {
      cmd.input(input.source);
      // Passing several arguments stops fluent-ffmpeg from splitting an option at its spaces.
      if (input.options.length) cmd.inputOptions(...input.options);
    }
    cmd.outputOptions(...job.outputOptions).output(job.output);
    const abort = () => cmd.kill('SIGKILL');
    opts.signal?.addEventListener('abort', abort, { once: true });
    cmd.on('progress', (p: { timemark?: string }) => {
      const t = timemarkSeconds(p.timemark);
      if (t !== undefined && job.durationSec) opts.onProgress?.(Math.min(1, t / job.durationSec));
    });
    const done = (err?: Error, stderr?: string) => {
      running.delete(cmd);
      opts.signal?.removeEventListener('abort', abort);
      if (!err) return resolve();
      if (opts.signal?.aborted) return reject(new StudioError('FFMPEG_FAILED', 'Canceled.'));
      const tail = (stderr ?? '').trim().split('\n').slice(-6).join('\n');
      reject(new StudioError('FFMPEG_FAILED', `ffmpeg failed writing ${path.basename(job.output)}: ${err.message}\n${tail}`));
    };
    cmd.on('end', () => done());
    cmd.on('error', (err: Error, _stdout: string | null, stderr: string | null) => done(err, stderr ?? ''));
    running.add(cmd);
    cmd.run();
  });
}

export interface ProbeResult {
  durationSec: number;
  formatName: string;
  video?: { codec: string; profile?: string; width: number; height: number; fps: number; pixFmt?: string; timeBase?: string; durationSec?: number };
  audio?: { codec: string; sampleRate: number; channels: number; channelLayout?: string; durationSec?: number };
}

function rate(r: string | undefined): number {
  const [n, d] = (r ?? '0/1').split('/').map(Number);
  return d ? n / d : 0;
}

export async function probe(file: string): Promise<ProbeResult> {
  const { ffprobePath } = await ffmpegInfo();
  const { stdout } = await execFileAsync(ffprobePath, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], {
    maxBuffer: 8 << 20,
  }).catch((err: Error & { stderr?: string }) => {
    throw new StudioError('FFMPEG_FAILED', `${path.basename(file)} is not a playable media file: ${(err.stderr ?? err.message).trim().split('\n')[0]}`);
  });
  type Stream = Record<string, string | number | undefined>;
  const data = JSON.parse(stdout) as { format: Record<string, string>; streams: Stream[] };
  const v = data.streams.find((s) => s.codec_type === 'video');
  const a = data.streams.find((s) => s.codec_type === 'audio');
  const num = (x: unknown) => (x === undefined ? undefined : Number(x));
  return {
    durationSec: Number(data.format.duration ?? 0),
    formatName: data.format.format_name ?? '',
    video: v && {
      codec: String(v.codec_name),
      profile: v.profile as string | undefined,
      width: Number(v.width),
      height: Number(v.height),
      fps: rate(v.avg_frame_rate as string) || rate(v.r_frame_rate as string),
      pixFmt: v.pix_fmt as string | undefined,
      timeBase: v.time_base as string | undefined,
      durationSec: num(v.duration),
    },
    audio: a && {
      codec: String(a.codec_name),
      sampleRate: Number(a.sample_rate),
      channels: Number(a.channels),
      channelLayout: a.channel_layout as string | undefined,
      durationSec: num(a.duration),
    },
  };
}
