// Finding ffmpeg and ffprobe (Settings, STORYREEL_FFMPEG/STORYREEL_FFPROBE, ffmpeg-static/ffprobe-static, PATH) and
// what the one found can do. Every other module gets the binaries from ffmpegInfo(), so each run and each probe
// uses the same chosen pair.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FfmpegInfo } from '../../../shared/api';
import { StudioError } from '../../../shared/errors';
import { execTracked } from './processes';

/** How long `-version`, `-filters` and `-encoders` may take. */
const QUERY_TIMEOUT_MS = 20_000;

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
