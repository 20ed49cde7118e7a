// What an Engine is made with and what it tells: its options, its timing (tests make waits short or record
// them), its events.
import type { Job, TaskProgress } from '../../../shared/api';
import type { PriceOverrides } from '../../../shared/pricing';
import type { ProviderId } from '../../../shared/schema';
import type { ProjectSession } from '../project/session';
import type { ProviderAdapter, ProviderConfig } from '../providers/provider';
import type { SlotScheduler } from './scheduler';

export interface EngineEvents {
  job: [Job];
  progress: [TaskProgress];
  /** The queue ran dry; `readyCount` takes became ready since the last idle. */
  idle: [{ readyCount: number }];
}

export interface EngineTiming {
  /** Multiplies every poll and retry wait (tests make waits short; 1 in the app). */
  scale: number;
  /** Consecutive failed polls before a job needs attention (RETRY.poll). */
  maxPollFailures: number;
  /** RETRY.submit. */
  submitAttempts: number;
  /** Attempts per download, each resuming where the last one stopped (RETRY.download). */
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
  /** Prices set by hand in Settings, read at each estimate (default: none, the published table). */
  prices?: () => PriceOverrides;
  /** The slot scheduler (default: the process-wide one); tests hand in their own. */
  scheduler?: SlotScheduler;
}

/** Waits, or stops waiting when the job is aborted; the abort listener is removed either way (a long poll loop
 * would otherwise pile listeners onto one signal). */
export const sleep = (ms: number, signal?: AbortSignal) =>
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
