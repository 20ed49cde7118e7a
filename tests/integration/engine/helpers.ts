// Shared by the engine's integration tests: small projects made in-process, the real `storyreel` command
// as a child process that can be killed, and the invariants the issue asks to hold after any crash.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { createProjectFolder, newProject, newShot } from '../../../electron/core/project/project-folder';
import { estimateUsd } from '../../../shared/pricing';
import { ProjectSchema, type ProviderId } from '../../../shared/schema';
import type { RunningMock } from '../../mock-providers/common';
import { FAL_MOCK_KEY } from '../../mock-providers/fal';
import { KLING_MOCK_ACCESS_KEY, KLING_MOCK_SECRET_KEY } from '../../mock-providers/kling';
import { LUMENFALL_MOCK_KEY } from '../../mock-providers/lumenfall';
import { REPLICATE_MOCK_TOKEN } from '../../mock-providers/replicate';
import { CLI, ROOT, ffprobe } from '../helpers';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function providerEnv(provider: Exclude<ProviderId, 'animatic'>, url: string): Record<string, string> {
  switch (provider) {
    case 'fal':
      return { FAL_KEY: FAL_MOCK_KEY, STORYREEL_FAL_URL: url };
    case 'replicate':
      return { REPLICATE_API_TOKEN: REPLICATE_MOCK_TOKEN, STORYREEL_REPLICATE_URL: `${url}/v1` };
    case 'lumenfall':
      return { LUMENFALL_API_KEY: LUMENFALL_MOCK_KEY, STORYREEL_LUMENFALL_URL: `${url}/openai/v1` };
    case 'kling':
      return { KLING_ACCESS_KEY: KLING_MOCK_ACCESS_KEY, KLING_SECRET_KEY: KLING_MOCK_SECRET_KEY, STORYREEL_KLING_URL: url };
  }
}

/** Every secret the mocks accept: none may ever appear in a message, a journal or a project file. */
export const SECRETS = [FAL_MOCK_KEY, FAL_MOCK_KEY.split(':')[1], REPLICATE_MOCK_TOKEN, LUMENFALL_MOCK_KEY, KLING_MOCK_SECRET_KEY].filter(Boolean);

export interface ShotInput {
  title: string;
  prompt: string;
  durationSec: number;
}

/** A project folder with these shots (and groups of shot indexes), made in-process. */
export async function makeProject(opts: { dir: string; shots: ShotInput[]; groups?: number[][]; provider?: ProviderId; budgetUsd?: number }): Promise<void> {
  const shots = opts.shots.map((s) => newShot(s));
  const project = newProject(path.basename(opts.dir), shots);
  project.groups = (opts.groups ?? []).map((g, i) => ({ id: `group_${i + 1}`, shotIds: g.map((n) => shots[n].id), shotType: 'customize' as const }));
  if (opts.provider) project.settings.provider = opts.provider;
  if (opts.budgetUsd !== undefined) project.settings.budgetUsd = opts.budgetUsd;
  await createProjectFolder(opts.dir, project);
}

export interface Child {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `storyreel <args>` as a child process with short waits. */
export function startCli(args: string[], env: Record<string, string>): Child {
  const proc = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, STORYREEL_TIMING_SCALE: '0.05', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return { proc, stdout: () => out, stderr: () => err, exited };
}

export async function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = startCli(args, env);
  const { code } = await child.exited;
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}

export interface JournalJob {
  id: string;
  status: string;
  shotIds: string[];
  takeIds: string[];
  idempotencyKey: string;
  providerRef?: string;
  error?: string;
  estimatedUsd: number;
  spec: { provider: ProviderId; tier: 'standard' | 'pro' | '4k'; durationSec: number; audio: boolean; voiceIds: string[]; prompt?: string; shots?: { prompt: string }[] };
  media?: { media: { path: string; sha256: string } }[];
}

export async function readJobs(dir: string): Promise<JournalJob[]> {
  const text = await fs.readFile(path.join(dir, 'jobs.json'), 'utf8').catch(() => '');
  if (!text) return [];
  try {
    return (JSON.parse(text) as { jobs: JournalJob[] }).jobs;
  } catch {
    return []; // never torn (atomic writes), but a test must not crash on a half-written read
  }
}

/** Waits until `check` holds, polling quickly; fails the test with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(15);
  }
  throw new Error(`timed out waiting for ${what}`);
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The mock's log entries that submitted the given job (by the text it carries or its idempotency key). */
export function submissionsOf(mock: RunningMock, job: JournalJob): number {
  const text = job.spec.prompt ?? job.spec.shots?.[0]?.prompt ?? '';
  return mock.state.log.filter((r) => {
    if (r.stage !== 'submit') return false;
    const body = JSON.stringify(r.body ?? '');
    return body.includes(job.idempotencyKey) || (text !== '' && body.includes(JSON.stringify(text).slice(1, -1)));
  }).length;
}

/**
 * What must hold after any crash and restart (issue: "Crash test"): every job ready unless `otherwise`
 * names another state for it; one take per job and shot, none duplicated; every ready take's file whole (its hash
 * matches, ffprobe reads it, it is as long as the shot, no `.part` in its place); project.json valid;
 * and the ledger has one estimate for each submission, the pricing table's.
 */
export async function expectConsistent(opts: {
  dir: string;
  otherwise?: Record<string, 'needs-attention' | 'failed' | 'canceled'>;
  /** Jobs a person sent again ("submit again"), with the keys of their earlier submissions. */
  resubmitted?: Record<string, string[]>;
}): Promise<{ jobs: JournalJob[] }> {
  const { dir } = opts;
  const jobs = await readJobs(dir);
  const doc = ProjectSchema.parse(JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8')));
  for (const job of jobs) expect(job.status, `${job.id}: ${job.error ?? ''}`).toBe(opts.otherwise?.[job.id] ?? 'ready');
  const byId = new Map(jobs.map((j) => [j.id, j]));
  for (const shot of doc.shots) {
    const ids = shot.takes.map((t) => t.id);
    expect(new Set(ids).size, `takes of ${shot.title}`).toBe(ids.length);
    // One take per job that covered this shot: none lost, none duplicated.
    const expected = jobs.filter((j) => j.shotIds.includes(shot.id)).length;
    expect(shot.takes.length, `takes of ${shot.title}`).toBe(expected);
    for (const take of shot.takes) {
      const job = byId.get(take.jobId);
      expect(job, `take ${take.id} has its job in the journal`).toBeDefined();
      expect(take.status).toBe(job!.status);
      if (take.status !== 'ready') {
        expect(take.media).toBeUndefined();
        continue;
      }
      expect(take.media!.path.endsWith('.mp4') && !take.media!.path.includes('.part')).toBe(true);
      const file = path.join(dir, take.media!.path);
      expect(sha256(await fs.readFile(file)), `hash of ${take.media!.path}`).toBe(take.media!.sha256);
      expect(existsSync(`${file}.part`), `${take.media!.path}.part left beside a ready take`).toBe(false);
      const probed = await ffprobe(file);
      expect(probed.streams.some((s) => s.codec_type === 'video')).toBe(true);
      expect(Math.abs(Number(probed.format.duration) - shot.durationSec)).toBeLessThan(0.35);
    }
    if (shot.takes.some((t) => t.status === 'ready')) expect(shot.takes.find((t) => t.id === shot.selectedTakeId)?.status).toBe('ready');
  }
  const ledger = (await fs.readFile(path.join(dir, 'ledger.jsonl'), 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { kind: string; jobId: string; usd: number; idempotencyKey?: string });
  for (const job of jobs) {
    // One estimate per submission that may have cost money — the job's own, and any earlier one a person
    // chose to send again — each the pricing table's figure. A job never sent has none.
    const estimates = ledger.filter((l) => l.kind === 'estimate' && l.jobId === job.id);
    const sent = job.providerRef !== undefined || job.status === 'needs-attention' || estimates.length > 0;
    const keys = sent ? [...(opts.resubmitted?.[job.id] ?? []), job.idempotencyKey] : [];
    expect(estimates.map((e) => e.idempotencyKey), `ledger estimates of ${job.id}`).toEqual(keys);
    const table = estimateUsd({ provider: job.spec.provider, tier: job.spec.tier, durationSec: job.spec.durationSec, audio: job.spec.audio, voiceControl: job.spec.voiceIds.length > 0 });
    for (const e of estimates) expect(e.usd, `ledger estimate of ${job.id}`).toBe(table);
  }
  const files = [await fs.readFile(path.join(dir, 'jobs.json'), 'utf8'), await fs.readFile(path.join(dir, 'project.json'), 'utf8')];
  for (const secret of SECRETS) for (const f of files) expect(f.includes(secret)).toBe(false);
  return { jobs };
}
