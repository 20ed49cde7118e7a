// When to ask a provider again, as data: one table of backoff rows (submitting, polling, downloading) and
// the one function that turns a row, an attempt and a Retry-After into a wait. Pure; the callers sleep.
import type { ProviderError } from '../providers/provider-error';

export interface Backoff {
  /** Attempts before giving up (submit, download) or consecutive failures before a job needs attention (poll). */
  attempts: number;
  /** The wait after the first failure; each further one multiplies it by `factor`, up to `capMs`. */
  firstMs: number;
  factor: number;
  capMs: number;
  /** ± this fraction, so jobs that failed together do not all come back at the same moment. */
  jitter: number;
  /**
   * A Retry-After the provider gave is waited out in full, and up to this fraction longer (jittered only
   * upwards: never shorter than asked).
   */
  retryAfterExtra: number;
}

export const RETRY = {
  /** Sending a request: exponential from 1 s to a minute, jittered; only where asking again is safe. */
  submit: { attempts: 5, firstMs: 1000, factor: 2, capMs: 60_000, jitter: 0.15, retryAfterExtra: 0.15 },
  /** Looking at a job that failed to answer: the same waits; after 12 failures in a row the job is kept for later. */
  poll: { attempts: 12, firstMs: 1000, factor: 2, capMs: 60_000, jitter: 0.15, retryAfterExtra: 0.15 },
  /** Fetching a clip (each attempt resumes where the last stopped): from 1 s to 30 s, Retry-After as given. */
  download: { attempts: 6, firstMs: 1000, factor: 2, capMs: 30_000, jitter: 0, retryAfterExtra: 0 },
} as const satisfies Record<string, Backoff>;

/**
 * Polling a job that answers: the first look one interval after sending, then each interval `factor` times
 * the last, up to the adapter's ceiling (long jobs are not polled hard); every wait jittered.
 */
export const POLL_INTERVAL = { factor: 1.5, jitter: 0.15 } as const;

/** A value within ± `fraction` of `ms`. */
export function jittered(ms: number, fraction: number, random: () => number = Math.random): number {
  return ms * (1 + (random() - 0.5) * 2 * fraction);
}

/** The wait before asking again after failure number `attempt` (1-based), honouring the provider's Retry-After. */
export function retryDelayMs(policy: Backoff, attempt: number, err?: Pick<ProviderError, 'retryAfterMs'>, random: () => number = Math.random): number {
  if (err?.retryAfterMs !== undefined) return err.retryAfterMs * (1 + random() * policy.retryAfterExtra);
  return jittered(Math.min(policy.capMs, policy.firstMs * policy.factor ** (attempt - 1)), policy.jitter, random);
}

/** The poll interval after `interval`, up to the adapter's ceiling. */
export function nextPollInterval(interval: number, ceilingMs: number): number {
  return Math.min(ceilingMs, interval * POLL_INTERVAL.factor);
}
