// What `storyreel new --shots` and the studio do with input that is not what it claims to be: a CSV saved
// in Latin-1 is refused with the row and column of its first non-UTF-8 byte (never imported as "�"), and a
// start frame that is a device (/dev/zero), a pipe or a folder is refused before it is read, not hung on.
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Studio } from '../../../electron/core/api';
import { createProjectFolder, newProject, newShot } from '../../../electron/core/project/project-folder';
import { png } from '../../helpers/png';
import { storyreel, tempDir } from '../helpers';

let base: string;
beforeAll(async () => {
  base = await tempDir('sr-csv-fault-');
  await fs.writeFile(path.join(base, 'frame.png'), png(640, 360));
});
afterAll(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

async function newFrom(name: string, csv: Buffer): Promise<{ code: number; stderr: string; dir: string }> {
  const file = path.join(base, `${name}.csv`);
  await fs.writeFile(file, csv);
  const dir = path.join(base, `${name}.storyreel`);
  const r = await storyreel(['new', dir, '--shots', file]);
  return { code: r.code, stderr: r.stderr, dir };
}

const HEADER = 'title,prompt,duration,start_frame\n';

describe('shot list encodings', () => {
  it('refuses a Latin-1 CSV naming the row, the column and the byte, and writes nothing', async () => {
    const csv = Buffer.from(`${HEADER}Dawn,a lighthouse at dawn,4,\nCafé,crème brûlée on a table,5,\n`, 'latin1');
    const r = await newFrom('latin1', csv);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('row 3, column title: byte 0xE9 is not UTF-8');
    expect(r.stderr).toContain('"é"');
    expect(r.stderr).toMatch(/Save it as UTF-8/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(r.dir)).toBe(false);
  });

  it('names the header-named column even when the bad byte sits inside a quoted field', async () => {
    const csv = Buffer.concat([Buffer.from(`${HEADER}Dawn,"a lighthouse, then a caf`), Buffer.from([0xe9]), Buffer.from('",4,\n')]);
    const r = await newFrom('latin1-quoted', csv);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('row 2, column prompt: byte 0xE9 is not UTF-8');
  });

  it('reads UTF-8 with and without a BOM, accents intact', async () => {
    for (const [name, bom] of [
      ['utf8', ''],
      ['utf8-bom', '\uFEFF'],
    ]) {
      const r = await newFrom(name, Buffer.from(`${bom}${HEADER}Café,crème brûlée on a table,5,\n`, 'utf8'));
      expect(r.code, r.stderr).toBe(0);
      const project = JSON.parse(await fs.readFile(path.join(r.dir, 'project.json'), 'utf8'));
      expect(project.shots[0].title).toBe('Café');
      expect(project.shots[0].prompt).toBe('crème brûlée on a table');
    }
  });
});

describe('files that are not regular files', () => {
  it('refuses /dev/zero as a start frame at once, naming the row and column, and writes nothing', async () => {
    const r = await newFrom('devzero', Buffer.from(`${HEADER}Dawn,a lighthouse,4,/dev/zero\n`));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('row 2, column start_frame: /dev/zero is not a regular file');
    expect(existsSync(r.dir)).toBe(false);
  }, 20_000);

  it('refuses a named pipe and a folder as start frames, and still takes a real picture', async () => {
    const fifo = path.join(base, 'pipe.png');
    execFileSync('mkfifo', [fifo]);
    await fs.mkdir(path.join(base, 'folder.png'));
    const r = await newFrom('pipe', Buffer.from(`${HEADER}A,a,4,pipe.png\nB,b,4,folder.png\nC,c,4,frame.png\n`));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('row 2, column start_frame: pipe.png is not a regular file');
    expect(r.stderr).toContain('row 3, column start_frame: folder.png is a folder');
    const ok = await newFrom('picture', Buffer.from(`${HEADER}C,c,4,frame.png\n`));
    expect(ok.code, ok.stderr).toBe(0);
  }, 20_000);

  it('refuses /dev/zero as the shot list itself', async () => {
    const r = await storyreel(['new', path.join(base, 'zero.storyreel'), '--shots', '/dev/zero']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('/dev/zero is not a regular file');
    expect(existsSync(path.join(base, 'zero.storyreel'))).toBe(false);
  }, 20_000);

  it('the desktop studio refuses /dev/zero as a start frame and leaves the shot as it was', async () => {
    const dir = path.join(base, 'studio.storyreel');
    await createProjectFolder(dir, newProject('Frames', [newShot({ title: 'One', prompt: 'storm', durationSec: 4 })]));
    const studio = await Studio.open(dir, { host: 'electron' });
    try {
      const shotId = studio.session.current.shots[0].id;
      await expect(studio.call('shots.setFrame', { shotId, which: 'start', path: '/dev/zero' })).rejects.toThrow(/zero is not a regular file/);
      expect(studio.session.current.shots[0].startFrame).toBeUndefined();
    } finally {
      await studio.close();
    }
  }, 20_000);
});
