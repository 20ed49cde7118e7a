// Issue 14: `storyreel render` is killed with SIGKILL while its Kling submit is in flight (the mock holds
// the request, then creates the task anyway, as Kling would with nobody left to read the answer). A fresh
// process opens the project: it finds the task by its external_task_id with the documented query form
// (GET /v1/videos/text2video?external_task_id=…), never submits again, and finishes the cut with exactly
// one task at the mock. Run once with the access/secret key pair and once with a single API key.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KLING_MOCK_API_KEY, type KlingMock, startKlingMock } from '../../mock-providers/kling';
import { tempDir } from '../helpers';
import { expectConsistent, makeProject, providerEnv, readJobs, runCli, startCli, waitFor } from '../engine/helpers';

const SHOT = { title: 'Harbour', prompt: 'The harbour at dawn, gulls over the water', durationSec: 3 };

let base: string;
let mock: KlingMock;
beforeAll(async () => {
  base = await tempDir('sr-fault-kling-kill-');
  mock = await startKlingMock();
});
afterAll(async () => {
  await mock.close();
  await fs.rm(base, { recursive: true, force: true });
});

describe.each([
  { how: 'access key + secret key', env: () => providerEnv('kling', mock.url) },
  { how: 'a single API key', env: () => ({ KLING_API_KEY: KLING_MOCK_API_KEY, STORYREEL_KLING_URL: mock.url }) },
])('kill -9 during a Kling submit ($how)', ({ how, env }) => {
  it('the next run finds the task by external_task_id and finishes with one task at Kling', async () => {
    const dir = path.join(base, `${how.replace(/\W+/g, '-')}.storyreel`);
    await makeProject({ dir, shots: [SHOT], provider: 'kling' });
    mock.state.log.length = 0;
    mock.tasks.clear();
    mock.state.jobs.clear();
    // The submit is held long enough to kill the client with the request in flight.
    mock.state.timing = { queueMs: 100, runMs: 200, submitDelayMs: 3000 };

    const child = startCli(['render', dir, '--yes'], env());
    let exited = false;
    void child.exited.then(() => (exited = true));
    await waitFor('the submit to be in flight', async () => {
      if (exited) throw new Error(`render ended before it could be killed: ${child.stdout()}\n${child.stderr()}`);
      return mock.state.submissions().length === 1 && (await readJobs(dir)).some((j) => j.status === 'submitting');
    });
    child.proc.kill('SIGKILL');
    expect((await child.exited).signal).toBe('SIGKILL');
    const [caught] = (await readJobs(dir)).filter((j) => j.status === 'submitting');
    expect(caught.providerRef, 'the killed run never learned the task id').toBeUndefined();

    // Kling carries on without the client: the held submission still creates its task.
    mock.state.timing = { queueMs: 100, runMs: 200 };
    await waitFor('the held submission to create its task', () => mock.tasks.size === 1);
    const [task] = [...mock.tasks.values()];
    expect(task.externalTaskId).toBe(caught.idempotencyKey);

    const again = await runCli(['render', dir, '--yes'], env());
    expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0);
    expect(again.stdout).toContain(`Cut: ${SHOT.durationSec.toFixed(2)} s`);
    expect(again.stdout).not.toContain('slate');

    // Looked up the documented way, by our key, before anything else was asked; never sent again.
    const lookups = mock.state.log.filter((r) => r.stage === 'status').map((r) => r.path);
    expect(lookups[0]).toBe(`/v1/videos/text2video?external_task_id=${encodeURIComponent(caught.idempotencyKey)}`);
    expect(mock.state.submissions()).toHaveLength(1);
    expect(mock.tasks.size).toBe(1);

    // The job is the same one, now ready with Kling's task, and every invariant of a crash holds.
    const { jobs } = await expectConsistent({ dir });
    expect(jobs).toHaveLength(1);
    expect(jobs[0].id).toBe(caught.id);
    expect(jobs[0].status).toBe('ready');
    expect(jobs[0].providerRef).toContain(task.taskId);
  });
});
