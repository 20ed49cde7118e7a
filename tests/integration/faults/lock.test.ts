// Issue 11 "Nothing lost under faults" (items 7, 8) and issue 10 item 14: the project lock under faults.
// An empty or torn lock, a lock whose process is gone, and a lock carried along by a copied folder are taken
// over with a note; processes racing for a stale lock leave exactly one winner; and the commands that write a
// project (`import-take`, `resolve`) refuse while a studio has it open, instead of being undone by its next save.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Studio } from '../../../electron/core/api';
import { LOCK_FILE, acquireProjectLock } from '../../../electron/core/project/lock';
import { makeProject, runCli } from '../engine/helpers';
import { tempDir } from '../helpers';

let base: string;
beforeAll(async () => {
  base = await tempDir('sr-faults-lock-');
});
afterAll(() => fs.rm(base, { recursive: true, force: true }));

let n = 0;
async function project(): Promise<string> {
  const dir = path.join(base, `p${++n}.storyreel`);
  await makeProject({ dir, shots: [{ title: 'Harbour', prompt: 'The harbour at dawn', durationSec: 3 }] });
  return dir;
}

const lockOf = async (dir: string) => JSON.parse(await fs.readFile(path.join(dir, LOCK_FILE), 'utf8')) as { pid: number; host: string; dir: string };
/** A pid that certainly no longer runs: a child that has already exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;

describe('a lock that holds nothing is taken over, with a note', () => {
  it.each([
    ['an empty', ''],
    ['a torn', '{"pid": 12'],
  ])('%s lock file: the project opens (it used to fail with a SyntaxError)', async (_kind, text) => {
    const dir = await project();
    await fs.writeFile(path.join(dir, LOCK_FILE), text);
    const studio = await Studio.open(dir, { host: 'cli' });
    try {
      expect(studio.lockNote).toMatch(/empty or damaged.*took it over/);
      expect((await lockOf(dir)).pid).toBe(process.pid);
    } finally {
      await studio.close();
    }
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it('a lock left by a process that is gone: taken over, naming that process', async () => {
    const dir = await project();
    const dead = deadPid();
    await fs.writeFile(path.join(dir, LOCK_FILE), JSON.stringify({ pid: dead, host: os.hostname(), dir: await fs.realpath(dir), startedAt: '2026-01-01T00:00:00Z' }));
    const studio = await Studio.open(dir, { host: 'cli' });
    try {
      expect(studio.lockNote).toContain(`process ${dead}`);
      expect(studio.lockNote).toContain('no longer running');
    } finally {
      await studio.close();
    }
  });

  it('a folder copied while its project is open: the copy opens with a note, the original stays locked', async () => {
    const original = await project();
    const holder = await Studio.open(original, { host: 'cli' });
    try {
      const copy = path.join(base, 'copied.storyreel');
      await fs.cp(original, copy, { recursive: true });
      // The copy carries the original's lock: same computer, a live process — but another folder.
      expect((await lockOf(copy)).pid).toBe(process.pid);
      // A second process opens the copy (a person double-clicking it while the original is open).
      const opened = await runCli(['jobs', copy], {});
      expect(opened.code).toBe(0);
      const studio = await Studio.open(copy, { host: 'cli' }).catch((err: Error) => err);
      expect(studio).toBeInstanceOf(Studio);
      const s = studio as Studio;
      expect(s.lockNote).toContain(await fs.realpath(original));
      expect(s.lockNote).toMatch(/copy/);
      expect((await lockOf(copy)).dir).toBe(await fs.realpath(copy));
      await s.close();
      // The original is still held by its studio.
      await expect(acquireProjectLock(original)).rejects.toMatchObject({ code: 'PROJECT_BUSY' });
    } finally {
      await holder.close();
    }
  });

  it('a lock from another computer on the same folder still holds (it cannot be shown dead)', async () => {
    const dir = await project();
    await fs.writeFile(path.join(dir, LOCK_FILE), JSON.stringify({ pid: 1, host: 'editing-suite-2', dir: await fs.realpath(dir), startedAt: '2026-01-01T00:00:00Z' }));
    await expect(Studio.open(dir, { host: 'cli' })).rejects.toThrow(/process 1 on editing-suite-2.*nothing was changed/);
  });
});

describe('processes racing for a stale lock', () => {
  const RACERS = 5;
  const racer = path.join(__dirname, 'lock-racer.ts');

  function start(dir: string) {
    const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', racer, dir], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (err += d));
    const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
    const lineCount = () => out.split('\n').filter(Boolean).length;
    const until = (count: number) =>
      new Promise<void>((resolve, reject) => {
        const check = () => (lineCount() >= count ? resolve() : proc.exitCode !== null ? reject(new Error(`racer exited: ${out}\n${err}`)) : setTimeout(check, 20));
        check();
      });
    return { proc, out: () => out, until, exited };
  }

  it.each([1, 2, 3])(`${RACERS} processes take over the same dead lock at once: exactly one wins (trial %i)`, async () => {
    const dir = await project();
    await fs.writeFile(path.join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid(), host: os.hostname(), dir: await fs.realpath(dir), startedAt: '2026-01-01T00:00:00Z' }));
    const racers = Array.from({ length: RACERS }, () => start(dir));
    try {
      await Promise.all(racers.map((r) => r.until(1))); // every one loaded and waiting
      for (const r of racers) r.proc.stdin!.write('go\n');
      await Promise.all(racers.map((r) => r.until(2))); // every one has its answer (winners still hold)
      const answers = racers.map((r) => r.out().split('\n')[1]);
      const winners = answers.filter((a) => a.startsWith('won'));
      expect(winners, answers.join('\n')).toHaveLength(1);
      expect(winners[0]).toContain('no longer running');
      for (const a of answers.filter((x) => !x.startsWith('won'))) expect(a).toMatch(/^busy This project is already open in another Storyreel \(process \d+/);
      const winner = racers[answers.findIndex((a) => a.startsWith('won'))];
      expect((await lockOf(dir)).pid).toBe(winner.proc.pid);
    } finally {
      for (const r of racers) r.proc.stdin!.end();
      await Promise.all(racers.map((r) => r.exited));
    }
    // No claim or temp file is left behind.
    expect((await fs.readdir(dir)).filter((f) => f.startsWith(LOCK_FILE))).toEqual([]);
  });
});

describe('commands that write a project respect the studio that has it open', () => {
  it('import-take refuses while a studio holds the project, and the take is not orphaned', async () => {
    const dir = await project();
    const clip = path.join(base, 'edit.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=24:duration=1', '-pix_fmt', 'yuv420p', clip]);
    const studio = await Studio.open(dir, { host: 'browser' });
    const before = await fs.readFile(path.join(dir, 'project.json'), 'utf8');
    let refused;
    try {
      refused = await runCli(['import-take', dir, '1', clip], {});
      // The studio carries on editing and saving, as it would.
      await studio.call('project.rename', { name: 'Renamed in the studio' });
      await studio.session.flush();
    } finally {
      await studio.close();
    }
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`already open in another Storyreel (process ${process.pid}`);
    expect(refused.stderr).toContain('the clip was not imported and nothing was changed');
    expect(refused.stderr).toContain('drop the clip on the shot');
    expect(JSON.parse(before).shots[0].takes).toEqual([]);
    // Nothing was copied that the project does not know about.
    const files = await fs.readdir(path.join(dir, 'media'), { recursive: true, withFileTypes: true }).catch(() => []);
    expect(files.filter((f) => f.isFile()).map((f) => f.name)).toEqual([]);

    // With the studio closed, the import goes in and stays: it is in project.json with its file on disk.
    const imported = await runCli(['import-take', dir, '1', clip], {});
    expect(imported.code, imported.stderr).toBe(0);
    const doc = JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8'));
    expect(doc.name).toBe('Renamed in the studio');
    expect(doc.shots[0].takes).toHaveLength(1);
    expect(existsSync(path.join(dir, doc.shots[0].takes[0].media.path))).toBe(true);
    // …and a studio opened afterwards keeps it.
    const reopened = await Studio.open(dir, { host: 'cli' });
    try {
      expect(reopened.session.current.shots[0].takes).toHaveLength(1);
    } finally {
      await reopened.close();
    }
  });

  it('resolve refuses while a studio holds the project; the decision is made once it is closed', async () => {
    const dir = await project();
    const doc = JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8'));
    const now = new Date().toISOString();
    const spec = { provider: 'fal', tier: 'standard', aspectRatio: '16:9', durationSec: 5, audio: false, cfgScale: 0.5, negativePrompt: '', prompt: doc.shots[0].prompt, voiceIds: [], elements: [] };
    // A fal request caught mid-send by a crash: fal cannot be asked whether it arrived, so it needs a decision.
    const entry = { id: 'job_1', unitKey: '', shotIds: [doc.shots[0].id], takeIds: ['take_1'], label: 'shot 1', provider: 'fal', status: 'submitting', progress: 0, createdAt: now, updatedAt: now, spec, hash: 'h', idempotencyKey: 'old-1', estimatedUsd: 0.42, submittedAt: now };
    await fs.writeFile(path.join(dir, 'jobs.json'), JSON.stringify({ version: 2, jobs: [entry] }));
    // fal is configured (a closed port: nothing is sent anyway — a job caught mid-send is never re-sent on its own).
    const fal = { baseUrl: 'http://127.0.0.1:9', credentials: { key: 'k:s' } };
    const env = { FAL_KEY: 'k:s', STORYREEL_FAL_URL: fal.baseUrl };
    const studio = await Studio.open(dir, { host: 'browser', resolveConfig: (id) => (id === 'fal' ? fal : undefined) });
    let refused;
    try {
      await studio.engine.idle();
      expect(studio.engine.list()[0].status).toBe('needs-attention');
      refused = await runCli(['resolve', dir, 'job_1', 'mark-failed'], env);
    } finally {
      await studio.close();
    }
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`already open in another Storyreel (process ${process.pid}`);
    expect(refused.stderr).toContain('the job was not settled and nothing was changed');
    expect(refused.stderr).toContain('Jobs panel');
    const journal = JSON.parse(await fs.readFile(path.join(dir, 'jobs.json'), 'utf8'));
    expect(journal.jobs[0].status).toBe('needs-attention');

    const resolved = await runCli(['resolve', dir, 'job_1', 'mark-failed'], env);
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stdout).toContain('is marked failed');
    const reopened = await Studio.open(dir, { host: 'cli' });
    try {
      expect(reopened.engine.list()[0].status).toBe('failed');
    } finally {
      await reopened.close();
    }
  });
});
