// Ready takes whose clip is no longer what was downloaded: deleted, replaced by something unplayable, or
// changed on disk since (its hash no longer matches; a clip is hashed again whenever its size or mtime
// changes, cache/verified.json remembering the rest). Such a take cannot be in the cut, so it must
// not count as the shot's current take — the shot is shown as needing one and generating offers it — and a
// person is told which take of which shot it is. The file itself is never touched.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Project } from '../../../shared/schema';
import { shotLabel } from '../../../shared/work-units';
import { atomicWriteFile } from '../project/atomic-write';
import { probeCached } from './probe-cache';
import { mapLimit } from '../util/concurrency';
import { sha256File } from '../util/hash-file';

export interface TakeFileProblem {
  shotId: string;
  takeId: string;
  /** "Take 2 of shot 3 “Storm” is missing (media/takes/…): …" */
  message: string;
}

/**
 * Clips already hashed, by project-relative path → "size:mtime:sha256", kept in cache/verified.json so a
 * project of many long clips is not read in full at every open; a file rewritten since is hashed again.
 */
const VERIFIED_FILE = path.join('cache', 'verified.json');
type Verified = Map<string, string>;

async function readVerified(dir: string): Promise<Verified> {
  try {
    const data = JSON.parse(await fs.readFile(path.join(dir, VERIFIED_FILE), 'utf8')) as { version?: number; entries?: Record<string, string> };
    return new Map(data.version === 1 ? Object.entries(data.entries ?? {}) : []);
  } catch {
    return new Map(); // only a cache: missing or damaged means every clip is hashed once more
  }
}

async function writeVerified(dir: string, verified: Verified): Promise<void> {
  await fs.mkdir(path.join(dir, 'cache'), { recursive: true });
  await atomicWriteFile(path.join(dir, VERIFIED_FILE), JSON.stringify({ version: 1, entries: Object.fromEntries(verified) }));
}

/** What is wrong with one clip file, or undefined when it is whole. */
export async function clipProblem(opts: { dir: string; rel: string; sha256: string; verified: Verified }): Promise<'missing' | 'unplayable' | 'changed' | undefined> {
  const file = path.join(opts.dir, opts.rel);
  const st = await fs.stat(file).catch(() => undefined);
  if (!st?.isFile()) return 'missing';
  if (st.size === 0) return 'unplayable';
  const stamp = `${st.size}:${Math.round(st.mtimeMs)}:${opts.sha256}`;
  if (opts.verified.get(opts.rel) === stamp) return undefined;
  try {
    const info = await probeCached(file, { projectDir: opts.dir });
    if (!info.video) return 'unplayable';
  } catch {
    return 'unplayable';
  }
  if ((await sha256File(file)) !== opts.sha256) return 'changed';
  opts.verified.set(opts.rel, stamp);
  return undefined;
}

const WHY: Record<'missing' | 'unplayable' | 'changed', string> = {
  missing: 'is missing',
  unplayable: 'is damaged (not a playable video)',
  changed: 'is damaged (its contents changed since it was downloaded)',
};

/** Every ready take whose clip is missing or damaged, in timeline order. */
export async function findDamagedTakes(dir: string, project: Project): Promise<TakeFileProblem[]> {
  const todo = project.shots.flatMap((shot) =>
    shot.takes.flatMap((take, t) => (take.status === 'ready' && take.media ? [{ shot, take, t, media: take.media }] : [])),
  );
  if (!todo.length) return [];
  const verified = await readVerified(dir);
  const before = JSON.stringify([...verified]);
  const found = await mapLimit(todo, 4, async ({ shot, take, t, media }) => {
    const problem = await clipProblem({ dir, rel: media.path, sha256: media.sha256, verified });
    if (!problem) return undefined;
    const name = `Take ${t + 1} of ${shotLabel(project, shot.id)}`;
    return {
      shotId: shot.id,
      takeId: take.id,
      message: `${name} ${WHY[problem]} (${media.path}). The shot needs a take again: generate it, or put the original file back. Nothing else was changed.`,
    };
  });
  if (JSON.stringify([...verified]) !== before) await writeVerified(dir, verified).catch(() => {});
  return found.filter((p): p is TakeFileProblem => Boolean(p));
}
