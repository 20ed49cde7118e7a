// The jobs drawer's elapsed time: it grows while a job runs, stops at the job's end and never steps back
// (a cancelled job once showed 4.8 s and then 3.3 s: the drawer added the time since the job's last
// update to a figure the core had already measured up to the moment it was listed).
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Job } from '../../../shared/api';
import { toPublicJob } from '../../../electron/core/jobs/engine';
import type { JournalEntry } from '../../../electron/core/jobs/journal';
import { formatSeconds, shownElapsed, type ShownElapsed } from '../../../renderer/src/features/jobs/job-format';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const at = (sec: number) => new Date(T0 + sec * 1000).toISOString();

function entry(patch: Partial<JournalEntry>): JournalEntry {
  return {
    id: 'job_1',
    unitKey: 'u1',
    shotIds: ['shot_1'],
    takeIds: ['take_1'],
    label: 'shot 1 “Harbour”',
    provider: 'fal',
    status: 'running',
    progress: 0.2,
    createdAt: at(0),
    updatedAt: at(0),
    spec: { durationSec: 5, tier: 'standard' } as JournalEntry['spec'],
    hash: 'h',
    idempotencyKey: 'k',
    estimatedUsd: 0.5,
    submittedAt: at(0),
    ...patch,
  };
}

/** What the core publishes at `sec` seconds after submission (jobs.list or a job.updated event). */
function published(sec: number, patch: Partial<JournalEntry>): Job {
  vi.setSystemTime(T0 + sec * 1000);
  return toPublicJob(entry(patch), {});
}

afterEach(() => {
  vi.useRealTimers();
});

describe('elapsed time of a job in the drawer', () => {
  it('a job listed mid-run and then cancelled never shows a smaller figure, and stops at its end', () => {
    vi.useFakeTimers();
    // Last changed at 1 s; listed at 3 s (a reconnect or the Cancel answer re-reads the list).
    const listed = published(3, { updatedAt: at(1) });
    const shown: number[] = [];
    let last: ShownElapsed | undefined;
    const show = (job: Job, nowSec: number) => {
      last = shownElapsed(job, T0 + nowSec * 1000, last);
      shown.push(last!.sec);
    };
    show(listed, 3);
    show(listed, 4);
    // Cancelled at 4.3 s; the event arrives, then the drawer keeps ticking.
    const cancelled = published(4.4, { status: 'canceled', updatedAt: at(4.3), finishedAt: at(4.3) });
    show(cancelled, 4.4);
    show(cancelled, 6);
    show(cancelled, 30);
    expect(shown.map((s) => formatSeconds(s))).toEqual(['3.0 s', '4.0 s', '4.3 s', '4.3 s', '4.3 s']);
    for (let i = 1; i < shown.length; i++) expect(shown[i]).toBeGreaterThanOrEqual(shown[i - 1]);
  });

  it('an end that arrives just after the drawer ticked past it holds the figure rather than stepping back', () => {
    vi.useFakeTimers();
    let last = shownElapsed(published(2, {}), T0 + 2_500);
    expect(last?.sec).toBe(2.5);
    last = shownElapsed(published(2.6, { status: 'canceled', finishedAt: at(2.45) }), T0 + 2_600, last);
    expect(last?.sec).toBe(2.5);
  });

  it('a retry sends again and counts from its own start', () => {
    vi.useFakeTimers();
    const first = shownElapsed(published(9, { status: 'failed', finishedAt: at(8) }), T0 + 9_000);
    expect(first?.sec).toBe(8);
    const retried = shownElapsed(published(11, { submittedAt: at(10), status: 'running' }), T0 + 11_000, first);
    expect(retried?.sec).toBe(1);
  });

  it('nothing is shown before the request is sent', () => {
    vi.useFakeTimers();
    expect(shownElapsed(published(1, { status: 'queued', submittedAt: undefined }), T0 + 1_000)).toBeUndefined();
  });
});
