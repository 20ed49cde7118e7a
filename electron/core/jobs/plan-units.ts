// Which work units a generate sends — pure decisions the engine's plan() makes before pricing:
//  - chooseUnits: asked-for shots, or (Generate all) every unit with a shot that has no take covering it
//    (shared/take-currency.ts: a cloud take from any provider or tier covers; an animatic draft covers
//    only for the animatic);
//    — except a shot whose earlier request waits for a person's decision (waitingShots): it may have reached
//    the provider and be charged, so a generate (all, named shots, `storyreel render`) leaves it out, edited or not;
//  - splitValid: one bad unit does not block the rest — units with problems are left out and listed.
import { CAPABILITIES } from '../../../shared/capabilities';
import { StudioError } from '../../../shared/errors';
import { formatUsd } from '../../../shared/pricing';
import type { Project, ProviderId } from '../../../shared/schema';
import { shotNeed, takeCovers } from '../../../shared/take-currency';
import { formatIssue, type ValidationIssue } from '../../../shared/validate';
import { needsDecision } from '../../../shared/job-status';
import type { WorkUnit } from '../../../shared/work-units';
import type { JournalEntry } from './journal';

export interface Skipped {
  shotId: string;
  reason: string;
  /** A problem keeps the shot back (as opposed to: up to date, already generating). */
  problem?: boolean;
}

export interface UnitChoice {
  chosen: WorkUnit[];
  skipped: Skipped[];
  /** Chosen shots whose only current takes are animatic drafts (a cloud provider replaces them). */
  draftShotIds: string[];
}

/** How a skipped shot's reason starts when its earlier request waits for a decision. */
export const WAITING_FOR_DECISION = 'waiting for a decision';

/**
 * Shots with a job that waits for a person's decision (needs attention: the request may or may not have
 * reached the provider, or contact was lost), each with the reason Generate all leaves it out.
 */
export function waitingShots(jobs: Iterable<Pick<JournalEntry, 'id' | 'status' | 'provider' | 'shotIds'>>): Map<string, string> {
  const waiting = new Map<string, string>();
  for (const job of jobs) {
    if (!needsDecision(job.status)) continue;
    const name = CAPABILITIES[job.provider].label;
    const reason = `${WAITING_FOR_DECISION}: its earlier request (job ${job.id}) may have reached ${name} and be charged; choose Submit again, Attach job id or Mark failed for it first (Jobs panel, or storyreel resolve)`;
    for (const id of job.shotIds) if (!waiting.has(id)) waiting.set(id, reason);
  }
  return waiting;
}

export function chooseUnits(opts: { project: Project; units: WorkUnit[]; provider: ProviderId; shotIds?: string[]; waiting?: Map<string, string> }): UnitChoice {
  const { project, units, provider, shotIds } = opts;
  const chosen: WorkUnit[] = [];
  const skipped: Skipped[] = [];
  const draftShotIds: string[] = [];
  const byId = new Map(project.shots.map((s) => [s.id, s]));
  for (const unit of units) {
    const shots = unit.shotIds.map((id) => byId.get(id)!);
    const needs = shots.map((shot, i) => shotNeed(shot, unit.shotHashes[i], provider));
    const waiting = unit.shotIds.map((id) => opts.waiting?.get(id)).find((r) => r !== undefined);
    if (shotIds) {
      if (!unit.shotIds.some((id) => shotIds.includes(id))) continue;
      // Named on purpose or not, a shot whose earlier request may have been charged waits for that decision first.
      if (waiting) {
        for (const id of unit.shotIds) skipped.push({ shotId: id, reason: waiting });
        continue;
      }
    } else {
      const covered = needs.every((n) => n === 'covered');
      const generating = covered && shots.some((shot, i) => shot.takes.some((t) => takeCovers(t, unit.shotHashes[i], provider) && t.status !== 'ready'));
      const reason = covered && !generating ? 'up to date' : (waiting ?? (covered ? 'already generating' : undefined));
      if (reason) {
        for (const id of unit.shotIds) skipped.push({ shotId: id, reason });
        continue;
      }
    }
    chosen.push(unit);
    unit.shotIds.forEach((id, i) => needs[i] === 'draft-only' && draftShotIds.push(id));
  }
  for (const id of shotIds ?? []) if (!byId.has(id)) skipped.push({ shotId: id, reason: 'no such shot' });
  return { chosen, skipped, draftShotIds };
}

/** Units without problems, and each left-out shot with the problems that keep it back. */
export function splitValid(units: WorkUnit[], issuesOf: (unit: WorkUnit) => ValidationIssue[]): { valid: WorkUnit[]; issues: ValidationIssue[]; skipped: Skipped[] } {
  const valid: WorkUnit[] = [];
  const issues: ValidationIssue[] = [];
  const skipped: Skipped[] = [];
  for (const unit of units) {
    const found = issuesOf(unit);
    if (!found.length) {
      valid.push(unit);
      continue;
    }
    issues.push(...found);
    const reason = found.map(formatIssue).join('; ');
    for (const id of unit.shotIds) skipped.push({ shotId: id, reason, problem: true });
  }
  return { valid, issues, skipped };
}

/** Money: nothing is sent that costs more than the figure the person confirmed (the document may have changed since). */
export function refuseUnconfirmed(estimatedUsd: number, expectedUsd: number | undefined): void {
  if (expectedUsd === undefined || estimatedUsd <= expectedUsd + 0.005) return;
  throw new StudioError(
    'INVALID_INPUT',
    `Nothing was sent: the shots changed since you confirmed ${formatUsd(expectedUsd)}, and generating them now would cost ${formatUsd(estimatedUsd)}. Generate again to see the new estimate.`,
  );
}
