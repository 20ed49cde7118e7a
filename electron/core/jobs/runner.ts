// The runner: carries one job from the queue to a clip on disk — submit (write-ahead, asking again only
// where that is safe), reconcile a submission a crash cut off, poll, record what was charged, and hand
// the clip to intake. Every wait comes from the retry policy (retry-policy.ts); every status change goes
// through the engine's update, which the job state machine guards.
import type { TaskProgress } from '../../../shared/api';
import { CAPABILITIES, credentialEnvHint } from '../../../shared/capabilities';
import { StudioError } from '../../../shared/errors';
import type { JobEvent } from '../../../shared/job-status';
import { ProviderError } from '../providers/provider-error';
import type { AdapterContext, ClipResult, PollResult, ProviderAdapter } from '../providers/provider';
import type { ClipMedia } from './intake';
import type { JournalEntry } from './journal';
import { estimateLine, REFUSALS, refusedLine, type LedgerBook } from './ledger';
import { DECISIONS, outcomeUnknownMessage } from './messages';
import { providerJobId } from './public-job';
import { POLL_INTERVAL, RETRY, jittered, nextPollInterval, retryDelayMs, type Backoff } from './retry-policy';
import type { OnShot } from './take-mirror';

export interface RunnerTiming {
  /** Consecutive failed polls before a job needs attention. */
  maxPollFailures: number;
  submitAttempts: number;
}

/** What the runner needs of the engine that owns the job. */
export interface RunnerHost {
  timing: RunnerTiming;
  closed(): boolean;
  adapter(job: JournalEntry): ProviderAdapter | undefined;
  ctx(job: JournalEntry, signal?: AbortSignal): AdapterContext;
  /** Moves the job (by `event`, through the state machine), mirrors it and journals it. */
  update(job: JournalEntry, event: JobEvent | undefined, patch?: Partial<Omit<JournalEntry, 'status'>>, onShot?: OnShot): Promise<void>;
  emitJob(job: JournalEntry, label?: string): void;
  progress(p: TaskProgress): void;
  wait(ms: number, signal?: AbortSignal): Promise<void>;
  ledger: LedgerBook;
  /** Brings the clip home (intake.ts). */
  intake(job: JournalEntry, result: ClipResult, signal: AbortSignal): Promise<ClipMedia[]>;
  /** The clip is home and checked: record it (the job becomes ready). */
  ready(job: JournalEntry, media: ClipMedia[]): Promise<void>;
}

/** Connection errors that mean the request never left this machine: no job can exist, so asking again is safe. */
function neverReached(err: ProviderError): boolean {
  // The adapter failed before the request that creates a job (e.g. uploading a reference image).
  if (err.nothingCreated) return true;
  return err.kind === 'network' && /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH/.test(err.providerMessage);
}

export class Runner {
  constructor(private readonly host: RunnerHost) {}

  /** Runs a job until it is ready, failed, kept for later or stopped by `signal`. Never throws. */
  async run(job: JournalEntry, signal: AbortSignal): Promise<void> {
    const host = this.host;
    try {
      const adapter = host.adapter(job);
      if (!adapter) throw new StudioError('PROVIDER_ERROR', `${CAPABILITIES[job.provider].label} is not available in this build.`);
      const ctx = host.ctx(job, signal);
      // A job with an id that lost contact, or whose key was refused, picks up where it was.
      if (job.status === 'needs-attention') await host.update(job, 'resume', { error: undefined });
      let fresh = false;
      if (!job.providerRef) {
        const ref = job.status === 'submitting' && CAPABILITIES[job.provider].paid ? await this.reconcileLost(job, adapter, ctx) : await this.submit(job, adapter, ctx);
        if (!ref) return;
        fresh = true;
      }
      if (host.closed() || signal.aborted) return;
      // Written before the request went out; this covers journals from before that (once per submission).
      await host.ledger.once(estimateLine(job));
      const outcome = await this.pollUntilDone({ job, adapter, ctx, fresh });
      if (!outcome) return;
      if (outcome.actualUsd !== undefined || outcome.providerCost !== undefined) {
        job.actualUsd = outcome.actualUsd;
        await host.ledger.once({
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
      if (job.status !== 'downloading') await host.update(job, 'deliver', { progress: 1, deliveredAt: job.deliveredAt ?? new Date().toISOString() });
      const media = await host.intake(job, outcome.result, signal);
      if (signal.aborted) return;
      await host.ready(job, media);
    } catch (err) {
      if (signal.aborted && (host.closed() || job.status === 'canceled' || job.status === 'needs-attention')) return;
      await this.fail(job, err).catch(() => {});
    }
  }

  /**
   * Asks the provider to stop a job being canceled, where it can; what the person should know when the
   * provider may still run (and charge for) it.
   */
  async cancelAtProvider(job: JournalEntry, wasSubmitting: boolean): Promise<string | undefined> {
    const name = CAPABILITIES[job.provider].label;
    const adapter = this.host.adapter(job);
    const id = job.providerRef ? providerJobId(job.providerRef) : undefined;
    if (job.providerRef && adapter?.cancel) {
      try {
        await adapter.cancel(job.providerRef, this.host.ctx(job));
      } catch (err) {
        return `${name} could not be asked to stop it (${(err as Error).message}); it may still finish and charge for job ${id}.`;
      }
    } else if (job.providerRef) {
      return `${name} has no cancel call, so the job was stopped here only; the provider may still finish and charge for it (job ${id}).`;
    } else if (wasSubmitting) {
      return `The request was on its way to ${name} when it was canceled; if it arrived, ${name} may still run and charge for it.`;
    }
    return undefined;
  }

  /** Turns what went wrong into the job's final state and a message a person can act on. */
  private async fail(job: JournalEntry, err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof ProviderError && err.retryable && job.providerRef) {
      // The clip exists at the provider and may yet be fetched: keep the job, never call it failed.
      await this.host.update(job, 'lose-track', {
        error: `${message} The job is kept (${CAPABILITIES[job.provider].label} job ${providerJobId(job.providerRef)}); Storyreel picks it up again the next time the project is opened or rendered.`,
      });
      return;
    }
    await this.host.update(job, 'fail', { error: message });
  }

  /**
   * Sends the request, write-ahead: `submitting` (with the idempotency key) is on disk before the request
   * leaves, and `submitted` with the provider's reference right after it returns. Asks again only where
   * no job can have been created (a 429, a refused connection) or where the provider deduplicates by the
   * key; anything else that leaves the outcome unknown needs a person's decision.
   */
  private async submit(job: JournalEntry, adapter: ProviderAdapter, ctx: AdapterContext): Promise<string | undefined> {
    const host = this.host;
    const name = CAPABILITIES[job.provider].label;
    await host.update(job, 'send', { submittedAt: job.submittedAt ?? new Date().toISOString(), error: undefined });
    // The money is on the ledger before the request leaves: a submission cut off by a crash may have been
    // charged, and the ledger must not be the one place that forgets it.
    await host.ledger.once(estimateLine(job));
    for (let attempt = 1; ; attempt++) {
      try {
        const { ref } = await adapter.submit(job.spec, ctx, { idempotencyKey: job.idempotencyKey });
        await host.update(job, 'accept', { providerRef: ref });
        return ref;
      } catch (err) {
        if (ctx.signal?.aborted || !(err instanceof ProviderError)) throw err;
        // An answer that leaves the outcome unknown (a dropped connection, a 5xx): a provider that can be
        // asked may have created the job all the same. A clear refusal (validation, policy) is not asked
        // about: for Lumenfall asking means sending the request again.
        if (adapter.reconcile && err.retryable && err.kind !== 'rate-limit' && !neverReached(err)) {
          const found = await adapter.reconcile(job.idempotencyKey, job.spec, ctx).catch(() => undefined);
          if (found) {
            await host.update(job, 'accept', { providerRef: found.ref });
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
          await host.update(job, 'lose-track', { error: outcomeUnknownMessage(err, name) });
          return undefined;
        }
        if (attempt >= host.timing.submitAttempts) {
          await this.refused(job, err.kind);
          throw new StudioError('PROVIDER_ERROR', `${err.message} Storyreel asked ${attempt} times; no job was created, so nothing was charged. Generate the shot again when ${name} is reachable.`);
        }
        await this.backoff(job, RETRY.submit, attempt, err, ctx.signal);
      }
    }
  }

  /**
   * A crash between the write-ahead and the provider's answer: find the job by its key, never resubmit
   * blindly. Where the provider deduplicates by the key, sending it again cannot create a second job.
   */
  private async reconcileLost(job: JournalEntry, adapter: ProviderAdapter, ctx: AdapterContext): Promise<string | undefined> {
    const host = this.host;
    const name = CAPABILITIES[job.provider].label;
    // The request may have left before the crash (the ledger line is written just before it does).
    await host.ledger.once(estimateLine(job));
    if (!adapter.reconcile) {
      await host.update(job, 'lose-track', {
        error: `Storyreel stopped while sending this job to ${name}, which offers no way to look a request up, so it may or may not have been created (and charged). Check ${name}'s dashboard, then ${DECISIONS}.`,
      });
      return undefined;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const found = await adapter.reconcile(job.idempotencyKey, job.spec, ctx);
        if (found) {
          await host.update(job, 'accept', { providerRef: found.ref });
          return found.ref;
        }
        // Not there: the request never created a job, and the key makes a repeat safe.
        return await this.submit(job, adapter, ctx);
      } catch (err) {
        if (ctx.signal?.aborted) throw err;
        if (!(err instanceof ProviderError) || !err.retryable || attempt >= host.timing.submitAttempts) {
          await host.update(job, 'lose-track', {
            error: `Storyreel stopped while sending this job and could not look it up at ${name} (${(err as Error).message}). Open the project again to look again, or check ${name}'s dashboard and choose "Submit again" or "Mark failed".`,
          });
          return undefined;
        }
        await this.backoff(job, RETRY.submit, attempt, err, ctx.signal);
      }
    }
  }

  /** Waits before asking again, as the retry policy says (retry-policy.ts), saying so on the job's progress line. */
  private async backoff(job: JournalEntry, policy: Backoff, attempt: number, err: ProviderError, signal?: AbortSignal): Promise<void> {
    const ms = retryDelayMs(policy, attempt, err);
    this.host.emitJob(job, `${err.message} (retry ${attempt})`);
    await this.host.wait(ms, signal);
  }

  private async pollUntilDone(opts: { job: JournalEntry; adapter: ProviderAdapter; ctx: AdapterContext; fresh: boolean }) {
    const { job, adapter, ctx } = opts;
    const host = this.host;
    const name = CAPABILITIES[job.provider].label;
    let interval = adapter.pollIntervalMs;
    let failures = 0;
    // A job just sent is not done yet: the first look waits one interval. A resumed job is looked at at once.
    if (opts.fresh) await host.wait(jittered(interval, POLL_INTERVAL.jitter), ctx.signal);
    for (;;) {
      if (ctx.signal?.aborted || host.closed()) return undefined;
      let state: PollResult;
      try {
        state = await adapter.poll(job.providerRef!, ctx);
        failures = 0;
      } catch (err) {
        if (ctx.signal?.aborted) return undefined;
        if (err instanceof ProviderError && err.kind === 'auth') {
          const env = credentialEnvHint(job.provider);
          await host.update(job, 'lose-track', {
            error: `${name} rejected the API key while Storyreel was checking on this job (${name} job ${providerJobId(job.providerRef!)}). The job itself is kept: fix the key in Settings${env ? ` or ${env}` : ''}, then open the project again — Storyreel picks the job up where it left off.`,
          });
          return undefined;
        }
        if (!(err instanceof ProviderError) || !err.retryable) throw err;
        failures += 1;
        if (failures >= host.timing.maxPollFailures) {
          await host.update(job, 'lose-track', {
            error: `Lost contact with ${name} while it worked on this job (${err.message}). The job is kept with its id ${providerJobId(job.providerRef!)}; Storyreel picks it up again the next time the project is opened or rendered.`,
          });
          return undefined;
        }
        await this.backoff(job, RETRY.poll, failures, err, ctx.signal);
        continue;
      }
      if (state.state === 'succeeded') return state;
      if (state.state === 'failed') throw state.error;
      if (state.state === 'running') {
        if (job.status !== 'running') await host.update(job, 'provider-running');
        this.setProgress(job, state.progress ?? job.progress);
      } else {
        if (job.status !== 'submitted') await host.update(job, 'provider-queued');
        this.setProgress(job, 0, state.queuePosition);
      }
      await host.wait(jittered(interval, POLL_INTERVAL.jitter), ctx.signal);
      interval = nextPollInterval(interval, adapter.maxPollIntervalMs);
    }
  }

  private setProgress(job: JournalEntry, progress: number, queuePosition?: number): void {
    job.progress = Math.max(0, Math.min(1, progress));
    job.queuePosition = queuePosition;
    this.host.emitJob(job);
  }

  /** Turned away before a job existed: the ledger's actual is 0, and the take shows that, not the estimate. */
  private async refused(job: JournalEntry, kind: ProviderError['kind']): Promise<void> {
    job.actualUsd = 0;
    await this.host.ledger.once(refusedLine(job, kind));
  }
}
