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
