// The preview's files (docs/architecture.md §7): renders/preview.mp4 is always the latest cut, described by
// renders/preview.json; the player reads it under its cut's own name in cache/previews/.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Preview } from '../../../shared/api';
import { keepNewestIn } from './cache-files';

export const PREVIEW_FILE = 'renders/preview.mp4';
export const PREVIEW_META = 'renders/preview.json';

/** Cuts a player may still be showing (the newest ones) keep their own names in cache/previews/. */
const PLAYABLE_KEPT = 3;

/**
 * The preview under its cut's own name, a hard link to renders/preview.mp4 (no second copy on disk). The
 * player reads this name: when the next cut replaces renders/preview.mp4, a player still showing this cut
 * (the studio keeps the old one playing while the new one loads) goes on reading this cut's bytes. Older
 * names are removed by prunePlayableCopies. Where links cannot be made, the player reads renders/preview.mp4 as before.
 */
export async function playableCopy(dir: string, out: string, key: string): Promise<string | undefined> {
  const folder = path.join(dir, 'cache', 'previews');
  const rel = path.posix.join('cache', 'previews', `${key}.mp4`);
  try {
    await fs.mkdir(folder, { recursive: true });
    const abs = path.join(dir, rel);
    const [linked, current] = await Promise.all([fs.stat(abs).catch(() => undefined), fs.stat(out)]);
    if (!linked || linked.ino !== current.ino || linked.dev !== current.dev) {
      await fs.rm(abs, { force: true });
      await fs.link(out, abs);
    }
    return rel;
  } catch {
    return undefined;
  }
}

/**
 * Removes the player's names of older cuts but the newest few (never `key`'s). Called once the new preview
 * has been announced: freeing a long cut's blocks takes a while, and the person should not wait for it.
 */
export async function prunePlayableCopies(dir: string, key: string): Promise<void> {
  await keepNewestIn(path.join(dir, 'cache', 'previews'), '.mp4', PLAYABLE_KEPT, `${key}.mp4`);
}

export async function readPreview(dir: string): Promise<Preview | null> {
  const meta = await fs.readFile(path.join(dir, PREVIEW_META), 'utf8').then((t) => JSON.parse(t) as Preview, () => null);
  return meta && existsSync(path.join(dir, meta.path)) ? meta : null;
}
