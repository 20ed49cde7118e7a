// Pure helpers for the jobs drawer (unit-tested in tests/unit/renderer/review-jobs.test.ts).
import type { Job } from '../../../../shared/api';
import { isInFlight, needsDecision } from '../../../../shared/job-status';
import { jobElapsedSec } from '../../../../shared/time';

/** 4.2 → "4.2 s", 75 → "1 m 15 s", 3700 → "1 h 2 m". */
export function formatSeconds(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '';
  if (sec < 10) return `${sec.toFixed(1)} s`;
  if (sec < 60) return `${Math.round(sec)} s`;
  if (sec < 3600) return `${Math.floor(sec / 60)} m ${Math.round(sec % 60)} s`;
  return `${Math.floor(sec / 3600)} h ${Math.round((sec % 3600) / 60)} m`;
}

/** Jobs that need a decision first, then running ones, then the rest; newest first within each. */
export function sortJobs(jobs: Job[]): Job[] {
  const rank = (j: Job) => (needsDecision(j.status) ? 0 : isInFlight(j.status) ? 1 : 2);
  return [...jobs].sort((a, b) => rank(a) - rank(b) || (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

export function jobSummary(jobs: Job[]): { live: number; attention: number; spentUsd: number } {
  let live = 0;
  let attention = 0;
  let spent = 0;
  for (const j of jobs) {
    if (isInFlight(j.status)) live++;
    if (needsDecision(j.status)) attention++;
    if (j.status === 'ready') spent += j.actualUsd ?? j.estimatedUsd;
  }
  return { live, attention, spentUsd: Math.round(spent * 1000) / 1000 };
}

/** What the drawer last showed for a job's elapsed time, per run (a retry sends again and counts afresh). */
export interface ShownElapsed {
  run: string;
  sec: number;
}

/**
 * The elapsed time to show for a job at `nowMs`: counted from its timestamps (to its end once it has one),
 * and never less than what was last shown for the same run. A job's end can arrive a moment after the
 * drawer's clock ticked past it; the figure then holds rather than stepping back.
 */
export function shownElapsed(job: Pick<Job, 'submittedAt' | 'finishedAt' | 'elapsedSec'>, nowMs: number, last?: ShownElapsed): ShownElapsed | undefined {
  const sec = jobElapsedSec(job, nowMs) ?? job.elapsedSec;
  if (sec === undefined) return undefined;
  const run = job.submittedAt ?? '';
  return { run, sec: last && last.run === run ? Math.max(last.sec, sec) : sec };
}
