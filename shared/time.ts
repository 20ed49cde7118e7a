// Time helpers shared by the timeline, the CLI and the player.

/** 75 → "1:15"; 3725.5 → "1:02:05". */
export function formatDuration(totalSec: number): string {
  const s = Math.max(0, Math.round(totalSec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(sec).padStart(2, '0')}`;
}

/** Start time of each shot in the cut, in timeline order. */
export function shotStarts(durations: readonly number[]): number[] {
  const starts: number[] = [];
  let t = 0;
  for (const d of durations) {
    starts.push(t);
    t += d;
  }
  return starts;
}

/**
 * Seconds a job has been running: from when it was first sent to when it finished (fixed from then on), or
 * to `nowMs` while it runs. Both the core and the jobs drawer count from these two timestamps, so the
 * figure only grows while the job runs and stops at its end. Undefined before it is sent.
 */
export function jobElapsedSec(job: { submittedAt?: string; finishedAt?: string }, nowMs: number): number | undefined {
  if (!job.submittedAt) return undefined;
  const start = Date.parse(job.submittedAt);
  const end = job.finishedAt ? Date.parse(job.finishedAt) : nowMs;
  return Math.max(0, (end - start) / 1000);
}
