// One studio per project at a time. The desktop app and `storyreel serve`/`render` on the same folder would
// each run an engine over one journal — and could send the same job twice. The lock file names the process
// holding the project, its computer and the folder it locked.
//
// The lock is created whole or not at all: its content goes to a temp file first, which is then hard-linked
// to the lock's name (link fails if the name exists, so exactly one creator wins). A lock that holds nothing
// any more is taken over with a note: one whose process is gone, one written for another folder (this one is
// a copy made while the project was open), or one that cannot be read (empty, torn). Two processes taking
// over the same stale lock at the same instant are settled by a claim file named after that lock's content,
// also created by link: only one of them gets it.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StudioError } from '../../../shared/errors';

export const LOCK_FILE = '.storyreel.lock';

export interface LockInfo {
  pid: number;
  host: string;
  /** The project folder the lock was taken for (absent in locks written by older versions). */
  dir?: string;
  startedAt: string;
}

/** What a person is told when the project is busy: what was not done, and what to do instead. */
export interface BusyWording {
  /** "it was not opened here and nothing was changed" */
  notDone?: string;
  /** "Close the other one first" */
  advice?: string;
}

/** The release function, carrying a note when a stale lock was taken over (for the person to read). */
export type ProjectLock = (() => Promise<void>) & { readonly note?: string };

export type LockVerdict = { kind: 'held'; where: string; since: string } | { kind: 'stale'; note: string };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock's content if it is a whole, well-formed lock; undefined for an empty, torn or foreign file. */
export function parseLock(text: string): LockInfo | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockInfo>;
    if (!v || typeof v !== 'object' || !Number.isInteger(v.pid) || typeof v.host !== 'string') return undefined;
    return { pid: v.pid!, host: v.host, startedAt: typeof v.startedAt === 'string' ? v.startedAt : 'an unknown time', ...(typeof v.dir === 'string' ? { dir: v.dir } : {}) };
  } catch {
    return undefined;
  }
}

/**
 * Whether a lock found in `me.dir` still holds the project. Pure: the liveness of a process is asked of `isAlive`.
 * A lock from another computer cannot be checked for a live process, so it holds — unless it names another
 * folder, in which case this folder is a copy and the lock came along with it.
 */
export function judgeLock(held: LockInfo | undefined, me: { host: string; dir: string }, isAlive: (pid: number) => boolean): LockVerdict {
  if (!held) return { kind: 'stale', note: 'The project lock was empty or damaged and no running Storyreel could be shown to hold it, so this Storyreel took it over.' };
  const sameHost = held.host === me.host;
  const where = sameHost ? `process ${held.pid}` : `process ${held.pid} on ${held.host}`;
  if (held.dir !== undefined && held.dir !== me.dir) {
    return {
      kind: 'stale',
      note: `The project lock names another folder (${held.dir}, ${where}): this folder is a copy made while that project was open, and the copy is not in use, so this Storyreel took the lock over.`,
    };
  }
  if (!sameHost) return { kind: 'held', where, since: held.startedAt };
  if (isAlive(held.pid)) return { kind: 'held', where, since: held.startedAt };
  return { kind: 'stale', note: `The project lock was left by process ${held.pid} (since ${held.startedAt}), which is no longer running — Storyreel stopped without closing the project — so this Storyreel took it over.` };
}

export function busyMessage(where: string, since: string, file: string, wording: BusyWording = {}): string {
  const notDone = wording.notDone ?? 'it was not opened here and nothing was changed';
  const advice = wording.advice ?? 'Close the other one first';
  return (
    `This project is already open in another Storyreel (${where}, since ${since}). Two studios on one project could send the same job twice, so ${notDone}. ` +
    `${advice} — or, if it is not running any more, delete ${file}.`
  );
}

const tmpName = (file: string) => `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
const claimName = (file: string, raw: string) => `${file}.takeover-${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`;
const readText = (file: string) => fs.readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err)));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Links `from` to `to` unless `to` exists; true when this call created it. */
async function linkExclusive(from: string, to: string): Promise<boolean> {
  try {
    await fs.link(from, to);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Takes the project's lock, or says who holds it. Resolves with the function that gives it back. */
export async function acquireProjectLock(dir: string, wording?: BusyWording): Promise<ProjectLock> {
  const real = await fs.realpath(dir).catch(() => path.resolve(dir));
  const file = path.join(real, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, host: os.hostname(), dir: real, startedAt: new Date().toISOString() };
  const mineText = JSON.stringify(mine);
  const tmp = tmpName(file);
  await fs.writeFile(tmp, mineText, { flag: 'wx' });
  const made = (note?: string): ProjectLock =>
    Object.assign(
      async () => {
        const held = parseLock((await readText(file).catch(() => undefined)) ?? '');
        if (held?.pid === mine.pid && held.host === mine.host && held.startedAt === mine.startedAt) await fs.rm(file, { force: true });
      },
      note ? { note } : {},
    );
  try {
    // Each round either takes the lock, refuses, or sees the lock change under it (another opener) and looks again.
    for (let round = 0; round < 200; round++) {
      if (await linkExclusive(tmp, file)) return made();
      const raw = await readText(file);
      if (raw === undefined) continue; // released meanwhile
      const verdict = judgeLock(parseLock(raw), { host: mine.host, dir: real }, alive);
      if (verdict.kind === 'held') throw new StudioError('PROJECT_BUSY', busyMessage(verdict.where, verdict.since, file, wording));
      // Stale: only the one process that creates the claim for this exact content may replace it.
      const claim = claimName(file, raw);
      if (!(await linkExclusive(tmp, claim))) {
        const claimer = parseLock((await readText(claim)) ?? '');
        // A claimer that died mid-takeover would block the project for good: its claim goes.
        if (claimer && claimer.host === mine.host && !alive(claimer.pid)) await fs.rm(claim, { force: true });
        else await pause(10);
        continue;
      }
      try {
        // The claim is ours; the lock may still have changed since it was read (a takeover just finished).
        if ((await readText(file)) !== raw) continue;
        // Replaced in one rename, never removed first: an opener arriving meanwhile must not find the name free
        // and take the lock without a note while this takeover then finds it held.
        const swap = `${tmp}.swap`;
        await fs.link(tmp, swap);
        try {
          await fs.rename(swap, file);
        } finally {
          await fs.rm(swap, { force: true });
        }
        return made(verdict.note);
      } finally {
        await fs.rm(claim, { force: true });
      }
    }
    throw new StudioError('PROJECT_BUSY', `Could not take the lock ${file}: other Storyreel processes kept opening this project at the same moment. Nothing was changed; try again.`);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/**
 * Runs a command that writes the project (`import-take`, `resolve`) under the project's lock, so a studio
 * that has the project open cannot undo its write with its next save. `onNote` hears about a taken-over lock.
 */
export async function withProjectLock<T>(dir: string, wording: BusyWording, use: () => Promise<T>, onNote: (note: string) => void = (n) => console.warn(`! ${n}`)): Promise<T> {
  const release = await acquireProjectLock(dir, wording);
  if (release.note) onNote(release.note);
  try {
    return await use();
  } finally {
    await release();
  }
}
