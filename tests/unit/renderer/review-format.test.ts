import { describe, expect, it } from 'vitest';
import { formatTimecode, noteTime, syncTarget } from '../../../renderer/src/features/takes/review-format';
import { budgetBlock } from '../../../renderer/src/features/toolbar/generate-flow';
import { formatSeconds, jobSummary, sortJobs } from '../../../renderer/src/features/jobs/job-format';
import type { Job } from '../../../shared/api';

describe('take review helpers', () => {
  it('writes note timecodes to a tenth of a second', () => {
    expect(formatTimecode(0)).toBe('0:00.0');
    expect(formatTimecode(2.37)).toBe('0:02.4');
    expect(formatTimecode(75.04)).toBe('1:15.0');
    expect(formatTimecode(59.96)).toBe('1:00.0');
  });

  it('places a note at the take’s own time, else at the preview’s time inside the shot, else at 0', () => {
    expect(noteTime({ takeTime: 1.53, cutTime: 9 })).toBe(1.5);
    expect(noteTime({ takeTime: 0, cutTime: 7.2, shotStart: 5, shotDuration: 5 })).toBe(2.2);
    // The preview is on another shot: no guess.
    expect(noteTime({ cutTime: 12, shotStart: 5, shotDuration: 5 })).toBe(0);
    expect(noteTime({})).toBe(0);
  });

  it('moves the following clip only when it drifts more than 0.05 s', () => {
    expect(syncTarget(2.0, 2.03, 5)).toBeUndefined();
    expect(syncTarget(2.0, 2.2, 5)).toBe(2.0);
    // A shorter clip waits on its last frame.
    expect(syncTarget(4.5, 3.9, 4)).toBe(4);
    expect(syncTarget(4.5, 4, 4)).toBeUndefined();
  });
});

describe('budget note', () => {
  const estimate = (over: number) => ({ provider: 'fal' as const, requests: 8, estimatedUsd: 3.36, problems: [], budget: { budgetUsd: 2, committedUsd: 0, overByUsd: over } });
  it('says how far over the budget a generate would go and what to do', () => {
    expect(budgetBlock(estimate(1.36))).toBe('$3.36 would pass the $2.00 budget by $1.36 — raise the budget in Settings');
    expect(budgetBlock(estimate(0))).toBeUndefined();
    expect(budgetBlock({ ...estimate(0), budget: undefined })).toBeUndefined();
  });
});

describe('jobs drawer helpers', () => {
  const job = (id: string, status: Job['status'], createdAt: string, extra: Partial<Job> = {}): Job => ({
    id,
    shotId: 's',
    takeId: 't',
    shotIds: ['s'],
    takeIds: ['t'],
    label: `shot ${id}`,
    estimatedUsd: 0.42,
    provider: 'fal',
    status,
    progress: 0,
    createdAt,
    updatedAt: createdAt,
    ...extra,
  });

  it('puts jobs that need a decision first, then running ones, newest first', () => {
    const jobs = [job('a', 'ready', '2026-01-01T00:00:03Z'), job('b', 'running', '2026-01-01T00:00:01Z'), job('c', 'needs-attention', '2026-01-01T00:00:00Z'), job('d', 'queued', '2026-01-01T00:00:02Z')];
    expect(sortJobs(jobs).map((j) => j.id)).toEqual(['c', 'd', 'b', 'a']);
  });

  it('counts running jobs and what the finished ones cost, preferring the provider’s figure', () => {
    const jobs = [job('a', 'ready', 'x', { actualUsd: 0.5 }), job('b', 'ready', 'x'), job('c', 'submitted', 'x'), job('d', 'needs-attention', 'x')];
    expect(jobSummary(jobs)).toEqual({ live: 1, attention: 1, spentUsd: 0.92 });
  });

  it('formats elapsed time compactly', () => {
    expect(formatSeconds(4.24)).toBe('4.2 s');
    expect(formatSeconds(42.4)).toBe('42 s');
    expect(formatSeconds(75)).toBe('1 m 15 s');
    expect(formatSeconds(3720)).toBe('1 h 2 m');
  });
});
