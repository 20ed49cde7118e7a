// `storyreel` command line: headless use of the core (new / render / serve).
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { StudioError } from '../../shared/errors';
import { ProviderIdSchema, totalDurationSec } from '../../shared/schema';
import { formatDuration } from '../../shared/time';
import type { Job } from '../../shared/api';
import { Studio, appVersion } from './api';
import { defaultRendererDir, startHost } from './host/server';
import { ffmpegInfo, setFfmpegLogger } from './media/ffmpeg';
import { createProjectFolder, newProject } from './project/project-folder';
import { shotsFromCsv } from './project/csv-shots';

const APP_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const HELP = `storyreel ${appVersion()} — storyboard → generated shots → stitched cut

Usage:
  storyreel new <dir> [--shots shots.csv] [--name "Title"]
      Create a project folder. The CSV has a header row with the columns
      title,prompt,duration (required) and negative_prompt,aspect_ratio (optional).
  storyreel render <dir> [--provider animatic] [--out cut.mp4] [--verbose]
      Generate every shot that has no take for its current settings, stitch the
      cut into <dir>/renders/preview.mp4 and copy it to --out.
  storyreel serve <dir> [--port N]
      Open the studio in a browser: serves the app on 127.0.0.1 and prints its URL.

Options:
  -h, --help      this text
  -v, --version   the version
`;

function fail(message: string): never {
  throw new StudioError('INVALID_INPUT', message);
}

function projectName(dir: string): string {
  return path.basename(path.resolve(dir)).replace(/\.storyreel$/i, '') || 'Untitled';
}

async function cmdNew(dir: string, opts: { shots?: string; name?: string }): Promise<void> {
  const shots = opts.shots ? shotsFromCsv(await fs.readFile(opts.shots, 'utf8').catch(() => fail(`Cannot read ${opts.shots}.`))) : [];
  const project = newProject(opts.name ?? projectName(dir), shots);
  await createProjectFolder(path.resolve(dir), project);
  console.log(`Created ${dir} with ${shots.length} shot${shots.length === 1 ? '' : 's'} (${formatDuration(totalDurationSec(project))}).`);
}

async function cmdRender(dir: string, opts: { provider?: string; out?: string; verbose?: boolean }): Promise<number> {
  const provider = opts.provider ? ProviderIdSchema.safeParse(opts.provider) : undefined;
  if (provider && !provider.success) fail(`Unknown provider "${opts.provider}". Providers: ${ProviderIdSchema.options.join(', ')}.`);
  if (provider?.data && provider.data !== 'animatic') {
    fail(`The ${provider.data} provider is not available in this version yet; use --provider animatic (local, free).`);
  }
  if (opts.verbose) setFfmpegLogger((line) => console.log(line));
  await ffmpegInfo();
  const studio = await Studio.open(dir, { host: 'cli' });
  try {
    if (studio.session.recoveredFromBackup) console.warn(`! ${studio.session.recoveredFromBackup}`);
    const project = studio.session.current;
    const shots = project.shots;
    const numberOf = (shotId: string) => shots.findIndex((s) => s.id === shotId) + 1;
    const lastStatus = new Map<string, string>();
    const started = new Map<string, number>();
    studio.engine.on('job', (job: Job) => {
      if (lastStatus.get(job.id) === job.status) return;
      lastStatus.set(job.id, job.status);
      if (job.status === 'submitting') started.set(job.id, Date.now());
      // The steps in between matter for cloud providers; for a quick local render they are noise.
      if (!['running', 'ready', 'failed', 'canceled', 'needs-attention'].includes(job.status)) return;
      const n = numberOf(job.shotId);
      const title = shots[n - 1]?.title ?? '';
      const secs = ((Date.now() - (started.get(job.id) ?? Date.now())) / 1000).toFixed(1);
      const detail = job.status === 'failed' ? ` — ${job.error}` : job.status === 'ready' ? ` (${secs} s)` : '';
      console.log(`  shot ${String(n).padStart(2)}/${shots.length} ${title ? `“${title}” ` : ''}${job.status}${detail}`);
    });
    console.log(`Rendering ${project.name}: ${shots.length} shots, ${formatDuration(totalDurationSec(project))}`);
    const { jobIds, skipped } = studio.engine.generate(undefined, provider?.data);
    const upToDate = skipped.filter((s) => s.reason === 'up to date').length;
    console.log(jobIds.length ? `Generating ${jobIds.length} shot${jobIds.length === 1 ? '' : 's'} with ${provider?.data ?? project.settings.provider}…` : 'Nothing to generate: every shot has a current take.');
    if (upToDate && jobIds.length) console.log(`  (${upToDate} shot${upToDate === 1 ? '' : 's'} already up to date)`);
    await studio.engine.idle();
    const failed = studio.engine.list().filter((j) => jobIds.includes(j.id) && j.status === 'failed');
    let lastLabel = '';
    const preview = await stitchWithProgress(studio, (label) => {
      if (label !== lastLabel) console.log(`  ${label}`);
      lastLabel = label;
    });
    const cut = path.join(studio.session.dir, preview.path);
    if (opts.out) {
      await fs.mkdir(path.dirname(path.resolve(opts.out)), { recursive: true });
      await fs.copyFile(cut, opts.out);
    }
    console.log(`Cut: ${preview.durationSec.toFixed(2)} s → ${opts.out ?? cut}`);
    if (preview.slateShotIds.length) console.log(`  ${preview.slateShotIds.length} shot(s) shown as slates (no take yet).`);
    if (failed.length) {
      console.error(`${failed.length} shot(s) failed to generate; they appear as slates. Run render again to retry them.`);
      return 1;
    }
    return 0;
  } finally {
    await studio.close();
  }
}

async function stitchWithProgress(studio: Studio, onLabel: (label: string) => void) {
  const listener = (event: string, payload: unknown) => {
    if (event === 'task.progress' && (payload as { kind: string }).kind === 'stitch') onLabel((payload as { label: string }).label);
  };
  studio.on('event', listener);
  try {
    return await studio.stitch();
  } finally {
    studio.off('event', listener);
  }
}

function ensureRendererBuilt(): string {
  const dir = defaultRendererDir(APP_ROOT);
  if (existsSync(path.join(dir, 'index.html'))) return dir;
  console.log('Building the studio UI (first run)…');
  const built = spawnSync(process.execPath, [path.join(APP_ROOT, 'scripts', 'build.mjs'), 'renderer'], { stdio: 'inherit', cwd: APP_ROOT });
  if (built.status !== 0 || !existsSync(path.join(dir, 'index.html'))) {
    fail('The studio UI is not built and building it failed. Run `npm run build` in the Storyreel folder, then try again.');
  }
  return dir;
}

async function cmdServe(dir: string, opts: { port?: string }): Promise<void> {
  const port = opts.port === undefined ? 0 : Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a number between 0 and 65535, not "${opts.port}".`);
  const rendererDir = ensureRendererBuilt();
  const studio = await Studio.open(dir, { host: 'browser', autoStitch: true });
  if (studio.session.recoveredFromBackup) console.warn(`! ${studio.session.recoveredFromBackup}`);
  const host = await startHost({ studio, rendererDir, port });
  console.log(`Storyreel is serving ${studio.session.current.name} at ${host.url}`);
  console.log('Open that URL in a browser (the token in it is required). Press Ctrl+C to stop.');
  const stop = async () => {
    await host.close();
    await studio.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      shots: { type: 'string' },
      name: { type: 'string' },
      provider: { type: 'string' },
      out: { type: 'string', short: 'o' },
      port: { type: 'string', short: 'p' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  const [command, dir, ...rest] = positionals;
  if (values.version) {
    console.log(appVersion());
    return 0;
  }
  if (values.help || !command) {
    console.log(HELP);
    return values.help ? 0 : 2;
  }
  if (rest.length) fail(`Unexpected argument "${rest[0]}". See storyreel --help.`);
  const needDir = () => dir ?? fail(`storyreel ${command} needs a project folder. See storyreel --help.`);
  switch (command) {
    case 'new':
      await cmdNew(needDir(), values);
      return 0;
    case 'render':
      return cmdRender(needDir(), values);
    case 'serve':
      await cmdServe(needDir(), values);
      return -1; // keeps running
    default:
      fail(`Unknown command "${command}". Commands: new, render, serve. See storyreel --help.`);
  }
}

export async function run(argv: string[]): Promise<void> {
  try {
    const code = await main(argv);
    if (code >= 0) process.exitCode = code;
  } catch (err) {
    if (err instanceof StudioError) {
      console.error(`storyreel: ${err.message}`);
      if (err.details && err.details.length > 1 && !err.message.includes(err.details[0])) for (const d of err.details) console.error(`  - ${d}`);
    } else if (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`storyreel: ${err.message}. See storyreel --help.`);
    } else {
      console.error(`storyreel: unexpected error: ${(err as Error).stack ?? err}`);
    }
    process.exitCode = 1;
  }
}
