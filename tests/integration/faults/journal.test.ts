// Issue 11, item 2: a damaged jobs.json must not strand paid jobs. `storyreel render` is killed with four
// Kling jobs in flight, jobs.json is cut in half, and render runs again: the journal is rebuilt from the
// takes in project.json and the ledger, every paid job is found again (by its provider job id, or looked up
// by its key) and downloaded — nothing is sent twice, nothing stays a slate. Where the provider cannot be
// asked (fal), the rebuilt job waits for a decision instead of being forgotten, and the run says so.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Studio } from '../../../electron/core/api';
import { envConfig } from '../../../electron/core/providers/registry';
import type { RunningMock } from '../../mock-providers/common';
import { startFalMock } from '../../mock-providers/fal';
import { startKlingMock } from '../../mock-providers/kling';
import { tempDir } from '../helpers';
import { expectConsistent, makeProject, providerEnv, readJobs, runCli, startCli, submissionsOf, waitFor } from '../engine/helpers';

const SHOTS = [
  { title: 'Harbour', prompt: 'The harbour at dawn, gulls over the water', durationSec: 3 },
  { title: 'Keeper', prompt: 'Close-up: the keeper lights the lamp', durationSec: 3 },
  { title: 'Stairs', prompt: 'The spiral stairs, lamp light moving up', durationSec: 3 },
  { title: 'Beam', prompt: 'The beam sweeps over the dark sea', durationSec: 3 },
];

let base: string;
const mocks: RunningMock[] = [];
beforeAll(async () => {
  base = await tempDir('sr-fault-journal-');
});
afterAll(async () => {
  await Promise.all(mocks.map((m) => m.close()));
  await fs.rm(base, { recursive: true, force: true });
});

/** Cuts a file to half its length, as a torn copy or a full disk would. */
async function cutInHalf(file: string): Promise<void> {
  const text = await fs.readFile(file);
  await fs.writeFile(file, text.subarray(0, Math.floor(text.length / 2)));
}

describe('a damaged jobs.json is rebuilt from project.json and the ledger', () => {
  it('kling: killed with 4 jobs in flight, jobs.json cut in half — the next render finds and downloads all 4, none sent twice', async () => {
    const mock = await startKlingMock();
    mocks.push(mock);
    const env = providerEnv('kling', mock.url);
    const dir = path.join(base, 'kling.storyreel');
    await makeProject({ dir, shots: SHOTS, provider: 'kling' });
    // Jobs wait in Kling's queue long enough to be caught there.
    mock.state.timing = { queueMs: 60_000, runMs: 200 };
    const child = startCli(['render', dir, '--yes'], env);
    await waitFor('4 jobs submitted to Kling', async () => (await readJobs(dir)).filter((j) => j.providerRef).length === 4 && mock.state.jobs.size === 4);
    // project.json is saved a moment after the change that gave the takes their job ids.
    await waitFor('project.json to record the provider job ids', async () => {
      const doc = JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8')) as { shots: { takes: { providerJobId?: string }[] }[] };
      return doc.shots.every((s) => s.takes.length === 1 && s.takes[0].providerJobId);
    });
    child.proc.kill('SIGKILL');
    await child.exited;
    const before = await readJobs(dir);
    await cutInHalf(path.join(dir, 'jobs.json'));
    mock.state.timing = { queueMs: 50, runMs: 100 };

    const again = await runCli(['render', dir, '--yes'], env);
    const out = `${again.stdout}\n${again.stderr}`;
    expect(again.code, out).toBe(0);
    expect(again.stderr).toMatch(/job journal \(jobs\.json\) could not be read and was kept as jobs\.json\.unreadable-\d+; it was rebuilt/);
    expect(again.stderr).toMatch(/Picked up again: shot 1 “Harbour” \(Kling \(official API\) job \d+\)/);
    expect(out).not.toContain('every shot has a current take');
    expect(again.stdout).toContain(`Cut: ${(SHOTS.length * 3).toFixed(2)} s`);
    expect(again.stdout).not.toContain('slate');
    // The same four jobs, each sent once: the paid clips were fetched, not made again.
    const { jobs } = await expectConsistent({ dir });
    expect(jobs.map((j) => j.id).sort()).toEqual(before.map((j) => j.id).sort());
    expect(mock.state.jobs.size).toBe(4);
    for (const job of jobs) expect(submissionsOf(mock, job), `submissions of ${job.id}`).toBe(1);
    // The damaged journal is kept beside the new one for inspection.
    expect((await fs.readdir(dir)).some((f) => f.startsWith('jobs.json.unreadable-'))).toBe(true);
  });

  it('kling: a take without its provider job id is looked up by the key on the ledger', async () => {
    const mock = await startKlingMock();
    mocks.push(mock);
    const env = providerEnv('kling', mock.url);
    const dir = path.join(base, 'kling-lookup.storyreel');
    await makeProject({ dir, shots: SHOTS.slice(0, 2), provider: 'kling' });
    mock.state.timing = { queueMs: 60_000, runMs: 200 };
    const child = startCli(['render', dir, '--yes'], env);
    await waitFor('2 jobs submitted to Kling', async () => (await readJobs(dir)).filter((j) => j.providerRef).length === 2);
    await waitFor('project.json to have the takes', async () => {
      const doc = JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8')) as { shots: { takes: unknown[] }[] };
      return doc.shots.every((s) => s.takes.length === 1);
    });
    child.proc.kill('SIGKILL');
    await child.exited;
    // As if project.json had been saved before the answers came back: no provider ids on the takes.
    const file = path.join(dir, 'project.json');
    const doc = JSON.parse(await fs.readFile(file, 'utf8')) as { shots: { takes: { providerJobId?: string; status: string }[] }[] };
    for (const s of doc.shots) for (const t of s.takes) {
      delete t.providerJobId;
      t.status = 'submitting';
    }
    await fs.writeFile(file, JSON.stringify(doc));
    await fs.writeFile(path.join(dir, 'jobs.json'), '{"version":2,"jobs":[{"id":"job_');
    mock.state.timing = { queueMs: 50, runMs: 100 };

    const again = await runCli(['render', dir, '--yes'], env);
    expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0);
    expect(again.stderr).toMatch(/Looked up at the provider by their request keys/);
    const { jobs } = await expectConsistent({ dir });
    expect(jobs).toHaveLength(2);
    expect(mock.state.jobs.size).toBe(2);
    for (const job of jobs) expect(submissionsOf(mock, job)).toBe(1);
  });

  it('fal: a job with a provider id is polled and downloaded; one without waits for a decision; one never sent is failed as free', async () => {
    const mock = await startFalMock();
    mocks.push(mock);
    mock.state.timing = { queueMs: 60_000, runMs: 100 };
    const dir = path.join(base, 'fal.storyreel');
    await makeProject({ dir, shots: SHOTS.slice(0, 3), provider: 'fal' });
    const resolveConfig = envConfig(providerEnv('fal', mock.url));
    const first = await Studio.open(dir, { host: 'cli', resolveConfig, engineTiming: { scale: 0.02 } });
    const project = first.session.current;
    // Two shots are sent; the third is left queued, as if the run stopped before sending it.
    await first.engine.generate({ shotIds: [project.shots[0].id, project.shots[1].id] });
    await waitFor('2 jobs at fal', () => first.engine.list().every((j) => j.status === 'submitted' || j.status === 'running'));
    await first.close();
    const file = path.join(dir, 'project.json');
    const doc = JSON.parse(await fs.readFile(file, 'utf8')) as { shots: { id: string; takes: Record<string, unknown>[] }[] };
    // Shot 2 lost its provider id (saved mid-submit); shot 3 got a take whose job was never sent.
    delete doc.shots[1].takes[0].providerJobId;
    doc.shots[1].takes[0].status = 'submitting';
    doc.shots[2].takes.push({ ...doc.shots[0].takes[0], id: 'take_never', jobId: 'job_never', status: 'queued', providerJobId: undefined, request: { ...(doc.shots[0].takes[0].request as object), hash: 'x' } });
    await fs.writeFile(file, JSON.stringify(doc));
    await cutInHalf(path.join(dir, 'jobs.json'));
    mock.state.timing = { queueMs: 50, runMs: 100 };

    const studio = await Studio.open(dir, { host: 'cli', resolveConfig, engineTiming: { scale: 0.02 } });
    try {
      expect(studio.engine.recovery).toMatch(/Picked up again: shot 1 “Harbour” \(fal\.ai job /);
      expect(studio.engine.recovery).toMatch(/Need your decision .*shot 2 “Keeper”.*Attach the job id/);
      expect(studio.engine.recovery).toMatch(/Never sent, nothing charged \(marked failed\): shot 3 “Stairs”/);
      await studio.engine.idle();
      const jobs = studio.engine.list();
      const byShot = (i: number) => jobs.find((j) => j.shotId === project.shots[i].id)!;
      expect(byShot(0).status).toBe('ready');
      expect(byShot(1).status).toBe('needs-attention');
      expect(byShot(1).error).toMatch(/"Submit again" or "Mark failed"/);
      expect(byShot(2).status).toBe('failed');
      // Nothing was sent again: two submissions in all.
      expect(mock.state.submissions()).toHaveLength(2);
      // The shot left without a clip is offered for generation again; the ready one is not.
      const plan = await studio.engine.plan();
      expect(plan.units.flatMap((u) => u.shotIds)).toEqual([project.shots[2].id]);
    } finally {
      await studio.close();
    }
  });
});
