// Issue 11, item 3: fal and Replicate cannot be asked whether a request cut off mid-submit arrived. Besides
// "submit again" (may pay twice) and "mark failed" (gives the clip up), the person can attach the job id
// the provider's dashboard shows: Storyreel checks it, polls it and downloads the clip — one submission,
// one charge. And "mark failed" does not hide a submission that may have been charged: its estimate stays
// on the budget.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Studio } from '../../../electron/core/api';
import { envConfig } from '../../../electron/core/providers/registry';
import type { RunningMock } from '../../mock-providers/common';
import { startFalMock } from '../../mock-providers/fal';
import { startReplicateMock } from '../../mock-providers/replicate';
import { tempDir } from '../helpers';
import { expectConsistent, makeProject, providerEnv, runCli, waitFor } from '../engine/helpers';

let base: string;
const mocks: RunningMock[] = [];
beforeAll(async () => {
  base = await tempDir('sr-fault-attach-');
});
afterAll(async () => {
  await Promise.all(mocks.map((m) => m.close()));
  await fs.rm(base, { recursive: true, force: true });
});

const SHOT = { title: 'Harbour', prompt: 'The harbour at dawn, gulls over the water', durationSec: 3 };

/**
 * A studio stopped while its only request was on its way: the provider made the job (the mock holds the
 * submission, then creates it), and the reopened project has a job that needs a decision.
 */
async function cutOffMidSubmit(provider: 'fal' | 'replicate', name: string, budgetUsd?: number) {
  const mock = await (provider === 'fal' ? startFalMock() : startReplicateMock());
  mocks.push(mock);
  const dir = path.join(base, `${name}.storyreel`);
  await makeProject({ dir, shots: [SHOT], provider, budgetUsd });
  const resolveConfig = envConfig(providerEnv(provider, mock.url));
  mock.state.timing = { queueMs: 50, runMs: 100, submitDelayMs: 1500 };
  const first = await Studio.open(dir, { host: 'cli', resolveConfig, engineTiming: { scale: 0.02 } });
  await first.engine.generate({});
  await waitFor('the request to reach the provider', () => mock.state.submissions().length === 1);
  await first.close();
  await waitFor('the provider to create the job anyway', () => mock.state.jobs.size === 1);
  mock.state.timing = { queueMs: 50, runMs: 100 };
  const providerJobId = [...mock.state.jobs.keys()][0];
  const studio = await Studio.open(dir, { host: 'cli', resolveConfig, engineTiming: { scale: 0.02 } });
  await studio.engine.idle();
  const job = studio.engine.list()[0];
  expect(job.status, job.error).toBe('needs-attention');
  return { mock, dir, studio, job, providerJobId, resolveConfig, env: providerEnv(provider, mock.url) };
}

describe.each(['fal', 'replicate'] as const)('%s: a request cut off mid-submit', (provider) => {
  it('attach the provider job id: it is polled and downloaded, with one submission and one estimate on the ledger', async () => {
    const { mock, dir, studio, job, providerJobId } = await cutOffMidSubmit(provider, `${provider}-attach`);
    try {
      expect(job.error).toMatch(/attach its id \("Attach job id"/);
      const attached = await studio.engine.resolve(job.id, 'attach', providerJobId);
      expect(attached.status).toBe('submitted');
      expect(attached.providerJobId).toBe(providerJobId);
      await studio.engine.idle();
      const done = studio.engine.list()[0];
      expect(done.status, done.error).toBe('ready');
    } finally {
      await studio.close();
    }
    // Nothing was sent again; the clip is in the project, whole, and the ledger has the one submission.
    expect(mock.state.submissions()).toHaveLength(1);
    await expectConsistent({ dir });
    const doc = JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8'));
    expect(doc.shots[0].takes[0]).toMatchObject({ status: 'ready', providerJobId });
  });

  it('an id the provider does not know is refused and the job still waits for a decision', async () => {
    const { mock, studio, job } = await cutOffMidSubmit(provider, `${provider}-attach-wrong`);
    try {
      await expect(studio.engine.resolve(job.id, 'attach', 'abc123doesnotexist')).rejects.toThrow(/does not know a job abc123doesnotexist.*still needs your decision; nothing was sent/);
      await expect(studio.engine.resolve(job.id, 'attach', 'https://evil.example/x')).rejects.toThrow(/is not a .* job id.*nothing was sent/);
      expect(studio.engine.list()[0].status).toBe('needs-attention');
      expect(mock.state.submissions()).toHaveLength(1);
    } finally {
      await studio.close();
    }
  });
});

describe('fal: attached from the command line', () => {
  it('storyreel resolve <dir> <job> attach <id>, then render: the clip is downloaded and the cut is complete', async () => {
    const { mock, dir, studio, job, providerJobId, env } = await cutOffMidSubmit('fal', 'fal-cli');
    await studio.close();
    const resolved = await runCli(['resolve', dir, job.id, 'attach', providerJobId], env);
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stdout).toContain(`now follows fal.ai job ${providerJobId}; the next render downloads the clip`);
    const render = await runCli(['render', dir, '--yes'], env);
    expect(render.code, `${render.stdout}\n${render.stderr}`).toBe(0);
    expect(render.stdout).toContain('Cut: 3.00 s');
    expect(render.stdout).not.toContain('slate');
    expect(mock.state.submissions()).toHaveLength(1);
    await expectConsistent({ dir });
  });
});

describe('fal: the budget counts a submission whose outcome is unknown until it is settled', () => {
  it('mark failed keeps the estimate on the budget', async () => {
    const { studio, job } = await cutOffMidSubmit('fal', 'fal-budget', 100);
    try {
      const estimate = job.estimatedUsd;
      expect(estimate).toBeGreaterThan(0);
      expect((await studio.engine.plan()).budget?.committedUsd).toBe(estimate);
      const failed = await studio.engine.resolve(job.id, 'mark-failed');
      expect(failed.error).toMatch(/may still have made and charged for it, so its estimate \(\$[\d.]+\) stays counted against the budget/);
      // Still counted: the provider may have made (and charged for) the job.
      expect((await studio.engine.plan()).budget?.committedUsd).toBe(estimate);
    } finally {
      await studio.close();
    }
  });

  it('submit again: the first submission stays counted beside the second', async () => {
    const { studio, job } = await cutOffMidSubmit('fal', 'fal-budget-again', 100);
    try {
      await studio.engine.resolve(job.id, 'submit-again');
      await studio.engine.idle();
      expect(studio.engine.list()[0].status).toBe('ready');
      const committed = (await studio.engine.plan()).budget?.committedUsd ?? 0;
      const actual = studio.engine.list()[0].actualUsd ?? job.estimatedUsd;
      expect(committed).toBeCloseTo(actual + job.estimatedUsd, 5);
    } finally {
      await studio.close();
    }
  });
});
