// What a person does with jobs, through the Studio API against the mocks: budgets (refused before
// anything is sent, saying by how much; in-flight work counts), the ledger (estimate = pricing table,
// the provider's actual cost beside it), cancel (the provider's cancel, or a local stop with a warning
// on Kling), retry as a new take, variations as parallel jobs, and an ETA learned from earlier jobs.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Studio } from '../../../electron/core/api';
import { envConfig } from '../../../electron/core/providers/registry';
import type { Job } from '../../../shared/api';
import { estimateUsd } from '../../../shared/pricing';
import type { ProviderId } from '../../../shared/schema';
import type { RunningMock } from '../../mock-providers/common';
import { startFalMock } from '../../mock-providers/fal';
import { startKlingMock } from '../../mock-providers/kling';
import { startLumenfallMock } from '../../mock-providers/lumenfall';
import { tempDir } from '../helpers';
import { expectConsistent, makeProject, providerEnv, runCli, waitFor } from './helpers';

type Cloud = Exclude<ProviderId, 'animatic'>;
let base: string;
let n = 0;
beforeAll(async () => {
  base = await tempDir('sr-control-');
});
afterAll(() => fs.rm(base, { recursive: true, force: true }));

async function studioFor(opts: { provider: Cloud; mock: RunningMock; shots: number; budgetUsd?: number }) {
  const dir = path.join(base, `p${++n}.storyreel`);
  await makeProject({
    dir,
    provider: opts.provider,
    budgetUsd: opts.budgetUsd,
    shots: Array.from({ length: opts.shots }, (_, i) => ({ title: `S${i + 1}`, prompt: `Shot number ${i + 1} of the bench`, durationSec: 5 })),
  });
  const studio = await Studio.open(dir, { host: 'cli', resolveConfig: envConfig(providerEnv(opts.provider, opts.mock.url)), engineTiming: { scale: 0.02 } });
  return { dir, studio };
}

const ledger = async (dir: string) =>
  (await fs.readFile(path.join(dir, 'ledger.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { kind: string; jobId: string; usd?: number });

describe('budget', () => {
  it('storyreel render refuses before sending anything and says by how much', async () => {
    const mock = await startFalMock();
    try {
      const dir = path.join(base, 'budget-cli.storyreel');
      // Two 5 s fal standard shots are $0.84; the budget is $0.50.
      await makeProject({ dir, budgetUsd: 0.5, shots: [{ title: 'A', prompt: 'a', durationSec: 5 }, { title: 'B', prompt: 'b', durationSec: 5 }] });
      const res = await runCli(['render', dir, '--provider', 'fal', '--yes'], providerEnv('fal', mock.url));
      expect(res.code).toBe(1);
      expect(res.stdout).toContain('budget $0.50, already committed $0.00');
      expect(res.stderr).toContain('Over budget: this would send $0.84 of work, taking the project to $0.84 of its $0.50 budget — $0.34 too much. Nothing was sent.');
      expect(mock.state.submissions()).toHaveLength(0);
    } finally {
      await mock.close();
    }
  });

  it('counts work in flight: a second batch that would pass the budget is refused while the first is still running', async () => {
    const mock = await startFalMock();
    mock.state.timing = { queueMs: 3000, runMs: 100 };
    const { studio } = await studioFor({ provider: 'fal', mock, shots: 3, budgetUsd: 1 });
    try {
      const [s1, s2, s3] = studio.session.current.shots;
      await studio.call('jobs.generate', { shotIds: [s1.id] });
      await waitFor('the first job to be sent', () => mock.state.submissions().length === 1);
      const estimate = await studio.call('jobs.estimate', { shotIds: [s2.id, s3.id] });
      expect(estimate.budget).toEqual({ budgetUsd: 1, committedUsd: 0.42, overByUsd: 0.26 });
      await expect(studio.call('jobs.generate', { shotIds: [s2.id, s3.id] })).rejects.toThrow('$0.26 too much. Nothing was sent.');
      expect(mock.state.submissions()).toHaveLength(1);
    } finally {
      await studio.close();
      await mock.close();
    }
  });
});

describe('budget after a paid failure', () => {
  it('a clip the provider delivered but Storyreel could not fetch still counts against the budget', async () => {
    const mock = await startFalMock();
    mock.state.timing = { queueMs: 30, runMs: 60 };
    // The result link has expired by the time it is fetched: fal has charged for a clip nobody has.
    mock.state.faults = [{ stage: 'download', kind: 'expired' }];
    const { studio } = await studioFor({ provider: 'fal', mock, shots: 2, budgetUsd: 1 });
    try {
      const [s1, s2] = studio.session.current.shots;
      await studio.call('jobs.generate', { shotIds: [s1.id] });
      await studio.engine.idle();
      const [failed] = studio.engine.list();
      expect(failed.status).toBe('failed');
      expect(failed.error).toContain(failed.providerJobId!);
      // 5 s of fal standard is $0.42 whether or not the file arrived.
      const estimate = await studio.call('jobs.estimate', { shotIds: [s2.id] });
      expect(estimate.budget).toEqual({ budgetUsd: 1, committedUsd: 0.42, overByUsd: 0 });
    } finally {
      await studio.close();
      await mock.close();
    }
  });

  it('a request refused before any job existed costs nothing against the budget', async () => {
    const mock = await startFalMock();
    mock.state.faults = [{ stage: 'submit', kind: 'policy' }];
    const { studio } = await studioFor({ provider: 'fal', mock, shots: 2, budgetUsd: 1 });
    try {
      const [s1, s2] = studio.session.current.shots;
      await studio.call('jobs.generate', { shotIds: [s1.id] });
      await studio.engine.idle();
      expect(studio.engine.list()[0].status).toBe('failed');
      const estimate = await studio.call('jobs.estimate', { shotIds: [s2.id] });
      expect(estimate.budget).toEqual({ budgetUsd: 1, committedUsd: 0, overByUsd: 0 });
    } finally {
      await studio.close();
      await mock.close();
    }
  });
});

describe('ledger', () => {
  it('records the pricing table estimate when a job is sent and the cost the provider reports when it is done', async () => {
    const mock = await startLumenfallMock();
    mock.state.timing = { queueMs: 30, runMs: 60 };
    const { dir, studio } = await studioFor({ provider: 'lumenfall', mock, shots: 2 });
    try {
      await studio.call('jobs.generate', {});
      await studio.engine.idle();
      const jobs = studio.engine.list();
      const lines = await ledger(dir);
      const table = estimateUsd({ provider: 'lumenfall', tier: 'standard', durationSec: 5, audio: false, voiceControl: false });
      for (const job of jobs) {
        expect(job.status).toBe('ready');
        expect(lines.filter((l) => l.kind === 'estimate' && l.jobId === job.id).map((l) => l.usd)).toEqual([table]);
        const actual = lines.filter((l) => l.kind === 'actual' && l.jobId === job.id);
        expect(actual).toHaveLength(1);
        expect(actual[0].usd).toBe(job.actualUsd);
        expect(job.actualUsd).toBeGreaterThan(0);
      }
      await studio.close();
      await expectConsistent({ dir });
    } finally {
      await studio.close();
      await mock.close();
    }
  });
});

describe('cancel', () => {
  it.each([
    { provider: 'fal' as const, start: () => startFalMock(), providerCancel: true },
    { provider: 'kling' as const, start: () => startKlingMock(), providerCancel: false },
    // Lumenfall documents no cancel (DELETE would remove a finished video): stopped here, nothing sent.
    { provider: 'lumenfall' as const, start: () => startLumenfallMock(), providerCancel: false },
  ])('$provider: a running job is stopped (provider cancel: $providerCancel) and says what that means', async ({ provider, start, providerCancel }) => {
    const mock = await start();
    mock.state.timing = { queueMs: 100, runMs: 5000 };
    const { dir, studio } = await studioFor({ provider, mock, shots: 1 });
    try {
      const { jobIds } = await studio.call('jobs.generate', {});
      await waitFor('the job to run', () => studio.engine.list()[0].status === 'running');
      const canceled = await studio.call('jobs.cancel', { jobId: jobIds[0] });
      expect(canceled.status).toBe('canceled');
      if (providerCancel) {
        expect(mock.state.log.filter((r) => r.stage === 'cancel')).toHaveLength(1);
        expect(canceled.error).toBeUndefined();
      } else {
        expect(mock.state.log.filter((r) => r.stage === 'cancel')).toHaveLength(0);
        expect(canceled.error).toBe(`${provider === 'kling' ? 'Kling (official API)' : 'Lumenfall'} has no cancel call, so the job was stopped here only; the provider may still finish and charge for it (job ${canceled.providerJobId}).`);
      }
      await studio.engine.idle();
      // Nothing revives it: no download, and the take shows the stop.
      expect(mock.state.log.filter((r) => r.stage === 'download')).toHaveLength(0);
      await studio.close();
      const doc = JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8'));
      expect(doc.shots[0].takes[0].status).toBe('canceled');
    } finally {
      await studio.close();
      await mock.close();
    }
  });
});

describe('cancel during the download', () => {
  it('is refused: the clip is made and paid for, so it is brought home rather than thrown away', async () => {
    const mock = await startFalMock();
    mock.state.timing = { queueMs: 30, runMs: 60, downloadBytesPerSec: 40_000 };
    const { dir, studio } = await studioFor({ provider: 'fal', mock, shots: 1 });
    try {
      const { jobIds } = await studio.call('jobs.generate', {});
      await waitFor('the download', () => studio.engine.list()[0].status === 'downloading');
      await expect(studio.call('jobs.cancel', { jobId: jobIds[0] })).rejects.toThrow(/already made this clip \(and charged for it\); it is being downloaded so it is not lost/);
      await studio.engine.idle();
      expect(studio.engine.list()[0].status).toBe('ready');
      await studio.close();
      await expectConsistent({ dir });
    } finally {
      await studio.close();
      await mock.close();
    }
  });
});

describe('retry, variations and ETA', () => {
  it('retries a failed job as a new take; variations run side by side; a later job carries an ETA learned from earlier ones', async () => {
    const mock = await startFalMock();
    mock.state.timing = { queueMs: 50, runMs: 150 };
    const { dir, studio } = await studioFor({ provider: 'fal', mock, shots: 1 });
    const events: Job[] = [];
    studio.on('event', (name, payload) => name === 'job.updated' && events.push(payload as Job));
    try {
      // Moderation fails the first job; retrying it sends the same request again as a new job.
      mock.state.faults = [{ stage: 'status', kind: 'policy' }];
      const { jobIds } = await studio.call('jobs.generate', {});
      await studio.engine.idle();
      expect(studio.engine.list()[0].status).toBe('failed');
      const retried = await studio.call('jobs.retry', { jobId: jobIds[0] });
      await expect(studio.call('jobs.retry', { jobId: retried.id })).rejects.toThrow('only a failed or canceled job can be retried');
      await studio.engine.idle();
      expect(studio.engine.list().find((j) => j.id === retried.id)?.status).toBe('ready');

      // Two variations: two jobs in flight at once, each its own take.
      const shot = studio.session.current.shots[0];
      const v = await studio.call('jobs.generate', { shotIds: [shot.id], variations: 2 });
      expect(v.jobIds).toHaveLength(2);
      await waitFor('both variations to be sent', () => mock.state.submissions().length === 4);
      expect(studio.engine.list().filter((j) => v.jobIds.includes(j.id) && ['submitted', 'running'].includes(j.status))).toHaveLength(2);
      await studio.engine.idle();

      // Jobs that finished earlier taught the engine how long a 5 s fal clip takes.
      const later = events.filter((j) => v.jobIds.includes(j.id) && (j.status === 'submitted' || j.status === 'running'));
      expect(later.some((j) => j.etaSec !== undefined && j.etaSec > 0)).toBe(true);
      for (const j of events.filter((e) => e.status === 'running')) expect(j.elapsedSec).toBeGreaterThanOrEqual(0);
      await studio.close();
      const doc = JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8'));
      expect(doc.shots[0].takes.map((t: { status: string }) => t.status)).toEqual(['failed', 'ready', 'ready', 'ready']);
      await expectConsistent({ dir, otherwise: { [jobIds[0]]: 'failed' } });
    } finally {
      await studio.close();
      await mock.close();
    }
  });
});
