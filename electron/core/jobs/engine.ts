// Generation engine (DESIGN §5): plan → validate → budget → submit (write-ahead) → poll → download →
// check → ready, journaled in jobs.json. Takes are created the moment a job is queued and never deleted;
// a clip becomes `ready` only once it is on disk, probed and hashed.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { Job, TaskProgress } from '../../../shared/api';
import { CAPABILITIES, type TierId } from '../../../shared/capabilities';
import { StudioError } from '../../../shared/errors';
import type { GenerationSpec } from '../../../shared/generation';
import { newId } from '../../../shared/ids';
import { estimateUsd, formatUsd, roundUsd } from '../../../shared/pricing';
import type { MediaInfo, ProviderId, Shot, TakeStatus } from '../../../shared/schema';
import { formatIssue, validateSpec, type ValidationIssue } from '../../../shared/validate';
import { atomicWriteFile } from '../project/atomic-write';
import type { ProjectSession } from '../project/session';
import { normalizeJob, targetFor } from '../media/ffmpeg-args';
import { probe, runFfmpeg } from '../media/ffmpeg';
import { resolveAssets } from '../providers/assets';
import { ProviderError } from '../providers/provider-error';
import type { AdapterContext, ClipResult, ProviderAdapter, ProviderConfig } from '../providers/provider';
import { downloadToPart } from './download';
import { appendLedger } from './ledger';
import { shotLabel, workUnits, type WorkUnit } from '../../../shared/work-units';

const JournalEntrySchema = z.object({
  id: z.string(),
  unitKey: z.string(),
  shotIds: z.array(z.string()),
  takeIds: z.array(z.string()),
  label: z.string(),
  provider: z.string(),
  status: z.string(),
  progress: z.number(),
  queuePosition: z.number().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  error: z.string().optional(),
  spec: z.custom<GenerationSpec>(),
  hash: z.string(),
  idempotencyKey: z.string(),
  providerRef: z.string().optional(),
  estimatedUsd: z.number(),
  actualUsd: z.number().optional(),
});
type JournalEntry = Omit<z.infer<typeof JournalEntrySchema>, 'provider' | 'status'> & { provider: ProviderId; status: TakeStatus };
const JournalSchema = z.object({ version: z.literal(2), jobs: z.array(JournalEntrySchema) });

const TERMINAL: TakeStatus[] = ['ready', 'failed', 'canceled', 'needs-attention'];
export const JOURNAL_FILE = 'jobs.json';

export interface EngineEvents {
  job: [Job];
  progress: [TaskProgress];
  /** The queue ran dry; `readyCount` takes became ready since the last idle. */
  idle: [{ readyCount: number }];
}

export interface EngineTiming {
  /** Multiplies every poll and retry wait (tests make waits short; 1 in the app). */
  scale: number;
  /** Consecutive failed polls before a job needs attention. */
  maxPollFailures: number;
  submitAttempts: number;
}

export interface EngineOptions {
  session: ProjectSession;
  providers: Map<ProviderId, ProviderAdapter>;
  resolveConfig: (id: ProviderId) => ProviderConfig | undefined;
  /** Jobs running at once per provider. The animatic is CPU-bound, so it defaults to 2. */
  concurrency?: Partial<Record<ProviderId, number>>;
  timing?: Partial<EngineTiming>;
}

export interface GenerateOptions {
  /** Shots to generate; omitted = every shot without a current take. */
  shotIds?: string[];
  provider?: ProviderId;
  tier?: TierId;
  /** Variations per shot (1–4). No provider returns several videos per request, so each is its own job. */
  variations?: number;
}

export interface Plan {
  provider: ProviderId;
  units: (WorkUnit & { estimatedUsd: number })[];
  skipped: { shotId: string; reason: string }[];
  issues: ValidationIssue[];
  estimatedUsd: number;
  /** Spent and in flight before this plan, and the budget, when the project has one. */
  budget?: { budgetUsd: number; committedUsd: number; overByUsd: number };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

export class Engine extends EventEmitter<EngineEvents> {
  private readonly session: ProjectSession;
  private readonly providers: Map<ProviderId, ProviderAdapter>;
  private readonly resolveConfig: EngineOptions['resolveConfig'];
  private readonly concurrency: Partial<Record<ProviderId, number>>;
  private readonly timing: EngineTiming;
  private readonly jobs = new Map<string, JournalEntry>();
  private readonly queue: string[] = [];
  private readonly active = new Map<ProviderId, number>();
  private readonly aborts = new Map<string, AbortController>();
  private journalWrite: Promise<void> = Promise.resolve();
  private readyCount = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(opts: EngineOptions) {
    super();
    this.session = opts.session;
    this.providers = opts.providers;
    this.resolveConfig = opts.resolveConfig;
    this.concurrency = opts.concurrency ?? {};
    this.timing = { scale: 1, maxPollFailures: 12, submitAttempts: 5, ...opts.timing };
  }

  list(): Job[] {
    return [...this.jobs.values()].map(publicJob);
  }

  private ctx(provider: ProviderId, signal?: AbortSignal): AdapterContext {
    const config = this.resolveConfig(provider);
    if (!config) {
      const env = CAPABILITIES[provider].envKeys.join(' and ');
      throw new StudioError('PROVIDER_ERROR', `${CAPABILITIES[provider].label} is not configured: add its key in Settings${env ? ` or set ${env}` : ''}. Nothing was sent.`);
    }
    return { config, projectDir: this.session.dir, workDir: path.join(this.session.dir, 'cache'), signal };
  }

  /** Loads the journal and resumes every unfinished job. */
  async resume(): Promise<void> {
    const file = path.join(this.session.dir, JOURNAL_FILE);
    const raw = await fs.readFile(file, 'utf8').catch(() => undefined);
    if (raw === undefined) return;
    const parsed = JournalSchema.safeParse(safeJson(raw));
    if (!parsed.success) {
      // An older or damaged journal is kept aside, never silently overwritten.
      await fs.copyFile(file, `${file}.unreadable-${Date.now()}`);
      return;
    }
    for (const entry of parsed.data.jobs as JournalEntry[]) {
      this.jobs.set(entry.id, entry);
      if (!TERMINAL.includes(entry.status)) this.queue.push(entry.id);
    }
    this.pump();
  }

  /** What `generate` would send, what it would cost, and what stops it — without sending anything. */
  async plan(opts: GenerateOptions = {}): Promise<Plan> {
    const project = this.session.current;
    const provider = opts.provider ?? project.settings.provider;
    const all = workUnits(project, provider, opts.tier);
    const skipped: Plan['skipped'] = [];
    const chosen: WorkUnit[] = [];
    for (const unit of all) {
      if (opts.shotIds) {
        if (unit.shotIds.some((id) => opts.shotIds!.includes(id))) chosen.push(unit);
        continue;
      }
      const shots = unit.shotIds.map((id) => project.shots.find((s) => s.id === id)!);
      const current = shots.every((shot) => shot.takes.some((t) => t.request.hash === unit.hash && !['failed', 'canceled'].includes(t.status)));
      if (current) {
        const generating = shots.some((shot) => shot.takes.some((t) => t.request.hash === unit.hash && t.status !== 'ready'));
        for (const id of unit.shotIds) skipped.push({ shotId: id, reason: generating ? 'already generating' : 'up to date' });
      } else chosen.push(unit);
    }
    for (const id of opts.shotIds ?? []) if (!project.shots.some((s) => s.id === id)) skipped.push({ shotId: id, reason: 'no such shot' });

    const issues: ValidationIssue[] = [];
    for (const unit of chosen) {
      issues.push(...validateSpec(unit.spec, unit.where));
      try {
        await resolveAssets(unit.spec, this.session.dir);
      } catch (err) {
        issues.push({ ...unit.where, field: 'reference image', message: (err as Error).message });
      }
    }
    const variations = Math.max(1, Math.min(4, Math.floor(opts.variations ?? 1)));
    const units = chosen.flatMap((unit) =>
      Array.from({ length: variations }, () => ({ ...unit, estimatedUsd: issues.length ? 0 : safeEstimate(unit.spec) })),
    );
    const estimated = roundUsd(units.reduce((sum, u) => sum + u.estimatedUsd, 0));
    const budgetUsd = project.settings.budgetUsd;
    let budget: Plan['budget'];
    if (budgetUsd !== undefined) {
      const committed = roundUsd(
        [...this.jobs.values()].filter((j) => j.status !== 'failed' && j.status !== 'canceled').reduce((sum, j) => sum + (j.actualUsd ?? j.estimatedUsd), 0),
      );
      budget = { budgetUsd, committedUsd: committed, overByUsd: roundUsd(Math.max(0, committed + estimated - budgetUsd)) };
    }
    return { provider, units, skipped, issues, estimatedUsd: estimated, budget };
  }

  /**
   * Queues one job per work unit. Refuses the whole batch — before anything is sent — when any request is
   * invalid or when it would take the project past its budget.
   */
  async generate(opts: GenerateOptions = {}): Promise<{ jobIds: string[]; skipped: Plan['skipped']; estimatedUsd: number }> {
    const plan = await this.plan(opts);
    if (plan.issues.length) {
      const lines = plan.issues.map(formatIssue);
      throw new StudioError('INVALID_INPUT', `Nothing was sent: ${lines.length === 1 ? 'one problem' : `${lines.length} problems`} to fix first — ${lines.join('; ')}.`, lines);
    }
    if (plan.budget && plan.budget.overByUsd > 0) {
      const b = plan.budget;
      throw new StudioError(
        'INVALID_INPUT',
        `Over budget: this would send ${formatUsd(plan.estimatedUsd)} of work, taking the project to ${formatUsd(b.committedUsd + plan.estimatedUsd)} ` +
          `of its ${formatUsd(b.budgetUsd)} budget — ${formatUsd(b.overByUsd)} too much. Nothing was sent. Raise the budget or generate fewer shots.`,
      );
    }
    if (plan.units.length === 0) return { jobIds: [], skipped: plan.skipped, estimatedUsd: 0 };
    if (!this.providers.has(plan.provider)) {
      throw new StudioError('PROVIDER_ERROR', `The ${CAPABILITIES[plan.provider].label} provider is not available in this build. Nothing was sent.`);
    }
    this.ctx(plan.provider); // refuses an unconfigured provider before anything is queued

    const now = new Date().toISOString();
    const created: JournalEntry[] = plan.units.map((unit) => ({
      id: newId('job'),
      unitKey: unit.key,
      shotIds: unit.shotIds,
      takeIds: unit.shotIds.map(() => newId('take')),
      label: unit.label,
      provider: plan.provider,
      status: 'queued',
      progress: 0,
      createdAt: now,
      updatedAt: now,
      spec: unit.spec,
      hash: unit.hash,
      idempotencyKey: `storyreel-${randomUUID()}`,
      estimatedUsd: unit.estimatedUsd,
    }));
    this.session.mutate((draft) => {
      for (const job of created) {
        job.shotIds.forEach((shotId, i) => {
          const shot = draft.shots.find((s) => s.id === shotId)!;
          // A group's estimate is shared across its shots by length.
          const share = job.spec.durationSec ? shot.durationSec / job.spec.durationSec : 1;
          shot.takes.push({
            id: job.takeIds[i],
            jobId: job.id,
            provider: job.provider,
            tier: job.spec.tier === '4k' ? 'pro' : job.spec.tier,
            request: { hash: job.hash, params: specParams(job.spec) },
            status: 'queued',
            estimatedUsd: roundUsd(job.estimatedUsd * share),
            review: { rating: 0, flag: 'none', notes: [] },
            createdAt: now,
          });
        });
      }
    });
    for (const job of created) {
      this.jobs.set(job.id, job);
      this.queue.push(job.id);
      this.emit('job', publicJob(job));
    }
    await this.writeJournal();
    this.pump();
    return { jobIds: created.map((j) => j.id), skipped: plan.skipped, estimatedUsd: plan.estimatedUsd };
  }

  /** Stops a job: the provider's cancel where one exists, otherwise a local stop (the provider may still charge). */
  async cancel(jobId: string): Promise<Job> {
    const job = this.mustGet(jobId);
    if (TERMINAL.includes(job.status)) return publicJob(job);
    const queued = this.queue.indexOf(jobId);
    if (queued >= 0) this.queue.splice(queued, 1);
    this.aborts.get(jobId)?.abort();
    const adapter = this.providers.get(job.provider);
    let note: string | undefined;
    if (job.providerRef && adapter?.cancel) {
      await adapter.cancel(job.providerRef, this.ctx(job.provider)).catch(() => {});
    } else if (job.providerRef) {
      note = `${CAPABILITIES[job.provider].label} has no cancel call, so the job was stopped here only; the provider may still finish and charge for it.`;
    }
    await this.update(job, { status: 'canceled', ...(note ? { error: note } : {}) });
    return publicJob(job);
  }

  /** A needs-attention job: submit it again (the person accepts a possible double charge) or mark it failed. */
  async resolve(jobId: string, action: 'submit-again' | 'mark-failed'): Promise<Job> {
    const job = this.mustGet(jobId);
    if (job.status !== 'needs-attention') throw new StudioError('INVALID_INPUT', `${job.label}: only a job that needs attention can be resolved (it is ${job.status}).`);
    if (action === 'mark-failed') {
      await this.update(job, { status: 'failed', error: 'Marked failed by you.' });
    } else {
      job.providerRef = undefined;
      job.idempotencyKey = `storyreel-${randomUUID()}`;
      await this.update(job, { status: 'queued', error: undefined });
      this.queue.push(job.id);
      this.pump();
    }
    return publicJob(job);
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && [...this.active.values()].every((n) => n === 0);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const a of this.aborts.values()) a.abort();
    await this.journalWrite;
  }

  private mustGet(jobId: string): JournalEntry {
    const job = this.jobs.get(jobId);
    if (!job) throw new StudioError('NOT_FOUND', `There is no job ${jobId}.`);
    return job;
  }

  private pump(): void {
    if (this.closed) return;
    for (let i = 0; i < this.queue.length; ) {
      const job = this.jobs.get(this.queue[i])!;
      const limit = this.concurrency[job.provider] ?? (job.provider === 'animatic' ? 2 : 4);
      const running = this.active.get(job.provider) ?? 0;
      if (running >= limit) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      this.active.set(job.provider, running + 1);
      void this.run(job).finally(() => {
        this.active.set(job.provider, (this.active.get(job.provider) ?? 1) - 1);
        this.aborts.delete(job.id);
        this.pump();
        if (this.isIdle()) {
          const readyCount = this.readyCount;
          this.readyCount = 0;
          this.emit('idle', { readyCount });
          for (const w of this.idleWaiters.splice(0)) w();
        }
      });
    }
    this.emitQueuePositions();
  }

  private emitQueuePositions(): void {
    this.queue.forEach((id, position) => {
      const job = this.jobs.get(id)!;
      if (job.status === 'queued' && job.queuePosition !== position) {
        job.queuePosition = position;
        this.emit('job', publicJob(job));
      }
    });
  }

  private async run(job: JournalEntry): Promise<void> {
    const abort = new AbortController();
    this.aborts.set(job.id, abort);
    const signal = abort.signal;
    try {
      const adapter = this.providers.get(job.provider);
      if (!adapter) throw new StudioError('PROVIDER_ERROR', `${CAPABILITIES[job.provider].label} is not available in this build.`);
      const ctx = this.ctx(job.provider, signal);
      if (job.status === 'submitting') {
        // A crash between the write-ahead and the provider's answer: find the job, never resubmit blindly.
        const found = adapter.reconcile ? await adapter.reconcile(job.idempotencyKey, job.spec, ctx).catch(() => undefined) : undefined;
        if (!found) {
          const how = adapter.reconcile ? 'it could not be found by its key' : `${CAPABILITIES[job.provider].label} offers no way to look it up`;
          await this.update(job, {
            status: 'needs-attention',
            error: `Storyreel stopped while sending this job and ${how}. It may or may not have been created (and charged). Check the provider's dashboard, then choose "Submit again" or "Mark failed".`,
          });
          return;
        }
        job.providerRef = found.ref;
        await this.update(job, { status: 'submitted' });
        await this.ledgerEstimate(job);
      } else if (!job.providerRef) {
        await this.update(job, { status: 'submitting', error: undefined });
        const submitted = await this.submitWithRetry(job, adapter, ctx);
        if (!submitted) return;
        job.providerRef = submitted;
        await this.update(job, { status: 'submitted' });
        await this.ledgerEstimate(job);
      }
      const outcome = await this.pollUntilDone(job, adapter, ctx);
      if (!outcome) return;
      await this.update(job, { status: 'downloading', progress: 1 });
      if (outcome.actualUsd !== undefined || outcome.providerCost !== undefined) {
        job.actualUsd = outcome.actualUsd;
        await appendLedger(this.session.dir, {
          at: new Date().toISOString(),
          kind: 'actual',
          jobId: job.id,
          provider: job.provider,
          ...(outcome.actualUsd !== undefined ? { usd: outcome.actualUsd } : {}),
          ...(outcome.providerCost !== undefined ? { providerCost: outcome.providerCost } : {}),
        });
      }
      const media = await this.fetchAndCheck(job, outcome.result, signal);
      this.readyCount += job.shotIds.length;
      await this.update(job, { status: 'ready' }, (shot, i) => {
        const take = shot.takes.find((t) => t.id === job.takeIds[i]);
        if (take) {
          take.media = media[i].media;
          if (media[i].groupClip) take.groupClip = media[i].groupClip;
          if (job.actualUsd !== undefined) take.actualUsd = roundUsd(job.actualUsd * (shot.durationSec / job.spec.durationSec));
        }
        // The new take goes into the cut unless the person picked a take that is still current.
        const selected = shot.takes.find((t) => t.id === shot.selectedTakeId);
        const selectedIsCurrent = selected?.status === 'ready' && selected.request.hash === take?.request.hash;
        if (!selectedIsCurrent) shot.selectedTakeId = job.takeIds[i];
      });
    } catch (err) {
      if (signal.aborted && (this.closed || job.status === 'canceled')) return;
      const message = err instanceof Error ? err.message : String(err);
      await this.update(job, { status: 'failed', error: message }).catch(() => {});
    }
  }

  /** Retries only where no job can have been created; otherwise the job needs a person's decision. */
  private async submitWithRetry(job: JournalEntry, adapter: ProviderAdapter, ctx: AdapterContext): Promise<string | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { ref } = await adapter.submit(job.spec, ctx, { idempotencyKey: job.idempotencyKey });
        return ref;
      } catch (err) {
        if (!(err instanceof ProviderError) || attempt >= this.timing.submitAttempts) throw err;
        if (err.kind === 'rate-limit') {
          // A 429 is a refusal: no job exists, so asking again cannot charge twice.
          await this.backoff(job, attempt, err);
          continue;
        }
        if (err.kind === 'network' || err.kind === 'outage') {
          if (adapter.reconcile) {
            const found = await adapter.reconcile(job.idempotencyKey, job.spec, ctx).catch(() => undefined);
            if (found) return found.ref;
            await this.backoff(job, attempt, err);
            continue; // the same idempotency key makes a repeat safe
          }
          await this.update(job, {
            status: 'needs-attention',
            error: `${err.message} The request may or may not have reached ${CAPABILITIES[job.provider].label}, which cannot be asked about it, so Storyreel did not send it again. Check the provider's dashboard, then choose "Submit again" or "Mark failed".`,
          });
          return undefined;
        }
        throw err;
      }
    }
  }

  private async backoff(job: JournalEntry, attempt: number, err?: ProviderError): Promise<void> {
    const base = err?.retryAfterMs ?? Math.min(60_000, 1000 * 2 ** (attempt - 1));
    const jitter = 1 + (Math.random() - 0.5) * 0.3;
    this.emitJob(job, err ? `${err.message} (retry ${attempt})` : undefined);
    await sleep(base * jitter * this.timing.scale, this.aborts.get(job.id)?.signal);
  }

  private async pollUntilDone(job: JournalEntry, adapter: ProviderAdapter, ctx: AdapterContext) {
    let interval = adapter.pollIntervalMs;
    let failures = 0;
    for (;;) {
      if (ctx.signal?.aborted) return undefined;
      let state;
      try {
        state = await adapter.poll(job.providerRef!, ctx);
        failures = 0;
      } catch (err) {
        if (!(err instanceof ProviderError) || !err.retryable) throw err;
        failures += 1;
        if (failures >= this.timing.maxPollFailures) {
          await this.update(job, {
            status: 'needs-attention',
            error: `Lost contact with ${CAPABILITIES[job.provider].label} while it worked on this job (${err.message}). The job is kept with its id ${job.providerRef}; open the project again to resume.`,
          });
          return undefined;
        }
        await this.backoff(job, failures, err);
        continue;
      }
      if (state.state === 'succeeded') return state;
      if (state.state === 'failed') throw state.error;
      if (state.state === 'running') {
        if (job.status !== 'running') await this.update(job, { status: 'running' });
        this.setProgress(job, state.progress ?? 0);
      } else {
        this.setProgress(job, 0, state.queuePosition);
      }
      const jitter = 1 + (Math.random() - 0.5) * 0.3;
      await sleep(interval * jitter * this.timing.scale, ctx.signal);
      // Short at first, backing off to the adapter's ceiling: long jobs are not polled hard.
      interval = Math.min(adapter.maxPollIntervalMs, interval * 1.5);
    }
  }

  private setProgress(job: JournalEntry, progress: number, queuePosition?: number): void {
    job.progress = Math.max(0, Math.min(1, progress));
    job.queuePosition = queuePosition;
    this.emitJob(job);
  }

  private emitJob(job: JournalEntry, label?: string): void {
    this.emit('job', publicJob(job));
    this.emit('progress', {
      taskId: job.id,
      kind: 'generate',
      label: label ?? `Generating ${job.label}`,
      fraction: job.progress,
      done: false,
    });
  }

  /**
   * Brings the clip home into `*.part`, checks it (streams, duration close to the request), hashes it and
   * only then gives it its final name. A group's clip is kept whole and cut into one take per shot.
   */
  private async fetchAndCheck(job: JournalEntry, result: ClipResult, signal: AbortSignal): Promise<{ media: MediaInfo; groupClip?: { path: string; offsetSec: number } }[]> {
    const firstShot = job.shotIds[0];
    const grouped = job.shotIds.length > 1;
    const relPath = path.posix.join('media', 'takes', firstShot, grouped ? `${job.id}-group.mp4` : `${job.takeIds[0]}.mp4`);
    const finalPath = path.join(this.session.dir, relPath);
    const partPath = `${finalPath}.part`;
    await fs.mkdir(path.dirname(finalPath), { recursive: true });
    if (result.kind === 'file') {
      await fs.rename(result.path, partPath).catch(() => fs.copyFile(result.path, partPath));
    } else {
      await downloadToPart(result.url, partPath, { provider: job.provider, jobRef: job.providerRef ?? job.id, signal, sleep: (ms) => sleep(ms * this.timing.scale, signal) });
    }
    const info = await probe(partPath).catch(() => {
      throw new StudioError(
        'PROVIDER_ERROR',
        `The clip ${CAPABILITIES[job.provider].label} returned for ${job.label} is not a playable video (job ${job.providerRef}). It was kept as ${path.basename(partPath)}; generate again or recover it from the provider.`,
      );
    });
    if (!info.video) throw new StudioError('PROVIDER_ERROR', `The clip returned for ${job.label} has no video stream; it was kept as ${path.basename(partPath)} and not used.`);
    // Providers round (Kling reports 5.1 s for a 5 s request); anything further off is the wrong clip.
    if (Math.abs(info.durationSec - job.spec.durationSec) > 0.6) {
      throw new StudioError('PROVIDER_ERROR', `The clip returned for ${job.label} is ${info.durationSec.toFixed(2)} s long, not the ${job.spec.durationSec} s asked for; it was kept as ${path.basename(partPath)}.`);
    }
    await fs.rename(partPath, finalPath);
    const whole = { path: relPath, sha256: await hashFile(finalPath), durationSec: info.durationSec, width: info.video.width, height: info.video.height, fps: info.video.fps, hasAudio: Boolean(info.audio) };
    if (!grouped) return [{ media: whole }];

    // Cut the group's clip at the planned shot boundaries, re-encoding so every cut is frame-exact.
    const out: { media: MediaInfo; groupClip: { path: string; offsetSec: number } }[] = [];
    let offset = 0;
    for (const [i, shotId] of job.shotIds.entries()) {
      const shot = job.spec.shots![i];
      const pieceRel = path.posix.join('media', 'takes', shotId, `${job.takeIds[i]}.mp4`);
      const piece = path.join(this.session.dir, pieceRel);
      await fs.mkdir(path.dirname(piece), { recursive: true });
      await runFfmpeg(
        normalizeJob({ source: finalPath, hasAudio: Boolean(info.audio), durationSec: shot.durationSec, startSec: offset, target: targetFor(job.spec.aspectRatio), output: `${piece}.part.mp4` }),
        { signal },
      );
      await fs.rename(`${piece}.part.mp4`, piece);
      const p = await probe(piece);
      out.push({
        media: { path: pieceRel, sha256: await hashFile(piece), durationSec: p.durationSec, width: p.video!.width, height: p.video!.height, fps: p.video!.fps, hasAudio: Boolean(p.audio) },
        groupClip: { path: relPath, offsetSec: offset },
      });
      offset += shot.durationSec;
    }
    return out;
  }

  private async ledgerEstimate(job: JournalEntry): Promise<void> {
    await appendLedger(this.session.dir, {
      at: new Date().toISOString(),
      kind: 'estimate',
      jobId: job.id,
      provider: job.provider,
      tier: job.spec.tier,
      seconds: job.spec.durationSec,
      audio: job.spec.audio,
      voiceControl: job.spec.voiceIds.length > 0,
      usd: job.estimatedUsd,
      shotIds: job.shotIds,
    });
  }

  private async update(job: JournalEntry, patch: Partial<JournalEntry>, onShot?: (shot: Shot, index: number) => void): Promise<void> {
    const statusChanged = patch.status !== undefined && patch.status !== job.status;
    Object.assign(job, patch, { updatedAt: new Date().toISOString() });
    if (patch.status && patch.status !== 'queued') job.queuePosition = undefined;
    if (statusChanged || onShot) {
      // Takes mirror their job; a shot deleted meanwhile simply no longer shows it.
      const present = job.shotIds.filter((id) => this.session.current.shots.some((s) => s.id === id));
      if (present.length) {
        this.session.mutate((draft) => {
          job.shotIds.forEach((shotId, i) => {
            const shot = draft.shots.find((s) => s.id === shotId);
            if (!shot) return;
            const take = shot.takes.find((t) => t.id === job.takeIds[i]);
            if (take) {
              take.status = job.status;
              if (job.error) take.error = job.error;
              else delete take.error;
            }
            onShot?.(shot, i);
          });
        });
      }
      await this.writeJournal();
    }
    this.emit('job', publicJob(job));
    if (TERMINAL.includes(job.status)) {
      this.emit('progress', {
        taskId: job.id,
        kind: 'generate',
        label: `${job.label}: ${job.status}`,
        fraction: 1,
        done: true,
        ...(job.error ? { error: job.error } : {}),
      });
    }
  }

  private writeJournal(): Promise<void> {
    this.journalWrite = this.journalWrite
      .catch(() => {})
      .then(() =>
        atomicWriteFile(path.join(this.session.dir, JOURNAL_FILE), JSON.stringify({ version: 2, jobs: [...this.jobs.values()] }, null, 1)),
      );
    return this.journalWrite;
  }
}

function safeEstimate(spec: GenerationSpec): number {
  try {
    return estimateUsd({ provider: spec.provider, tier: spec.tier, durationSec: spec.durationSec, audio: spec.audio, voiceControl: spec.voiceIds.length > 0 });
  } catch {
    return 0;
  }
}

/** What the take records of its request: everything but display-only fields. */
function specParams(spec: GenerationSpec): Record<string, unknown> {
  const { card: _card, ...rest } = spec;
  return rest as Record<string, unknown>;
}

function publicJob(job: JournalEntry): Job {
  return {
    id: job.id,
    shotId: job.shotIds[0],
    takeId: job.takeIds[0],
    shotIds: job.shotIds,
    takeIds: job.takeIds,
    label: job.label,
    provider: job.provider,
    status: job.status,
    progress: job.progress,
    ...(job.queuePosition !== undefined ? { queuePosition: job.queuePosition } : {}),
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    estimatedUsd: job.estimatedUsd,
    ...(job.actualUsd !== undefined ? { actualUsd: job.actualUsd } : {}),
    ...(job.providerRef && job.provider !== 'animatic' ? { providerJobId: providerJobId(job.providerRef) } : {}),
    ...(job.error ? { error: job.error } : {}),
  };
}

/** The id a person would search for on the provider's dashboard (refs may be JSON with URLs). */
function providerJobId(ref: string): string {
  try {
    const parsed = JSON.parse(ref) as Record<string, unknown>;
    const id = parsed.id ?? parsed.requestId ?? parsed.request_id ?? parsed.taskId ?? parsed.task_id;
    return typeof id === 'string' ? id : ref.slice(0, 80);
  } catch {
    return ref.slice(0, 80);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

export { shotLabel };
