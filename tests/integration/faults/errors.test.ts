// OS errors become sentences for a person — the path, what was kept safe, what to do — and never a stack
// trace; a write cut off by a full disk leaves no empty temp file behind.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { atomicWriteFile } from '../../../electron/core/project/atomic-write';
import { serializeError } from '../../../shared/errors';
import { storyreel } from '../helpers';

const STACK = /\n\s+at .+:\d+/;

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sr-fault-errors-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('a full disk during an atomic write', () => {
  it('leaves the old file whole, no temp file behind, and an error that names the file', async () => {
    const target = path.join(dir, 'project.json');
    await fs.writeFile(target, '{"name":"before"}\n');
    // Like a real full disk: the temp file is created (empty), then the write fails — /dev/full answers
    // every write with ENOSPC.
    const fullDisk = {
      async open(file: string, flags: string) {
        await fs.writeFile(file, '');
        return fs.open('/dev/full', flags);
      },
    };
    const err = (await atomicWriteFile(target, '{"name":"after"}\n', fullDisk).catch((e: unknown) => e)) as NodeJS.ErrnoException;
    expect(err.code).toBe('ENOSPC');
    expect(err.path).toBe(target);
    expect(await fs.readdir(dir)).toEqual(['project.json']);
    expect(await fs.readFile(target, 'utf8')).toBe('{"name":"before"}\n');

    // What a person is shown for it (the host's error answers and the Electron IPC go through this).
    const shown = serializeError(err).message;
    expect(shown).toContain(`could not write to ${target}: the disk is full (ENOSPC)`);
    expect(shown).toMatch(/unchanged/);
    expect(shown).toMatch(/Free some space on that disk/);
    expect(shown).not.toMatch(STACK);
  });

  it('a read-only disk is said in plain words too', () => {
    const erofs = Object.assign(new Error("EROFS: read-only file system, open '/media/card/film.storyreel/project.json'"), {
      code: 'EROFS',
      syscall: 'open',
      path: '/media/card/film.storyreel/project.json',
    });
    expect(serializeError(erofs).message).toBe(
      'Storyreel could not write to /media/card/film.storyreel/project.json: the disk is read-only (EROFS). ' +
        'Files Storyreel had already saved are unchanged (every save writes a whole new file, or nothing). ' +
        'Move the project to a disk you can write to (or make this one writable), then try again.',
    );
  });
});

describe('the command line', () => {
  it('says what went wrong with a path under a file, without a stack trace', async () => {
    const file = path.join(dir, 'not-a-folder');
    await fs.writeFile(file, 'x');
    const target = path.join(file, 'film.storyreel');
    const run = await storyreel(['new', target]);
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(STACK);
    expect(run.stderr).not.toMatch(/unexpected error/);
    expect(run.stderr).toMatch(/^storyreel: Storyreel could not create .*not-a-folder.*: part of that path is a file, not a folder \(ENOTDIR\)\./);
    expect(run.stderr).toMatch(/then try again\./);
    expect(await fs.readFile(file, 'utf8')).toBe('x');
  });
});
