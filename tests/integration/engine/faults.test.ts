// Issue "Durable generation engine": every fault the mock servers can inject, at every step of a job
// (submit, status poll, result fetch, download), ends in the right state with a message a person can
// act on — naming the provider's job id where there is one, never carrying a key. The real engine runs
// in-process against each provider's mock, with waits scaled down (a Retry-After of 1 s is 20 ms here).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Studio } from '../../../electron/core/api';
import { sharedScheduler } from '../../../electron/core/jobs/scheduler';
import { envConfig } from '../../../electron/core/providers/registry';
import type { Job } from '../../../shared/api';
import type { ProviderId } from '../../../shared/schema';
import type { FaultKind, FaultStage, RunningMock } from '../../mock-providers/common';
import { startFalMock } from '../../mock-providers/fal';
import { startKlingMock } from '../../mock-providers/kling';
import { startLumenfallMock } from '../../mock-providers/lumenfall';
import { startReplicateMock } from '../../mock-providers/replicate';
import { tempDir } from '../helpers';
import { SECRETS, expectConsistent, makeProject, providerEnv, waitFor } from './helpers';
import { CAPABILITIES } from '../../../shared/capabilities';

type Cloud = Exclude<ProviderId, 'animatic'>;

interface ProviderCase {
  id: Cloud;
  start: () => Promise<RunningMock>;
  /** Can a lost submit be looked up (Kling external_task_id, Lumenfall idempotency key)? */
  lookup: boolean;
  /** Does the mock have a separate result fetch after the last status poll? */
  resultStage: boolean;
  /** Does a corrupt download stay corrupt when fetched again (else it was a one-off transfer fault)? */
  corruptStays: boolean;
  /** Does the mock answer a download with a scripted 401? */
  downloadAuth: boolean;
}

const PROVIDERS: ProviderCase[] = [
  { id: 'fal', start: () => startFalMock(), lookup: false, resultStage: true, corruptStays: true, downloadAuth: true },
  { id: 'replicate', start: () => startReplicateMock(), lookup: false, resultStage: true, corruptStays: false, downloadAuth: true },
  { id: 'lumenfall', start: () => startLumenfallMock(), lookup: true, resultStage: true, corruptStays: true, downloadAuth: true },
  { id: 'kling', start: () => startKlingMock(), lookup: true, resultStage: false, corruptStays: false, downloadAuth: false },
];

type Outcome =
  | { status: 'ready' }
  | { status: 'failed' | 'needs-attention'; message: RegExp; namesJob?: boolean };

interface FaultCase {
  stage: FaultStage;
  kind: FaultKind;
  /** Served once the job is running at the provider (default: from the first request of its stage). */
  whileRunning?: boolean;
  expect: (p: ProviderCase) => Outcome | undefined;
}

const READY: Outcome = { status: 'ready' };
const HTTP: FaultKind[] = ['http-429', 'http-500', 'http-503', 'drop'];

const MATRIX: FaultCase[] = [
  // Submit: a 429 is a refusal (asked again); an outage or a dropped connection leaves it unknown
  // whether a job was created — looked up where the provider allows, else a person decides.
  { stage: 'submit', kind: 'http-429', expect: () => READY },
  ...(['http-500', 'http-503', 'drop'] as FaultKind[]).map((kind) => ({
    stage: 'submit' as const,
    kind,
    expect: (p: ProviderCase): Outcome =>
      p.lookup ? READY : { status: 'needs-attention', message: /may or may not have reached .*did not send it again.*"Submit again" or "Mark failed"/ },
  })),
  { stage: 'submit', kind: 'policy', expect: () => ({ status: 'failed', message: /content policy.*Rephrase the shot/ }) },
  { stage: 'submit', kind: 'auth', expect: () => ({ status: 'failed', message: /rejected the API key.*Check the key.*Nothing was charged/ }) },
  // Status polls, while the job waits in the provider's queue and while it runs: transient trouble is
  // waited out; a refused key keeps the job for later; moderation fails it.
  ...[false, true].flatMap((whileRunning) => [
    ...HTTP.map((kind) => ({ stage: 'status' as const, kind, whileRunning, expect: () => READY })),
    {
      stage: 'status' as const,
      kind: 'auth' as const,
      whileRunning,
      expect: (): Outcome => ({ status: 'needs-attention', message: /rejected the API key while Storyreel was checking.*job itself is kept.*fix the key/, namesJob: true }),
    },
  ]),
  { stage: 'status', kind: 'policy', expect: () => ({ status: 'failed', message: /content policy|safety|flagged|sensitive/i, namesJob: true }) },
  // The result fetch after the last poll.
  ...HTTP.map((kind) => ({ stage: 'result' as const, kind, expect: (p: ProviderCase) => (p.resultStage ? READY : undefined) })),
  {
    stage: 'result',
    kind: 'auth',
    expect: (p) => (p.resultStage ? { status: 'needs-attention', message: /rejected the API key while Storyreel was checking/, namesJob: true } : undefined),
  },
  // The download: resumed, retried, checked.
  ...([...HTTP, 'slow', 'truncate'] as FaultKind[]).map((kind) => ({ stage: 'download' as const, kind, expect: () => READY })),
  {
    stage: 'download',
    kind: 'corrupt',
    expect: (p) => (p.corruptStays ? { status: 'failed', message: /is not a playable video .*kept as .*\.mp4\.part and not used/, namesJob: true } : READY),
  },
  { stage: 'download', kind: 'expired', expect: () => ({ status: 'failed', message: /download link for the clip has expired.*Use the job id to recover the clip/, namesJob: true }) },
  { stage: 'download', kind: 'auth', expect: (p) => (p.downloadAuth ? { status: 'failed', message: /expired.*job id/, namesJob: true } : undefined) },
];

let base: string;
beforeAll(async () => {
  base = await tempDir('sr-faults-');
  // Each case has its own mock, so cases run side by side; the process-wide slots must not hold them back.
  for (const p of PROVIDERS) sharedScheduler.setLimit(p.id, 64);
});
// Every mock stays up until the file is done. Closed early, its port could go to the next case's mock while
// the process-wide HTTP connection pool still holds a socket for that origin: the next case's first request
// would then meet a connection the old server closed, which the engine rightly treats as "may have been sent".
const mocks: RunningMock[] = [];
async function startMock(p: ProviderCase): Promise<RunningMock> {
  const mock = await p.start();
  mocks.push(mock);
  return mock;
}
afterAll(async () => {
  await Promise.all(mocks.map((m) => m.close()));
  await fs.rm(base, { recursive: true, force: true });
});

async function generateWithFault(p: ProviderCase, fault: { stage: FaultStage; kind: FaultKind; whileRunning?: boolean }) {
  const mock = await startMock(p);
  // A status fault needs the job still unfinished at the poll it hits, even on a busy machine.
  mock.state.timing = fault.whileRunning ? { queueMs: 30, runMs: 1500 } : fault.stage === 'status' ? { queueMs: 400, runMs: 60 } : { queueMs: 30, runMs: 60 };
  const scripted = { stage: fault.stage, kind: fault.kind, retryAfterSec: 1 };
  if (!fault.whileRunning) mock.state.faults = [scripted];
  const dir = path.join(base, `${p.id}-${fault.stage}-${fault.kind}${fault.whileRunning ? '-running' : ''}.storyreel`);
  // One prompt for every case: the mock makes that clip once.
  await makeProject({ dir, shots: [{ title: 'Harbour', prompt: 'The harbour at dawn', durationSec: 3 }], provider: p.id });
  const studio = await Studio.open(dir, { host: 'cli', resolveConfig: envConfig(providerEnv(p.id, mock.url)), engineTiming: { scale: 0.02 } });
  const events: Job[] = [];
  let injected = false;
  studio.engine.on('job', (j) => {
    events.push(j);
    // The provider said the job runs: the next status request meets the fault.
    if (fault.whileRunning && j.status === 'running' && !injected) {
      injected = true;
      mock.state.faults = [scripted];
    }
  });
  try {
    await studio.engine.generate({});
    await studio.engine.idle();
    return { mock, dir, job: studio.engine.list()[0], events };
  } finally {
    await studio.close();
  }
}

describe.each(PROVIDERS)('$id: each injected fault ends in the right state with an actionable message', (p) => {
  const cases = MATRIX.flatMap((c) => {
    const outcome = c.expect(p);
    return outcome ? [{ ...c, outcome, name: `${c.kind} at ${c.stage}${c.whileRunning ? ' (job running)' : ''} → ${outcome.status}` }] : [];
  });

  it.concurrent.each(cases)('$name', async ({ stage, kind, whileRunning, outcome }) => {
    const { mock, dir, job, events } = await generateWithFault(p, { stage, kind, whileRunning });
    if (whileRunning) expect(events.some((e) => e.status === 'running')).toBe(true);
    // The fault really was served (a test that injects nothing proves nothing).
    const seen = mock.state.log.map((r) => `${r.stage} ${r.method} ${r.path}`).join('; ');
    expect(mock.state.faults, `the scripted fault was used (job ${job.status}: ${job.error ?? 'no error'}; requests: ${seen})`).toEqual([]);
    expect(job.status, job.error).toBe(outcome.status);
    // Every state change reached the listeners, ending with the final one.
    expect(events.at(-1)?.status).toBe(outcome.status);
    for (const secret of SECRETS) expect(JSON.stringify(events)).not.toContain(secret);

    const created = mock.state.jobs.size;
    if (outcome.status === 'ready') {
      expect(job.error).toBeUndefined();
      // Never two jobs for one request, whatever went wrong on the way.
      expect(created).toBe(1);
      await expectConsistent({ dir });
      if (kind === 'truncate') {
        expect(mock.state.log.some((r) => r.stage === 'download' && typeof r.headers.range === 'string')).toBe(true);
      }
      if (stage === 'submit' && kind === 'http-429') expect(mock.state.submissions()).toHaveLength(2);
      return;
    }
    expect(job.error).toMatch(outcome.message);
    if (outcome.namesJob) {
      expect(job.providerJobId).toBeTruthy();
      expect(job.error).toContain(job.providerJobId!);
    }
    if (outcome.status === 'needs-attention' && stage === 'submit') {
      // Not sent again on its own: the one request that may have arrived is all the provider saw.
      expect(mock.state.submissions()).toHaveLength(1);
    }
    if (stage === 'submit') {
      // The ledger has the estimate (written before the request left); a request the provider turned away
      // is balanced by an actual cost of 0, one whose fate is unknown is left standing.
      const lines = (await fs.readFile(path.join(dir, 'ledger.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { kind: string; usd?: number; note?: string });
      expect(lines.filter((l) => l.kind === 'estimate')).toHaveLength(1);
      const actual = lines.filter((l) => l.kind === 'actual');
      // (Replicate takes every request and fails the job later: then it exists, and nothing says it is free.)
      if (outcome.status === 'failed' && !job.providerJobId) expect(actual).toEqual([expect.objectContaining({ usd: 0, note: expect.stringMatching(/nothing was charged/) })]);
      else expect(actual).toEqual([]);
    }
    await expectConsistent({ dir, otherwise: { [job.id]: outcome.status } });
    const doc = JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8'));
    expect(doc.shots[0].takes).toHaveLength(1);
    expect(doc.shots[0].takes[0]).toMatchObject({ status: outcome.status, error: job.error });
    expect(doc.shots[0].takes[0].media).toBeUndefined();
  });
});

// Only providers with a documented cancel call are asked to cancel (Kling and Lumenfall stop locally).
describe.each(PROVIDERS.filter((p) => CAPABILITIES[p.id].cancel === 'provider'))('$id: a fault on the cancel request', (p) => {
  it.concurrent.each(['http-500', 'http-503', 'drop', 'auth'] as FaultKind[])('%s: the job stops here and the message says the provider may still charge, with its job id', async (kind) => {
    const mock = await startMock(p);
    mock.state.timing = { queueMs: 30, runMs: 5000 };
    const dir = path.join(base, `${p.id}-cancel-${kind}.storyreel`);
    await makeProject({ dir, shots: [{ title: 'Harbour', prompt: 'The harbour at dawn', durationSec: 3 }], provider: p.id });
    const studio = await Studio.open(dir, { host: 'cli', resolveConfig: envConfig(providerEnv(p.id, mock.url)), engineTiming: { scale: 0.02 } });
    try {
      const { jobIds } = await studio.engine.generate({});
      await waitFor('the job to run', () => studio.engine.list()[0].status === 'running');
      mock.state.faults = [{ stage: 'cancel', kind }];
      const canceled = await studio.engine.cancel(jobIds[0]);
      expect(mock.state.faults, 'the scripted fault was used').toEqual([]);
      expect(canceled.status).toBe('canceled');
      expect(canceled.error).toMatch(/could not be asked to stop it .*it may still finish and charge for job/);
      expect(canceled.error).toContain(canceled.providerJobId!);
      for (const secret of SECRETS) expect(canceled.error).not.toContain(secret);
      await studio.engine.idle();
      // Stopped here: nothing more is fetched for it.
      expect(mock.state.log.filter((r) => r.stage === 'download')).toHaveLength(0);
      await studio.close();
      await expectConsistent({ dir, otherwise: { [jobIds[0]]: 'canceled' } });
      const doc = JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8'));
      expect(doc.shots[0].takes[0]).toMatchObject({ status: 'canceled', error: canceled.error });
    } finally {
      await studio.close();
    }
  });
});
