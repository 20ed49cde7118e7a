// What the renderer and the CLI see of a job (never the idempotency key or the raw provider reference). Pure.
import type { Job } from '../../../shared/api';
import { isTerminal } from '../../../shared/job-status';
import { jobElapsedSec } from '../../../shared/time';
import { etaSec, rateKey, type LearnedRates } from './eta';
import type { JournalEntry } from './journal';

export function toPublicJob(job: JournalEntry, learned: LearnedRates): Job {
  const elapsed = jobElapsedSec(job, Date.now());
  const eta = elapsed !== undefined && !isTerminal(job.status) && job.provider !== 'animatic'
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
