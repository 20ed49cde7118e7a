// Files a client brings into the project. The desktop app names a dropped or picked file by its path; a
// browser page cannot, so it uploads the file into cache/imports/ first (the browser host's POST /upload)
// and names that. Either way the file is only a way in: what the project keeps is its own copy.
import { randomBytes } from 'node:crypto';
import { constants as fsConstants, promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../../shared/errors';

const UPLOADS = path.posix.join('cache', 'imports');

/** Where an upload named `name` lands (project-relative): cache/imports/<12 hex>-<safe name>. */
export function uploadPath(name: string): string {
  const safe = path.basename(name).replace(/[^\w.-]+/g, '_').slice(-80) || 'clip';
  return path.posix.join(UPLOADS, `${randomBytes(6).toString('hex')}-${safe}`);
}

/** The name the person knows a file by: an upload's original name, else the file's own. */
export function originalName(abs: string, uploaded: boolean): string {
  const base = path.basename(abs);
  return uploaded ? base.replace(/^[0-9a-f]{12}-/, '') : base;
}

/**
 * Resolves a file a client named and runs `use` on it; an upload is removed afterwards, whatever happened.
 * A browser page may only name uploads (`browserHost`); a relative path must be an upload of this project.
 */
export async function withIncomingFile<T>(
  opts: { projectDir: string; file: string; browserHost: boolean; what: string },
  use: (abs: string, uploaded: boolean) => Promise<T>,
): Promise<T> {
  const uploaded = !path.isAbsolute(opts.file);
  if (!uploaded && opts.browserHost) {
    throw new StudioError('FORBIDDEN', `A browser page cannot name a ${opts.what} on this computer. Drop or pick it instead; it is uploaded into the project.`);
  }
  const abs = uploaded ? path.resolve(opts.projectDir, opts.file) : opts.file;
  if (uploaded && !abs.startsWith(path.join(opts.projectDir, UPLOADS) + path.sep)) {
    throw new StudioError('FORBIDDEN', `Only ${opts.what}s uploaded into the project can be named by a relative path.`);
  }
  const problem = await notRegular(abs, path.basename(abs));
  if (problem) throw new StudioError('INVALID_INPUT', `Nothing was changed: ${problem}. Pick a ${opts.what} saved on disk.`);
  try {
    return await use(abs, uploaded);
  } finally {
    if (uploaded) await fs.rm(abs, { force: true });
  }
}

/** What a file that is not a regular file is, in words; undefined for a regular file. */
function kindProblem(st: Stats, shown: string): string | undefined {
  if (st.isFile()) return undefined;
  return `${shown} is ${st.isDirectory() ? 'a folder' : 'not a regular file (a device or a pipe)'}, so it was not read`;
}

/**
 * Why `abs` must not be read, or undefined when it is a regular file (or missing: the reader says so). A
 * device (/dev/zero), a pipe or a folder never ends or never opens: reading one would hang, not fail.
 */
async function notRegular(abs: string, shown: string): Promise<string | undefined> {
  const st = await fs.stat(abs).catch(() => undefined);
  return st && kindProblem(st, shown);
}

/**
 * Reads a file a person named (a shot list, a start frame), refusing before reading anything that is not a
 * regular file or is larger than `maxBytes`. The checks are made on the opened file itself (opened without
 * waiting, so a pipe cannot hold it up), so a name swapped meanwhile cannot slip a device past them.
 */
export async function readRegularFile(abs: string, opts: { shown: string; maxBytes: number }): Promise<Buffer> {
  const handle = await fs.open(abs, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0)).catch((err: NodeJS.ErrnoException) => {
    throw new StudioError('NOT_FOUND', `${opts.shown} cannot be read (${err.code === 'ENOENT' ? 'it does not exist' : (err.code ?? err.message)})`);
  });
  try {
    const st = await handle.stat();
    const problem = kindProblem(st, opts.shown);
    if (problem) throw new StudioError('INVALID_INPUT', problem);
    if (st.size > opts.maxBytes) {
      throw new StudioError('INVALID_INPUT', `${opts.shown} is ${(st.size / 1048576).toFixed(1)} MB; the limit is ${Math.round(opts.maxBytes / 1048576)} MB`);
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
