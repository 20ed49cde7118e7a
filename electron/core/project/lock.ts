// One studio per project at a time. The desktop app and `storyreel serve`/`render` on the same folder would
// each run an engine over one journal — and could send the same job twice. The lock file names the process
// holding the project; a lock left by a process that has died (a crash, a SIGKILL) is taken over.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StudioError } from '../../../shared/errors';

export const LOCK_FILE = '.storyreel.lock';

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the project's lock, or says who holds it. Resolves with the function that gives it back. */
export async function acquireProjectLock(dir: string): Promise<() => Promise<void>> {
  const file = path.join(dir, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(file, JSON.stringify(mine), { flag: 'wx' });
      return async () => {
        const held = await fs.readFile(file, 'utf8').then((t) => JSON.parse(t) as LockInfo, () => undefined);
        if (held?.pid === mine.pid && held.host === mine.host) await fs.rm(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const held = await fs.readFile(file, 'utf8').then((t) => JSON.parse(t) as LockInfo, () => undefined);
    const sameHost = held?.host === mine.host;
    if (held && (!sameHost || alive(held.pid))) {
      const where = sameHost ? `process ${held.pid}` : `process ${held.pid} on ${held.host}`;
      throw new StudioError(
        'PROJECT_BUSY',
        `This project is already open in another Storyreel (${where}, since ${held.startedAt}). Two studios on one project could send the same job twice, so it was not opened here and nothing was changed. ` +
          `Close the other one first — or, if it is not running any more, delete ${file}.`,
      );
    }
    // Left by a process that is gone (or unreadable): take it over.
    await fs.rm(file, { force: true });
  }
  throw new StudioError('PROJECT_BUSY', `Could not take the lock ${file}; another Storyreel may be opening this project right now. Try again.`);
}
