// The job state machine's guard: every change to a job goes through moveJob, which asks the transition
// table (shared/job-status.ts) where an event takes the job. A job that is ready, failed or canceled never
// changes state again (a late answer from a canceled job cannot revive it: ignored); any other move the
// table does not have is a bug, refused before anything is written. Pure.
import { randomUUID } from 'node:crypto';
import { StudioError } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { isFinal, isTerminal, nextStatus, type JobEvent } from '../../../shared/job-status';
import type { JournalEntry } from './journal';

export type JobPatch = Partial<Omit<JournalEntry, 'status'>>;

export type MoveResult = { applied: false } | { applied: true; statusChanged: boolean };

/** Applies `patch` and the status `event` leads to (none: the status stays) to `job`, in place. */
export function moveJob(job: JournalEntry, event: JobEvent | undefined, patch: JobPatch = {}, now = new Date().toISOString()): MoveResult {
  let to: JournalEntry['status'] | undefined;
  if (event) {
    to = nextStatus(job.status, event);
    if (to === undefined) {
      if (isFinal(job.status)) return { applied: false };
      throw new StudioError('INTERNAL', `${job.label}: a job that is ${job.status} cannot take the step "${event}". Nothing was changed.`);
    }
  }
  const statusChanged = to !== undefined && to !== job.status;
  Object.assign(job, patch, { updatedAt: now });
  if (to !== undefined) job.status = to;
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete (job as unknown as Record<string, unknown>)[k];
  if (to !== undefined && to !== 'queued') job.queuePosition = undefined;
  if (statusChanged && isTerminal(job.status)) job.finishedAt = now;
  if (statusChanged && !isTerminal(job.status)) job.finishedAt = undefined;
  return { applied: true, statusChanged };
}

/** A new job, queued: a new id, a take id per shot and a new idempotency key (one submission). */
export function newJob(
  what: Pick<JournalEntry, 'unitKey' | 'shotIds' | 'label' | 'provider' | 'spec' | 'hash' | 'estimatedUsd'> & { retryOf?: string },
  now: string,
): JournalEntry {
  return {
    id: newId('job'),
    unitKey: what.unitKey,
    shotIds: what.shotIds,
    takeIds: what.shotIds.map(() => newId('take')),
    label: what.label,
    provider: what.provider,
    status: 'queued',
    progress: 0,
    createdAt: now,
    updatedAt: now,
    spec: what.spec,
    hash: what.hash,
    idempotencyKey: `storyreel-${randomUUID()}`,
    estimatedUsd: what.estimatedUsd,
    ...(what.retryOf ? { retryOf: what.retryOf } : {}),
  };
}
