// Generation engine (docs/architecture.md §5): plan → validate → budget → submit (write-ahead) → poll → download →
// check → ready, journaled in jobs.json. Takes are created the moment a job is queued and never deleted;
// a clip becomes `ready` only once it is on disk, probed and hashed. The journal is the source of truth:
// on open, project.json's takes are repaired from it, so a crash between the two files loses nothing.
//
// The engine coordinates; each step has its own module: planner.ts (what would be sent, its cost and
// problems), shared/job-status.ts + job-state.ts (the state machine), runner.ts (submit / poll / reconcile)
// with retry-policy.ts, intake.ts (download, check, hash, group split), ledger.ts (money, once per
// submission), take-mirror.ts (jobs into project.json's takes) and public-job.ts (what clients see).
import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { Job } from '../../../shared/api';
import { CAPABILITIES, credentialEnvHint } from '../../../shared/capabilities';
import { StudioError } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { isFinal, isStopped, isTerminal, nextStatus, resumesOnOpen, type JobEvent } from '../../../shared/job-status';
import type { ProviderId } from '../../../shared/schema';
import { formatIssue } from '../../../shared/validate';
import { unitLabel } from '../../../shared/work-units';
import type { ProjectSession } from '../project/session';
import type { AdapterContext, ProviderAdapter } from '../providers/provider';
import { checkAttach } from './attach';
import { markFailedPatch, submitAgainPatch } from './decisions';
import { learn, rateKey, type LearnedRates } from './eta';
import { intakeClip, type ClipMedia } from './intake';
import { moveJob, newJob, type JobPatch } from './job-state';
import { JOURNAL_FILE, JournalWriter, readJournal, type JournalEntry } from './journal';
import { describeRecovery, rebuildJournal } from './journal-recover';
import { applyLedgerCosts, LedgerBook, readLedger } from './ledger';
import { refuseUnconfirmed } from './plan-units';
import { planGenerate, refuseOverBudget, safeEstimate, specIssues, type GenerateOptions, type Plan } from './planner';
import { providerJobId, toPublicJob } from './public-job';
import { RETRY } from './retry-policy';
import { Runner } from './runner';
import { JobQueue } from './queue';
import { sharedScheduler, type SlotScheduler } from './scheduler';
import { applyReady, TakeMirror, type OnShot } from './take-mirror';
import { OneAtATime } from '../util/concurrency';
import { sleep, type EngineEvents, type EngineOptions, type EngineTiming } from './engine-options';

export { JOURNAL_FILE, toPublicJob, providerJobId };
export type { GenerateOptions, Plan };
export type { EngineEvents, EngineOptions, EngineTiming };

export class Engine extends EventEmitter<EngineEvents> {
  private readonly session: ProjectSession;
  private readonly providers: Map<ProviderId, ProviderAdapter>;
  private readonly resolveConfig: EngineOptions['resolveConfig'];
  /** The prices that apply now: the published table with the person's own figures over it. */
  private readonly prices: NonNullable<EngineOptions['prices']>;
  private readonly timing: EngineTiming;
  private readonly scheduler: SlotScheduler;
  private readonly jobs = new Map<string, JournalEntry>();
  private readonly queue: JobQueue;
  /** Jobs picked up from an earlier run: their wall-clock time includes the downtime, so ETA does not learn from them. */
  private readonly resumed = new Set<string>();
  private readonly journal: JournalWriter;
  private readonly ledger: LedgerBook;
  private readonly takes: TakeMirror;
  private readonly runner: Runner;
  /** People's decisions about jobs that wait, one at a time per job. */
  private readonly decisions = new OneAtATime();
  private learned: LearnedRates = {};
  private readyCount = 0;
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
    this.prices = opts.prices ?? (() => ({}));
    this.timing = { scale: 1, maxPollFailures: RETRY.poll.attempts, submitAttempts: RETRY.submit.attempts, downloadAttempts: RETRY.download.attempts, ...opts.timing };
    this.scheduler = opts.scheduler ?? sharedScheduler;
    for (const [p, n] of Object.entries(opts.concurrency ?? {})) if (n) this.scheduler.setLimit(p as ProviderId, n);
    this.journal = new JournalWriter({ projectDir: this.session.dir, snapshot: () => ({ jobs: [...this.jobs.values()], learned: this.learned }) });
    this.ledger = new LedgerBook(this.session.dir);
    this.takes = new TakeMirror(this.session);
    this.runner = new Runner({
      timing: this.timing,
      closed: () => this.closed,
      adapter: (job) => this.providers.get(job.provider),
      ctx: (job, signal) => this.ctx(job.provider, signal),
      update: (job, event, patch, onShot) => this.update(job, event, patch, onShot),
      emitJob: (job, label) => this.emitJob(job, label),
      progress: (p) => this.emit('progress', p),
      wait: (ms, signal) => this.wait(ms, signal),
      ledger: this.ledger,
      intake: (job, result, signal) => this.intake(job, result, signal),
      ready: (job, media) => this.ready(job, media),
    });
    this.queue = new JobQueue({
      scheduler: this.scheduler,
      owner: newId('engine'),
      job: (id) => this.jobs.get(id),
      shouldRun: (job) => !isFinal(job.status),
      run: (job, signal) => this.runner.run(job, signal),
      onIdle: () => {
        this.takes.flush();
        const readyCount = this.readyCount;
        this.readyCount = 0;
        this.emit('idle', { readyCount });
      },
      onPosition: (job) => this.emit('job', this.publicJob(job)),
    });
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
      const env = credentialEnvHint(provider);
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
      this.takes.flush();
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
    this.takes.repair(this.jobs, read.kind !== 'missing');
    const damaged = await this.takes.markDamaged();
    this.takeProblems = damaged.map((d) => d.message);
    for (const d of damaged) this.emit('progress', { taskId: `take-file-${d.takeId}`, kind: 'generate', label: 'Take file missing or damaged', fraction: null, done: true, error: d.message });
    for (const job of this.jobs.values()) {
      if (!resumesOnOpen(job.status, Boolean(job.providerRef))) continue;
      if (job.status !== 'queued') this.resumed.add(job.id);
      this.enqueue(job);
    }
  }

  /** Starts the jobs lined up by load(). */
  start(): void {
    if (!this.closed) this.queue.start();
  }

  /**
   * What `generate` would send, what it would cost, and what keeps shots back — without sending anything
   * (planner.ts). A unit with a problem is left out (listed in `skipped` with its problems); the others still go.
   */
  async plan(opts: GenerateOptions = {}): Promise<Plan> {
    this.takes.flush();
    return planGenerate({ project: this.session.current, projectDir: this.session.dir, jobs: this.jobs.values(), options: opts, prices: this.prices() });
  }

  private refuseOverBudget(addUsd: number): void {
    refuseOverBudget(this.session.current, this.jobs.values(), addUsd);
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
    const created = plan.units.map((unit) => newJob({ unitKey: unit.key, shotIds: unit.shotIds, label: unit.label, provider: plan.provider, spec: unit.spec, hash: unit.hash, estimatedUsd: unit.estimatedUsd }, now));
    await this.addJobs(created);
    return { jobIds: created.map((j) => j.id), skipped: plan.skipped, estimatedUsd: plan.estimatedUsd };
  }

  /** Journals new jobs, gives each shot its take, and queues them. Nothing is sent before the journal is on disk. */
  private async addJobs(created: JournalEntry[]): Promise<void> {
    this.takes.addTakes(created);
    for (const job of created) this.jobs.set(job.id, job);
    try {
      await this.journal.write();
    } catch (err) {
      // Nothing is sent that the journal does not know: the takes say so and the jobs are dropped.
      const message = `Storyreel could not record these jobs (${(err as Error).message}), so nothing was sent. Free some disk space or check the project folder's permissions, then generate again.`;
      for (const job of created) {
        this.jobs.delete(job.id);
        moveJob(job, 'fail', { error: message });
        this.takes.mirror(job);
      }
      this.takes.flush();
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
    if (isTerminal(job.status)) return this.publicJob(job);
    const name = CAPABILITIES[job.provider].label;
    if (job.status === 'downloading') {
      // Stopping now would throw away a clip that is made and paid for.
      throw new StudioError('INVALID_INPUT', `${job.label}: ${name} has already made this clip (and charged for it); it is being downloaded so it is not lost, and will appear as a take you can reject.`);
    }
    if (this.queue.withdraw(jobId)) {
      await this.update(job, 'cancel', { error: job.providerRef ? undefined : 'Canceled before anything was sent; nothing was charged.' });
      this.queue.checkIdle();
      return this.publicJob(job);
    }
    const wasSubmitting = job.status === 'submitting' && !job.providerRef;
    this.queue.abort(jobId);
    const note = await this.runner.cancelAtProvider(job, wasSubmitting);
    await this.update(job, 'cancel', note ? { error: note } : {});
    return this.publicJob(job);
  }

  /**
   * A job that needs attention: submit it again (the person accepts a possible double charge) or mark it
   * failed. Submitting again sends a new request with a new key; the old one, if it exists, is left alone.
   * One decision at a time per job: a second click waits for the first and then finds the job no longer
   * waiting, so two "Submit again" send one request.
   */
  resolve(jobId: string, action: 'submit-again' | 'mark-failed' | 'attach', attachId?: string): Promise<Job> {
    return this.decisions.run(jobId, () => this.decide(jobId, action, attachId));
  }

  private async decide(jobId: string, action: 'submit-again' | 'mark-failed' | 'attach', attachId?: string): Promise<Job> {
    const job = this.mustGet(jobId);
    if (job.status !== 'needs-attention') throw new StudioError('INVALID_INPUT', `${job.label}: only a job that needs attention can be resolved (it is ${job.status}).`);
    // Sending it again is a second submission: the first may have been charged and stays counted.
    if (action === 'submit-again') this.refuseOverBudget(job.estimatedUsd);
    // Checked with the provider before anything changes: a mistyped id leaves the job waiting for a decision.
    const attachedRef = action === 'attach' ? await checkAttach({ job, id: attachId, adapter: this.providers.get(job.provider), ctx: () => this.ctx(job.provider) }) : undefined;
    this.queue.withdraw(jobId);
    this.queue.abort(jobId);
    await this.queue.ended(jobId);
    // A run a reopen started meanwhile (a job with an id is picked up) was stopped above: the decision is about the job as it waited.
    if (nextStatus(job.status, 'lose-track')) await this.update(job, 'lose-track');
    if (attachedRef) {
      await this.update(job, 'resume', { providerRef: attachedRef, submittedAt: job.submittedAt ?? new Date().toISOString(), error: undefined });
      this.enqueue(job);
    } else if (action === 'mark-failed') {
      await this.update(job, 'mark-failed', markFailedPatch(job));
    } else {
      this.resumed.delete(job.id);
      await this.update(job, 'submit-again', submitAgainPatch(job));
      this.enqueue(job);
    }
    return this.publicJob(job);
  }

  /** A failed or canceled job tried again: a new job and a new take for the same request (the old take stays). */
  async retry(jobId: string): Promise<Job> {
    const old = this.mustGet(jobId);
    if (!isStopped(old.status)) {
      throw new StudioError('INVALID_INPUT', `${old.label}: only a failed or canceled job can be retried (it is ${old.status}).`);
    }
    const missing = old.shotIds.filter((id) => !this.session.current.shots.some((s) => s.id === id));
    if (missing.length) throw new StudioError('NOT_FOUND', `${old.label}: its shot was deleted, so there is nothing to retry. Nothing was sent.`);
    const issues = await specIssues(old.spec, { shotId: old.shotIds[0], shotLabel: old.label }, this.session.dir);
    if (issues.length) throw new StudioError('INVALID_INPUT', `Nothing was sent: ${issues.map(formatIssue).join('; ')}.`);
    const estimated = safeEstimate(old.spec, this.prices());
    this.refuseOverBudget(estimated);
    if (!this.providers.has(old.provider)) throw new StudioError('PROVIDER_ERROR', `The ${CAPABILITIES[old.provider].label} provider is not available in this build. Nothing was sent.`);
    this.ctx(old.provider);
    const job = newJob({ unitKey: old.unitKey, shotIds: old.shotIds, label: old.label, provider: old.provider, spec: old.spec, hash: old.hash, estimatedUsd: estimated, retryOf: old.id }, new Date().toISOString());
    await this.addJobs([job]);
    return this.publicJob(job);
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /**
   * Stops following jobs. A request on its way to the provider is given a moment to be answered, so
   * closing the app mid-submit does not leave a job whose fate is unknown; everything else stops now
   * and resumes on the next open.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.close(10_000 * Math.min(1, this.timing.scale), (job) => job.status === 'submitting');
    this.takes.flush();
    await this.journal.settled();
    this.queue.releaseIdleWaiters();
  }

  private mustGet(jobId: string): JournalEntry {
    const job = this.jobs.get(jobId);
    if (!job) throw new StudioError('NOT_FOUND', `There is no job ${jobId}.`);
    return job;
  }

  private enqueue(job: JournalEntry): void {
    if (!this.closed) this.queue.enqueue(job);
  }

  private intake(job: JournalEntry, result: Parameters<typeof intakeClip>[0]['result'], signal: AbortSignal): Promise<ClipMedia[]> {
    return intakeClip({
      projectDir: this.session.dir,
      job,
      result,
      signal,
      downloadAttempts: this.timing.downloadAttempts,
      wait: (ms) => this.wait(ms, signal),
      onDownload: (have, total) => {
        const pct = total ? ` ${Math.floor((have / total) * 100)}%` : '';
        this.emit('progress', { taskId: job.id, kind: 'generate', label: `Downloading ${unitLabel(this.session.current.shots, job)}${pct}`, fraction: total ? have / total : null, done: false });
      },
    });
  }

  /** The clip is home: the ETA learns from the job (unless it spans a restart), and the job and its takes become ready. */
  private async ready(job: JournalEntry, media: ClipMedia[]): Promise<void> {
    if (!this.resumed.has(job.id) && job.submittedAt) {
      this.learned = learn({
        rates: this.learned,
        key: rateKey(job.provider, job.spec.tier),
        wallSec: (Date.now() - Date.parse(job.submittedAt)) / 1000,
        videoSec: job.spec.durationSec,
      });
    }
    this.readyCount += job.shotIds.length;
    await this.update(job, 'clip-checked', { media }, (shot, i) => applyReady({ job, shot, index: i }));
  }

  private wait(ms: number, signal?: AbortSignal): Promise<void> {
    return this.timing.wait ? this.timing.wait(ms, signal) : sleep(ms * this.timing.scale, signal);
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
   * Moves a job by `event` (the state machine, job-state.ts, refuses what its table does not have and
   * ignores any move of a ready, failed or canceled job), mirrors it onto its takes and journals it.
   */
  private async update(job: JournalEntry, event: JobEvent | undefined, patch: JobPatch = {}, onShot?: OnShot): Promise<void> {
    const moved = moveJob(job, event, patch);
    if (!moved.applied) return;
    const { statusChanged } = moved;
    if (statusChanged || onShot) this.takes.mirror(job, onShot);
    if (statusChanged || onShot || 'providerRef' in patch || 'submittedAt' in patch) await this.journal.write();
    const pub = this.publicJob(job);
    this.emit('job', pub);
    if (statusChanged) {
      const done = isTerminal(job.status);
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

  /** Named by where its shots are now, not where they were when it was queued. */
  private publicJob(job: JournalEntry): Job {
    const pub = toPublicJob(job, this.learned);
    return { ...pub, label: unitLabel(this.session.current.shots, pub) };
  }
}
