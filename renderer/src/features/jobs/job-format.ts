// Pure helpers for the jobs drawer (unit-tested in tests/unit/renderer/review-jobs.test.ts).
import type { Job } from '../../../../shared/api';

const DONE: Job['status'][] = ['ready', 'failed', 'canceled', 'needs-attention'];

export function isLive(status: Job['status']): boolean {
  return !DONE.includes(status);
}

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
  const rank = (j: Job) => (j.status === 'needs-attention' ? 0 : isLive(j.status) ? 1 : 2);
  return [...jobs].sort((a, b) => rank(a) - rank(b) || (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

export function jobSummary(jobs: Job[]): { live: number; attention: number; spentUsd: number } {
  let live = 0;
  let attention = 0;
  let spent = 0;
  for (const j of jobs) {
    if (isLive(j.status)) live++;
    if (j.status === 'needs-attention') attention++;
    if (j.status === 'ready') spent += j.actualUsd ?? j.estimatedUsd;
  }
  return { live, attention, spentUsd: Math.round(spent * 1000) / 1000 };
}
