// `storyreel render <dir>`: generate what the cut needs, stitch it, copy it to --out.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { z } from 'zod';
import { CAPABILITIES } from '../../shared/capabilities';
import { isTerminal, needsDecision, resumesOnOpen } from '../../shared/job-status';
import { formatUsd } from '../../shared/pricing';
import { formatIssue } from '../../shared/validate';
import { ProviderIdSchema, totalDurationSec, type Project } from '../../shared/schema';
import { draftsNote } from '../../shared/take-currency';
import { shotLabel } from '../../shared/work-units';
import { formatDuration } from '../../shared/time';
import type { Job } from '../../shared/api';
import { Studio } from './api';
import { applyComputerSettings } from './cli-media';
import { renderExitCode, type RenderSummary } from './cli-commands';
import { fail, plural } from './cli-util';
import { ffmpegInfo, setFfmpegLogger } from './media/ffmpeg';
import { formatSeconds } from './jobs/commands';
import { unfinishedLines } from './jobs/messages';
import { WAITING_FOR_DECISION } from './jobs/plan-units';

async function confirm(output: NodeJS.WritableStream, question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output });
  try {
    const answer = await rl.question(question);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export async function cmdRender(dir: string, opts: { provider?: string; tier?: string; takes?: string; out?: string; verbose?: boolean; yes?: boolean; json?: boolean }): Promise<number> {
  // With --json, stdout carries only the summary at the end; every line a person reads goes to stderr.
  const say = opts.json ? (line: string) => console.error(line) : (line: string) => console.log(line);
  const variations = opts.takes === undefined ? 1 : Number(opts.takes);
  if (!Number.isInteger(variations) || variations < 1 || variations > 4) fail(`--takes must be a whole number from 1 to 4, not "${opts.takes}".`);
  const provider = opts.provider ? ProviderIdSchema.safeParse(opts.provider) : undefined;
  if (provider && !provider.success) fail(`Unknown provider "${opts.provider}". Providers: ${ProviderIdSchema.options.join(', ')}.`);
  const tier = opts.tier ? z.enum(['standard', 'pro', '4k']).safeParse(opts.tier) : undefined;
  if (tier && !tier.success) fail(`Unknown tier "${opts.tier}". Tiers: standard, pro, 4k.`);
  if (opts.verbose) setFfmpegLogger(say);
  // The same ffmpeg and prices the studio and `storyreel doctor` use: this computer's settings first.
  const computer = applyComputerSettings();
  await ffmpegInfo();
  // STORYREEL_TIMING_SCALE shortens poll and retry waits (the test suite runs providers' mocks at 0.05).
  const scale = Number(process.env.STORYREEL_TIMING_SCALE) || 1;
  const studio = await Studio.open(dir, { host: 'cli', engineTiming: { scale }, prices: () => computer.prices });
  try {
    if (studio.session.recoveredFromBackup) console.warn(`! ${studio.session.recoveredFromBackup}`);
    if (studio.lockNote) console.warn(`! ${studio.lockNote}`);
    if (studio.services.jobs.recovery) console.warn(`! ${studio.services.jobs.recovery}`);
    for (const problem of studio.services.jobs.takeProblems) console.warn(`! ${problem}`);
    const project = studio.session.current;
    const generateOpts = { provider: provider?.data, tier: tier?.data, variations };
    const plan = await studio.services.jobs.plan(generateOpts);
    const providerName = CAPABILITIES[plan.provider].label;
    say(`Rendering ${project.name}: ${plural(project.shots.length, 'shot')}, ${formatDuration(totalDurationSec(project))}, with ${providerName}`);
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
    // A shot whose earlier request waits for a decision is never sent again by render: that could charge twice.
    for (const s of plan.skipped.filter((k) => k.reason.startsWith(WAITING_FOR_DECISION))) say(`  ${shotLabel(project, s.shotId)} left out — ${s.reason}.`);
    if (plan.draftShotIds.length) say(`${draftsNote(plan.draftShotIds.length)}: ${providerName} generates ${plan.draftShotIds.length === 1 ? 'it' : 'them'}.`);
    if (plan.units.length) {
      const seconds = plan.units.reduce((sum, u) => sum + u.spec.durationSec, 0);
      say(`Estimate: ${formatUsd(plan.estimatedUsd)} for ${plan.units.length} request${plan.units.length === 1 ? '' : 's'} (${seconds} s of video) on ${providerName}`);
      if (plan.estimatedUsd > 0) say(`  prices: ${plan.priceSources.join('; ')}`);
      if (plan.budget) say(`  budget ${formatUsd(plan.budget.budgetUsd)}, already committed ${formatUsd(plan.budget.committedUsd)}`);
      if (plan.estimatedUsd > 0 && !opts.yes) {
        if (!process.stdin.isTTY) {
          console.error('Refusing to spend money without confirmation: there is no terminal to ask. Run again with --yes to accept the estimate.');
          return 1;
        }
        if (!(await confirm(opts.json ? process.stderr : process.stdout, `Spend about ${formatUsd(plan.estimatedUsd)} on ${providerName}? [y/N] `))) {
          say('Nothing was sent.');
          return 1;
        }
      }
    }
    // Jobs an earlier run left unfinished were picked up when the project opened (resume never resubmits).
    const resumedIds = studio.services.jobs
      .list()
      .filter((j) => resumesOnOpen(j.status, Boolean(j.providerJobId)))
      .map((j) => j.id);
    if (resumedIds.length) say(`Resuming ${plural(resumedIds.length, 'unfinished request')} from an earlier run…`);
    const numberOf = (shotId: string) => studio.session.current.shots.findIndex((s) => s.id === shotId) + 1;
    const lastStatus = new Map<string, string>();
    const started = new Map<string, number>();
    const total = studio.session.current.shots.length;
    studio.services.jobs.onJob((job: Job) => {
      // A cloud job waiting in the provider's queue says so again whenever its place changes.
      const state = job.provider !== 'animatic' && job.status === 'submitted' ? `${job.status}:${job.queuePosition ?? ''}` : job.status;
      if (lastStatus.get(job.id) === state) return;
      const repeat = lastStatus.get(job.id)?.startsWith(`${job.status}:`) ?? false;
      lastStatus.set(job.id, state);
      if (job.status === 'submitting') started.set(job.id, Date.now());
      const cloud = job.provider !== 'animatic';
      // Submit and download steps matter for cloud providers; for a quick local render they are noise.
      const shown = isTerminal(job.status) || job.status === 'running' || (cloud && job.status !== 'queued');
      if (!shown) return;
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
        say(`  ${what} waiting: ${place} in ${CAPABILITIES[job.provider].label}'s queue`);
        return;
      }
      say(`  ${what} ${job.status}${detail}`);
    });
    // Exactly what was estimated above: if the project changed meanwhile and it would cost more, nothing is sent.
    const { jobIds, skipped } = plan.units.length ? await studio.services.jobs.generate({ ...generateOpts, expectedUsd: plan.estimatedUsd }) : { jobIds: [] as string[], skipped: plan.skipped };
    const awaitingDecision = studio.services.jobs.list().filter((j) => needsDecision(j.status) && !j.providerJobId).length;
    const upToDate = new Set(skipped.filter((s) => s.reason === 'up to date').map((s) => s.shotId)).size;
    const takeCount = plan.units.reduce((n, u) => n + u.shotIds.length, 0);
    const shotCount = new Set(plan.units.flatMap((u) => u.shotIds)).size;
    const takes = takeCount === shotCount ? '' : ` (${plural(takeCount, 'take')})`;
    const inRequests = shotCount === jobIds.length ? '' : ` in ${plural(jobIds.length, 'request')}`;
    say(
      jobIds.length
        ? `Generating ${plural(shotCount, 'shot')}${takes}${inRequests} with ${providerName}…`
        : awaitingDecision
          ? `Nothing new to generate: ${plural(awaitingDecision, 'request')} wait${awaitingDecision === 1 ? 's' : ''} for your decision (below).`
          : resumedIds.length || kept.length
            ? 'Nothing new to generate.'
            : 'Nothing to generate: every shot has a current take.',
    );
    if (upToDate && jobIds.length) say(`  (${upToDate} shot${upToDate === 1 ? '' : 's'} already up to date)`);
    await studio.services.jobs.idle();
    const unfinished = studio.services.jobs.list().filter((j) => (jobIds.includes(j.id) || resumedIds.includes(j.id)) && j.status !== 'ready');
    const waiting = studio.services.jobs.list().filter((j) => needsDecision(j.status) && !j.providerJobId);
    let lastLabel = '';
    const preview = await stitchWithProgress(studio, (label) => {
      if (label !== lastLabel) say(`  ${label}`);
      lastLabel = label;
    });
    const cut = path.join(studio.session.dir, preview.path);
    if (opts.out) {
      await fs.mkdir(path.dirname(path.resolve(opts.out)), { recursive: true });
      await fs.copyFile(cut, opts.out);
    }
    say(`Cut: ${preview.durationSec.toFixed(2)} s → ${opts.out ?? cut}`);
    const reasons = preview.slateReasons ?? [];
    const noTake = preview.slateShotIds.filter((id) => !reasons.some((r) => r.shotId === id)).length;
    if (noTake) say(`  ${noTake} shot(s) shown as slates (no take yet).`);
    for (const r of reasons) say(`  shot ${numberOf(r.shotId)} shown as a slate: ${r.message}.`);
    if (waiting.length) {
      console.error(`${plural(waiting.length, 'request')} need${waiting.length === 1 ? 's' : ''} your decision (Storyreel cannot tell whether the provider received ${waiting.length === 1 ? 'it' : 'them'}):`);
      for (const j of waiting) console.error(`  storyreel resolve ${dir} ${j.id} submit-again|mark-failed|attach <id>    # ${j.label}`);
    }
    if (kept.length) console.error(`${plural(kept.length, 'shot')} skipped for the problems listed above: ${kept.join(', ')}.`);
    if (unfinished.length) for (const line of unfinishedLines(unfinished)) console.error(line);
    const code = renderExitCode({ unfinished: unfinished.filter((j) => !waiting.some((w) => w.id === j.id)).length, skipped: kept.length, waiting: waiting.length });
    if (opts.json) {
      const ran = new Set([...jobIds, ...resumedIds]);
      const summary: RenderSummary = {
        exitCode: code,
        project: studio.session.current.name,
        provider: plan.provider,
        estimatedUsd: plan.estimatedUsd,
        priceSources: plan.priceSources,
        jobs: studio.services.jobs.list().filter((j) => ran.has(j.id)),
        problems: plan.issues.map(formatIssue),
        skippedShots: kept,
        waiting: waiting.map((j) => ({ id: j.id, label: j.label, resolve: `storyreel resolve ${dir} ${j.id} submit-again|mark-failed|attach <id>` })),
        cut: { path: cut, out: opts.out ? path.resolve(opts.out) : null, durationSec: preview.durationSec, slateShots: preview.slateShotIds.length },
      };
      console.log(JSON.stringify(summary, null, 2));
    }
    return code;
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
