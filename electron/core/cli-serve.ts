// `storyreel serve <dir> [--port N]`: the studio in a browser on this machine.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { StudioError } from '../../shared/errors';
import { describeSystemError, isSystemError } from '../../shared/system-errors';
import { AppSettingsFile, configDir } from './app-settings';
import { Studio } from './api';
import { fail } from './cli-util';
import { defaultRendererDir, startHost } from './host/server';
import { ServedProjects } from './host/projects';
import { fileLogger, killAllMedia, setFfmpegLogger } from './media/ffmpeg';

// Two folders below the root both in the source tree (electron/core/) and in the bundle (dist/cli/).
const APP_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function ensureRendererBuilt(): string {
  // STORYREEL_RENDERER_DIR serves another build of the UI (a developer's or a test's own).
  const override = process.env.STORYREEL_RENDERER_DIR;
  if (override) {
    if (!existsSync(path.join(override, 'index.html'))) fail(`STORYREEL_RENDERER_DIR names ${override}, which has no index.html.`);
    return path.resolve(override);
  }
  const dir = defaultRendererDir(APP_ROOT);
  if (existsSync(path.join(dir, 'index.html'))) return dir;
  console.log('Building the studio UI (first run)…');
  const built = spawnSync(process.execPath, [path.join(APP_ROOT, 'scripts', 'build.mjs'), 'renderer'], { stdio: 'inherit', cwd: APP_ROOT });
  if (built.status !== 0 || !existsSync(path.join(dir, 'index.html'))) {
    fail('The studio UI is not built and building it failed. Run `npm run build` in the Storyreel folder, then try again.');
  }
  return dir;
}

/** The browser host's usual port (any free one when it is taken or --port says otherwise). */
const PREFERRED_PORT = 41233;

export async function cmdServe(dir: string, opts: { port?: string }): Promise<void> {
  const port = opts.port === undefined ? 0 : Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a number between 0 and 65535, not "${opts.port}".`);
  const rendererDir = ensureRendererBuilt();
  // Keys typed into Settings are kept in the user's config folder (0600); the environment still works.
  const appSettings = new AppSettingsFile();
  // Every ffmpeg command the studio runs (stitches, animatics, pictures) is logged for when one fails.
  const ffmpegLog = path.join(configDir(), 'logs', 'ffmpeg.log');
  setFfmpegLogger(fileLogger(ffmpegLog));
  // New project / Open… in the page switch the served project (within the user's home).
  const projects = new ServedProjects({
    settings: appSettings,
    openStudio: (d, p) => Studio.open(d, { host: 'browser', autoStitch: true, appSettings, providerSettings: appSettings.providerStore(), projects: p }),
    onNote: (note) => console.warn(`! ${note}`),
  });
  const studio = await projects.start(dir);
  if (studio.session.recoveredFromBackup) console.warn(`! ${studio.session.recoveredFromBackup}`);
  if (studio.lockNote) console.warn(`! ${studio.lockNote}`);
  // Without --port the studio prefers one fixed port, so the page's origin (and with it the panel sizes the
  // browser remembers) stays the same from one run to the next; when it is taken, any free port will do.
  const host = await startHost({ studio, rendererDir, port: opts.port === undefined ? PREFERRED_PORT : port }).catch((err: NodeJS.ErrnoException) => {
    if (opts.port === undefined && err.code === 'EADDRINUSE') return startHost({ studio, rendererDir, port: 0 });
    throw err;
  });
  console.log(`Storyreel is serving ${studio.session.current.name} at ${host.url}`);
  console.log('Open that URL in a browser (the token in it is required). Press Ctrl+C to stop.');
  console.log(`ffmpeg commands are logged to ${ffmpegLog}`);
  projects.follow((next) => {
    host.setStudio(next);
    console.log(`Storyreel is now serving ${next.session.current.name} (${next.session.dir}) at the same URL.`);
  });
  let stopping = false;
  const stop = async () => {
    // Signals repeat (a library re-raises SIGTERM to its own listeners): one stop is enough, and the
    // handler stays so a repeat cannot end the process before the project is written.
    if (stopping) return;
    stopping = true;
    const deadline = setTimeout(() => {
      console.error('storyreel: stopping took too long; exiting now. Edits made in the last second may not have been saved.');
      process.exit(1);
    }, 15_000);
    deadline.unref();
    let code = 0;
    try {
      await host.close();
      await projects.current.close(); // cancels a running stitch, writes unsaved edits, releases the lock
      console.log('Storyreel stopped; the project is saved.');
    } catch (err) {
      code = 1;
      console.error(`storyreel: ${err instanceof StudioError ? err.message : isSystemError(err) ? describeSystemError(err) : (err as Error).message}`);
    }
    killAllMedia(); // no ffmpeg/ffprobe outlives the host
    process.exitCode = code;
    process.exit(code);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
