// Two questions from a review, both about paying twice for one shot:
// 1. `storyreel render --yes` on a project where a shot's earlier request waits for a decision (fal cut off
//    mid-submit: it may or may not have arrived) must not send that shot again — not even after the shot
//    was edited. The plan leaves it out and says why; render ends with 3 (waiting for a decision).
// 2. Two "Submit again" for the same job at once (two clicks, two windows) must send one request, not two.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Studio } from '../../../electron/core/api';
import { envConfig } from '../../../electron/core/providers/registry';
import type { RunningMock } from '../../mock-providers/common';
import { startFalMock } from '../../mock-providers/fal';
import { tempDir } from '../helpers';
import { makeProject, providerEnv, readJobs, runCli, waitFor } from '../engine/helpers';

let base: string;
let mock: RunningMock;
beforeAll(async () => {
  base = await tempDir('sr-double-charge-');
  mock = await startFalMock();
});
afterAll(async () => {
  await mock.close();
  await fs.rm(base, { recursive: true, force: true });
});

const SHOTS = [
  { title: 'Harbour', prompt: 'The harbour at dawn, gulls over the water', durationSec: 3 },
  { title: 'Keeper', prompt: 'Close-up: the keeper lights the lamp', durationSec: 3 },
];

/** Requests to fal whose body carries this prompt (each one a job fal makes, and charges for). */
const sent = (prompt: string) => mock.state.submissions().filter((r) => JSON.stringify(r.body).includes(prompt)).length;

/**
 * A project whose first shot's request was cut off on its way to fal (the studio closed mid-submit; fal made
 * the job anyway); the second shot is ready. Reopened, the first shot's job needs a decision.
 */
async function cutOffMidSubmit(name: string) {
  const dir = path.join(base, `${name}.storyreel`);
  await makeProject({ dir, shots: SHOTS, provider: 'fal' });
  const resolveConfig = envConfig(providerEnv('fal', mock.url));
  mock.state.log.length = 0;
  mock.state.jobs.clear();
  mock.state.timing = { queueMs: 50, runMs: 100 };
  const first = await Studio.open(dir, { host: 'cli', resolveConfig, engineTiming: { scale: 0.02 } });
  const harbour = first.session.current.shots[0].id;
  const keeper = first.session.current.shots[1].id;
  await first.engine.generate({ shotIds: [keeper] });
  await first.engine.idle();
  mock.state.timing = { queueMs: 50, runMs: 100, submitDelayMs: 1500 };
  await first.engine.generate({ shotIds: [harbour] });
  await waitFor('the request to reach fal', () => sent(SHOTS[0].prompt) === 1);
  await first.close();
  await waitFor('fal to make the job anyway', () => mock.state.jobs.size === 2);
  mock.state.timing = { queueMs: 50, runMs: 100 };
  const studio = await Studio.open(dir, { host: 'cli', resolveConfig, engineTiming: { scale: 0.02 } });
  await studio.engine.idle();
  const job = studio.engine.list().find((j) => j.shotIds.includes(harbour))!;
  expect(job.status, job.error).toBe('needs-attention');
  return { dir, studio, job, harbour, resolveConfig };
}

describe('render with a request waiting for a decision', () => {
  it('leaves the shot out and says why: exits 3 and sends nothing for it', async () => {
    const { dir, studio, job, harbour } = await cutOffMidSubmit('render-waiting');
    try {
      const plan = await studio.engine.plan();
      expect(plan.units).toHaveLength(0);
      expect(plan.skipped.find((s) => s.shotId === harbour)?.reason).toMatch(new RegExp(`^waiting for a decision: .*job ${job.id}`));
    } finally {
      await studio.close();
    }
    const render = await runCli(['render', dir, '--yes'], providerEnv('fal', mock.url));
    expect(render.code, `${render.stdout}\n${render.stderr}`).toBe(3); // waiting for a decision
    expect(render.stdout).toMatch(/shot 1 “Harbour” left out — waiting for a decision/);
    expect(render.stderr).toContain(`storyreel resolve ${dir} ${job.id} submit-again|mark-failed`);
    expect(sent(SHOTS[0].prompt)).toBe(1);
  });

  it('does not send the shot again after it was edited while its request waits (longer, new prompt)', async () => {
    const { dir, studio, job, harbour } = await cutOffMidSubmit('render-waiting-edited');
    try {
      // The person lengthens the shot and rewrites its prompt while fal may still be making the first clip.
      await studio.call('shots.update', { id: harbour, patch: { durationSec: 5, prompt: `${SHOTS[0].prompt}, in rain` } });
    } finally {
      await studio.close();
    }
    const render = await runCli(['render', dir, '--yes'], providerEnv('fal', mock.url));
    // One request for the shot, ever: the one whose fate the person has yet to decide.
    expect(mock.state.submissions().filter((r) => JSON.stringify(r.body).includes('The harbour at dawn'))).toHaveLength(1);
    expect((await readJobs(dir)).filter((j) => j.shotIds.includes(harbour)).map((j) => j.id)).toEqual([job.id]);
    expect(render.code, `${render.stdout}\n${render.stderr}`).toBe(3);
    expect(render.stdout).toMatch(/shot 1 “Harbour” left out — waiting for a decision/);
  });
});

describe('two "Submit again" for the same job at once', () => {
  it('sends one request: the second is refused, the budget counts the first submission once', async () => {
    const { dir, studio, job } = await cutOffMidSubmit('submit-again-twice');
    const keyBefore = (await readJobs(dir)).find((j) => j.id === job.id)!.idempotencyKey;
    let results: PromiseSettledResult<unknown>[];
    try {
      results = await Promise.allSettled([
        studio.call('jobs.resolve', { jobId: job.id, action: 'submit-again' }),
        studio.call('jobs.resolve', { jobId: job.id, action: 'submit-again' }),
      ]);
      await studio.engine.idle();
      expect(studio.engine.list().find((j) => j.id === job.id)?.status).toBe('ready');
    } finally {
      await studio.close();
    }
    // The cut-off request and one new one: two submissions of that shot, not three.
    expect(sent(SHOTS[0].prompt)).toBe(2);
    // The cut-off submission stays counted once (it may have been charged), not once per click.
    const journal = JSON.parse(await fs.readFile(path.join(dir, 'jobs.json'), 'utf8')) as { jobs: { id: string; unsettledUsd?: number; estimatedUsd: number; idempotencyKey: string }[] };
    const entry = journal.jobs.find((j) => j.id === job.id)!;
    expect(entry.unsettledUsd).toBe(entry.estimatedUsd);
    expect(entry.idempotencyKey).not.toBe(keyBefore);
    // The second click is told plainly why nothing more happened.
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(String(refused.reason)).toMatch(/only a job that needs attention can be resolved \(it is (queued|submitting|submitted|running|downloading|ready)\)/);
  });
});
