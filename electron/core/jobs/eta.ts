// How long a job will take, learned from the jobs that finished before it: per provider × tier, the wall
// clock seconds from submission to a clip on disk per second of video asked for. Providers' queues
// change by the hour, so recent jobs count more (an exponential moving average), and a handful of jobs
// is enough to give a useful figure.

export interface LearnedRate {
  /** Seconds of waiting per second of video. */
  secPerSec: number;
  samples: number;
}

export type LearnedRates = Record<string, LearnedRate>;

/** Weight of the newest job: about the last five jobs shape the estimate. */
const ALPHA = 0.3;

export function rateKey(provider: string, tier: string): string {
  return `${provider}:${tier}`;
}

/** Folds one finished job into the rates (returns a new object). */
export function learn(opts: { rates: LearnedRates; key: string; wallSec: number; videoSec: number }): LearnedRates {
  const { rates, key, wallSec, videoSec } = opts;
  if (!(wallSec > 0) || !(videoSec > 0)) return rates;
  const sample = wallSec / videoSec;
  const old = rates[key];
  const secPerSec = old ? old.secPerSec + ALPHA * (sample - old.secPerSec) : sample;
  return { ...rates, [key]: { secPerSec, samples: (old?.samples ?? 0) + 1 } };
}

/**
 * Seconds left for a job `elapsedSec` into its run, or undefined when nothing has been learned yet or the
 * job is already past what earlier jobs took (then any estimate would be a guess).
 */
export function etaSec(opts: { rate: LearnedRate | undefined; videoSec: number; elapsedSec: number }): number | undefined {
  if (!opts.rate) return undefined;
  const left = opts.rate.secPerSec * opts.videoSec - opts.elapsedSec;
  return left > 0 ? Math.ceil(left) : undefined;
}
