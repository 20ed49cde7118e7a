// What a person's decision about a job that needs attention does to it — pure (the engine carries it out):
// "Mark failed" keeps a charge that may have happened on the budget; "Submit again" is a second submission
// under a new key, and the first one stays counted (it may have been charged).
import { randomUUID } from 'node:crypto';
import { CAPABILITIES } from '../../../shared/capabilities';
import { formatUsd, roundUsd } from '../../../shared/pricing';
import type { JobPatch } from './job-state';
import type { JournalEntry } from './journal';
import { providerJobId } from './public-job';

type Decided = Pick<JournalEntry, 'provider' | 'providerRef' | 'deliveredAt' | 'actualUsd' | 'estimatedUsd' | 'unsettledUsd'>;

/** Giving up does not make a possible charge go away: while its cost is unknown, its estimate stays on the budget. */
export function markFailedPatch(job: Decided): JobPatch {
  const name = CAPABILITIES[job.provider].label;
  const ref = job.providerRef ? ` (${name} job ${providerJobId(job.providerRef)})` : '';
  const unknownCost = job.deliveredAt === undefined && job.actualUsd === undefined && job.estimatedUsd > 0;
  const counted = unknownCost ? ` ${name} may still have made and charged for it, so its estimate (${formatUsd(job.estimatedUsd)}) stays counted against the budget.` : '';
  return {
    ...(unknownCost ? { unsettledUsd: roundUsd((job.unsettledUsd ?? 0) + job.estimatedUsd) } : {}),
    error: `Marked failed by you${ref}.${counted}`,
  };
}

/** A new submission of the same job: a new key, no provider id yet; the earlier one stays counted. */
export function submitAgainPatch(job: Decided): JobPatch {
  return {
    unsettledUsd: roundUsd((job.unsettledUsd ?? 0) + job.estimatedUsd),
    providerRef: undefined,
    idempotencyKey: `storyreel-${randomUUID()}`,
    submittedAt: undefined,
    progress: 0,
    error: undefined,
  };
}
