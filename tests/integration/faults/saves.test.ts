// Saves under faults: a disk that fills up (or turns read-only) and comes back, edits that never pause,
// and quitting with edits that could not be written. The disk is the one thing injected: the session's
// writer fails like the file system does (an errno error), then hands over to the real save.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROJECT_FILE, createProjectFolder, newProject, newShot, saveProjectFolder } from '../../../electron/core/project/project-folder';
import { ProjectSession, type ProjectWriter } from '../../../electron/core/project/session';
import type { Project } from '../../../shared/schema';

let root: string;
let dir: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'sr-fault-saves-'));
  dir = path.join(root, 'Film.storyreel');
  await createProjectFolder(dir, newProject('Film', [newShot({ title: 'One', prompt: 'a lighthouse', durationSec: 4 })]));
});
afterEach(async () => {
  vi.useRealTimers();
  await fs.rm(root, { recursive: true, force: true });
});

function diskError(code: 'ENOSPC' | 'EROFS', file: string): NodeJS.ErrnoException {
  const text = code === 'ENOSPC' ? 'no space left on device' : 'read-only file system';
  return Object.assign(new Error(`${code}: ${text}, write '${file}'`), { code, syscall: 'write', path: file, errno: -28 });
}

/** A disk that fails with `code` while `broken.on` is true, and is the real disk otherwise. */
function flakyDisk(code: 'ENOSPC' | 'EROFS') {
  const broken = { on: true, attempts: 0 };
  const writer: ProjectWriter = async (d, project) => {
    broken.attempts += 1;
    if (broken.on) throw diskError(code, path.join(d, PROJECT_FILE));
    await saveProjectFolder(d, project);
  };
  return { broken, writer };
}

const onDisk = async (): Promise<Project> => JSON.parse(await fs.readFile(path.join(dir, PROJECT_FILE), 'utf8')) as Project;
const rename = (session: ProjectSession, name: string) => session.edit('Rename project', (p) => void (p.name = name));

describe('a failed save does not poison later saves', () => {
  it('after a full disk frees up, the next save writes every edit (and the one after that too)', async () => {
    const { broken, writer } = flakyDisk('ENOSPC');
    const session = await ProjectSession.open(dir, { writer });
    rename(session, 'Draft 1');
    await expect(session.flush()).rejects.toThrow(/disk is full/);
    expect(session.state().saved).toBe(false);

    broken.on = false; // space came back
    rename(session, 'Draft 2');
    await session.flush();
    expect((await onDisk()).name).toBe('Draft 2');
    expect(session.state().saved).toBe(true);
    expect(session.state().saveError).toBeUndefined();

    rename(session, 'Draft 3');
    await session.flush();
    expect((await onDisk()).name).toBe('Draft 3');
    await session.close();
  });

  it('retries by itself once the cause is gone, without another edit', async () => {
    const { broken, writer } = flakyDisk('EROFS');
    const session = await ProjectSession.open(dir, { writer });
    session.saveDelayMs = 0;
    session.retryDelayMs = 20;
    const failed = new Promise((resolve) => session.once('saveError', resolve));
    rename(session, 'Written later');
    await failed;
    broken.on = false;
    // No edit and no explicit save from here: the session's own retry must reach the disk.
    await vi.waitFor(async () => expect((await onDisk()).name).toBe('Written later'), { timeout: 5000, interval: 20 });
    await vi.waitFor(() => expect(session.state().saved).toBe(true));
    await session.close();
  });

  it('says plainly that edits are only in memory, with the path, and what to do', async () => {
    const { writer } = flakyDisk('ENOSPC');
    const session = await ProjectSession.open(dir, { writer });
    const states: ReturnType<ProjectSession['state']>[] = [];
    session.on('changed', (s) => states.push(s));
    rename(session, 'Lost?');
    const err = (await session.flush().catch((e: Error) => e)) as Error;
    const saveError = session.state().saveError;
    expect(saveError?.reason).toBe('the disk is full');
    expect(saveError?.message).toContain(path.join(dir, PROJECT_FILE));
    expect(saveError?.message).toMatch(/only in memory/);
    expect(saveError?.message).toMatch(/Free some space/);
    expect(saveError?.message).not.toMatch(/the next edit retries/);
    expect(err.message).toBe(saveError?.message);
    expect(err.message).not.toMatch(/\n\s+at /); // no stack trace
    // The studio hears about it (a changed state carrying the failure), not only the caller of flush().
    expect(states.at(-1)?.saveError?.reason).toBe('the disk is full');
    await session.close().catch(() => {});
  });

  it('quitting with unsaved edits tries once more: saved when the disk is back', async () => {
    const { broken, writer } = flakyDisk('ENOSPC');
    const session = await ProjectSession.open(dir, { writer });
    rename(session, 'Kept at quit');
    await session.flush().catch(() => {});
    broken.on = false;
    await session.close();
    expect((await onDisk()).name).toBe('Kept at quit');
  });

  it('quitting when the disk is still full says where it failed and what is on disk', async () => {
    const { broken, writer } = flakyDisk('ENOSPC');
    const session = await ProjectSession.open(dir, { writer });
    rename(session, 'Never written');
    await session.flush().catch(() => {});
    const before = broken.attempts;
    const err = (await session.close().catch((e: Error) => e)) as Error;
    expect(broken.attempts).toBe(before + 1); // it did try once more
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/closed with unsaved edits/);
    expect(err.message).toContain(`could not write to ${path.join(dir, PROJECT_FILE)}: the disk is full`);
    expect(err.message).toMatch(/still holds the last save/);
    expect((await onDisk()).name).toBe('Film');
  });
});

describe('saves under edits that never pause', () => {
  it('edits 200 ms apart for 6 s are written at least once a second', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const written: { at: number; name: string }[] = [];
    const start = Date.now();
    const session = await ProjectSession.open(dir, { writer: async (_d, p) => void written.push({ at: Date.now() - start, name: p.name }) });
    for (let i = 1; i <= 30; i++) {
      rename(session, `Take ${i}`);
      await vi.advanceTimersByTimeAsync(200);
    }
    // 6 s of edits: at least five writes while the edits kept coming, none more than a second apart.
    expect(written.length).toBeGreaterThanOrEqual(5);
    const gaps = written.map((w, i) => w.at - (i ? written[i - 1].at : 0));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(written.at(-1)?.name).toBe('Take 30');
    vi.useRealTimers();
    await session.close();
  });
});

describe('a project from a newer Storyreel', () => {
  it('is refused whole: not replaced by its backup, nothing on disk changed, and the needed version named', async () => {
    const { SCHEMA_VERSION } = await import('../../../shared/schema');
    // A normal save first, so project.json.bak exists (the older state the old code fell back to).
    const session = await ProjectSession.open(dir);
    rename(session, 'Saved by this build');
    await session.close();
    const future = { ...(await onDisk()), schemaVersion: SCHEMA_VERSION + 1, name: 'Saved by a newer build', newerField: { kept: true } };
    await fs.writeFile(path.join(dir, PROJECT_FILE), JSON.stringify(future));
    const before = new Map<string, string>();
    for (const f of await fs.readdir(dir)) if (f.startsWith('project.json')) before.set(f, await fs.readFile(path.join(dir, f), 'utf8'));

    const err = (await ProjectSession.open(dir).catch((e: Error) => e)) as Error & { code?: string };
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('PROJECT_TOO_NEW');
    expect(err.message).toContain(`project schema ${SCHEMA_VERSION + 1}`);
    expect(err.message).toContain(`up to schema ${SCHEMA_VERSION}`);
    expect(err.message).toMatch(/nothing on disk was changed/);

    const after = new Map<string, string>();
    for (const f of await fs.readdir(dir)) if (f.startsWith('project.json')) after.set(f, await fs.readFile(path.join(dir, f), 'utf8'));
    expect(after).toEqual(before); // no damaged-copy, no rewritten project.json, the backup untouched
  });
});
