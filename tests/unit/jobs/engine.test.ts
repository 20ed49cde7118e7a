// The engine's bookkeeping with a scripted provider (no network, no ffmpeg): fairness between two
// projects sharing slots, the journal as the source of truth on open, cancel, resolve, retry and budget.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../electron/core/jobs/engine';
import { readJournal, type JournalEntry } from '../../../electron/core/jobs/journal';
import { SlotScheduler } from '../../../electron/core/jobs/scheduler';
import { createProjectFolder, newProject, newShot } from '../../../electron/core/project/project-folder';
import { ProjectSession } from '../../../electron/core/project/session';
import type { PollResult, ProviderAdapter } from '../../../electron/core/providers/provider';
import { ProviderError } from '../../../electron/core/providers/provider-error';
import type { Job } from '../../../shared/api';
import type { GenerationSpec } from '../../../shared/generation';
import { ProjectSchema, type ProviderId } from '../../../shared/schema';
import { shotHashes } from '../../../shared/work-units';
import { png } from '../../helpers/png';

const open: { engine: Engine; session: ProjectSession }[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const { engine, session } of open.splice(0)) {
    await engine.close();
    await session.close();
  }
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

/** A provider that records submissions, can hold them, and fails each job at its first poll. */
function scripted(opts: { hold?: Promise<void>; poll?: (ref: string) => PollResult } = {}) {
  const submits: string[] = [];
  const adapter: ProviderAdapter = {
    id: 'fal',
    pollIntervalMs: 0,
    maxPollIntervalMs: 0,
    buildSubmit: () => ({ method: 'POST', url: 'x', headers: {}, body: {} }),
    async submit(spec: GenerationSpec) {
      submits.push(spec.prompt ?? '');
      if (opts.hold && submits.length === 1) await opts.hold;
      return { ref: JSON.stringify({ requestId: `req-${submits.length}` }) };
    },
    async poll(ref) {
      return opts.poll?.(ref) ?? { state: 'failed', error: new ProviderError({ provider: 'fal', kind: 'failed', providerMessage: 'scripted failure', jobRef: JSON.parse(ref).requestId }) };
    },
  };
  return { adapter, submits };
}

async function project(opts: { name: string; prompts: string[]; budgetUsd?: number }) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `sr-engine-${opts.name}-`));
  dirs.push(dir);
  const doc = newProject(opts.name, opts.prompts.map((prompt, i) => newShot({ title: `S${i + 1}`, prompt, durationSec: 5 })));
  doc.settings.provider = 'fal';
  if (opts.budgetUsd !== undefined) doc.settings.budgetUsd = opts.budgetUsd;
  await createProjectFolder(dir, doc);
  return dir;
}

async function engineFor(opts: { dir: string; adapter: ProviderAdapter; scheduler: SlotScheduler; start?: boolean }) {
  const session = await ProjectSession.open(opts.dir);
  const engine = new Engine({
    session,
    providers: new Map<ProviderId, ProviderAdapter>([['fal', opts.adapter]]),
    resolveConfig: () => ({ baseUrl: 'http://127.0.0.1:9', credentials: { key: 'k:s' } }),
    scheduler: opts.scheduler,
    timing: { scale: 0 },
  });
  open.push({ engine, session });
  if (opts.start === false) await engine.load();
  else await engine.resume();
  return { engine, session };
}

describe('two projects sharing one provider', () => {
  it('take turns for its slot: the project that queued second is not kept waiting behind all of the first', async () => {
    const scheduler = new SlotScheduler({ fal: 1 });
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const { adapter, submits } = scripted({ hold });
    const a = await engineFor({ dir: await project({ name: 'a', prompts: ['A1', 'A2', 'A3', 'A4'] }), adapter, scheduler });
    const b = await engineFor({ dir: await project({ name: 'b', prompts: ['B1', 'B2'] }), adapter, scheduler });
    const queued: Job[] = [];
    b.engine.on('job', (j) => j.status === 'queued' && j.queuePosition !== undefined && queued.push(j));
    try {
      await a.engine.generate();
      await b.engine.generate();
      await new Promise((r) => setTimeout(r, 80)); // queue positions are published coalesced
      // B's first job is next in line although A queued four before it.
      expect(queued.find((j) => j.label.includes('S1'))?.queuePosition).toBe(0);
    } finally {
      release();
    }
    await Promise.all([a.engine.idle(), b.engine.idle()]);
    expect(submits).toEqual(['A1', 'B1', 'A2', 'B2', 'A3', 'A4']);
  });
});

describe('the journal is the source of truth', () => {
  it('recreates takes project.json lost in a crash, keeps their clips, and fails takes that were never sent', async () => {
    const dir = await project({ name: 'repair', prompts: ['one', 'two'] });
    const doc = ProjectSchema.parse(JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8')));
    const [s1, s2] = doc.shots;
    // project.json was saved with a take whose job never reached the journal…
    s2.takes.push({
      id: 'take_orphan', jobId: 'job_never', provider: 'fal', tier: 'standard', request: { hash: 'h', params: {} }, status: 'submitting',
      estimatedUsd: 0.42, review: { rating: 0, flag: 'none', notes: [] }, createdAt: new Date().toISOString(),
    });
    await fs.writeFile(path.join(dir, 'project.json'), JSON.stringify(doc));
    // …while the journal knows a finished job (clip on disk) and a queued one the document never saw.
    const spec = (prompt: string) => ({ provider: 'fal', tier: 'standard', aspectRatio: '16:9', durationSec: 5, audio: false, cfgScale: 0.5, negativePrompt: '', prompt, voiceIds: [], elements: [] });
    const now = new Date().toISOString();
    const base = { unitKey: '', progress: 0, createdAt: now, updatedAt: now, hash: 'hash', estimatedUsd: 0.42, provider: 'fal' };
    const media = { path: `media/takes/${s1.id}/take_1.mp4`, sha256: '', durationSec: 5, width: 320, height: 180, fps: 24, hasAudio: false };
    // The finished job's clip is on disk (a take whose clip is missing is no longer ready).
    const clip = path.join(dir, media.path);
    await fs.mkdir(path.dirname(clip), { recursive: true });
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=24:duration=1', '-pix_fmt', 'yuv420p', clip]);
    media.sha256 = createHash('sha256').update(await fs.readFile(clip)).digest('hex');
    const jobs = [
      { ...base, id: 'job_1', shotIds: [s1.id], takeIds: ['take_1'], label: 'shot 1', status: 'ready', spec: spec('one'), idempotencyKey: 'k1', providerRef: '{"requestId":"r1"}', media: [{ media }] },
      { ...base, id: 'job_2', shotIds: [s2.id], takeIds: ['take_2'], label: 'shot 2', status: 'queued', spec: spec('two'), idempotencyKey: 'k2' },
    ];
    await fs.writeFile(path.join(dir, 'jobs.json'), JSON.stringify({ version: 2, jobs }));

    const { adapter, submits } = scripted();
    const { session } = await engineFor({ dir, adapter, scheduler: new SlotScheduler(), start: false });
    const [r1, r2] = session.current.shots;
    expect(r1.takes).toHaveLength(1);
    expect(r1.takes[0]).toMatchObject({ id: 'take_1', jobId: 'job_1', status: 'ready', media });
    expect(r1.selectedTakeId).toBe('take_1');
    expect(r2.takes.find((t) => t.id === 'take_2')).toMatchObject({ jobId: 'job_2', status: 'queued' });
    const orphan = r2.takes.find((t) => t.id === 'take_orphan')!;
    expect(orphan.status).toBe('failed');
    expect(orphan.error).toMatch(/never sent and nothing was charged\. Generate the shot again/);
    expect(submits).toEqual([]); // load() alone starts nothing
  });

  it('a project copied without its journal does not claim its unfinished takes were never sent', async () => {
    const dir = await project({ name: 'nojournal', prompts: ['one'] });
    const doc = ProjectSchema.parse(JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8')));
    doc.shots[0].takes.push({
      id: 'take_x', jobId: 'job_x', provider: 'fal', tier: 'standard', request: { hash: 'h', params: {} }, status: 'running',
      estimatedUsd: 0.42, review: { rating: 0, flag: 'none', notes: [] }, createdAt: new Date().toISOString(),
    });
    await fs.writeFile(path.join(dir, 'project.json'), JSON.stringify(doc));
    const { adapter } = scripted();
    const { session } = await engineFor({ dir, adapter, scheduler: new SlotScheduler(), start: false });
    const take = session.current.shots[0].takes[0];
    expect(take.status).toBe('failed');
    expect(take.error).toMatch(/no job journal \(jobs\.json\).*fal\.ai may still have made \(and charged for\) the clip: check its dashboard/);
  });

  it('keeps an unreadable journal aside instead of overwriting it, rebuilds it, and says so', async () => {
    const dir = await project({ name: 'garbled', prompts: ['one'] });
    await fs.writeFile(path.join(dir, 'jobs.json'), '{"version": 2, "jobs": [tor');
    const session = await ProjectSession.open(dir);
    const { adapter } = scripted();
    const engine = new Engine({ session, providers: new Map([['fal', adapter]]), resolveConfig: () => ({ baseUrl: 'x', credentials: {} }), scheduler: new SlotScheduler() });
    open.push({ engine, session });
    const messages: string[] = [];
    engine.on('progress', (p) => p.error && messages.push(p.error));
    await engine.resume();
    const kept = (await fs.readdir(dir)).filter((f) => f.startsWith('jobs.json.unreadable-'));
    expect(kept).toHaveLength(1);
    expect(await fs.readFile(path.join(dir, kept[0]), 'utf8')).toBe('{"version": 2, "jobs": [tor');
    expect(messages[0]).toMatch(/could not be read and was kept as jobs\.json\.unreadable-\d+; it was rebuilt from the takes in project\.json and the ledger/);
  });
});

describe('cancel, resolve, retry and the budget', () => {
  it('cancels a job still waiting for a slot without sending it', async () => {
    const scheduler = new SlotScheduler({ fal: 1 });
    let release!: () => void;
    const { adapter, submits } = scripted({ hold: new Promise<void>((r) => (release = r)) });
    const { engine } = await engineFor({ dir: await project({ name: 'cancel', prompts: ['first', 'second'] }), adapter, scheduler });
    const { jobIds } = await engine.generate();
    const canceled = await engine.cancel(jobIds[1]);
    expect(canceled.status).toBe('canceled');
    expect(canceled.error).toBe('Canceled before anything was sent; nothing was charged.');
    release();
    await engine.idle();
    expect(submits).toEqual(['first']);
  });

  it('retries a failed job as a new job with a new take, keeping the old take', async () => {
    const { adapter, submits } = scripted();
    const { engine, session } = await engineFor({ dir: await project({ name: 'retry', prompts: ['again'] }), adapter, scheduler: new SlotScheduler() });
    const { jobIds } = await engine.generate();
    await engine.idle();
    const failed = engine.list().find((j) => j.id === jobIds[0])!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain('req-1'); // the provider's job id, for the dashboard
    await expect(engine.resolve(failed.id, 'submit-again')).rejects.toThrow(/only a job that needs attention/);
    const retried = await engine.retry(failed.id);
    expect(retried.id).not.toBe(failed.id);
    await engine.idle();
    expect(submits).toEqual(['again', 'again']);
    const takes = session.current.shots[0].takes;
    expect(takes.map((t) => t.jobId)).toEqual([failed.id, retried.id]);
    const journal = await readJournal(session.dir);
    expect(journal.kind === 'ok' && (journal.data.jobs.find((j) => j.id === retried.id) as JournalEntry).retryOf).toBe(failed.id);
  });

  it('refuses a retry that would go over budget, saying by how much, before sending anything', async () => {
    // One 5 s fal standard job is $0.42; a budget of $0.50 leaves room for exactly one.
    const { adapter, submits } = scripted();
    const { engine } = await engineFor({ dir: await project({ name: 'budget', prompts: ['one', 'two'], budgetUsd: 0.5 }), adapter, scheduler: new SlotScheduler() });
    await expect(engine.generate()).rejects.toThrow('Over budget: this would send $0.84 of work, taking the project to $0.84 of its $0.50 budget — $0.34 too much. Nothing was sent.');
    expect(submits).toEqual([]);
  });

  it('settles a job that needs attention: submitted again with a new key, or marked failed', async () => {
    const dir = await project({ name: 'resolve', prompts: ['lost', 'also lost'] });
    const doc = ProjectSchema.parse(JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8')));
    const now = new Date().toISOString();
    const spec = (prompt: string) => ({ provider: 'fal', tier: 'standard', aspectRatio: '16:9', durationSec: 5, audio: false, cfgScale: 0.5, negativePrompt: '', prompt, voiceIds: [], elements: [] });
    const entry = (i: number) => ({
      id: `job_${i}`, unitKey: '', shotIds: [doc.shots[i].id], takeIds: [`take_${i}`], label: `shot ${i + 1}`, provider: 'fal', status: 'submitting',
      progress: 0, createdAt: now, updatedAt: now, spec: spec(doc.shots[i].prompt), hash: 'h', idempotencyKey: `old-${i}`, estimatedUsd: 0.42, submittedAt: now,
    });
    await fs.writeFile(path.join(dir, 'jobs.json'), JSON.stringify({ version: 2, jobs: [entry(0), entry(1)] }));
    const { adapter, submits } = scripted();
    const { engine } = await engineFor({ dir, adapter, scheduler: new SlotScheduler() });
    await engine.idle();
    // fal cannot be asked: caught mid-submit, neither is sent again on its own.
    expect(engine.list().map((j) => j.status)).toEqual(['needs-attention', 'needs-attention']);
    expect(submits).toEqual([]);
    const failed = await engine.resolve('job_1', 'mark-failed');
    // Giving up does not hide a possible charge: the message says the estimate stays on the budget.
    expect(failed).toMatchObject({ status: 'failed', error: 'Marked failed by you. fal.ai may still have made and charged for it, so its estimate ($0.42) stays counted against the budget.' });
    await engine.resolve('job_0', 'submit-again');
    await engine.idle();
    expect(submits).toEqual(['lost']);
    const journal = await readJournal(dir);
    const again = journal.kind === 'ok' ? journal.data.jobs.find((j) => j.id === 'job_0')! : undefined;
    expect(again?.idempotencyKey).not.toBe('old-0');
    // The ledger keeps every submission that may have cost money: both lost requests (either may have
    // arrived), and the second submission of the one sent again.
    const estimates = (await ledgerLines(dir)).filter((l) => l.kind === 'estimate').map((l) => `${l.jobId} ${l.idempotencyKey} ${l.usd}`);
    expect(estimates.sort()).toEqual(['job_0 old-0 0.42', `job_0 ${again?.idempotencyKey} 0.42`, 'job_1 old-1 0.42'].sort());
  });

  it('refuses to submit again past the budget, counting the first submission as possibly charged', async () => {
    // One 5 s fal job is $0.42: $0.80 leaves room for it, not for it twice.
    const dir = await project({ name: 'again-budget', prompts: ['lost'], budgetUsd: 0.8 });
    const doc = ProjectSchema.parse(JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8')));
    const now = new Date().toISOString();
    const spec = { provider: 'fal', tier: 'standard', aspectRatio: '16:9', durationSec: 5, audio: false, cfgScale: 0.5, negativePrompt: '', prompt: 'lost', voiceIds: [], elements: [] };
    const entry = { id: 'job_0', unitKey: '', shotIds: [doc.shots[0].id], takeIds: ['take_0'], label: 'shot 1', provider: 'fal', status: 'submitting', progress: 0, createdAt: now, updatedAt: now, spec, hash: 'h', idempotencyKey: 'old-0', estimatedUsd: 0.42, submittedAt: now };
    await fs.writeFile(path.join(dir, 'jobs.json'), JSON.stringify({ version: 2, jobs: [entry] }));
    const { adapter, submits } = scripted();
    const { engine } = await engineFor({ dir, adapter, scheduler: new SlotScheduler() });
    await engine.idle();
    expect(engine.list()[0].status).toBe('needs-attention');
    await expect(engine.resolve('job_0', 'submit-again')).rejects.toThrow('Over budget: this would send $0.42 of work, taking the project to $0.84 of its $0.80 budget — $0.04 too much. Nothing was sent.');
    expect(engine.list()[0].status).toBe('needs-attention');
    // Marking it failed needs no room.
    await engine.resolve('job_0', 'mark-failed');
    expect(submits).toEqual([]);
  });

  it('reports elapsed time on every update and an ETA once a job of the same provider and tier has finished', async () => {
    let polls = 0;
    // Each job runs for two polls, then its clip cannot be fetched (the test stops at the download).
    const { adapter } = scripted({
      poll: () => (++polls % 3 === 0 ? { state: 'failed', error: new Error('stop here') } : { state: 'running', progress: 0.5 }),
    });
    const dir = await project({ name: 'eta', prompts: ['first', 'second'] });
    await fs.writeFile(path.join(dir, 'jobs.json'), JSON.stringify({ version: 2, jobs: [], learned: { 'fal:standard': { secPerSec: 60, samples: 4 } } }));
    const { engine } = await engineFor({ dir, adapter, scheduler: new SlotScheduler({ fal: 1 }) });
    const running: Job[] = [];
    engine.on('job', (j) => j.status === 'running' && running.push(j));
    await engine.generate();
    await engine.idle();
    expect(running.length).toBeGreaterThan(0);
    for (const j of running) {
      expect(j.elapsedSec).toBeGreaterThanOrEqual(0);
      // 60 s per second of video × 5 s, minus the moment it has been running.
      expect(j.etaSec).toBeGreaterThan(290);
      expect(j.etaSec).toBeLessThanOrEqual(300);
    }
  });
});

/** An adapter scripted step by step: each submit and poll takes the next item of its script. */
function stepped(opts: {
  submits?: (() => { ref: string } | Error)[];
  polls?: (PollResult | Error)[];
  reconcile?: (key: string) => { ref: string } | undefined;
  hold?: Promise<void>;
}) {
  const log = { submits: [] as string[], polls: 0, reconciles: [] as string[] };
  const adapter: ProviderAdapter = {
    id: 'fal',
    pollIntervalMs: 1000,
    maxPollIntervalMs: 4000,
    buildSubmit: () => ({ method: 'POST', url: 'x', headers: {}, body: {} }),
    async submit(_spec, _ctx, o) {
      log.submits.push(o.idempotencyKey);
      if (opts.hold) await opts.hold;
      const next = opts.submits?.[log.submits.length - 1]?.() ?? { ref: JSON.stringify({ requestId: `req-${log.submits.length}` }) };
      if (next instanceof Error) throw next;
      return next;
    },
    async poll() {
      const next = opts.polls?.[log.polls++] ?? { state: 'failed', error: new ProviderError({ provider: 'fal', kind: 'failed', providerMessage: 'end of script' }) };
      if (next instanceof Error) throw next;
      return next;
    },
    ...(opts.reconcile
      ? {
          async reconcile(key: string) {
            log.reconciles.push(key);
            return opts.reconcile!(key);
          },
        }
      : {}),
  };
  return { adapter, log };
}

/** An engine whose waits are recorded (as asked, before any scaling) and take no time. */
async function recordingEngine(opts: { dir: string; adapter: ProviderAdapter }) {
  const session = await ProjectSession.open(opts.dir);
  const waits: number[] = [];
  const engine = new Engine({
    session,
    providers: new Map<ProviderId, ProviderAdapter>([['fal', opts.adapter]]),
    resolveConfig: () => ({ baseUrl: 'http://127.0.0.1:9', credentials: { key: 'k:s' } }),
    scheduler: new SlotScheduler(),
    timing: { wait: async (ms) => void waits.push(ms) },
  });
  open.push({ engine, session });
  await engine.resume();
  return { engine, session, waits };
}

const providerError = (kind: ProviderError['kind'], extra: { retryAfterMs?: number; providerMessage?: string; status?: number } = {}) =>
  new ProviderError({ provider: 'fal', kind, providerMessage: extra.providerMessage ?? kind, ...extra });

const ledgerLines = async (dir: string) =>
  (await fs.readFile(path.join(dir, 'ledger.jsonl'), 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { kind: string; jobId: string; usd?: number; idempotencyKey?: string; note?: string });

/** Each wait is its nominal value give or take the ±15 % jitter. */
function expectAbout(waits: number[], nominal: number[]) {
  expect(waits).toHaveLength(nominal.length);
  waits.forEach((w, i) => {
    expect(w, `wait ${i + 1} of ${waits.join(', ')}`).toBeGreaterThanOrEqual(nominal[i] * 0.85);
    expect(w, `wait ${i + 1} of ${waits.join(', ')}`).toBeLessThanOrEqual(nominal[i] * 1.15);
  });
}

describe('polling', () => {
  it('starts short and backs off to a ceiling with jitter; waits out Retry-After in full; backs off exponentially on outages; reports queue place and progress', async () => {
    const { adapter, log } = stepped({
      polls: [
        { state: 'queued', queuePosition: 3 },
        { state: 'queued', queuePosition: 1 },
        { state: 'running', progress: 0.2 },
        providerError('rate-limit', { retryAfterMs: 7000, status: 429 }),
        { state: 'running', progress: 0.5 },
        providerError('outage', { status: 503 }),
        providerError('outage', { status: 503 }),
        providerError('network', { providerMessage: 'socket hang up' }),
        { state: 'running', progress: 0.8 },
        { state: 'running', progress: 0.9 },
      ],
    });
    const { engine, waits } = await recordingEngine({ dir: await project({ name: 'poll', prompts: ['polled'] }), adapter });
    const seen: Job[] = [];
    engine.on('job', (j) => seen.push(j));
    await engine.generate();
    await engine.idle();
    expect(log.polls).toBe(11);
    // 1 s after sending, then ×1.5 per look up to the 4 s ceiling; the 429's Retry-After (7 s) is never shortened;
    // outages wait 1 s, 2 s, 4 s and the next successful look resumes the schedule.
    const [retryAfter, ...rest] = waits.splice(4, 1);
    expect(retryAfter).toBeGreaterThanOrEqual(7000);
    expect(retryAfter).toBeLessThanOrEqual(7000 * 1.15);
    expect(rest).toEqual([]);
    expectAbout(waits, [1000, 1000, 1500, 2250, 3375, 1000, 2000, 4000, 4000, 4000]);
    expect(new Set(waits).size, 'jittered, not a fixed schedule').toBeGreaterThan(5);

    const submitted = seen.filter((j) => j.status === 'submitted');
    expect(submitted.map((j) => j.queuePosition).filter((p) => p !== undefined)).toEqual([3, 1]);
    expect(submitted.every((j) => j.providerJobId === 'req-1' && j.elapsedSec !== undefined)).toBe(true);
    const running = seen.filter((j) => j.status === 'running');
    expect(running.every((j) => j.queuePosition === undefined)).toBe(true);
    expect([...new Set(running.map((j) => j.progress))]).toEqual([0, 0.2, 0.5, 0.8, 0.9]);
    // The script ends with the provider's failure.
    expect(engine.list()[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('end of script') });
  });

  it('a job that loses contact for good is kept (needs attention, with its id), never failed', async () => {
    const { adapter } = stepped({ polls: Array.from({ length: 12 }, () => providerError('outage', { status: 502 })) });
    const { engine, waits } = await recordingEngine({ dir: await project({ name: 'lost', prompts: ['lost'] }), adapter });
    await engine.generate();
    await engine.idle();
    const job = engine.list()[0];
    expect(job.status).toBe('needs-attention');
    expect(job.error).toMatch(/Lost contact with fal\.ai .*kept with its id req-1; Storyreel picks it up again/);
    // Exponential from 1 s, capped at a minute.
    expectAbout(waits.slice(1), [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000, 60000, 60000]);
  });
});

describe('submitting', () => {
  const refused = (err: Error) => [() => err];
  it.each([
    {
      name: 'a 429 is asked again after its Retry-After (no job was made)',
      submits: [() => providerError('rate-limit', { retryAfterMs: 5000, status: 429 })],
      sent: 2,
      status: 'failed', // the scripted poll ends the job
      minWait: 5000,
    },
    {
      name: 'a refused connection is asked again (the request never left)',
      submits: [() => providerError('network', { providerMessage: 'fetch failed: ECONNREFUSED' })],
      sent: 2,
      status: 'failed',
    },
    {
      name: 'an outage leaves it unknown whether a job exists: not sent again, a person decides',
      submits: refused(providerError('outage', { status: 503 })),
      sent: 1,
      status: 'needs-attention',
      message: /may or may not have reached fal\.ai, which cannot be asked about it, so Storyreel did not send it again.*"Submit again" or "Mark failed"/,
    },
    {
      name: 'a connection dropped mid-request is the same: not sent again',
      submits: refused(providerError('network', { providerMessage: 'other side closed: ECONNRESET' })),
      sent: 1,
      status: 'needs-attention',
      message: /may or may not have reached/,
    },
    {
      name: 'a validation error fails at once in the provider’s words',
      submits: refused(providerError('validation', { providerMessage: 'duration: Input should be 5 or 10', status: 422 })),
      sent: 1,
      status: 'failed',
      message: /refused the request.*Input should be 5 or 10.*Nothing was charged/,
      zeroCost: true,
    },
    {
      name: 'a content-policy refusal fails at once',
      submits: refused(providerError('policy', { providerMessage: 'flagged', status: 422 })),
      sent: 1,
      status: 'failed',
      message: /content policy.*Rephrase/,
      zeroCost: true,
    },
  ])('$name', async ({ submits, sent, status, message, minWait, zeroCost }) => {
    const { adapter, log } = stepped({ submits });
    const dir = await project({ name: 'submit', prompts: ['sent'] });
    const { engine, session, waits } = await recordingEngine({ dir, adapter });
    await engine.generate();
    await engine.idle();
    expect(log.submits).toHaveLength(sent);
    expect(new Set(log.submits).size, 'one idempotency key for every attempt').toBe(1);
    const job = engine.list()[0];
    expect(job.status).toBe(status);
    if (message) expect(job.error).toMatch(message);
    if (minWait) expect(waits[0]).toBeGreaterThanOrEqual(minWait);
    // The estimate went on the ledger before the request; a request turned away is balanced by a cost of 0.
    const lines = await ledgerLines(dir);
    expect(lines.filter((l) => l.kind === 'estimate').map((l) => [l.jobId, l.usd, l.idempotencyKey])).toEqual([[job.id, 0.42, log.submits[0]]]);
    const actual = lines.filter((l) => l.kind === 'actual');
    if (zeroCost) expect(actual).toEqual([expect.objectContaining({ jobId: job.id, usd: 0, idempotencyKey: log.submits[0], note: expect.stringMatching(/nothing was charged/) })]);
    else expect(actual).toEqual([]);
    // The take says what the ledger says: a refusal cost $0 (not the $0.42 estimate); otherwise no charge is known.
    const take = session.current.shots[0].takes[0];
    expect(take.actualUsd).toBe(zeroCost ? 0 : undefined);
    expect(take.estimatedUsd).toBe(0.42);
  });

  it('a take refused under an older version (no cost on the job) shows the ledger’s $0 when the project is opened', async () => {
    const { adapter } = stepped({ submits: [() => providerError('policy', { providerMessage: 'flagged', status: 422 })] });
    const dir = await project({ name: 'old-refusal', prompts: ['flagged'] });
    const first = await recordingEngine({ dir, adapter });
    await first.engine.generate();
    await first.engine.idle();
    await first.engine.close();
    await first.session.close();
    // As the previous version left it: the ledger has the refusal's 0, the journal and the take do not.
    const strip = async (file: string, fn: (doc: any) => void) => {
      const doc = JSON.parse(await fs.readFile(path.join(dir, file), 'utf8'));
      fn(doc);
      await fs.writeFile(path.join(dir, file), JSON.stringify(doc));
    };
    await strip('jobs.json', (doc) => doc.jobs.forEach((j: { actualUsd?: number }) => delete j.actualUsd));
    await strip('project.json', (doc) => delete doc.shots[0].takes[0].actualUsd);
    expect((await ledgerLines(dir)).filter((l) => l.kind === 'actual').map((l) => l.usd)).toEqual([0]);

    const { session } = await recordingEngine({ dir, adapter });
    expect(session.current.shots[0].takes[0]).toMatchObject({ status: 'failed', estimatedUsd: 0.42, actualUsd: 0 });
  });

  it('where the provider can be asked, an outage at submit is looked up by the key instead of left to a person', async () => {
    const { adapter, log } = stepped({
      submits: [() => providerError('outage', { status: 500 })],
      reconcile: () => ({ ref: JSON.stringify({ requestId: 'found-by-key' }) }),
    });
    const { engine } = await recordingEngine({ dir: await project({ name: 'lookup', prompts: ['looked up'] }), adapter });
    await engine.generate();
    await engine.idle();
    expect(log.submits).toHaveLength(1);
    expect(log.reconciles).toEqual(log.submits);
    expect(engine.list()[0]).toMatchObject({ providerJobId: 'found-by-key', status: 'failed' });
  });

  it('puts the estimate on the ledger before the request leaves', async () => {
    let release!: () => void;
    const { adapter, log } = stepped({ hold: new Promise<void>((r) => (release = r)) });
    const dir = await project({ name: 'ahead', prompts: ['ahead'] });
    const { engine } = await recordingEngine({ dir, adapter });
    await engine.generate();
    await waitUntil(() => log.submits.length === 1);
    // The request is in flight: the journal says submitting and the ledger already has its estimate.
    const journal = await readJournal(dir);
    expect(journal.kind === 'ok' && journal.data.jobs.map((j) => j.status)).toEqual(['submitting']);
    expect((await ledgerLines(dir)).map((l) => [l.kind, l.idempotencyKey])).toEqual([['estimate', log.submits[0]]]);
    release();
    await engine.idle();
    expect((await ledgerLines(dir)).filter((l) => l.kind === 'estimate')).toHaveLength(1);
  });
});

async function waitUntil(check: () => boolean, timeoutMs = 5000) {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('planning: one bad shot does not block the rest', () => {
  /** Seven shots; shot 7 has an end frame and no start frame. Shots 1–5 already have animatic drafts. */
  async function film(provider: ProviderId, adapter: ProviderAdapter = scripted().adapter) {
    const dir = await project({ name: 'plan', prompts: ['one', 'two', 'three', 'four', 'five', 'six', 'seven'] });
    await fs.mkdir(path.join(dir, 'media', 'refs'), { recursive: true });
    await fs.writeFile(path.join(dir, 'media', 'refs', 'end.png'), png(640, 360));
    const { engine, session } = await engineFor({ dir, adapter, scheduler: new SlotScheduler(), start: false });
    session.mutate((p) => {
      p.settings.provider = provider;
      p.shots[6].endFrame = 'media/refs/end.png';
      for (const shot of p.shots.slice(0, 5)) {
        const hash = shotHashes(p).get(shot.id)!.draft;
        shot.takes.push({ id: `t-${shot.id}`, jobId: `j-${shot.id}`, provider: 'animatic', tier: 'standard', request: { hash, params: {} }, status: 'ready', estimatedUsd: 0, review: { rating: 0, flag: 'none', notes: [] }, createdAt: new Date().toISOString() });
      }
    });
    return { engine, session };
  }

  it('on fal: generates the six valid shots (five replacing animatic drafts), prices only them, and lists shot 7 with its problem', async () => {
    const { engine, session } = await film('fal');
    const plan = await engine.plan();
    const ids = session.current.shots.map((s) => s.id);
    expect(plan.units.map((u) => u.shotIds[0])).toEqual(ids.slice(0, 6));
    expect(plan.draftShotIds).toEqual(ids.slice(0, 5));
    expect(plan.blockedShotIds).toEqual([ids[6]]);
    expect(plan.skipped).toEqual([{ shotId: ids[6], reason: 'shot 7 “S7”, end frame: an end frame needs a start frame', problem: true }]);
    // 6 × 5 s at fal standard without audio ($0.084/s): $2.52 — shot 7 is not in the price.
    expect(plan.estimatedUsd).toBe(2.52);
  });

  it('sends the valid shots and says which were skipped; nothing of shot 7 reaches the provider', async () => {
    const { adapter, submits } = scripted();
    const { engine, session } = await film('fal', adapter);
    const res = await engine.generate();
    expect(res.jobIds).toHaveLength(6);
    expect(res.skipped.filter((s) => s.problem).map((s) => s.shotId)).toEqual([session.current.shots[6].id]);
    engine.start();
    await engine.idle();
    expect(submits.sort()).toEqual(['five', 'four', 'one', 'six', 'three', 'two']);
  });

  it('on the animatic, which accepts an end frame alone, renders shot 7 too and leaves the drafts alone', async () => {
    const { engine, session } = await film('animatic');
    const plan = await engine.plan();
    expect(plan.issues).toEqual([]);
    expect(plan.units.map((u) => u.shotIds[0])).toEqual(session.current.shots.slice(5).map((s) => s.id));
  });

  it('refuses, sending nothing, when the confirmed total is lower than what the batch would now cost', async () => {
    const { engine } = await film('fal');
    await expect(engine.generate({ expectedUsd: 0.42 })).rejects.toThrow('Nothing was sent: the shots changed since you confirmed $0.42, and generating them now would cost $2.52.');
    expect(engine.list()).toEqual([]);
  });
});
