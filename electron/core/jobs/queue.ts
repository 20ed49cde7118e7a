// One project's jobs in the process-wide slot scheduler: lined up before the engine starts, waiting for a
// slot, or running (each with its abort); queue places as the scheduler moves; and "idle" when none is left.
import type { ProviderId } from '../../../shared/schema';
import type { JournalEntry } from './journal';
import type { SlotScheduler, SlotTicket } from './scheduler';
import { queueStep } from '../../../shared/queue-place';

export interface QueueOptions {
  scheduler: SlotScheduler;
  /** This engine, for fairness between projects. */
  owner: string;
  job: (id: string) => JournalEntry | undefined;
  /** Whether a job taken from the queue is still to be run (not finished meanwhile). */
  shouldRun: (job: JournalEntry) => boolean;
  run: (job: JournalEntry, signal: AbortSignal) => Promise<void>;
  /** Nothing is waiting or running any more. */
  onIdle: () => void;
  /** A waiting job's place in its provider's queue changed (already set on the job). */
  onPosition: (job: JournalEntry) => void;
}

export class JobQueue {
  /** Jobs waiting for a slot, by job id. */
  private readonly tickets = new Map<string, SlotTicket>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly aborts = new Map<string, AbortController>();
  /** Jobs lined up before start(): handed to the scheduler when the engine starts. */
  private pending: string[] = [];
  private started = false;
  private closed = false;
  private positionsTimer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  private readonly unsubscribe: () => void;

  constructor(private readonly o: QueueOptions) {
    this.unsubscribe = o.scheduler.onChange(() => this.schedulePositions());
  }

  /** Hands the jobs lined up so far to the scheduler; later ones go straight to it. */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    const ids = this.pending;
    this.pending = [];
    for (const id of ids) this.enqueue(this.o.job(id)!);
  }

  enqueue(job: JournalEntry): void {
    if (this.closed) return;
    if (!this.started) {
      if (!this.pending.includes(job.id)) this.pending.push(job.id);
      return;
    }
    const ticket: SlotTicket = { provider: job.provider, owner: this.o.owner, start: () => this.runTicket(job) };
    this.tickets.set(job.id, ticket);
    this.o.scheduler.enqueue(ticket);
  }

  /** Takes a job that has not started out of the queue; true when it was still waiting. */
  withdraw(jobId: string): boolean {
    const ticket = this.tickets.get(jobId);
    const waiting = Boolean(ticket && this.o.scheduler.withdraw(ticket)) || this.pending.includes(jobId);
    this.tickets.delete(jobId);
    this.pending = this.pending.filter((id) => id !== jobId);
    return waiting;
  }

  /** Stops a running job (its run ends soon after). */
  abort(jobId: string): void {
    this.aborts.get(jobId)?.abort();
  }

  /** Resolves when the job's run (if any) has ended. */
  async ended(jobId: string): Promise<void> {
    await this.running.get(jobId);
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  checkIdle(): void {
    if (!this.isIdle() || this.closed) return;
    this.o.onIdle();
    for (const w of this.idleWaiters.splice(0)) w();
  }

  /**
   * Stops everything: nothing waiting starts; running jobs are aborted, except those `spare` names, which get
   * `graceMs` to finish first (a request on its way to the provider).
   */
  async close(graceMs: number, spare: (job: JournalEntry) => boolean): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    clearTimeout(this.positionsTimer);
    for (const [id, ticket] of this.tickets) {
      this.o.scheduler.withdraw(ticket);
      this.tickets.delete(id);
    }
    for (const [id, abort] of this.aborts) {
      const job = this.o.job(id);
      if (!job || !spare(job)) abort.abort();
    }
    let graceTimer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (graceTimer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.allSettled([...this.running.values()]), grace]);
    clearTimeout(graceTimer);
    for (const abort of this.aborts.values()) abort.abort();
    await Promise.allSettled([...this.running.values()]);
  }

  /** After close: whoever waits for idle stops waiting. */
  releaseIdleWaiters(): void {
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private isIdle(): boolean {
    return this.tickets.size === 0 && this.running.size === 0 && (this.pending.length === 0 || !this.started);
  }

  private runTicket(job: JournalEntry): Promise<void> {
    this.tickets.delete(job.id);
    if (this.closed || !this.o.shouldRun(job)) return Promise.resolve();
    const abort = new AbortController();
    this.aborts.set(job.id, abort);
    const run = this.o
      .run(job, abort.signal)
      .finally(() => this.aborts.delete(job.id))
      .finally(() => {
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
      for (const ticket of this.tickets.values()) if (!byProvider.has(ticket.provider)) byProvider.set(ticket.provider, this.o.scheduler.order(ticket.provider));
      const position = new Map<SlotTicket, number>();
      for (const order of byProvider.values()) order.forEach((t, i) => position.set(t, i));
      for (const [id, ticket] of this.tickets) {
        const job = this.o.job(id)!;
        const p = position.get(ticket);
        if (job.status !== 'queued' || p === undefined || job.queuePosition === p) continue;
        // Told only when what a person reads changes ("3 ahead", "40+ ahead"): not every waiting job on every start.
        const readChanges = job.queuePosition === undefined || queueStep(job.queuePosition) !== queueStep(p);
        job.queuePosition = p;
        if (readChanges) this.o.onPosition(job);
      }
    }, 50);
    this.positionsTimer.unref?.();
  }
}
