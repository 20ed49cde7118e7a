// The one module that finds and runs ffmpeg/ffprobe: everything else builds FfmpegJobs with the pure functions of
// ffmpeg-args.ts, and runFfmpeg runs exactly the argument list it logs (ffmpeg-run.ts spawns it; processes.ts
// tracks every ffmpeg and ffprobe started, so quitting stops them all). Every ffprobe is the one located here,
// and every ffprobe has a time limit.
import { appendFileSync, chmodSync, existsSync, mkdirSync, promises as fsp, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FfmpegInfo } from '../../../shared/api';
import { StudioError } from '../../../shared/errors';
import { commandLine, type FfmpegJob } from './ffmpeg-args';
import { spawnJob } from './ffmpeg-run';
import { execTracked, type ExecFailure } from './processes';

export { killAllMedia, runningMediaPids } from './processes';

/** How long ffprobe may take to describe one file (it reads the header; a second is a lot). */
export const PROBE_TIMEOUT_MS = 20_000;
/** How long reading a file's packet index for its keyframes may take (a two-hour import reads every packet). */
export const KEYFRAMES_TIMEOUT_MS = 60_000;
/** How long `-version`, `-filters` and `-encoders` may take. */
const QUERY_TIMEOUT_MS = 20_000;

/** The error for an ffprobe that did not answer in time: which file, that nothing changed, what to try. */
function probeTimedOut(file: string, limitMs: number): StudioError {
  return new StudioError(
    'FFMPEG_FAILED',
    `ffprobe did not finish reading ${file} within ${limitMs / 1000} s, so it was stopped and nothing was changed. ` +
      'If the file is on a network drive or still being written, copy it to a local disk (or wait) and try again.',
  );
}

export interface LocateOptions {
  /** Paths chosen in the app's settings; they win over everything else. */
  settingsFfmpeg?: string;
  settingsFfprobe?: string;
  /** Where those settings live, for `storyreel doctor` (default: the desktop app's Settings). */
  settingsWhere?: string;
  env?: NodeJS.ProcessEnv;
  /** What `require('ffmpeg-static')` gives (tests stand in for the optional package); default: the real one. */
  ffmpegStatic?: () => string | null;
  /** Likewise for the optional `ffprobe-static` package (its `path`). */
  ffprobeStatic?: () => string | undefined;
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

/** One step of the search for ffmpeg, for `storyreel doctor`: where it looked and what it found. */
export interface DiscoveryStep {
  source: FfmpegInfo['source'];
  /** What was looked at, e.g. "STORYREEL_FFMPEG" or "PATH". */
  label: string;
  path?: string;
  /** 'used' = this is the ffmpeg in use; 'skipped' = not set / not installed; 'missing' = set but no file there. */
  state: 'used' | 'skipped' | 'missing';
  note?: string;
}

/**
 * Walks the search order of docs/architecture.md §7 — settings, STORYREEL_FFMPEG, ffmpeg-static (asar rewrite), PATH —
 * and records each step, so a person can see why a given ffmpeg was (or was not) picked.
 */
export function discoverFfmpeg(opts: LocateOptions = {}): DiscoveryStep[] {
  const env = opts.env ?? process.env;
  const steps: DiscoveryStep[] = [];
  let found = false;
  const consider = (source: FfmpegInfo['source'], label: string, candidate: string | undefined, unsetNote: string) => {
    if (found) return steps.push({ source, label, ...(candidate ? { path: candidate } : {}), state: 'skipped', note: 'not needed' });
    if (!candidate) return steps.push({ source, label, state: 'skipped', note: unsetNote });
    if (!existsSync(candidate)) return steps.push({ source, label, path: candidate, state: 'missing', note: 'no file at this path' });
    found = true;
    return steps.push({ source, label, path: candidate, state: 'used' });
  };
  consider('settings', 'Settings', opts.settingsFfmpeg, `not set (${opts.settingsWhere ?? 'the desktop app’s Settings'})`);
  consider('env', 'STORYREEL_FFMPEG', env.STORYREEL_FFMPEG, 'not set');
  const fromStatic = ffmpegStaticPath(opts.ffmpegStatic);
  consider('ffmpeg-static', 'ffmpeg-static', fromStatic.path, fromStatic.note);
  consider('path', 'PATH', onPath('ffmpeg', env), 'no ffmpeg on PATH');
  return steps;
}

/** ffmpeg-static's binary; inside a packaged app it lives in app.asar.unpacked, not in the archive. */
function ffmpegStaticPath(resolve?: () => string | null): { path?: string; note: string } {
  let p: string | null;
  try {
    p = resolve ? resolve() : (createRequire(import.meta.url)('ffmpeg-static') as string | null);
  } catch {
    // Optional dependency: its download is blocked on some machines, and then the system ffmpeg is used.
    return { note: 'not installed (optional dependency)' };
  }
  if (!p) return { note: 'installed, but has no binary for this platform' };
  const unpacked = asarUnpacked(p);
  return existsSync(unpacked) ? { path: unpacked, note: '' } : { note: `installed, but its binary is missing (${unpacked})` };
}

/** ffprobe-static's binary (its module exports `{ path }`), unpacked from app.asar when packaged; undefined when absent. */
function ffprobeStaticPath(resolve?: () => string | undefined): string | undefined {
  let p: string | undefined;
  try {
    p = resolve ? resolve() : (createRequire(import.meta.url)('ffprobe-static') as { path?: string }).path;
  } catch {
    return undefined; // not installed: it is optional
  }
  const unpacked = p && asarUnpacked(p);
  return unpacked && existsSync(unpacked) ? unpacked : undefined;
}

/** Binaries cannot run from inside app.asar; electron-builder unpacks them next to it. */
export function asarUnpacked(p: string): string {
  return p.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
}

export function locateBinaries(opts: LocateOptions = {}): { ffmpegPath: string; ffprobePath: string; source: FfmpegInfo['source'] } {
  const env = opts.env ?? process.env;
  const steps = discoverFfmpeg(opts);
  const used = steps.find((s) => s.state === 'used');
  // A path someone chose explicitly that does not exist is an error, not a reason to quietly use another ffmpeg.
  const broken = steps.find((s) => s.state === 'missing' && (s.source === 'settings' || s.source === 'env'));
  if (broken && (!used || steps.indexOf(broken) < steps.indexOf(used))) {
    const where = broken.source === 'settings' ? 'The ffmpeg path in Settings' : 'STORYREEL_FFMPEG';
    throw new StudioError('FFMPEG_MISSING', `${where} points to ${broken.path}, but there is no file there. Fix or clear it; your project was not changed.`);
  }
  if (!used?.path) {
    throw new StudioError(
      'FFMPEG_MISSING',
      'ffmpeg was not found. Install it (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg) ' +
        'or point STORYREEL_FFMPEG at it. Your project was not changed.',
    );
  }
  const ffmpegPath = used.path;
  const sibling = path.join(path.dirname(ffmpegPath), path.basename(ffmpegPath).replace(/ffmpeg/i, 'ffprobe'));
  const chosen = opts.settingsFfprobe ?? env.STORYREEL_FFPROBE;
  if (chosen && !existsSync(chosen)) {
    const where = opts.settingsFfprobe ? 'The ffprobe path in Settings' : 'STORYREEL_FFPROBE';
    throw new StudioError('FFMPEG_MISSING', `${where} points to ${chosen}, but there is no file there. Fix or clear it; your project was not changed.`);
  }
  // ffmpeg-static ships no ffprobe: a packaged app without a system ffmpeg takes ffprobe-static's, when present.
  const besideFfmpeg = sibling !== ffmpegPath && existsSync(sibling) ? sibling : undefined;
  const ffprobePath = chosen ?? besideFfmpeg ?? ffprobeStaticPath(opts.ffprobeStatic) ?? onPath('ffprobe', env);
  if (!ffprobePath) {
    throw new StudioError('FFMPEG_MISSING', 'ffprobe was not found next to ffmpeg or on PATH. Install ffmpeg (it includes ffprobe) or set STORYREEL_FFPROBE.');
  }
  return { ffmpegPath, ffprobePath, source: used.source };
}

/** First line of `-version`, without the program name: "5.1.9-0+deb12u1". */
export function parseVersion(output: string): string {
  return output.split('\n')[0].replace(/^ff(mpeg|probe) version /, '').split(' ')[0];
}

/** ffprobe's own version (it can differ from ffmpeg's when the two come from different places). */
export async function ffprobeVersion(ffprobePath: string): Promise<string> {
  const { stdout } = await execTracked(ffprobePath, ['-hide_banner', '-version'], { timeoutMs: QUERY_TIMEOUT_MS }).catch((err: Error) => {
    throw new StudioError('FFMPEG_MISSING', `ffprobe at ${ffprobePath} could not be started: ${err.message}`);
  });
  return parseVersion(stdout);
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
let chosenInSettings: string | undefined;

/** The ffmpeg chosen in Settings (undefined = find it automatically); the next run uses it. */
export function setSettingsFfmpeg(ffmpegPath: string | undefined): void {
  chosenInSettings = ffmpegPath;
  cached = undefined;
}

/** Locates ffmpeg once and reports its version and features. */
export function ffmpegInfo(given: LocateOptions = {}): Promise<FfmpegInfo> {
  const opts = { settingsFfmpeg: chosenInSettings, ...given };
  cached ??= (async () => {
    const bins = locateBinaries(opts);
    const [version, filters, encoders] = await Promise.all([
      execTracked(bins.ffmpegPath, ['-hide_banner', '-version'], { timeoutMs: QUERY_TIMEOUT_MS }),
      execTracked(bins.ffmpegPath, ['-hide_banner', '-filters'], { timeoutMs: QUERY_TIMEOUT_MS, maxBuffer: 4 << 20 }),
      execTracked(bins.ffmpegPath, ['-hide_banner', '-encoders'], { timeoutMs: QUERY_TIMEOUT_MS, maxBuffer: 4 << 20 }),
    ]).catch((err: Error) => {
      throw new StudioError('FFMPEG_MISSING', `ffmpeg at ${bins.ffmpegPath} could not be started: ${err.message}`);
    });
    return {
      ...bins,
      version: parseVersion(version.stdout),
      features: parseFeatures(filters.stdout, encoders.stdout),
    };
  })();
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}

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
  opts: { onProgress?: (fraction: number) => void; signal?: AbortSignal; /** Also given the exact command line (e.g. for an export's own log). */ onCommand?: (line: string) => void } = {},
): Promise<void> {
  // A signal aborted before the call never fires 'abort' again: without this, the job would run to the end.
  if (opts.signal?.aborted) throw new StudioError('FFMPEG_FAILED', 'Canceled.');
  const { ffmpegPath } = await ffmpegInfo();
  const line = `$ ${commandLine(ffmpegPath, job)}${job.cwd ? `   (in ${job.cwd})` : ''}`;
  log(line);
  opts.onCommand?.(line);
  await spawnJob(ffmpegPath, job, opts);
}

export interface ProbeResult {
  durationSec: number;
  formatName: string;
  /** Where the earliest stream starts (seconds); a copy-concat needs 0. */
  startSec: number;
  video?: {
    codec: string;
    profile?: string;
    width: number;
    height: number;
    fps: number;
    pixFmt?: string;
    timeBase?: string;
    durationSec?: number;
    /** Frame count where the container records it (MP4/MOV do). */
    frames?: number;
    startSec?: number;
    /** Hash of the decoder configuration (H.264 SPS/PPS): clips can share one stream only when it is equal. */
    extradataHash?: string;
    /** Reordered frames the decoder must hold (0 = no B-frames); absent from probes cached before it was read. */
    bFrames?: number;
  };
  audio?: { codec: string; profile?: string; sampleRate: number; channels: number; channelLayout?: string; durationSec?: number; startSec?: number };
}

function rate(r: string | undefined): number {
  const [n, d] = (r ?? '0/1').split('/').map(Number);
  return d ? n / d : 0;
}

/** Identity of a file's content as far as the file system can tell: survives a rename (the engine's `.part` → final name). */
export function fileStamp(st: { dev: number; ino: number; size: number; mtimeMs: number }): string {
  return `${st.dev}:${st.ino}:${st.size}:${Math.round(st.mtimeMs)}`;
}

/** Every probe this process made, by file stamp, so the stitch does not probe again a clip the engine just checked. */
const probed = new Map<string, ProbeResult>();

/** Forgets every earlier probe (tests and benches that must start cold). */
export function forgetProbes(): void {
  probed.clear();
}

/** What a probe of this same file (same stamp) found earlier in this process, if any. */
export function earlierProbe(stamp: string): ProbeResult | undefined {
  return probed.get(stamp);
}

export async function probe(file: string, opts: { timeoutMs?: number } = {}): Promise<ProbeResult> {
  const { ffprobePath } = await ffmpegInfo();
  const timeoutMs = opts.timeoutMs ?? PROBE_TIMEOUT_MS;
  const { stdout } = await execTracked(
    ffprobePath,
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-show_data_hash', 'sha256', file],
    { maxBuffer: 8 << 20, timeoutMs },
  ).catch((err: ExecFailure) => {
    if (err.timedOut) throw probeTimedOut(file, timeoutMs);
    if (err.stoppedOnQuit) throw new StudioError('FFMPEG_FAILED', `Reading ${path.basename(file)} was stopped: Storyreel is quitting.`);
    throw new StudioError('FFMPEG_FAILED', `${path.basename(file)} is not a playable media file: ${(err.stderr || err.message).trim().split('\n')[0]}`);
  });
  const info = parseProbe(stdout);
  const st = await fsp.stat(file).catch(() => undefined);
  if (st) {
    if (probed.size > 5000) probed.clear();
    probed.set(fileStamp(st), info);
  }
  return info;
}

/** ffprobe's JSON → ProbeResult (pure, so odd files can be tested from their JSON). */
export function parseProbe(json: string): ProbeResult {
  type Stream = Record<string, string | number | undefined>;
  const data = JSON.parse(json) as { format?: Record<string, string>; streams?: Stream[] };
  const streams = data.streams ?? [];
  // Cover art in an MP4 is a one-frame "video" stream; the picture is the real video stream.
  const v = streams.find((s) => s.codec_type === 'video' && !(s.disposition as unknown as Record<string, number> | undefined)?.attached_pic);
  const a = streams.find((s) => s.codec_type === 'audio');
  const num = (x: unknown) => (x === undefined || x === 'N/A' || x === '' ? undefined : Number.isFinite(Number(x)) ? Number(x) : undefined);
  const format = data.format ?? {};
  return {
    durationSec: num(format.duration) ?? 0,
    formatName: format.format_name ?? '',
    startSec: num(format.start_time) ?? 0,
    video: v && {
      codec: String(v.codec_name),
      profile: v.profile as string | undefined,
      width: Number(v.width),
      height: Number(v.height),
      fps: rate(v.avg_frame_rate as string) || rate(v.r_frame_rate as string),
      pixFmt: v.pix_fmt as string | undefined,
      timeBase: v.time_base as string | undefined,
      durationSec: num(v.duration),
      frames: num(v.nb_frames),
      startSec: num(v.start_time),
      extradataHash: v.extradata_hash as string | undefined,
      bFrames: num(v.has_b_frames),
    },
    audio: a && {
      codec: String(a.codec_name),
      profile: a.profile as string | undefined,
      sampleRate: Number(a.sample_rate),
      channels: Number(a.channels),
      channelLayout: a.channel_layout as string | undefined,
      durationSec: num(a.duration),
      startSec: num(a.start_time),
    },
  };
}

/** Presentation times (s) of the video keyframes, read from the packet index (fast: nothing is decoded). */
export async function keyframeTimes(file: string, opts: { timeoutMs?: number } = {}): Promise<number[]> {
  const { ffprobePath } = await ffmpegInfo();
  const timeoutMs = opts.timeoutMs ?? KEYFRAMES_TIMEOUT_MS;
  const { stdout } = await execTracked(
    ffprobePath,
    ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', file],
    { maxBuffer: 32 << 20, timeoutMs },
  ).catch((err: ExecFailure) => {
    throw err.timedOut ? probeTimedOut(file, timeoutMs) : err;
  });
  return parseKeyframes(stdout);
}

/** Parses `pts_time,flags` lines; a keyframe packet's flags start with K. */
export function parseKeyframes(csv: string): number[] {
  const times: number[] = [];
  for (const line of csv.split('\n')) {
    const [t, flags] = line.trim().split(',');
    if (flags?.startsWith('K') && t !== 'N/A' && Number.isFinite(Number(t))) times.push(Number(t));
  }
  return times.sort((a, b) => a - b);
}
