// rebuildJournal: what a damaged jobs.json is rebuilt into, from project.json's takes and the ledger.
import { describe, expect, it } from 'vitest';
import { describeRecovery, rebuildJournal } from '../../../electron/core/jobs/journal-recover';
import type { LedgerEntry } from '../../../electron/core/jobs/ledger';
import { newProject, newShot } from '../../../electron/core/project/project-folder';
import type { Take } from '../../../shared/schema';

const now = '2026-01-01T00:00:00.000Z';

function take(id: string, jobId: string, status: Take['status'], extra: Partial<Take> = {}): Take {
  return {
    id, jobId, provider: 'fal', tier: 'standard', status, estimatedUsd: 0.42, createdAt: now,
    request: { hash: `h-${jobId}`, params: { provider: 'fal', tier: 'standard', durationSec: 5, prompt: id, voiceIds: [], elements: [] } },
    review: { rating: 0, flag: 'none', notes: [] },
    ...extra,
  };
}

const estimate = (jobId: string, key: string, usd = 0.42): LedgerEntry => ({ at: now, kind: 'estimate', jobId, provider: 'fal', tier: 'standard', seconds: 5, audio: false, voiceControl: false, usd, shotIds: [], idempotencyKey: key });

describe('rebuildJournal', () => {
  const shots = ['A', 'B', 'C', 'D'].map((title) => newShot({ title, prompt: title, durationSec: 5 }));
  const project = newProject('p', shots);
  const s = project.shots;
  s[0].takes.push(take('t_ready', 'j_ready', 'ready', { media: { path: 'media/takes/a.mp4', sha256: 'x', durationSec: 5, width: 1, height: 1, fps: 24, hasAudio: false } }));
  s[1].takes.push(take('t_run', 'j_run', 'running', { providerJobId: 'req-123' }));
  s[2].takes.push(take('t_lost', 'j_lost', 'submitting'));
  s[3].takes.push(take('t_never', 'j_never', 'queued'));
  const ledger: LedgerEntry[] = [estimate('j_ready', 'k0'), estimate('j_run', 'k-first'), estimate('j_run', 'k-again'), estimate('j_lost', 'k2'), estimate('j_gone', 'k9', 0.84)];
  const { jobs, report } = rebuildJournal({
    project,
    ledger,
    now,
    refFor: (_p, id) => JSON.stringify({ requestId: id }),
    canLookUp: () => false,
  });
  const byId = new Map(jobs.map((j) => [j.id, j]));

  it('keeps a ready take ready with its clip', () => {
    expect(byId.get('j_ready')).toMatchObject({ status: 'ready', media: [{ media: { path: 'media/takes/a.mp4' } }], idempotencyKey: 'k0' });
  });
  it('follows a job whose provider id the take recorded, with its latest key; an earlier unsettled submission stays on the budget', () => {
    expect(byId.get('j_run')).toMatchObject({ status: 'submitted', providerRef: '{"requestId":"req-123"}', idempotencyKey: 'k-again', unsettledUsd: 0.42 });
  });
  it('a job sent without a known id is left to be looked up (or decided); one never on the ledger failed as free', () => {
    expect(byId.get('j_lost')).toMatchObject({ status: 'submitting', idempotencyKey: 'k2' });
    expect(byId.get('j_never')).toMatchObject({ status: 'failed', error: expect.stringMatching(/never recorded as sent, so nothing was charged/) });
    expect(report.needDecision).toEqual(['shot 3 “C”']);
    expect(report.neverSent).toEqual(['shot 4 “D”']);
  });
  it('names ledger submissions no take knows of, so the person can look for them', () => {
    expect(report.unknown).toEqual([{ jobId: 'j_gone', provider: 'fal', usd: 0.84 }]);
    expect(describeRecovery(report, 'jobs.json.unreadable-1')).toMatch(/1 submission on the ledger \(about \$0\.84\) has no take in project\.json.*j_gone/);
  });
});
