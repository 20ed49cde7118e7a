// Issue "Durable generation engine", crash test: `storyreel render` is killed with SIGKILL while a job is
// submitting, submitted, running and mid-download; running it again finishes the work. Afterwards every
// job is ready (or needs attention where the provider cannot be asked whether a request arrived), the
// mock saw exactly one submission per job, no take is duplicated, no partial file is marked ready, and
// project.json is valid; the cut is complete and the ledger holds the pricing table's estimate once per
// submission. fal has no idempotency (killed mid-submit → needs attention, settled with `storyreel
// resolve`); Kling finds a lost submit by external_task_id, Lumenfall by its idempotency key.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningMock } from '../../mock-providers/common';
import { startFalMock } from '../../mock-providers/fal';
import { startKlingMock } from '../../mock-providers/kling';
import { startLumenfallMock } from '../../mock-providers/lumenfall';
import { tempDir } from '../helpers';
import { expectConsistent, makeProject, providerEnv, readJobs, runCli, sleep, startCli, submissionsOf, waitFor } from './helpers';

type State = 'submitting' | 'submitted' | 'running' | 'downloading';
const STATES: State[] = ['submitting', 'submitted', 'running', 'downloading'];

const SHOTS = [
  { title: 'Harbour', prompt: 'The harbour at dawn, gulls over the water', durationSec: 3 },
  { title: 'Keeper', prompt: 'Close-up: the keeper lights the lamp', durationSec: 4 },
];

/** Mock timings that hold a job in the given state long enough to be caught there. */
function timingFor(state: State) {
  switch (state) {
    case 'submitting':
      return { queueMs: 200, runMs: 200, submitDelayMs: 2500 };
    case 'submitted':
      return { queueMs: 4000, runMs: 200 };
    case 'running':
      return { queueMs: 100, runMs: 4000 };
    case 'downloading':
      return { queueMs: 100, runMs: 100, downloadBytesPerSec: 12_000 };
  }
}

const QUICK = { queueMs: 100, runMs: 200 };

let base: string;
beforeAll(async () => {
  base = await tempDir('sr-crash-');
});
afterAll(() => fs.rm(base, { recursive: true, force: true }));

/** Starts a render, waits until a job is in `state` (with the request in flight, or bytes on disk), and kills it. */
async function killWhile(opts: { dir: string; state: State; mock: RunningMock; env: Record<string, string>; provider: string }) {
  const { dir, state, mock } = opts;
  // One job at a time, so the others wait in the queue and only one is caught mid-step.
  const child = startCli(['render', dir, '--provider', opts.provider, '--yes'], { ...opts.env, STORYREEL_CONCURRENCY: `${opts.provider}:1` });
  let exitedEarly = false;
  void child.exited.then(() => (exitedEarly = true));
  await waitFor(`a job ${state} (stdout: ${child.stdout()} stderr: ${child.stderr()})`, async () => {
    if (exitedEarly) throw new Error(`render ended before it could be killed while ${state}: ${child.stdout()}\n${child.stderr()}`);
    const jobs = await readJobs(dir);
    const job = jobs.find((j) => j.status === state);
    if (!job) return false;
    if (state === 'submitting') return mock.state.submissions().length > 0; // the request is on its way
    if (state === 'downloading') {
      const part = (await fs.readdir(path.join(dir, 'media', 'takes', job.shotIds[0])).catch(() => [] as string[])).find((f) => f.endsWith('.part'));
      return Boolean(part) && (await fs.stat(path.join(dir, 'media', 'takes', job.shotIds[0], part!))).size > 0;
    }
    return true;
  });
  child.proc.kill('SIGKILL');
  const { signal } = await child.exited;
  expect(signal).toBe('SIGKILL');
  return child;
}

describe.each([
  { provider: 'fal' as const, start: () => startFalMock(), states: STATES },
  { provider: 'kling' as const, start: () => startKlingMock(), states: STATES },
  // Lumenfall finds a lost submit by sending it again with the same idempotency key: only the submit matters.
  { provider: 'lumenfall' as const, start: () => startLumenfallMock(), states: ['submitting'] as State[] },
])('$provider: storyreel render killed with SIGKILL, then run again', ({ provider, start, states }) => {
  let mock: RunningMock;
  let env: Record<string, string>;
  beforeAll(async () => {
    mock = await start();
    env = providerEnv(provider, mock.url);
  });
  afterAll(() => mock.close());

  it.each(states)('killed while a job is %s: the second run completes the cut with one submission per job', async (state) => {
    const dir = path.join(base, `${provider}-${state}.storyreel`);
    await makeProject({ dir, shots: SHOTS });
    mock.state.log.length = 0;
    mock.state.jobs.clear();
    mock.state.timing = timingFor(state);
    const killed = await killWhile({ dir, state, mock, env, provider });
    const before = await readJobs(dir);
    const caught = before.find((j) => j.status === state)!;

    // The provider carries on without the client: a held submission still creates its job.
    mock.state.timing = QUICK;
    if (state === 'submitting') await waitFor('the held submission to create its job', () => mock.state.jobs.size >= 1);
    if (state === 'downloading') expect(existsSync(path.join(dir, 'media', 'takes', caught.shotIds[0], `${caught.takeIds[0]}.mp4`))).toBe(false);

    const again = await runCli(['render', dir, '--provider', provider, '--yes'], env);
    const lost = state === 'submitting' && provider === 'fal';
    expect(again.code, `${killed.stdout()}\n---\n${again.stdout}\n${again.stderr}`).toBe(lost ? 3 : 0); // 3: waiting for a decision
    expect(again.stdout).toContain('Resuming');

    const { jobs } = await expectConsistent({ dir, otherwise: lost ? { [caught.id]: 'needs-attention' } : {} });
    expect(jobs.map((j) => j.id).sort()).toEqual(before.map((j) => j.id).sort());
    if (provider === 'lumenfall') {
      // Looked up by sending the same key again: the provider answers with the job it already has.
      const caughtSubmits = mock.state.submissions().filter((r) => JSON.stringify(r.body).includes(caught.spec.prompt!));
      expect(caughtSubmits.length).toBeGreaterThanOrEqual(1);
      for (const r of caughtSubmits) expect((r.body as { idempotency_key?: string }).idempotency_key).toBe(caught.idempotencyKey);
      for (const job of jobs.filter((j) => j.id !== caught.id)) expect(submissionsOf(mock, job), `submissions of ${job.id}`).toBe(1);
    } else {
      for (const job of jobs) expect(submissionsOf(mock, job), `submissions of ${job.id}`).toBe(1);
    }
    // Exactly one job at the provider for each of ours: nothing was made (or paid for) twice.
    expect(mock.state.jobs.size).toBe(jobs.length);
    // The cut is complete: every shot is in it, none stands in as a slate.
    if (!lost) {
      expect(again.stdout).toContain(`Cut: ${SHOTS.reduce((t, s) => t + s.durationSec, 0).toFixed(2)} s`);
      expect(again.stdout).not.toContain('slate');
    }

    if (state === 'downloading') {
      // The second run resumed the download where the first stopped rather than starting over.
      const ranged = mock.state.log.filter((r) => r.stage === 'download' && typeof r.headers.range === 'string' && r.headers.range !== 'bytes=0-');
      expect(ranged.length).toBeGreaterThan(0);
    }
    if (!lost) return;

    // fal cannot be asked whether the request arrived: the job waits for a decision, and says how to make it.
    const na = jobs.find((j) => j.id === caught.id)!;
    expect(na.error).toMatch(/may or may not have been created.*"Submit again" or "Mark failed"/);
    expect(again.stderr).toContain(`storyreel resolve ${dir} ${caught.id} submit-again|mark-failed`);
    const listed = await runCli(['jobs', dir], env);
    expect(listed.stdout).toMatch(new RegExp(`${caught.id}\\s+needs-attention`));

    // A third render does not send it on its own.
    const third = await runCli(['render', dir, '--provider', provider, '--yes'], env);
    expect(third.code).toBe(3); // waiting for a decision
    expect(submissionsOf(mock, na)).toBe(1);

    // The person accepts the risk: submitted again, it completes; that was their decision, and the only repeat.
    const resolved = await runCli(['resolve', dir, caught.id, 'submit-again'], env);
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stdout).toContain('will be sent again at the next render');
    const fourth = await runCli(['render', dir, '--provider', provider, '--yes'], env);
    expect(fourth.code, `${fourth.stdout}\n${fourth.stderr}`).toBe(0);
    expect(fourth.stdout).not.toContain('slate');
    // The ledger counts both submissions of that job (the first may have been charged), and one of every other.
    const after = await expectConsistent({ dir, resubmitted: { [caught.id]: [na.idempotencyKey] } });
    const redone = after.jobs.find((j) => j.id === caught.id)!;
    expect(redone.idempotencyKey).not.toBe(na.idempotencyKey);
    const shotPrompt = SHOTS.find((s) => redone.spec.prompt === s.prompt)!.prompt;
    expect(mock.state.submissions().filter((r) => JSON.stringify(r.body).includes(shotPrompt))).toHaveLength(2);
  });
});

describe('kling: killed again and again at arbitrary moments', () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startKlingMock();
  });
  afterAll(() => mock.close());

  it('every restart picks up where the last one stopped; the cut completes with one submission per job', async () => {
    const dir = path.join(base, 'kling-repeated.storyreel');
    // A single shot and a two-shot group (one request, cut into two takes).
    await makeProject({
      dir,
      shots: [SHOTS[0], SHOTS[1], { title: 'Lamp', prompt: 'The lamp turns over the dark sea', durationSec: 3 }],
      groups: [[1, 2]],
    });
    const env = providerEnv('kling', mock.url);
    // Long enough that the first kills cannot miss the work even on a fast machine (the mock's clock runs on while the CLI is dead).
    mock.state.timing = { queueMs: 1500, runMs: 2500, downloadBytesPerSec: 80_000 };
    let kills = 0;
    const seen: string[] = [];
    // Each run lives a little longer than the last, so the kills land in every phase of the work; after
    // eight kills the next run is left to finish.
    for (let lifeMs = 700; kills < 8; lifeMs += 400) {
      const child = startCli(['render', dir, '--provider', 'kling', '--yes'], env);
      const ended = await Promise.race([child.exited.then(() => true), sleep(lifeMs).then(() => false)]);
      if (ended) break;
      child.proc.kill('SIGKILL');
      await child.exited;
      kills += 1;
      seen.push((await readJobs(dir)).map((j) => j.status).join('+') || 'nothing yet');
    }
    expect(kills, `killed with the jobs: ${seen.join(', ')}`).toBeGreaterThan(2);
    expect(seen.some((s) => /submitted|running|downloading/.test(s)), `killed with the jobs: ${seen.join(', ')}`).toBe(true);
    const finished = await runCli(['render', dir, '--provider', 'kling', '--yes'], env);
    expect(finished.code, `${finished.stdout}\n${finished.stderr}`).toBe(0);
    const { jobs } = await expectConsistent({ dir });
    expect(jobs).toHaveLength(2);
    for (const job of jobs) expect(submissionsOf(mock, job)).toBe(1);
    expect(mock.state.jobs.size).toBe(2);
  });
});
