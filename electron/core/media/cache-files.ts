// Files in the project's cache/ (derived, safe to delete: docs/architecture.md §3): named by a hash of what
// they are made from, and written once — beside their name and renamed, so a reader never sees half a file.
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';

/** A short name for a cache file, from everything its content depends on. */
export function cacheKey(...parts: (string | number)[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

/** Makes `file` through a temporary file beside it, unless it is already there. */
export async function writeOnce(file: string, make: (tmp: string) => Promise<void>): Promise<void> {
  if (existsSync(file)) return;
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp${path.extname(file)}`;
  try {
    await make(tmp);
    await fs.rename(tmp, file);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/**
 * Removes all but the `keep` newest files (by modification time) of `folder` whose names end with `ext`;
 * `current` is never removed and counts as one of them. Only a cache: a file that cannot be stat'ed or
 * removed is left for the next time.
 */
export async function keepNewestIn(folder: string, ext: string, keep: number, current: string): Promise<void> {
  try {
    const names = (await fs.readdir(folder)).filter((n) => n.endsWith(ext) && n !== current);
    const dated = await Promise.all(names.map(async (n) => ({ n, t: (await fs.stat(path.join(folder, n)).catch(() => undefined))?.mtimeMs ?? 0 })));
    for (const old of dated.sort((a, b) => b.t - a.t).slice(keep - 1)) await fs.rm(path.join(folder, old.n), { force: true });
  } catch {
    // The folder may be gone (cache/ is safe to delete).
  }
}

/** Marks `file` as just used and keeps it among the `keep` most recently used files of its folder with its extension. */
export async function keepNewest(file: string, keep: number): Promise<void> {
  const now = new Date();
  await fs.utimes(file, now, now).catch(() => {});
  await keepNewestIn(path.dirname(file), path.extname(file), keep, path.basename(file));
}

/**
 * Replaces `file` with `data` through a temporary file beside it and a rename: a reader sees the old or the
 * new, never half. It does not wait for the disk (no fsync): for what can be made again (renders/preview.json).
 */
export async function replaceDerivedFile(file: string, data: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}
