import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, acquireProjectLock } from '../../../electron/core/project/lock';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sr-lock-'));
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

describe('one studio per project', () => {
  it('refuses a second opener while the first holds the project, naming it, and lets go on release', async () => {
    const release = await acquireProjectLock(dir);
    await expect(acquireProjectLock(dir)).rejects.toMatchObject({ code: 'PROJECT_BUSY', message: expect.stringContaining(`process ${process.pid}`) });
    await release();
    await expect(fs.stat(path.join(dir, LOCK_FILE))).rejects.toThrow();
    const again = await acquireProjectLock(dir);
    await again();
  });

  it('takes over a lock left by a process that died (a crash or a SIGKILL)', async () => {
    // A pid that certainly no longer runs: a child that has already exited.
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    await fs.writeFile(path.join(dir, LOCK_FILE), JSON.stringify({ pid: dead, host: os.hostname(), startedAt: '2026-01-01T00:00:00Z' }));
    const release = await acquireProjectLock(dir);
    expect(JSON.parse(await fs.readFile(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    await release();
  });

  it('does not take a lock held from another computer (a shared or USB folder)', async () => {
    await fs.writeFile(path.join(dir, LOCK_FILE), JSON.stringify({ pid: 1, host: 'editing-suite-2', startedAt: '2026-01-01T00:00:00Z' }));
    await expect(acquireProjectLock(dir)).rejects.toThrow(/on editing-suite-2.*delete/);
  });
});
