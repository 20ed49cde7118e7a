// Generation engine (docs/architecture.md §5): plan → validate → budget → submit (write-ahead) → poll → download →
// check → ready, journaled in jobs.json. Takes are created the moment a job is queued and never deleted;
// a clip becomes `ready` only once it is on disk, probed and hashed. The journal is the source of truth:
// on open, project.json's takes are repaired from it, so a crash between the two files loses nothing.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, existsSync, promises as fs } from 'node:fs';
import { EventEmitter } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { selectTake } from '../../../shared/trim';
import type { Job, TaskProgress } from '../../../shared/api';
import { CAPABILITIES, type TierId } from '../../../shared/capabilities';
import { StudioError } from '../../../shared/errors';
import type { GenerationSpec } from '../../../shared/generation';
import { newId } from '../../../shared/ids';
import { estimateUsd, formatUsd, roundUsd } from '../../../shared/pricing';
import type { MediaInfo, Project, ProviderId, Shot, Take, TakeStatus } from '../../../shared/schema';
import { formatIssue, validateSpec, type ValidationIssue } from '../../../shared/validate';
import type { ProjectSession } from '../project/session';
import { probe, runFfmpeg, type ProbeResult } from '../media/ffmpeg';
import { findDamagedTakes } from '../media/take-files';
import { resolveAssets } from '../providers/assets';
import { ProviderError } from '../providers/provider-error';
import type { AdapterContext, ClipResult, PollResult, ProviderAdapter, ProviderConfig } from '../providers/provider';
import { downloadToPart } from './download';
import { etaSec, learn, rateKey, type LearnedRates } from './eta';
import { copyableKeyframes, pieceJob, planPieces } from './group-split';
import { JOURNAL_FILE, JournalWriter, readJournal, type JournalEntry } from './journal';
import { describeRecovery, rebuildJournal } from './journal-recover';
import { checkAttach } from './attach';
import { DECISIONS, outcomeUnknownMessage } from './messages';
import { appendLedger, applyLedgerCosts, readLedger, type LedgerEntry } from './ledger';
import { sharedScheduler, type SlotScheduler, type SlotTicket } from './scheduler';
import { unitLabel, workUnits, type WorkUnit } from '../../../shared/work-units';
import { jobElapsedSec } from '../../../shared/time';
import { chooseUnits, refuseUnconfirmed, splitValid, type Skipped } from './plan-units';
import { isFlightBookkeeping } from './flight-bookkeeping';

export { JOURNAL_FILE };

/** States a job does not leave by itself. needs-attention waits for a person (or, with a job id, a reopen). */
const TERMINAL: TakeStatus[] = ['ready', 'failed', 'canceled', 'needs-attention'];
/** States nothing moves a job out of: a new attempt is a new job (jobs.retry). */
const FINAL: TakeStatus[] = ['ready', 'failed', 'canceled'];

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
  /** Attempts per download (each resumes where the last one stopped). */
  downloadAttempts: number;
  /**
   * Does every wait between polls and retries, given the wait as asked (before `scale`); when set, `scale`
   * is not applied. Tests record the schedule with it.
   */
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface EngineOptions {
  session: ProjectSession;
  providers: Map<ProviderId, ProviderAdapter>;
  resolveConfig: (id: ProviderId) => ProviderConfig | undefined;
  /**
   * Jobs running at once per provider. Slots are shared by every project open in this process (a
   * provider's limit is per account), so this sets the process-wide limit; STORYREEL_CONCURRENCY
   * (e.g. "fal:4,kling:2") sets it from the environment. The animatic defaults to 2, cloud providers to 4.
   */
  concurrency?: Partial<Record<ProviderId, number>>;
  timing?: Partial<EngineTiming>;
  /** The slot scheduler (default: the process-wide one); tests hand in their own. */
  scheduler?: SlotScheduler;
}

export interface GenerateOptions {
  /** Shots to generate; omitted = every shot without a current take. */
  shotIds?: string[];
  provider?: ProviderId;
  tier?: TierId;
  /** Variations per shot (1–4). No provider returns several videos per request, so each is its own job. */
  variations?: number;
  /** What the person confirmed: the batch is refused, nothing sent, if it would now cost more. */
  expectedUsd?: number;
}

export interface Plan {
  provider: ProviderId;
  units: (WorkUnit & { estimatedUsd: number })[];
  /** Shots left out: up to date, already generating, or kept back by a problem (its problems as the reason). */
  skipped: Skipped[];
  /** The problems that keep shots back (nothing of theirs is sent; the rest is). */
  issues: ValidationIssue[];
  /** Shots sent because their only current takes are animatic drafts. */
  draftShotIds: string[];
  /** Shots a problem keeps back (listed in `skipped` with the problems). */
  blockedShotIds: string[];
  estimatedUsd: number;
  /** Spent and in flight before this plan, and the budget, when the project has one. */
  budget?: { budgetUsd: number; committedUsd: number; overByUsd: number };
}

type ClipMedia = { media: MediaInfo; groupClip?: { path: string; offsetSec: number } };

/** Waits, or stops waiting when the job is aborted; the abort listener is removed either way (a long poll loop
 * would otherwise pile listeners onto one signal). */
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

const jitter = (ms: number) => ms * (1 + (Math.random() - 0.5) * 0.3);

/**
 * Checking a clip (ffprobe, hashing, cutting a group) is CPU work on this machine: a few at a time keep
 * every core busy, while hundreds of jobs finishing together would only thrash it.
 */
class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
    try {
      return await work();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }
}
const checks = new Gate(Math.max(2, os.availableParallelism?.() ?? os.cpus().length));

/** Connection errors that mean the request never left this machine: no job can exist, so asking again is safe. */
function neverReached(err: ProviderError): boolean {
  // The adapter failed before the request that creates a job (e.g. uploading a reference image).
  if (err.nothingCreated) return true;
  return err.kind === 'network' && /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH/.test(err.providerMessage);
}

export class Engine extends EventEmitter<EngineEvents> {
  private readonly session: ProjectSession;
  private readonly providers: Map<ProviderId, ProviderAdapter>;
  private readonly resolveConfig: EngineOptions['resolveConfig'];
  private readonly timing: EngineTiming;
  private readonly scheduler: SlotScheduler;
  private readonly owner = newId('engine');
  private readonly jobs = new Map<string, JournalEntry>();
  /** Jobs waiting for a slot, by job id. */
  private readonly tickets = new Map<string, SlotTicket>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly aborts = new Map<string, AbortController>();
  /** Jobs picked up from an earlier run: their wall-clock time includes the downtime, so ETA does not learn from them. */
  private readonly resumed = new Set<string>();
  /** Jobs loaded before start(): handed to the scheduler when the engine starts. */
  private pending: string[] = [];
  private started = false;
  private readonly journal: JournalWriter;
  private learned: LearnedRates = {};
  private ledgerKeys: Promise<Set<string>> | undefined;
  /** Take updates waiting to be applied to project.json in one batch (see mirror()). */
  private mirrorQueue: { job: JournalEntry; onShot?: (shot: Shot, index: number) => void }[] = [];
  private mirrorScheduled = false;
  private positionsTimer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;
  private readyCount = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  /** Set when load() had to rebuild an unreadable journal: what was recovered and what needs a decision. */
  recovery: string | undefined;
  /** Ready takes found missing or damaged at load(), one message each ("Take 2 of shot 3 … is missing"). */
  takeProblems: string[] = [];

  constructor(opts: EngineOptions) {
    super();
    this.session = opts.session;
    this.providers = opts.providers;
    this.resolveConfig = opts.resolveConfig;
    this.timing = { scale: 1, maxPollFailures: 12, submitAttempts: 5, downloadAttempts: 6, ...opts.timing };
    this.scheduler = opts.scheduler ?? sharedScheduler;
    for (const [p, n] of Object.entries(opts.concurrency ?? {})) if (n) this.scheduler.setLimit(p as ProviderId, n);
    this.journal = new JournalWriter({ projectDir: this.session.dir, snapshot: () => ({ jobs: [...this.jobs.values()], learned: this.learned }) });
    this.unsubscribe = this.scheduler.onChange(() => this.schedulePositions());
  }

  list(): Job[] {
    return [...this.jobs.values()].map((j) => this.publicJob(j));
  }

  /** Journal writes performed so far (benchmarks report it). */
  get journalWrites(): number {
    return this.journal.writes;
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
    await this.load();
    this.start();
  }

  /**
   * Reads the journal, repairs project.json's takes from it, and lines up every unfinished job — without
   * starting anything (the CLI's `resolve` changes a job this way without running others).
   */
  async load(): Promise<void> {
    const read = await readJournal(this.session.dir, { keepAside: true });
    // Read once: the rebuild (when the journal is unreadable) and the cost backfill both use it.
    const ledger = await readLedger(this.session.dir);
    if (read.kind === 'unreadable') {
      // Rebuilt from the takes and the ledger (journal-recover.ts), and on disk before anything is sent.
      this.flushMirror();
      const { jobs, report } = rebuildJournal({
        project: this.session.current,
        ledger,
        now: new Date().toISOString(),
        refFor: (provider, id, spec) => this.providers.get(provider)?.refForJobId?.(id, spec),
        canLookUp: (provider) => Boolean(this.providers.get(provider)?.reconcile),
      });
      for (const entry of jobs) this.jobs.set(entry.id, entry);
      await this.journal.write();
      this.recovery = describeRecovery(report, read.keptAs ? path.basename(read.keptAs) : undefined);
      this.emit('progress', { taskId: 'journal', kind: 'generate', label: 'Job journal rebuilt', fraction: null, done: true, error: this.recovery });
    } else if (read.kind === 'ok') {
      for (const entry of read.data.jobs) this.jobs.set(entry.id, entry);
      this.learned = read.data.learned;
    }
    applyLedgerCosts(this.jobs.values(), ledger);
    this.repairProject(read.kind !== 'missing');
    await this.markDamagedTakes();
    for (const job of this.jobs.values()) {
      const resumable = !TERMINAL.includes(job.status) || (job.status === 'needs-attention' && Boolean(job.providerRef));
      if (!resumable) continue;
      if (job.status !== 'queued') this.resumed.add(job.id);
      this.enqueue(job);
    }
  }

  /** Starts the jobs lined up by load(). */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    const ids = this.pending;
    this.pending = [];
    for (const id of ids) this.enqueue(this.jobs.get(id)!);
  }

  /**
   * Makes project.json agree with the journal: a take the journal knows but the document lost (a crash
   * before the debounced save) is recreated with its status and clip; a take whose job the journal never
   * recorded was never sent, so it is marked failed rather than left "queued" forever.
   */
  private repairProject(journalFound: boolean): void {
    const repair = (project: Project) => repairTakes({ project, jobs: this.jobs, journalFound, takeFor: (job, i, shot) => this.takeFor(job, i, shot) });
    if (repair(structuredClone(this.session.current))) this.session.mutate((draft) => void repair(draft));
  }

  /**
   * A ready take whose clip is missing or damaged is not the shot's take any more: marked failed with the
   * reason (the shot then needs a take, and generate offers it). Checked again at every open, so a file
   * put back makes the take ready again (repairTakes restores it from the journal).
   */
  private async markDamagedTakes(): Promise<void> {
    const damaged = await findDamagedTakes(this.session.dir, this.session.current);
    this.takeProblems = damaged.map((d) => d.message);
    if (!damaged.length) return;
    this.session.mutate((draft) => {
      for (const d of damaged) {
        const take = draft.shots.find((s) => s.id === d.shotId)?.takes.find((t) => t.id === d.takeId);
        if (!take) continue;
        take.status = 'failed';
        take.error = d.message;
      }
    });
    for (const d of damaged) this.emit('progress', { taskId: `take-file-${d.takeId}`, kind: 'generate', label: 'Take file missing or damaged', fraction: null, done: true, error: d.message });
  }

  private takeFor(job: JournalEntry, i: number, shot: Shot): Take {
    // A group's estimate is shared across its shots by length.
    const share = job.spec.durationSec ? shot.durationSec / job.spec.durationSec : 1;
    return {
      id: job.takeIds[i],
      jobId: job.id,
      provider: job.provider,
      tier: job.spec.tier === '4k' ? 'pro' : job.spec.tier,
      request: { hash: job.hash, params: specParams(job.spec) },
      status: job.status,
      estimatedUsd: roundUsd(job.estimatedUsd * share),
      review: { rating: 0, flag: 'none', notes: [] },
      createdAt: job.createdAt,
    };
  }

  /**
   * What `generate` would send, what it would cost, and what keeps shots back — without sending anything.
   * A unit with a problem is left out (listed in `skipped` with its problems); the others still go.
   */
  async plan(opts: GenerateOptions = {}): Promise<Plan> {
    this.flushMirror();
    const project = this.session.current;
    const provider = opts.provider ?? project.settings.provider;
    const choice = chooseUnits({ project, units: workUnits(project, provider, opts.tier), provider, shotIds: opts.shotIds });
    const found = new Map<WorkUnit, ValidationIssue[]>();
    for (const unit of choice.chosen) {
      const issues = validateSpec(unit.spec, unit.where);
      try {
        await resolveAssets(unit.spec, this.session.dir);
      } catch (err) {
        issues.push({ ...unit.where, field: 'reference image', message: (err as Error).message });
      }
      found.set(unit, issues);
    }
    const { valid, issues, skipped } = splitValid(choice.chosen, (unit) => found.get(unit) ?? []);
    const variations = Math.max(1, Math.min(4, Math.floor(opts.variations ?? 1)));
    const units = valid.flatMap((unit) => Array.from({ length: variations }, () => ({ ...unit, estimatedUsd: safeEstimate(unit.spec) })));
    const estimated = roundUsd(units.reduce((sum, u) => sum + u.estimatedUsd, 0));
    const sent = new Set(valid.flatMap((u) => u.shotIds));
    return {
      provider,
      units,
      skipped: [...choice.skipped, ...skipped],
      issues,
      draftShotIds: choice.draftShotIds.filter((id) => sent.has(id)),
      blockedShotIds: skipped.map((s) => s.shotId),
      estimatedUsd: estimated,
      budget: this.budgetFor(estimated),
    };
  }

  /**
   * Spent (actual where known) plus in flight, against the project's budget. A job that failed or was
   * canceled after the provider delivered its clip (an expired link, a corrupt file) was still charged.
   */
  private budgetFor(addUsd: number): Plan['budget'] {
    const budgetUsd = this.session.current.settings.budgetUsd;
    if (budgetUsd === undefined) return undefined;
    const counts = (j: JournalEntry) => (j.status !== 'failed' && j.status !== 'canceled') || j.deliveredAt !== undefined || j.actualUsd !== undefined;
    // A submission whose outcome is unknown stays counted until settled, whatever the job became since.
    const jobs = [...this.jobs.values()];
    const committed = roundUsd(jobs.filter(counts).reduce((sum, j) => sum + (j.actualUsd ?? j.estimatedUsd), 0) + jobs.reduce((sum, j) => sum + (j.unsettledUsd ?? 0), 0));
    return { budgetUsd, committedUsd: committed, overByUsd: roundUsd(Math.max(0, committed + addUsd - budgetUsd)) };
  }

  private refuseOverBudget(addUsd: number): void {
    const b = this.budgetFor(addUsd);
    if (!b || b.overByUsd <= 0) return;
    throw new StudioError(
      'INVALID_INPUT',
      `Over budget: this would send ${formatUsd(addUsd)} of work, taking the project to ${formatUsd(b.committedUsd + addUsd)} ` +
        `of its ${formatUsd(b.budgetUsd)} budget — ${formatUsd(b.overByUsd)} too much. Nothing was sent. Raise the budget or generate fewer shots.`,
    );
  }

  /**
   * Queues one job per valid work unit; shots with problems are left out and listed in `skipped`. Refuses
   * — before anything is sent — when no unit is valid, when the batch would take the project past its
   * budget, or when it would cost more than the `expectedUsd` the person confirmed.
   */
  async generate(opts: GenerateOptions = {}): Promise<{ jobIds: string[]; skipped: Plan['skipped']; estimatedUsd: number }> {
    const plan = await this.plan(opts);
    if (plan.issues.length && plan.units.length === 0) {
      const lines = plan.issues.map(formatIssue);
      throw new StudioError('INVALID_INPUT', `Nothing was sent: ${lines.length === 1 ? 'one problem' : `${lines.length} problems`} to fix first — ${lines.join('; ')}.`, lines);
    }
    refuseUnconfirmed(plan.estimatedUsd, opts.expectedUsd);
    this.refuseOverBudget(plan.estimatedUsd);
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
    await this.addJobs(created);
    return { jobIds: created.map((j) => j.id), skipped: plan.skipped, estimatedUsd: plan.estimatedUsd };
  }

  /** Journals new jobs, gives each shot its take, and queues them. Nothing is sent before the journal is on disk. */
  private async addJobs(created: JournalEntry[]): Promise<void> {
    this.flushMirror();
    this.session.mutate((draft) => {
      for (const job of created) {
        job.shotIds.forEach((shotId, i) => {
          const shot = draft.shots.find((s) => s.id === shotId);
          if (shot) shot.takes.push(this.takeFor(job, i, shot));
        });
      }
    });
    for (const job of created) this.jobs.set(job.id, job);
    try {
      await this.journal.write();
    } catch (err) {
      // Nothing is sent that the journal does not know: the takes say so and the jobs are dropped.
      const message = `Storyreel could not record these jobs (${(err as Error).message}), so nothing was sent. Free some disk space or check the project folder's permissions, then generate again.`;
      for (const job of created) {
        this.jobs.delete(job.id);
        job.status = 'failed';
        job.error = message;
        this.mirror(job);
      }
      this.flushMirror();
      throw new StudioError('INTERNAL', message);
    }
    for (const job of created) {
      this.emit('job', this.publicJob(job));
      this.enqueue(job);
    }
  }

  /** Stops a job: the provider's cancel where one exists, otherwise a local stop (the provider may still charge). */
  async cancel(jobId: string): Promise<Job> {
    const job = this.mustGet(jobId);
    if (TERMINAL.includes(job.status)) return this.publicJob(job);
    const name = CAPABILITIES[job.provider].label;
    if (job.status === 'downloading') {
      // Stopping now would throw away a clip that is made and paid for.
      throw new StudioError('INVALID_INPUT', `${job.label}: ${name} has already made this clip (and charged for it); it is being downloaded so it is not lost, and will appear as a take you can reject.`);
    }
    const ticket = this.tickets.get(jobId);
    if ((ticket && this.scheduler.withdraw(ticket)) || this.pending.includes(jobId)) {
      this.tickets.delete(jobId);
      this.pending = this.pending.filter((id) => id !== jobId);
      await this.update(job, { status: 'canceled', error: job.providerRef ? undefined : 'Canceled before anything was sent; nothing was charged.' });
      this.checkIdle();
      return this.publicJob(job);
    }
    const wasSubmitting = job.status === 'submitting' && !job.providerRef;
    this.aborts.get(jobId)?.abort();
    const adapter = this.providers.get(job.provider);
    let note: string | undefined;
    const id = job.providerRef ? providerJobId(job.providerRef) : undefined;
    if (job.providerRef && adapter?.cancel) {
      try {
        await adapter.cancel(job.providerRef, this.ctx(job.provider));
      } catch (err) {
        note = `${name} could not be asked to stop it (${(err as Error).message}); it may still finish and charge for job ${id}.`;
      }
    } else if (job.providerRef) {
      note = `${name} has no cancel call, so the job was stopped here only; the provider may still finish and charge for it (job ${id}).`;
    } else if (wasSubmitting) {
      note = `The request was on its way to ${name} when it was canceled; if it arrived, ${name} may still run and charge for it.`;
    }
    await this.update(job, { status: 'canceled', ...(note ? { error: note } : {}) });
    return this.publicJob(job);
  }

  /**
   * A job that needs attention: submit it again (the person accepts a possible double charge) or mark it
   * failed. Submitting again sends a new request with a new key; the old one, if it exists, is left alone.
   */
  async resolve(jobId: string, action: 'submit-again' | 'mark-failed' | 'attach', attachId?: string): Promise<Job> {
    const job = this.mustGet(jobId);
    if (job.status !== 'needs-attention') throw new StudioError('INVALID_INPUT', `${job.label}: only a job that needs attention can be resolved (it is ${job.status}).`);
    // Sending it again is a second submission: the first may have been charged and stays counted.
    if (action === 'submit-again') this.refuseOverBudget(job.estimatedUsd);
    // Checked with the provider before anything changes: a mistyped id leaves the job waiting for a decision.
    const attachedRef = action === 'attach' ? await checkAttach({ job, id: attachId, adapter: this.providers.get(job.provider), ctx: () => this.ctx(job.provider) }) : undefined;
    const ticket = this.tickets.get(jobId);
    if (ticket) this.scheduler.withdraw(ticket);
    this.tickets.delete(jobId);
    this.pending = this.pending.filter((id) => id !== jobId);
    this.aborts.get(jobId)?.abort();
    await this.running.get(jobId);
    if (attachedRef) {
      await this.update(job, { status: 'submitted', providerRef: attachedRef, submittedAt: job.submittedAt ?? new Date().toISOString(), error: undefined });
      this.enqueue(job);
    } else if (action === 'mark-failed') {
      const name = CAPABILITIES[job.provider].label;
      const ref = job.providerRef ? ` (${name} job ${providerJobId(job.providerRef)})` : '';
      // Giving up does not make a possible charge go away: it stays on the budget.
      const unknownCost = job.deliveredAt === undefined && job.actualUsd === undefined && job.estimatedUsd > 0;
      if (unknownCost) job.unsettledUsd = roundUsd((job.unsettledUsd ?? 0) + job.estimatedUsd);
      const counted = unknownCost ? ` ${name} may still have made and charged for it, so its estimate (${formatUsd(job.estimatedUsd)}) stays counted against the budget.` : '';
      await this.update(job, { status: 'failed', error: `Marked failed by you${ref}.${counted}` });
    } else {
      job.unsettledUsd = roundUsd((job.unsettledUsd ?? 0) + job.estimatedUsd);
      job.providerRef = undefined;
      job.idempotencyKey = `storyreel-${randomUUID()}`;
      job.submittedAt = undefined;
      this.resumed.delete(job.id);
      await this.update(job, { status: 'queued', progress: 0, error: undefined });
      this.enqueue(job);
    }
    return this.publicJob(job);
  }

  /** A failed or canceled job tried again: a new job and a new take for the same request (the old take stays). */
  async retry(jobId: string): Promise<Job> {
    const old = this.mustGet(jobId);
    if (old.status !== 'failed' && old.status !== 'canceled') {
      throw new StudioError('INVALID_INPUT', `${old.label}: only a failed or canceled job can be retried (it is ${old.status}).`);
    }
    const missing = old.shotIds.filter((id) => !this.session.current.shots.some((s) => s.id === id));
    if (missing.length) throw new StudioError('NOT_FOUND', `${old.label}: its shot was deleted, so there is nothing to retry. Nothing was sent.`);
    const issues = validateSpec(old.spec, { shotId: old.shotIds[0], shotLabel: old.label });
    try {
      await resolveAssets(old.spec, this.session.dir);
    } catch (err) {
      issues.push({ shotId: old.shotIds[0], shotLabel: old.label, field: 'reference image', message: (err as Error).message });
    }
    if (issues.length) throw new StudioError('INVALID_INPUT', `Nothing was sent: ${issues.map(formatIssue).join('; ')}.`);
    const estimated = safeEstimate(old.spec);
    this.refuseOverBudget(estimated);
    if (!this.providers.has(old.provider)) throw new StudioError('PROVIDER_ERROR', `The ${CAPABILITIES[old.provider].label} provider is not available in this build. Nothing was sent.`);
    this.ctx(old.provider);
    const now = new Date().toISOString();
    const job: JournalEntry = {
      id: newId('job'),
      unitKey: old.unitKey,
      shotIds: old.shotIds,
      takeIds: old.shotIds.map(() => newId('take')),
      label: old.label,
      provider: old.provider,
      status: 'queued',
      progress: 0,
      createdAt: now,
      updatedAt: now,
      spec: old.spec,
      hash: old.hash,
      idempotencyKey: `storyreel-${randomUUID()}`,
      estimatedUsd: estimated,
      retryOf: old.id,
    };
    await this.addJobs([job]);
    return this.publicJob(job);
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.tickets.size === 0 && this.running.size === 0 && (this.pending.length === 0 || !this.started);
  }

  private checkIdle(): void {
    if (!this.isIdle() || this.closed) return;
    this.flushMirror();
    const readyCount = this.readyCount;
    this.readyCount = 0;
    this.emit('idle', { readyCount });
    for (const w of this.idleWaiters.splice(0)) w();
  }

  /**
   * Stops following jobs. A request on its way to the provider is given a moment to be answered, so
   * closing the app mid-submit does not leave a job whose fate is unknown; everything else stops now
   * and resumes on the next open.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    clearTimeout(this.positionsTimer);
    for (const [id, ticket] of this.tickets) {
      this.scheduler.withdraw(ticket);
      this.tickets.delete(id);
    }
    for (const [id, abort] of this.aborts) if (this.jobs.get(id)?.status !== 'submitting') abort.abort();
    let graceTimer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (graceTimer = setTimeout(resolve, 10_000 * Math.min(1, this.timing.scale))));
    await Promise.race([Promise.allSettled([...this.running.values()]), grace]);
    clearTimeout(graceTimer);
    for (const abort of this.aborts.values()) abort.abort();
    await Promise.allSettled([...this.running.values()]);
    this.flushMirror();
    await this.journal.settled();
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private mustGet(jobId: string): JournalEntry {
    const job = this.jobs.get(jobId);
    if (!job) throw new StudioError('NOT_FOUND', `There is no job ${jobId}.`);
    return job;
  }

  private enqueue(job: JournalEntry): void {
    if (this.closed) return;
    if (!this.started) {
      if (!this.pending.includes(job.id)) this.pending.push(job.id);
      return;
    }
    const ticket: SlotTicket = { provider: job.provider, owner: this.owner, start: () => this.runTicket(job) };
    this.tickets.set(job.id, ticket);
    this.scheduler.enqueue(ticket);
  }

  private runTicket(job: JournalEntry): Promise<void> {
    this.tickets.delete(job.id);
    if (this.closed || FINAL.includes(job.status)) return Promise.resolve();
    const run = this.run(job).finally(() => {
      this.running.delete(job.id);
      this.checkIdle();
    });
    this.running.set(job.id, run);
    return run;
  }

  /** Queue positions move whenever any project's job starts: coalesced so 200 waiting jobs do not flood the UI. */
  private schedulePositions(): void {
    if (this.positionsTimer || this.closed) return;
    this.positionsTimer = setTimeout(() => {
      this.positionsTimer = undefined;
      const byProvider = new Map<ProviderId, SlotTicket[]>();
      for (const ticket of this.tickets.values()) if (!byProvider.has(ticket.provider)) byProvider.set(ticket.provider, this.scheduler.order(ticket.provider));
      const position = new Map<SlotTicket, number>();
      for (const order of byProvider.values()) order.forEach((t, i) => position.set(t, i));
      for (const [id, ticket] of this.tickets) {
        const job = this.jobs.get(id)!;
        const p = position.get(ticket);
        if (job.status === 'queued' && p !== undefined && job.queuePosition !== p) {
          job.queuePosition = p;
          this.emit('job', this.publicJob(job));
        }
      }
    }, 50);
    this.positionsTimer.unref?.();
  }

  private async run(job: JournalEntry): Promise<void> {
    const abort = new AbortController();
    this.aborts.set(job.id, abort);
    const signal = abort.signal;
    try {
      const adapter = this.providers.get(job.provider);
      if (!adapter) throw new StudioError('PROVIDER_ERROR', `${CAPABILITIES[job.provider].label} is not available in this build.`);
      const ctx = this.ctx(job.provider, signal);
      // A job with an id that lost contact, or whose key was refused, picks up where it was.
      if (job.status === 'needs-attention') await this.update(job, { status: 'submitted', error: undefined });
      let fresh = false;
      if (!job.providerRef) {
        const ref = job.status === 'submitting' && CAPABILITIES[job.provider].paid ? await this.reconcileLost(job, adapter, ctx) : await this.submit(job, adapter, ctx);
        if (!ref) return;
        fresh = true;
      }
      if (this.closed || signal.aborted) return;
      // Written before the request went out; this covers journals from before that (once per submission).
      await this.ledgerOnce(estimateLine(job));
      const outcome = await this.pollUntilDone({ job, adapter, ctx, fresh });
      if (!outcome) return;
      if (outcome.actualUsd !== undefined || outcome.providerCost !== undefined) {
        job.actualUsd = outcome.actualUsd;
        await this.ledgerOnce({
          at: new Date().toISOString(),
          kind: 'actual',
          jobId: job.id,
          provider: job.provider,
          ...(outcome.actualUsd !== undefined ? { usd: outcome.actualUsd } : {}),
          ...(outcome.providerCost !== undefined ? { providerCost: outcome.providerCost } : {}),
          providerJobId: providerJobId(job.providerRef!),
          idempotencyKey: job.idempotencyKey,
        });
      }
      if (job.status !== 'downloading') await this.update(job, { status: 'downloading', progress: 1, deliveredAt: job.deliveredAt ?? new Date().toISOString() });
      const media = await this.fetchAndCheck(job, outcome.result, signal);
      if (signal.aborted) return;
      if (!this.resumed.has(job.id) && job.submittedAt) {
        this.learned = learn({
          rates: this.learned,
          key: rateKey(job.provider, job.spec.tier),
          wallSec: (Date.now() - Date.parse(job.submittedAt)) / 1000,
          videoSec: job.spec.durationSec,
        });
      }
      this.readyCount += job.shotIds.length;
      await this.update(job, { status: 'ready', media }, (shot, i) => applyReady({ job, shot, index: i }));
    } catch (err) {
      if (signal.aborted && (this.closed || job.status === 'canceled' || job.status === 'needs-attention')) return;
      await this.fail(job, err).catch(() => {});
    } finally {
      this.aborts.delete(job.id);
    }
  }

  /** Turns what went wrong into the job's final state and a message a person can act on. */
  private async fail(job: JournalEntry, err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof ProviderError && err.retryable && job.providerRef) {
      // The clip exists at the provider and may yet be fetched: keep the job, never call it failed.
      await this.update(job, {
        status: 'needs-attention',
        error: `${message} The job is kept (${CAPABILITIES[job.provider].label} job ${providerJobId(job.providerRef)}); Storyreel picks it up again the next time the project is opened or rendered.`,
      });
      return;
    }
    await this.update(job, { status: 'failed', error: message });
  }

  /**
   * Sends the request, write-ahead: `submitting` (with the idempotency key) is on disk before the request
   * leaves, and `submitted` with the provider's reference right after it returns. Asks again only where
   * no job can have been created (a 429, a refused connection) or where the provider deduplicates by the
   * key; anything else that leaves the outcome unknown needs a person's decision.
   */
  private async submit(job: JournalEntry, adapter: ProviderAdapter, ctx: AdapterContext): Promise<string | undefined> {
    const name = CAPABILITIES[job.provider].label;
    await this.update(job, { status: 'submitting', submittedAt: job.submittedAt ?? new Date().toISOString(), error: undefined });
    // The money is on the ledger before the request leaves: a submission cut off by a crash may have been
    // charged, and the ledger must not be the one place that forgets it.
    await this.ledgerOnce(estimateLine(job));
    for (let attempt = 1; ; attempt++) {
      try {
        const { ref } = await adapter.submit(job.spec, ctx, { idempotencyKey: job.idempotencyKey });
        await this.update(job, { status: 'submitted', providerRef: ref });
        return ref;
      } catch (err) {
        if (ctx.signal?.aborted || !(err instanceof ProviderError)) throw err;
        // An answer that leaves the outcome unknown (a dropped connection, a 5xx): a provider that can be
        // asked may have created the job all the same. A clear refusal (validation, policy) is not asked
        // about: for Lumenfall asking means sending the request again.
        if (adapter.reconcile && err.retryable && err.kind !== 'rate-limit' && !neverReached(err)) {
          const found = await adapter.reconcile(job.idempotencyKey, job.spec, ctx).catch(() => undefined);
          if (found) {
            await this.update(job, { status: 'submitted', providerRef: found.ref });
            return found.ref;
          }
        }
        const safeToRepeat = err.kind === 'rate-limit' || neverReached(err) || (err.retryable && Boolean(adapter.reconcile)) || !CAPABILITIES[job.provider].paid;
        if (!err.retryable) {
          // validation, policy, key, balance: at once, in the provider's words. Refused before a job existed.
          if (REFUSALS.includes(err.kind)) await this.refused(job, err.kind);
          throw err;
        }
        if (!safeToRepeat) {
          await this.update(job, {
            status: 'needs-attention',
            error: outcomeUnknownMessage(err, name),
          });
          return undefined;
        }
        if (attempt >= this.timing.submitAttempts) {
          await this.refused(job, err.kind);
          throw new StudioError('PROVIDER_ERROR', `${err.message} Storyreel asked ${attempt} times; no job was created, so nothing was charged. Generate the shot again when ${name} is reachable.`);
        }
        await this.backoff(job, attempt, err);
      }
    }
  }

  /**
   * A crash between the write-ahead and the provider's answer: find the job by its key, never resubmit
   * blindly. Where the provider deduplicates by the key, sending it again cannot create a second job.
   */
  private async reconcileLost(job: JournalEntry, adapter: ProviderAdapter, ctx: AdapterContext): Promise<string | undefined> {
    const name = CAPABILITIES[job.provider].label;
    // The request may have left before the crash (the ledger line is written just before it does).
    await this.ledgerOnce(estimateLine(job));
    if (!adapter.reconcile) {
      await this.update(job, {
        status: 'needs-attention',
        error: `Storyreel stopped while sending this job to ${name}, which offers no way to look a request up, so it may or may not have been created (and charged). Check ${name}'s dashboard, then ${DECISIONS}.`,
      });
      return undefined;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const found = await adapter.reconcile(job.idempotencyKey, job.spec, ctx);
        if (found) {
          await this.update(job, { status: 'submitted', providerRef: found.ref });
          return found.ref;
        }
        // Not there: the request never created a job, and the key makes a repeat safe.
        return await this.submit(job, adapter, ctx);
      } catch (err) {
        if (ctx.signal?.aborted) throw err;
        if (!(err instanceof ProviderError) || !err.retryable || attempt >= this.timing.submitAttempts) {
          await this.update(job, {
            status: 'needs-attention',
            error: `Storyreel stopped while sending this job and could not look it up at ${name} (${(err as Error).message}). Open the project again to look again, or check ${name}'s dashboard and choose "Submit again" or "Mark failed".`,
          });
          return undefined;
        }
        await this.backoff(job, attempt, err);
      }
    }
  }

  /**
   * Waits before asking again: exponential from 1 s to a minute, jittered — or, when the provider said how
   * long with Retry-After, at least that long (jittered only upwards, so jobs told the same wait do not all
   * come back at the same moment).
   */
  private async backoff(job: JournalEntry, attempt: number, err?: ProviderError): Promise<void> {
    const ms = err?.retryAfterMs !== undefined ? err.retryAfterMs * (1 + Math.random() * 0.15) : jitter(Math.min(60_000, 1000 * 2 ** (attempt - 1)));
    this.emitJob(job, err ? `${err.message} (retry ${attempt})` : undefined);
    await this.wait(ms, this.aborts.get(job.id)?.signal);
  }

  private wait(ms: number, signal?: AbortSignal): Promise<void> {
    return this.timing.wait ? this.timing.wait(ms, signal) : sleep(ms * this.timing.scale, signal);
  }

  private async pollUntilDone(opts: { job: JournalEntry; adapter: ProviderAdapter; ctx: AdapterContext; fresh: boolean }) {
    const { job, adapter, ctx } = opts;
    const name = CAPABILITIES[job.provider].label;
    let interval = adapter.pollIntervalMs;
    let failures = 0;
    // A job just sent is not done yet: the first look waits one interval. A resumed job is looked at at once.
    if (opts.fresh) await this.wait(jitter(interval), ctx.signal);
    for (;;) {
      if (ctx.signal?.aborted || this.closed) return undefined;
      let state: PollResult;
      try {
        state = await adapter.poll(job.providerRef!, ctx);
        failures = 0;
      } catch (err) {
        if (ctx.signal?.aborted) return undefined;
        if (err instanceof ProviderError && err.kind === 'auth') {
          const env = CAPABILITIES[job.provider].envKeys.join(' + ');
          await this.update(job, {
            status: 'needs-attention',
            error: `${name} rejected the API key while Storyreel was checking on this job (${name} job ${providerJobId(job.providerRef!)}). The job itself is kept: fix the key in Settings${env ? ` or ${env}` : ''}, then open the project again — Storyreel picks the job up where it left off.`,
          });
          return undefined;
        }
        if (!(err instanceof ProviderError) || !err.retryable) throw err;
        failures += 1;
        if (failures >= this.timing.maxPollFailures) {
          await this.update(job, {
            status: 'needs-attention',
            error: `Lost contact with ${name} while it worked on this job (${err.message}). The job is kept with its id ${providerJobId(job.providerRef!)}; Storyreel picks it up again the next time the project is opened or rendered.`,
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
        this.setProgress(job, state.progress ?? job.progress);
      } else {
        if (job.status !== 'submitted') await this.update(job, { status: 'submitted' });
        this.setProgress(job, 0, state.queuePosition);
      }
      await this.wait(jitter(interval), ctx.signal);
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
    const pub = this.publicJob(job);
    this.emit('job', pub);
    this.emit('progress', {
      taskId: job.id,
      kind: 'generate',
      label: label ?? `Generating ${pub.label}`,
      fraction: job.progress,
      done: false,
    });
  }

  /**
   * Brings the clip home into `*.part`, checks it (size, streams, duration close to the request), hashes
   * it and only then gives it its final name. A group's clip is kept whole and cut into one take per shot.
   */
  private async fetchAndCheck(job: JournalEntry, result: ClipResult, signal: AbortSignal): Promise<ClipMedia[]> {
    const name = CAPABILITIES[job.provider].label;
    const ref = job.providerRef ? providerJobId(job.providerRef) : job.id;
    const firstShot = job.shotIds[0];
    const grouped = job.shotIds.length > 1;
    const relPath = path.posix.join('media', 'takes', firstShot, grouped ? `${job.id}-group.mp4` : `${job.takeIds[0]}.mp4`);
    const finalPath = path.join(this.session.dir, relPath);
    const partPath = `${finalPath}.part`;
    await fs.mkdir(path.dirname(finalPath), { recursive: true });

    let info: ProbeResult;
    let sha256: string;
    if (existsSync(finalPath) && !existsSync(partPath)) {
      // An earlier run checked and renamed it, then stopped before recording it: only the hash is redone.
      [info, sha256] = await checks.run(() => Promise.all([probe(finalPath), hashFile(finalPath)]));
    } else {
      const fetchOnce = async (fromScratch: boolean) => {
        if (fromScratch) await fs.rm(partPath, { force: true });
        if (result.kind === 'file') {
          await fs.rename(result.path, partPath).catch(() => fs.copyFile(result.path, partPath));
          return;
        }
        let lastEmit = 0;
        await downloadToPart(result.url, partPath, {
          provider: job.provider,
          jobRef: ref,
          signal,
          attempts: this.timing.downloadAttempts,
          expectedBytes: result.sizeBytes,
          sleep: (ms) => this.wait(ms, signal),
          onBytes: (have, total) => {
            const now = Date.now();
            if (now - lastEmit < 250) return;
            lastEmit = now;
            const pct = total ? ` ${Math.floor((have / total) * 100)}%` : '';
            this.emit('progress', { taskId: job.id, kind: 'generate', label: `Downloading ${unitLabel(this.session.current.shots, job)}${pct}`, fraction: total ? have / total : null, done: false });
          },
        });
      };
      await fetchOnce(false);
      let checked = await checks.run(() => checkClip({ file: partPath, spec: job.spec }));
      if (!checked.ok && result.kind === 'url' && !signal.aborted) {
        // A damaged transfer costs nothing to repeat; a clip that is bad at the source stays bad.
        await fetchOnce(true);
        checked = await checks.run(() => checkClip({ file: partPath, spec: job.spec }));
      }
      if (!checked.ok) {
        throw new StudioError(
          'PROVIDER_ERROR',
          `The clip ${name} returned for ${job.label} ${checked.problem} (${name} job ${ref}). It was kept as ${path.basename(partPath)} and not used. Generate the shot again, or recover the clip from ${name}'s dashboard with the job id.`,
        );
      }
      info = checked.info;
      sha256 = await checks.run(() => hashFile(partPath));
      await fs.rename(partPath, finalPath);
    }
    const whole: MediaInfo = { path: relPath, sha256, durationSec: info.durationSec, width: info.video!.width, height: info.video!.height, fps: info.video!.fps, hasAudio: Boolean(info.audio) };
    if (!grouped) return [{ media: whole }];

    // Cut the group's clip at the planned shot boundaries: copied where a keyframe sits on the cut.
    const keyframes = await checks.run(() => copyableKeyframes(finalPath, info)).catch(() => [] as number[]);
    const pieces = planPieces({ shotSeconds: job.spec.shots!.map((s) => s.durationSec), keyframes, fps: info.video!.fps });
    const out: ClipMedia[] = [];
    for (const [i, shotId] of job.shotIds.entries()) {
      const pieceRel = path.posix.join('media', 'takes', shotId, `${job.takeIds[i]}.mp4`);
      const piece = path.join(this.session.dir, pieceRel);
      await fs.mkdir(path.dirname(piece), { recursive: true });
      const [p, pieceSha] = await checks.run(async () => {
        await runFfmpeg(pieceJob({ source: finalPath, piece: pieces[i], info, output: `${piece}.part.mp4` }), { signal });
        return Promise.all([probe(`${piece}.part.mp4`), hashFile(`${piece}.part.mp4`)]);
      });
      await fs.rename(`${piece}.part.mp4`, piece);
      out.push({
        media: { path: pieceRel, sha256: pieceSha, durationSec: p.durationSec, width: p.video!.width, height: p.video!.height, fps: p.video!.fps, hasAudio: Boolean(p.audio) },
        groupClip: { path: relPath, offsetSec: pieces[i].startSec },
      });
    }
    return out;
  }

  /** Turned away before a job existed: the ledger's actual is 0, and the take shows that, not the estimate. */
  private async refused(job: JournalEntry, kind: ProviderError['kind']): Promise<void> {
    job.actualUsd = 0;
    await this.ledgerOnce(refusedLine(job, kind));
  }

  /** Appends to the ledger once per (kind, job, submission): a job resumed after a crash is not counted twice. */
  private async ledgerOnce(entry: LedgerEntry): Promise<void> {
    // Read once, however many jobs ask at the same moment (a second read could drop keys added meanwhile).
    this.ledgerKeys ??= readLedger(this.session.dir).then((lines) => new Set(lines.map(ledgerKey)));
    const keys = await this.ledgerKeys;
    const key = ledgerKey(entry);
    if (keys.has(key)) return;
    keys.add(key);
    await appendLedger(this.session.dir, entry);
  }

  /**
   * Changes a job, mirrors it onto its takes and journals it. A job that is ready, failed or canceled
   * never changes state again (a late answer from a canceled job cannot revive it).
   */
  private async update(job: JournalEntry, patch: Partial<JournalEntry>, onShot?: (shot: Shot, index: number) => void): Promise<void> {
    if (FINAL.includes(job.status) && patch.status && patch.status !== job.status) return;
    const statusChanged = patch.status !== undefined && patch.status !== job.status;
    Object.assign(job, patch, { updatedAt: new Date().toISOString() });
    for (const [k, v] of Object.entries(patch)) if (v === undefined) delete (job as unknown as Record<string, unknown>)[k];
    if (patch.status && patch.status !== 'queued') job.queuePosition = undefined;
    if (statusChanged && TERMINAL.includes(job.status)) job.finishedAt = new Date().toISOString();
    if (statusChanged && !TERMINAL.includes(job.status)) job.finishedAt = undefined;
    if (statusChanged || onShot) this.mirror(job, onShot);
    if (statusChanged || onShot || 'providerRef' in patch || 'submittedAt' in patch) await this.journal.write();
    const pub = this.publicJob(job);
    this.emit('job', pub);
    if (statusChanged) {
      const done = TERMINAL.includes(job.status);
      this.emit('progress', {
        taskId: job.id,
        kind: 'generate',
        label: `${pub.label}: ${job.status}${pub.providerJobId && job.status === 'submitted' ? ` (job ${pub.providerJobId})` : ''}`,
        fraction: done ? 1 : job.progress,
        done,
        ...(done && job.error ? { error: job.error } : {}),
      });
    }
  }

  /**
   * Takes mirror their job in project.json. Changes are applied in one batch per tick: with hundreds of
   * jobs changing state at once, one document update instead of hundreds (the journal already has them).
   */
  private mirror(job: JournalEntry, onShot?: (shot: Shot, index: number) => void): void {
    this.mirrorQueue.push({ job, onShot });
    if (this.mirrorScheduled) return;
    this.mirrorScheduled = true;
    setImmediate(() => this.flushMirror());
  }

  private flushMirror(): void {
    this.mirrorScheduled = false;
    const queue = this.mirrorQueue;
    if (!queue.length) return;
    this.mirrorQueue = [];
    // A shot deleted meanwhile simply no longer shows its take.
    const shots = new Set(this.session.current.shots.map((s) => s.id));
    if (!queue.some(({ job }) => job.shotIds.some((id) => shots.has(id)))) return;
    this.session.mutate((draft) => {
      for (const { job, onShot } of queue) {
        job.shotIds.forEach((shotId, i) => {
          const shot = draft.shots.find((s) => s.id === shotId);
          if (!shot) return;
          const take = shot.takes.find((t) => t.id === job.takeIds[i]);
          if (take) {
            take.status = job.status;
            if (job.error) take.error = job.error;
            else delete take.error;
            if (job.providerRef && job.provider !== 'animatic') take.providerJobId = providerJobId(job.providerRef);
            else delete take.providerJobId;
            mirrorCost(job, shot, take);
          }
          onShot?.(shot, i);
        });
      }
    }, { quiet: isFlightBookkeeping });
  }

  /** Named by where its shots are now, not where they were when it was queued. */
  private publicJob(job: JournalEntry): Job {
    const pub = toPublicJob(job, this.learned);
    return { ...pub, label: unitLabel(this.session.current.shots, pub) };
  }
}

/** What the renderer and the CLI see of a job (never the idempotency key or the raw provider reference). */
export function toPublicJob(job: JournalEntry, learned: LearnedRates): Job {
  const elapsed = jobElapsedSec(job, Date.now());
  const eta = elapsed !== undefined && !TERMINAL.includes(job.status) && job.provider !== 'animatic'
    ? etaSec({ rate: learned[rateKey(job.provider, job.spec.tier)], videoSec: job.spec.durationSec, elapsedSec: elapsed })
    : undefined;
  return {
    id: job.id,
    shotId: job.shotIds[0],
    takeId: job.takeIds[0],
    shotIds: job.shotIds,
    takeIds: job.takeIds,
    label: job.label,
    titles: job.spec.shots ? job.spec.shots.map((s) => s.title ?? '') : [job.spec.card?.title ?? ''],
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
    ...(job.deliveredAt ? { deliveredAt: job.deliveredAt } : {}),
    ...(elapsed !== undefined ? { elapsedSec: Math.round(elapsed * 10) / 10 } : {}),
    ...(job.submittedAt ? { submittedAt: job.submittedAt } : {}),
    ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
    ...(eta !== undefined ? { etaSec: eta } : {}),
  };
}

/** Sets a ready take's clip and puts it in the cut unless the person picked a take that is still current. */
function applyReady(opts: { job: JournalEntry; shot: Shot; index: number }): void {
  const { job, shot, index } = opts;
  const take = shot.takes.find((t) => t.id === job.takeIds[index]);
  const clip = job.media?.[index];
  if (take && clip) {
    take.status = 'ready';
    take.media = clip.media;
    if (clip.groupClip) take.groupClip = clip.groupClip;
    mirrorCost(job, shot, take);
  }
  const selected = shot.takes.find((t) => t.id === shot.selectedTakeId);
  const selectedIsCurrent = selected?.status === 'ready' && selected.request.hash === take?.request.hash && selected.id !== take?.id;
  if (!selectedIsCurrent && take?.status === 'ready') selectTake(shot, take.id);
}

/** The ledger's actual cost of a job (a group's shared by length) on its take, once it is known. */
function mirrorCost(job: JournalEntry, shot: Shot, take: Take): boolean {
  if (job.actualUsd === undefined) return false;
  const usd = roundUsd(job.actualUsd * (job.spec.durationSec ? shot.durationSec / job.spec.durationSec : 1));
  if (take.actualUsd === usd) return false;
  take.actualUsd = usd;
  return true;
}

/** Brings a document's takes in line with the journal; true when anything changed. */
export function repairTakes(opts: {
  project: Project;
  jobs: Map<string, JournalEntry>;
  /** False when the project has no jobs.json at all (copied without it): then nothing is known of its takes' requests. */
  journalFound: boolean;
  takeFor: (job: JournalEntry, i: number, shot: Shot) => Take;
}): boolean {
  const { project, jobs } = opts;
  let changed = false;
  for (const job of jobs.values()) {
    job.shotIds.forEach((shotId, i) => {
      const shot = project.shots.find((s) => s.id === shotId);
      if (!shot) return;
      let take = shot.takes.find((t) => t.id === job.takeIds[i]);
      if (!take) {
        take = opts.takeFor(job, i, shot);
        shot.takes.push(take);
        changed = true;
      }
      if (take.status !== job.status || (take.error ?? undefined) !== (job.error ?? undefined)) {
        take.status = job.status;
        if (job.error) take.error = job.error;
        else delete take.error;
        changed = true;
      }
      if (mirrorCost(job, shot, take)) changed = true;
      if (job.status === 'ready' && job.media?.[i] && take.media?.sha256 !== job.media[i].media.sha256) {
        applyReady({ job, shot, index: i });
        changed = true;
      }
    });
  }
  for (const shot of project.shots) {
    for (const take of shot.takes) {
      if (!TERMINAL.includes(take.status) && !jobs.has(take.jobId)) {
        // The journal is written before anything is sent, so a take it never heard of was never sent —
        // unless there is no journal at all, and then nobody can say.
        take.status = 'failed';
        take.error = opts.journalFound
          ? 'Storyreel stopped before this request was recorded, so it was never sent and nothing was charged. Generate the shot again.'
          : `This project has no job journal (${JOURNAL_FILE}), so this request is no longer followed. If it was sent, ${CAPABILITIES[take.provider].label} may still have made (and charged for) the clip: check its dashboard, or generate the shot again.`;
        changed = true;
      }
    }
  }
  return changed;
}

/** Probes a downloaded clip: playable, has video, and as long as asked for. */
async function checkClip(opts: { file: string; spec: GenerationSpec }): Promise<{ ok: true; info: ProbeResult } | { ok: false; problem: string }> {
  let info: ProbeResult;
  try {
    info = await probe(opts.file);
  } catch {
    return { ok: false, problem: 'is not a playable video' };
  }
  if (!info.video) return { ok: false, problem: 'has no video stream' };
  // Providers round (Kling reports 5.1 s for a 5 s request); anything further off is the wrong clip.
  if (Math.abs(info.durationSec - opts.spec.durationSec) > 0.6) {
    return { ok: false, problem: `is ${info.durationSec.toFixed(2)} s long, not the ${opts.spec.durationSec} s asked for` };
  }
  return { ok: true, info };
}

/** One estimate and one actual per submission (a job's idempotency key changes only with "submit again"). */
function ledgerKey(e: LedgerEntry): string {
  return `${e.kind}:${e.jobId}:${e.idempotencyKey ?? ''}`;
}

/** Errors at submit that mean the provider turned the request away before a job existed: nothing to pay. */
const REFUSALS: ProviderError['kind'][] = ['auth', 'balance', 'validation', 'policy', 'not-found'];

/** The pricing table's estimate for one submission of a job. */
function estimateLine(job: JournalEntry): LedgerEntry {
  return {
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
    idempotencyKey: job.idempotencyKey,
  };
}

/** A submission that created no job: its estimate is balanced by an actual cost of zero. */
function refusedLine(job: JournalEntry, kind: ProviderError['kind']): LedgerEntry {
  return {
    at: new Date().toISOString(),
    kind: 'actual',
    jobId: job.id,
    provider: job.provider,
    usd: 0,
    idempotencyKey: job.idempotencyKey,
    note: REFUSALS.includes(kind) ? `refused by the provider (${kind}): nothing was charged` : 'never accepted by the provider (asked until giving up): nothing was charged',
  };
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

/** The id a person would search for on the provider's dashboard (refs may be JSON with URLs). */
export function providerJobId(ref: string): string {
  try {
    const parsed = JSON.parse(ref) as Record<string, unknown>;
    const id = parsed.id ?? parsed.requestId ?? parsed.request_id ?? parsed.taskId ?? parsed.task_id;
    return typeof id === 'string' ? id : ref.slice(0, 80);
  } catch {
    return ref.slice(0, 80);
  }
}

export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

