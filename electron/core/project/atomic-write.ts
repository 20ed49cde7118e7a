import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** The file-system calls an atomic write makes (tests hand in a disk that fills up). */
export interface WriteIo {
  open(file: string, flags: string, mode?: number): Promise<fs.FileHandle>;
}

const realIo: WriteIo = { open: (file, flags, mode) => fs.open(file, flags, mode) };

/**
 * Writes a file so that a crash at any moment leaves either the old or the new content, never a mix:
 * write a temp file in the same folder, fsync it, rename it over the target, fsync the folder.
 * When any step fails (a full or read-only disk) the temp file is removed — no empty leftovers — the
 * target keeps its old content, and the error names the target rather than the temp file.
 */
export async function atomicWriteFile(target: string, data: string | Uint8Array, io: WriteIo = realIo): Promise<void> {
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await io.open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => {});
    throw namingTarget(err, target);
  }
  await fsyncDir(dir);
}

/** The same OS error (code and syscall kept, so callers can still tell ENOSPC from EACCES), about `target`. */
function namingTarget(err: unknown, target: string): unknown {
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.code !== 'string') return err;
  return Object.assign(new Error(`${e.code}: could not write ${target}`), { code: e.code, errno: e.errno, syscall: e.syscall, path: target });
}

async function fsyncDir(dir: string): Promise<void> {
  // Directory fsync makes the rename durable on Linux; Windows cannot open folders, so it is best effort.
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    /* not supported on this platform */
  } finally {
    await handle?.close();
  }
}
