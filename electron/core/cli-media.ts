// `storyreel doctor` and `storyreel import-take`: the media commands of the command line.
import path from 'node:path';
import { CAPABILITIES, credentialEnvHint } from '../../shared/capabilities';
import { StudioError } from '../../shared/errors';
import type { PriceOverrides } from '../../shared/pricing';
import { ProviderIdSchema } from '../../shared/schema';
import { shotLabel } from '../../shared/work-units';
import { AppSettingsFile, configDir as configDirOf } from './app-settings';
import { discoverFfmpeg, ffmpegInfo, ffprobeVersion, setSettingsFfmpeg } from './media/ffmpeg';
import { importTake } from './media/import-take';
import { withProjectLock } from './project/lock';
import { ProjectSession } from './project/session';
import { createAdapters, envConfig } from './providers/registry';

/**
 * The ffmpeg chosen in this computer's settings file (the one `storyreel serve` and its Settings dialog use),
 * applied so a command runs the same ffmpeg the studio does. Returns the path, the file it came from, and the
 * prices set there by hand (so the command estimates as the studio does).
 */
export function applyComputerSettings(env: NodeJS.ProcessEnv = process.env): { ffmpegPath?: string; file: string; prices: PriceOverrides } {
  const settings = new AppSettingsFile(configDirOf(env));
  setSettingsFfmpeg(settings.ffmpegPath);
  return { ...(settings.ffmpegPath ? { ffmpegPath: settings.ffmpegPath } : {}), file: settings.file, prices: settings.prices };
}

/** A base URL as it may be shown: no user:password@, no query (where a proxy might carry a token). */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(not a valid URL)';
  }
}

/** What a missing feature costs, in the words a person needs. */
const FEATURE_IMPACT: Record<'libx264' | 'drawtext' | 'flite', { needed: boolean; without: string }> = {
  libx264: { needed: true, without: 'no H.264 encoder: slates, animatic clips, proxies and exports cannot be made' },
  drawtext: { needed: true, without: 'no drawtext filter: title cards and slates cannot be drawn' },
  flite: { needed: false, without: 'no flite filter: the animatic leaves dialogue silent (everything else works)' },
};

/**
 * Prints the media setup and the providers; exit code 1 when ffmpeg is missing or lacks what the app needs.
 * Keys are never printed, not even in part.
 */
export async function cmdDoctor(opts: { env?: NodeJS.ProcessEnv; print?: (line: string) => void } = {}): Promise<number> {
  const print = opts.print ?? ((line: string) => console.log(line));
  const env = opts.env ?? process.env;
  let ok = true;
  print('ffmpeg');
  const settings = applyComputerSettings(env);
  const located = { env, settingsFfmpeg: settings.ffmpegPath, settingsWhere: settings.file };
  const steps = discoverFfmpeg(located);
  let inUse = false;
  try {
    const info = await ffmpegInfo(located);
    const probeVersion = await ffprobeVersion(info.ffprobePath).catch((err: Error) => {
      ok = false;
      return `cannot be started (${err.message})`;
    });
    inUse = true;
    print(`  ffmpeg    ${info.ffmpegPath}  (version ${info.version}, found via ${steps.find((s) => s.state === 'used')?.label ?? info.source})`);
    print(`  ffprobe   ${info.ffprobePath}  (version ${probeVersion})`);
    const names = Object.keys(FEATURE_IMPACT) as (keyof typeof FEATURE_IMPACT)[];
    print(`  features  ${names.map((f) => `${f} ${info.features[f] ? 'yes' : 'NO'}`).join(' · ')}`);
    for (const f of names) {
      if (info.features[f]) continue;
      if (FEATURE_IMPACT[f].needed) ok = false;
      print(`  ! ${FEATURE_IMPACT[f].without}`);
    }
  } catch (err) {
    ok = false;
    print(`  ! ${(err as Error).message}`);
  }
  print('  search order:');
  for (const s of steps) {
    const used = inUse ? '← in use' : '(found, but not in use: see the ! line above)';
    const what = s.state === 'used' ? `${s.path}  ${used}` : s.state === 'missing' ? `${s.path}  (${s.note})` : (s.note ?? '');
    print(`    ${`${s.label}:`.padEnd(18)} ${what}`);
  }

  print('providers');
  const resolve = envConfig(env);
  const available = createAdapters();
  for (const id of ProviderIdSchema.options) {
    const label = CAPABILITIES[id].label;
    if (id === 'animatic') {
      print(`  ${id.padEnd(10)} ${label}: built in, needs no key`);
      continue;
    }
    const config = resolve(id);
    const status = !available.has(id)
      ? 'not in this build'
      : config
        ? `configured → ${displayUrl(config.baseUrl)}`
        : `not configured (set ${credentialEnvHint(id)})`;
    print(`  ${id.padEnd(10)} ${label}: ${status}`);
  }
  print(ok ? 'Everything Storyreel needs is here.' : 'Storyreel cannot work fully with this setup; see the lines marked !.');
  return ok ? 0 : 1;
}

export async function cmdImportTake(opts: { dir: string; args: string[]; print?: (line: string) => void }): Promise<number> {
  const print = opts.print ?? ((line: string) => console.log(line));
  if (opts.args.length !== 2) {
    throw new StudioError('INVALID_INPUT', 'Usage: storyreel import-take <dir> <shot> <file>, where <shot> is a number (1 = the first shot), an id or a title.');
  }
  const [shotRef, file] = opts.args;
  applyComputerSettings();
  await ffmpegInfo();
  // Under the project's lock: a studio with the project open would save over the new take (orphaning its file).
  const wording = {
    notDone: 'the clip was not imported and nothing was changed',
    advice: 'Import it in that studio instead (drop the clip on the shot), or close that studio and run this again',
  };
  return withProjectLock(opts.dir, wording, () => importUnderLock(opts.dir, shotRef, file, print));
}

async function importUnderLock(dir: string, shotRef: string, file: string, print: (line: string) => void): Promise<number> {
  const session = await ProjectSession.open(dir);
  try {
    if (session.recoveredFromBackup) console.warn(`! ${session.recoveredFromBackup}`);
    const result = await importTake({ session, shotId: shotRef, file });
    const shotName = shotLabel(result.state.project, result.shot.id);
    const m = result.take.media!;
    if (result.alreadyThere) {
      print(`${path.basename(file)} is already take ${result.shot.takes.findIndex((t) => t.id === result.take.id) + 1} of ${shotName}; selected it, nothing was copied.`);
    } else {
      const sound = m.hasAudio ? 'with sound' : 'no sound';
      print(`Imported ${path.basename(file)} as take ${result.shot.takes.length} of ${shotName} and selected it: ${m.durationSec.toFixed(2)} s, ${m.width}×${m.height}, ${Number(m.fps.toFixed(3))} fps, ${sound} → ${m.path}`);
    }
    const p = result.prepared;
    if (p.proxiesBuilt.length || p.audioConverted.length) {
      print(`  Converted for the cut once (kept in cache/): ${[p.proxiesBuilt.length ? 'picture' : '', p.audioConverted.length ? 'sound' : ''].filter(Boolean).join(' and ')}.`);
    } else {
      print('  It joins the cut as it is (no conversion needed).');
    }
    await session.flush();
    return 0;
  } finally {
    await session.close();
  }
}
