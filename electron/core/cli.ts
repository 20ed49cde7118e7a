// `storyreel` command line: headless use of the core (new / render / serve).
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline/promises';
import { z } from 'zod';
import { CAPABILITIES } from '../../shared/capabilities';
import { formatUsd } from '../../shared/pricing';
import { PARAMETERS, PARAMETER_MAP } from '../../shared/parameter-map';
import { formatIssue } from '../../shared/validate';
import { spawnSync } from 'node:child_process';
import { StudioError } from '../../shared/errors';
import { describeSystemError, isSystemError } from '../../shared/system-errors';
import { AppSettingsFile, configDir } from './app-settings';
import { ProviderIdSchema, totalDurationSec, type Project } from '../../shared/schema';
import { draftsNote } from '../../shared/take-currency';
import { shotLabel } from '../../shared/work-units';
import { formatDuration } from '../../shared/time';
import type { Job } from '../../shared/api';
import { Studio, appVersion } from './api';
import { applyComputerSettings, cmdDoctor, cmdImportTake, MEDIA_HELP } from './cli-media';
import { cmdExport, EXPORT_HELP } from './cli-export';
import { createAdapters, envConfig, keyHint } from './providers/registry';
import { defaultRendererDir, startHost } from './host/server';
import { ServedProjects } from './host/projects';
import { ffmpegInfo, fileLogger, killAllMedia, setFfmpegLogger } from './media/ffmpeg';
import { createProjectFolder, newProject, saveProjectFolder } from './project/project-folder';
import { shotListFromCsv } from './project/csv-shots';
import { decodeCsv } from './project/csv-text';
import { readRegularFile } from './project/incoming';
import { IMAGE_LIMITS } from './providers/assets';
import { checkImage, importImage } from './project/refs';
import { formatSeconds, jobLine, listJobs, resolveJob } from './jobs/commands';
import { unfinishedLines } from './jobs/messages';

const APP_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const HELP = `storyreel ${appVersion()} — storyboard → generated shots → stitched cut

Usage:
  storyreel new <dir> [--shots shots.csv] [--name "Title"]
      Create a project folder. The CSV has a header row with the columns
      title,prompt,duration (required) and negative_prompt, aspect_ratio,
      start_frame, end_frame (image paths relative to the CSV), group (rows with
      the same label in a row form one multi-shot request), audio (on/off),
      cfg_scale (optional).
  storyreel render <dir> [--provider animatic|fal|replicate|lumenfall|kling]
                         [--tier standard|pro|4k] [--takes N] [--yes] [--out cut.mp4] [--verbose]
      Generate every shot that has no take for its current settings (a take from
      any cloud provider or tier counts; animatic drafts are replaced when rendering
      with a cloud provider; shots with a problem are skipped and listed), stitch the
      cut into <dir>/renders/preview.mp4 and copy it to --out. Prints the cost
      estimate first; asks before spending money (--yes answers for you, and is
      required where there is no terminal to ask). --takes N makes N variations of
      each shot that needs generating (one request each).
  storyreel providers [--parameters]
      Lists the providers, whether each is configured, and what each supports;
      --parameters prints how every parameter maps onto each provider's API.
  storyreel jobs <dir>
      Lists the project's generation jobs: status, provider job id, time, cost.
  storyreel resolve <dir> <job> submit-again|mark-failed|attach <id>
      Settles a job that needs attention (Storyreel stopped while sending it and
      the provider cannot be asked whether it arrived). submit-again sends it once
      more at the next render — the provider may charge twice if the first one
      did arrive; attach <id> follows the job with that id from the provider's
      dashboard (checked with the provider; downloaded at the next render);
      mark-failed gives up on it (its estimate stays counted against the budget).
${EXPORT_HELP}
${MEDIA_HELP}
  storyreel serve <dir> [--port N]
      Open the studio in a browser: serves the app on 127.0.0.1 and prints its URL.

Options:
  -h, --help      this text
  -v, --version   the version
`;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function fail(message: string): never {
  throw new StudioError('INVALID_INPUT', message);
}

function projectName(dir: string): string {
  return path.basename(path.resolve(dir)).replace(/\.storyreel$/i, '') || 'Untitled';
}

/** A shot list is text: far below this; anything larger is not one. */
const MAX_CSV_BYTES = 16 * 1024 * 1024;

/** The CSV's bytes; a device, pipe, folder or oversized file is refused before it is read. */
function readShotList(file: string): Promise<Buffer> {
  return readRegularFile(path.resolve(file), { shown: file, maxBytes: MAX_CSV_BYTES }).catch((err: Error) =>
    fail(`Cannot use the shot list: ${err.message}. No project was written.`),
  );
}

async function cmdNew(dir: string, opts: { shots?: string; name?: string }): Promise<void> {
  const list = opts.shots
    ? shotListFromCsv(decodeCsv(await readShotList(opts.shots)))
    : { shots: [], groups: [], images: [] };
  // Every image is read and checked before anything is written, so a bad row leaves no half project.
  const csvDir = opts.shots ? path.dirname(path.resolve(opts.shots)) : process.cwd();
  const loaded: { ref: (typeof list.images)[number]; data: Buffer }[] = [];
  const problems: string[] = [];
  for (const ref of list.images) {
    const file = path.resolve(csvDir, ref.path);
    const data = await readRegularFile(file, { shown: ref.path, maxBytes: IMAGE_LIMITS.maxBytes }).catch((err: Error) => err);
    if (data instanceof Error) problems.push(`row ${ref.row}, column ${ref.column}: ${data.message}`);
    else {
      const bad = checkImage(data, ref.path);
      if (bad.length) problems.push(...bad.map((b) => `row ${ref.row}, column ${ref.column}: ${b}`));
      else loaded.push({ ref, data });
    }
  }
  if (problems.length) throw new StudioError('INVALID_INPUT', `The shot list was refused; no project was written. ${problems.join('; ')}`, problems);
  const project = newProject(opts.name ?? projectName(dir), list.shots);
  project.groups = list.groups;
  const abs = path.resolve(dir);
  await createProjectFolder(abs, project);
  if (loaded.length) {
    for (const { ref, data } of loaded) {
      const shot = project.shots.find((s) => s.id === ref.shotId)!;
      shot[ref.field] = await importImage(abs, data);
    }
    await saveProjectFolder(abs, project);
  }
  const grouped = list.groups.length ? `, ${list.groups.length} multi-shot group${list.groups.length === 1 ? '' : 's'}` : '';
  console.log(`Created ${dir} with ${list.shots.length} shot${list.shots.length === 1 ? '' : 's'} (${formatDuration(totalDurationSec(project))})${grouped}.`);
}

function cmdParameters(): void {
  const providers = Object.keys(PARAMETER_MAP.prompt) as (keyof (typeof PARAMETER_MAP)['prompt'])[];
  for (const param of PARAMETERS) {
    console.log(param);
    for (const p of providers) {
      const route = PARAMETER_MAP[param][p];
      console.log(`  ${p.padEnd(10)} ${route.how.padEnd(12)} ${route.wire}`);
    }
  }
}

function cmdProviders(): void {
  const resolve = envConfig();
  const available = createAdapters();
  for (const id of ProviderIdSchema.options) {
    const caps = CAPABILITIES[id];
    const config = resolve(id);
    const status = id === 'animatic' ? 'built in, free' : !available.has(id) ? 'not in this build' : config ? `configured ${keyHint(config)} → ${config.baseUrl}` : `not configured (set ${caps.envKeys.join(' + ')})`;
    console.log(`${id.padEnd(10)} ${caps.label} — ${status}`);
    const can = [
      `${caps.minDurationSec}–${caps.maxDurationSec} s`,
      caps.aspectRatios.join(' '),
      `tiers ${caps.tiers.join('/')}`,
      caps.nativeAudio ? 'audio' : '',
      caps.maxVoices ? `≤${caps.maxVoices} voices` : '',
      caps.elements !== 'none' ? `elements (${caps.elements})` : '',
      caps.startFrame ? 'start frame' : '',
      caps.endFrame ? 'end frame' : '',
      caps.multiShot ? `multi-shot ≤${caps.multiShot.maxShots} (≥${caps.multiShot.minShotSec} s each)` : '',
      caps.cfgScale ? 'cfg' : '',
      caps.cancel === 'provider' ? 'cancel' : 'no cancel',
    ].filter(Boolean);
    console.log(`           ${can.join(' · ')}`);
    for (const note of caps.notes) console.log(`           note: ${note}`);
  }
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(question);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

async function cmdRender(dir: string, opts: { provider?: string; tier?: string; takes?: string; out?: string; verbose?: boolean; yes?: boolean }): Promise<number> {
  const variations = opts.takes === undefined ? 1 : Number(opts.takes);
  if (!Number.isInteger(variations) || variations < 1 || variations > 4) fail(`--takes must be a whole number from 1 to 4, not "${opts.takes}".`);
  const provider = opts.provider ? ProviderIdSchema.safeParse(opts.provider) : undefined;
  if (provider && !provider.success) fail(`Unknown provider "${opts.provider}". Providers: ${ProviderIdSchema.options.join(', ')}.`);
  const tier = opts.tier ? z.enum(['standard', 'pro', '4k']).safeParse(opts.tier) : undefined;
  if (tier && !tier.success) fail(`Unknown tier "${opts.tier}". Tiers: standard, pro, 4k.`);
  if (opts.verbose) setFfmpegLogger((line) => console.log(line));
  // The same ffmpeg the studio and `storyreel doctor` use: this computer's settings first.
  applyComputerSettings();
  await ffmpegInfo();
  // STORYREEL_TIMING_SCALE shortens poll and retry waits (the test suite runs providers' mocks at 0.05).
  const scale = Number(process.env.STORYREEL_TIMING_SCALE) || 1;
  const studio = await Studio.open(dir, { host: 'cli', engineTiming: { scale } });
  try {
    if (studio.session.recoveredFromBackup) console.warn(`! ${studio.session.recoveredFromBackup}`);
    if (studio.lockNote) console.warn(`! ${studio.lockNote}`);
    if (studio.engine.recovery) console.warn(`! ${studio.engine.recovery}`);
    for (const problem of studio.engine.takeProblems) console.warn(`! ${problem}`);
    const project = studio.session.current;
    const generateOpts = { provider: provider?.data, tier: tier?.data, variations };
    const plan = await studio.engine.plan(generateOpts);
    const providerName = CAPABILITIES[plan.provider].label;
    console.log(`Rendering ${project.name}: ${plural(project.shots.length, 'shot')}, ${formatDuration(totalDurationSec(project))}, with ${providerName}`);
    // project.json as edited could not be used: what would be generated is the previous save, not what the
    // person asked for. Never spend money on that unseen; the restored file can be checked and rendered next time.
    if (studio.session.recoveredFromBackup && plan.estimatedUsd > 0) {
      console.error(`Nothing was sent: project.json could not be used as it is, so this render would pay ${providerName} for the previous save instead. Check the restored project, then run render again.`);
      return 1;
    }
    // One bad shot does not hold back the others: it is skipped and listed, the rest is generated.
    const kept = keptBack(studio.session.current, plan);
    if (kept.length) {
      console.error(
        plan.units.length
          ? `Skipping ${plural(kept.length, 'shot')} with problems; nothing is sent for ${kept.length === 1 ? 'it' : 'them'} (fix and render again), the others are generated:`
          : `Nothing was sent. Fix ${plan.issues.length === 1 ? 'this' : `these ${plan.issues.length} problems`} first:`,
      );
      for (const issue of plan.issues) console.error(`  - ${formatIssue(issue)}`);
    }
    if (plan.draftShotIds.length) console.log(`${draftsNote(plan.draftShotIds.length)}: ${providerName} generates ${plan.draftShotIds.length === 1 ? 'it' : 'them'}.`);
    if (plan.units.length) {
      const seconds = plan.units.reduce((sum, u) => sum + u.spec.durationSec, 0);
      console.log(`Estimate: ${formatUsd(plan.estimatedUsd)} for ${plan.units.length} request${plan.units.length === 1 ? '' : 's'} (${seconds} s of video) on ${providerName}`);
      if (plan.budget) console.log(`  budget ${formatUsd(plan.budget.budgetUsd)}, already committed ${formatUsd(plan.budget.committedUsd)}`);
      if (plan.estimatedUsd > 0 && !opts.yes) {
        if (!process.stdin.isTTY) {
          console.error('Refusing to spend money without confirmation: there is no terminal to ask. Run again with --yes to accept the estimate.');
          return 1;
        }
        if (!(await confirm(`Spend about ${formatUsd(plan.estimatedUsd)} on ${providerName}? [y/N] `))) {
          console.log('Nothing was sent.');
          return 1;
        }
      }
    }
    // Jobs an earlier run left unfinished were picked up when the project opened (resume never resubmits).
    const resumedIds = studio.engine
      .list()
      .filter((j) => !['ready', 'failed', 'canceled'].includes(j.status) && !(j.status === 'needs-attention' && !j.providerJobId))
      .map((j) => j.id);
    if (resumedIds.length) console.log(`Resuming ${plural(resumedIds.length, 'unfinished request')} from an earlier run…`);
    const numberOf = (shotId: string) => studio.session.current.shots.findIndex((s) => s.id === shotId) + 1;
    const lastStatus = new Map<string, string>();
    const started = new Map<string, number>();
    const total = studio.session.current.shots.length;
    studio.engine.on('job', (job: Job) => {
      // A cloud job waiting in the provider's queue says so again whenever its place changes.
      const state = job.provider !== 'animatic' && job.status === 'submitted' ? `${job.status}:${job.queuePosition ?? ''}` : job.status;
      if (lastStatus.get(job.id) === state) return;
      const repeat = lastStatus.get(job.id)?.startsWith(`${job.status}:`) ?? false;
      lastStatus.set(job.id, state);
      if (job.status === 'submitting') started.set(job.id, Date.now());
      const cloud = job.provider !== 'animatic';
      // Submit and download steps matter for cloud providers; for a quick local render they are noise.
      const shown = cloud ? ['submitting', 'submitted', 'running', 'downloading', 'ready', 'failed', 'canceled', 'needs-attention'] : ['running', 'ready', 'failed', 'canceled', 'needs-attention'];
      if (!shown.includes(job.status)) return;
      const what = job.shotIds.length > 1 ? job.label : `shot ${String(numberOf(job.shotId)).padStart(2)}/${total}${job.label.includes('“') ? ` ${job.label.slice(job.label.indexOf('“'))}` : ''}`;
      const secs = job.elapsedSec ?? (Date.now() - (started.get(job.id) ?? Date.now())) / 1000;
      // Cloud jobs take minutes: say how long this one has been going and, once learned, how long is left.
      const timing = cloud && job.elapsedSec !== undefined ? [`${formatSeconds(job.elapsedSec)} elapsed`, ...(job.etaSec !== undefined ? [`about ${formatSeconds(job.etaSec)} left`] : [])] : [];
      const detail =
        job.status === 'failed' || job.status === 'needs-attention'
          ? ` — ${job.error}`
          : job.status === 'ready'
            ? ` (${secs.toFixed(1)} s)`
            : job.status === 'submitted' && job.providerJobId
              ? ` (job ${job.providerJobId}${job.queuePosition !== undefined ? `, ${job.queuePosition} ahead in ${CAPABILITIES[job.provider].label}'s queue` : ''})`
              : timing.length
                ? ` (${timing.join(', ')})`
                : '';
      if (repeat && job.queuePosition !== undefined) {
        const place = job.queuePosition === 0 ? 'next' : `${job.queuePosition} ahead`;
        console.log(`  ${what} waiting: ${place} in ${CAPABILITIES[job.provider].label}'s queue`);
        return;
      }
      console.log(`  ${what} ${job.status}${detail}`);
    });
    // Exactly what was estimated above: if the project changed meanwhile and it would cost more, nothing is sent.
    const { jobIds, skipped } = plan.units.length ? await studio.engine.generate({ ...generateOpts, expectedUsd: plan.estimatedUsd }) : { jobIds: [] as string[], skipped: plan.skipped };
    const awaitingDecision = studio.engine.list().filter((j) => j.status === 'needs-attention' && !j.providerJobId).length;
    const upToDate = new Set(skipped.filter((s) => s.reason === 'up to date').map((s) => s.shotId)).size;
    const takeCount = plan.units.reduce((n, u) => n + u.shotIds.length, 0);
    const shotCount = new Set(plan.units.flatMap((u) => u.shotIds)).size;
    const takes = takeCount === shotCount ? '' : ` (${plural(takeCount, 'take')})`;
    const inRequests = shotCount === jobIds.length ? '' : ` in ${plural(jobIds.length, 'request')}`;
    console.log(
      jobIds.length
        ? `Generating ${plural(shotCount, 'shot')}${takes}${inRequests} with ${providerName}…`
        : awaitingDecision
          ? `Nothing new to generate: ${plural(awaitingDecision, 'request')} wait${awaitingDecision === 1 ? 's' : ''} for your decision (below).`
          : resumedIds.length || kept.length
            ? 'Nothing new to generate.'
            : 'Nothing to generate: every shot has a current take.',
    );
    if (upToDate && jobIds.length) console.log(`  (${upToDate} shot${upToDate === 1 ? '' : 's'} already up to date)`);
    await studio.engine.idle();
    const unfinished = studio.engine.list().filter((j) => (jobIds.includes(j.id) || resumedIds.includes(j.id)) && j.status !== 'ready');
    const waiting = studio.engine.list().filter((j) => j.status === 'needs-attention' && !j.providerJobId);
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
    const reasons = preview.slateReasons ?? [];
    const noTake = preview.slateShotIds.filter((id) => !reasons.some((r) => r.shotId === id)).length;
    if (noTake) console.log(`  ${noTake} shot(s) shown as slates (no take yet).`);
    for (const r of reasons) console.log(`  shot ${numberOf(r.shotId)} shown as a slate: ${r.message}.`);
    if (waiting.length) {
      console.error(`${plural(waiting.length, 'request')} need${waiting.length === 1 ? 's' : ''} your decision (Storyreel cannot tell whether the provider received ${waiting.length === 1 ? 'it' : 'them'}):`);
      for (const j of waiting) console.error(`  storyreel resolve ${dir} ${j.id} submit-again|mark-failed|attach <id>    # ${j.label}`);
    }
    if (kept.length) console.error(`${plural(kept.length, 'shot')} skipped for the problems listed above: ${kept.join(', ')}.`);
    if (unfinished.length) {
      for (const line of unfinishedLines(unfinished)) console.error(line);
      return 1;
    }
    return waiting.length || kept.length ? 1 : 0;
  } finally {
    await studio.close();
  }
}

/** "shot 7 “Gulls”" for each shot a problem keeps back, in film order. */
function keptBack(project: Project, plan: { blockedShotIds: string[] }): string[] {
  const blocked = new Set(plan.blockedShotIds);
  return project.shots.filter((s) => blocked.has(s.id)).map((s) => shotLabel(project, s.id));
}

async function stitchWithProgress(studio: Studio, onLabel: (label: string) => void) {
  const listener = (event: string, payload: unknown) => {
    const p = payload as { kind: string; label: string; done: boolean };
    if (event === 'task.progress' && p.kind === 'stitch' && !p.done) onLabel(p.label);
  };
  studio.on('event', listener);
  try {
    return await studio.stitch();
  } finally {
    studio.off('event', listener);
  }
}

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

async function cmdServe(dir: string, opts: { port?: string }): Promise<void> {
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

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      shots: { type: 'string' },
      name: { type: 'string' },
      provider: { type: 'string' },
      tier: { type: 'string' },
      takes: { type: 'string' },
      parameters: { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      out: { type: 'string', short: 'o' },
      port: { type: 'string', short: 'p' },
      verbose: { type: 'boolean' },
      preset: { type: 'string' },
      quality: { type: 'string' },
      crossfade: { type: 'string' },
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
  if ((rest.length && command !== 'resolve' && command !== 'import-take') || ((command === 'providers' || command === 'doctor') && dir)) fail(`Unexpected argument "${rest[0]}". See storyreel --help.`);
  const needDir = () => dir ?? fail(`storyreel ${command} needs a project folder. See storyreel --help.`);
  switch (command) {
    case 'new':
      await cmdNew(needDir(), values);
      return 0;
    case 'render':
      return cmdRender(needDir(), values);
    case 'export':
      return cmdExport(needDir(), values);
    case 'serve':
      await cmdServe(needDir(), values);
      return -1; // keeps running
    case 'jobs':
      for (const job of await listJobs(needDir())) console.log(jobLine(job));
      return 0;
    case 'resolve': {
      if (rest.length !== 2 && rest.length !== 3) fail('Usage: storyreel resolve <dir> <job> submit-again|mark-failed|attach <provider job id>. See storyreel jobs <dir> for the job ids.');
      const job = await resolveJob({ dir: needDir(), providers: createAdapters(), resolveConfig: envConfig(), jobId: rest[0], action: rest[1], providerJobId: rest[2] });
      console.log(
        job.status === 'queued'
          ? `${job.label} will be sent again at the next render.`
          : job.status === 'failed'
            ? `${job.label} is marked failed.${job.error?.includes('stays counted') ? ' Its estimate stays counted against the budget: the provider may have charged for it.' : ''}`
            : `${job.label} now follows ${CAPABILITIES[job.provider].label} job ${job.providerJobId}; the next render downloads the clip when it is ready.`,
      );
      return 0;
    }
    case 'doctor':
      return cmdDoctor();
    case 'import-take':
      return cmdImportTake({ dir: needDir(), args: rest });
    case 'providers':
      if (values.parameters) cmdParameters();
      else cmdProviders();
      return 0;
    default:
      fail(`Unknown command "${command}". Commands: new, render, export, import-take, jobs, resolve, serve, providers, doctor. See storyreel --help.`);
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
    } else if (isSystemError(err)) {
      // A full or read-only disk, a path that is not a folder…: a sentence, never a stack trace.
      console.error(`storyreel: ${describeSystemError(err)}`);
    } else {
      console.error(`storyreel: unexpected error: ${(err as Error)?.message ?? err}`);
      if (process.env.STORYREEL_DEBUG) console.error((err as Error)?.stack);
      else console.error('  (Run again with STORYREEL_DEBUG=1 to see where it happened, for a bug report.)');
    }
    process.exitCode = 1;
  }
}
