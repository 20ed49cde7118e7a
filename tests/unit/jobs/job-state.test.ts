// The job state machine: every move the table allows, every move it refuses, and the status classes derived from it.
import { describe, expect, it } from 'vitest';
import {
  FINAL_STATUSES,
  IN_FLIGHT_STATUSES,
  JOB_EVENTS,
  JOB_STATUSES,
  STATUS_CLASS,
  resumesOnOpen,
  TERMINAL_STATUSES,
  type JobEvent,
  type JobStatus,
} from '../../../shared/job-status';
import { moveJob } from '../../../electron/core/jobs/job-state';
import type { JournalEntry } from '../../../electron/core/jobs/journal';

/** Every move a job may make, written out: what the engine, a person or a reopen does, and where it leads. */
const ALLOWED: [JobStatus, JobEvent, JobStatus][] = [
  ['queued', 'send', 'submitting'],
  ['queued', 'fail', 'failed'],
  ['queued', 'cancel', 'canceled'],
  ['submitting', 'send', 'submitting'],
  ['submitting', 'accept', 'submitted'],
  ['submitting', 'lose-track', 'needs-attention'],
  ['submitting', 'fail', 'failed'],
  ['submitting', 'cancel', 'canceled'],
  ['submitted', 'provider-running', 'running'],
  ['submitted', 'deliver', 'downloading'],
  ['submitted', 'lose-track', 'needs-attention'],
  ['submitted', 'fail', 'failed'],
  ['submitted', 'cancel', 'canceled'],
  ['running', 'provider-queued', 'submitted'],
  ['running', 'deliver', 'downloading'],
  ['running', 'lose-track', 'needs-attention'],
  ['running', 'fail', 'failed'],
  ['running', 'cancel', 'canceled'],
  ['downloading', 'provider-queued', 'submitted'],
  ['downloading', 'provider-running', 'running'],
  ['downloading', 'clip-checked', 'ready'],
  ['downloading', 'lose-track', 'needs-attention'],
  ['downloading', 'fail', 'failed'],
  ['downloading', 'cancel', 'canceled'],
  ['needs-attention', 'resume', 'submitted'],
  ['needs-attention', 'submit-again', 'queued'],
  ['needs-attention', 'mark-failed', 'failed'],
  ['needs-attention', 'fail', 'failed'],
];

const EVENTS = Object.keys(JOB_EVENTS) as JobEvent[];

function job(status: JobStatus, extra: Partial<JournalEntry> = {}): JournalEntry {
  return {
    id: 'job-1',
    unitKey: 'shot-1',
    shotIds: ['shot-1'],
    takeIds: ['take-1'],
    label: 'shot 1',
    provider: 'fal',
    status,
    progress: 0.4,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    spec: {} as JournalEntry['spec'],
    hash: 'h',
    idempotencyKey: 'k',
    estimatedUsd: 1,
    ...extra,
  };
}

describe('job state machine', () => {
  it.each(ALLOWED)('%s --%s--> %s', (from, event, to) => {
    const j = job(from);
    expect(moveJob(j, event, {}, '2025-01-02T00:00:00.000Z')).toEqual({ applied: true, statusChanged: from !== to });
    expect(j.status).toBe(to);
    expect(j.updatedAt).toBe('2025-01-02T00:00:00.000Z');
  });

  const refused = JOB_STATUSES.flatMap((from) => EVENTS.filter((e) => !ALLOWED.some(([f, ev]) => f === from && ev === e)).map((e) => [from, e] as const));

  it('refuses every other move (the list above is the whole machine)', () => {
    expect(refused.length + ALLOWED.length).toBe(JOB_STATUSES.length * EVENTS.length);
    for (const [from, event] of refused) {
      const j = job(from, { error: 'as it was' });
      const before = structuredClone(j);
      if (['ready', 'failed', 'canceled'].includes(from)) {
        // A late answer for a finished job (a poll after a cancel) is ignored, and changes nothing.
        expect(moveJob(j, event, { error: 'late' }), `${from} --${event}-->`).toEqual({ applied: false });
      } else {
        expect(() => moveJob(j, event, { error: 'late' }), `${from} --${event}-->`).toThrow(`a job that is ${from} cannot take the step "${event}". Nothing was changed.`);
      }
      expect(j).toEqual(before);
    }
  });

  it('stamps when a job stops moving by itself, and clears it when it moves again; a new status drops the queue place', () => {
    const j = job('running', { queuePosition: 2 });
    moveJob(j, 'lose-track', { error: 'lost contact' }, '2025-01-02T00:00:00.000Z');
    expect(j).toMatchObject({ status: 'needs-attention', finishedAt: '2025-01-02T00:00:00.000Z', error: 'lost contact' });
    expect(j.queuePosition).toBeUndefined();
    moveJob(j, 'resume', { error: undefined });
    expect(j.status).toBe('submitted');
    expect(j.finishedAt).toBeUndefined();
    expect('error' in j).toBe(false);
  });

  it('a patch without an event changes no status, even of a finished job', () => {
    const j = job('failed');
    expect(moveJob(j, undefined, { progress: 1 })).toEqual({ applied: true, statusChanged: false });
    expect(j).toMatchObject({ status: 'failed', progress: 1 });
  });
});

describe('status classes', () => {
  it('are derived from the table: final has no way out, terminal no way on by itself', () => {
    expect(FINAL_STATUSES).toEqual(['ready', 'failed', 'canceled']);
    expect(TERMINAL_STATUSES).toEqual(['ready', 'failed', 'canceled', 'needs-attention']);
    expect(IN_FLIGHT_STATUSES).toEqual(['queued', 'submitting', 'submitted', 'running', 'downloading']);
    expect(JOB_STATUSES.filter((s) => STATUS_CLASS[s].needsDecision)).toEqual(['needs-attention']);
    expect(JOB_STATUSES.filter((s) => STATUS_CLASS[s].stopped)).toEqual(['failed', 'canceled']);
  });

  it('a reopen picks up what is under way, and a waiting job only when the provider knows it', () => {
    expect(JOB_STATUSES.filter((s) => resumesOnOpen(s, false))).toEqual(['queued', 'submitting', 'submitted', 'running', 'downloading']);
    expect(JOB_STATUSES.filter((s) => resumesOnOpen(s, true))).toEqual(['queued', 'submitting', 'submitted', 'running', 'downloading', 'needs-attention']);
  });
});
