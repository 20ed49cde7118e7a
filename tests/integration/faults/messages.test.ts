// Issue 11, item 15: every message matches what happened. After a download whose link expired, the clip was
// made and charged for and is not in the project: render must not say "Nothing paid for was lost". After a
// 500 on submit at a provider that cannot be asked, the request was not sent again: the message must not
// also promise retries.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningMock } from '../../mock-providers/common';
import { startFalMock } from '../../mock-providers/fal';
import { tempDir } from '../helpers';
import { makeProject, providerEnv, readJobs, runCli } from '../engine/helpers';

let base: string;
let mock: RunningMock;
beforeAll(async () => {
  base = await tempDir('sr-fault-messages-');
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

describe('render messages match the outcome', () => {
  it('an expired download: the paid clip is named with its job id, and nothing claims it was not lost', async () => {
    const dir = path.join(base, 'expired.storyreel');
    await makeProject({ dir, shots: SHOTS.slice(0, 1), provider: 'fal' });
    mock.state.timing = { queueMs: 30, runMs: 60 };
    mock.state.faults = [{ stage: 'download', kind: 'expired' }];
    const run = await runCli(['render', dir, '--yes'], providerEnv('fal', mock.url));
    expect(mock.state.faults, 'the scripted fault was used').toEqual([]);
    expect(run.code).toBe(1);
    const [job] = await readJobs(dir);
    expect(job.status).toBe('failed');
    const id = JSON.parse(job.providerRef!).requestId as string;
    expect(run.stderr).not.toContain('Nothing paid for was lost');
    expect(run.stderr).toContain(`shot 1 “Harbour”: fal.ai made this clip and charged for it (fal.ai job ${id}), but it could not be downloaded.`);
    expect(run.stderr).toContain('Paid for and not downloaded: 1 clip');
  });

  it('a 500 on submit at fal: "did not send it again", and no promise of retries', async () => {
    const dir = path.join(base, 'submit-500.storyreel');
    await makeProject({ dir, shots: SHOTS.slice(0, 1), provider: 'fal' });
    mock.state.log.length = 0;
    mock.state.timing = { queueMs: 30, runMs: 60 };
    mock.state.faults = [{ stage: 'submit', kind: 'http-500' }];
    const run = await runCli(['render', dir, '--yes'], providerEnv('fal', mock.url));
    expect(mock.state.faults, 'the scripted fault was used').toEqual([]);
    expect(run.code).toBe(3); // waiting for a decision
    const [job] = await readJobs(dir);
    expect(job.status).toBe('needs-attention');
    expect(job.error).toMatch(/^fal\.ai answered HTTP 500 while this request was being sent\./);
    expect(job.error).toContain('so Storyreel did not send it again');
    const out = `${run.stdout}\n${run.stderr}`;
    expect(out).not.toMatch(/retries|retrying|\(retry \d/i);
    // Nothing was sent again, and render says it will not be sent by itself.
    expect(mock.state.submissions()).toHaveLength(1);
    expect(run.stderr).toContain('1 request waits for your decision (see above); render does not send it again by itself.');
    expect(run.stderr).not.toContain('the next render sends');
  });

  it('a request refused for its content: render says a new request is sent next time, and that nothing paid for was lost', async () => {
    const dir = path.join(base, 'policy.storyreel');
    await makeProject({ dir, shots: SHOTS.slice(0, 1), provider: 'fal' });
    mock.state.timing = { queueMs: 30, runMs: 60 };
    mock.state.faults = [{ stage: 'submit', kind: 'policy' }];
    const run = await runCli(['render', dir, '--yes'], providerEnv('fal', mock.url));
    expect(mock.state.faults, 'the scripted fault was used').toEqual([]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('1 request failed before a clip was delivered: the next render sends a new request for that shot.');
    expect(run.stderr).toContain('Nothing paid for was lost.');
  });
});
