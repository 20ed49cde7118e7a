// One place that turns an operating-system error (ENOSPC, EROFS, EACCES, …) into a sentence for a person:
// which path, what went wrong in plain words, what was kept safe and what to do next. Never a stack trace.

export interface SystemErrorLike {
  code: string;
  path?: string;
  dest?: string;
  syscall?: string;
  message: string;
}

/** An error from the file system or the OS (it carries an errno code such as ENOSPC). */
export function isSystemError(err: unknown): err is SystemErrorLike {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof err === 'object' && err !== null && typeof code === 'string' && /^E[A-Z0-9]+$/.test(code);
}

const REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'your disk quota is used up',
  EROFS: 'the disk is read-only',
  EACCES: 'permission was denied',
  EPERM: 'the operation is not permitted there',
  ENOTDIR: 'part of that path is a file, not a folder',
  EISDIR: 'a folder is in the way',
  ENOTEMPTY: 'a folder is in the way',
  EEXIST: 'something is already in the way there',
  ENOENT: 'it does not exist',
  EIO: 'the disk reported an input/output error',
  EMFILE: 'too many files are open',
  ENFILE: 'too many files are open',
  EBUSY: 'it is in use by another program',
  ENAMETOOLONG: 'the name is too long',
  EXDEV: 'it is on another disk',
};

const VERBS: Record<string, string> = {
  read: 'read',
  write: 'write to',
  open: 'open',
  rename: 'replace',
  copyfile: 'copy',
  mkdir: 'create',
  unlink: 'remove',
  rmdir: 'remove',
  rm: 'remove',
  scandir: 'list',
  stat: 'read',
  lstat: 'read',
  fsync: 'write to',
  chmod: 'change',
};

/** What a person can do about it (before trying again). */
function nextStep(code: string): string {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'Free some space on that disk, then try again.';
    case 'EROFS':
      return 'Move the project to a disk you can write to (or make this one writable), then try again.';
    case 'EACCES':
    case 'EPERM':
      return 'Check that you may write there (the owner and permissions of the folder), then try again.';
    case 'EMFILE':
    case 'ENFILE':
      return 'Close some programs, then try again.';
    case 'EIO':
      return 'Check the disk (it may be failing or disconnected), then try again.';
    default:
      return 'Check that path, then try again.';
  }
}

export interface SentenceOptions {
  /** The path to name (defaults to the error's own). */
  path?: string;
  /** What is safe despite the failure ("project.json still holds your last save."). */
  kept?: string;
  /** What to do next (defaults to advice for the error code). */
  next?: string;
}

/** The plain-words reason for an errno code ("the disk is full"), or the code itself when it is rare. */
export function systemErrorReason(err: SystemErrorLike): string {
  return REASONS[err.code] ?? `the system refused (${err.code})`;
}

/**
 * "Storyreel could not write to /p/project.json: the disk is full (ENOSPC). <kept> <next>" — one sentence
 * for every place an OS error reaches a person (CLI, host responses, the studio's messages).
 */
export function describeSystemError(err: SystemErrorLike, opts: SentenceOptions = {}): string {
  const where = opts.path ?? err.path;
  const verb = (['ENOSPC', 'EDQUOT', 'EROFS'].includes(err.code) ? 'write to' : VERBS[err.syscall ?? '']) ?? 'use';
  const head = where ? `Storyreel could not ${verb} ${where}: ${systemErrorReason(err)} (${err.code}).` : `Storyreel could not finish: ${systemErrorReason(err)} (${err.code}).`;
  const kept = opts.kept ?? 'Files Storyreel had already saved are unchanged (every save writes a whole new file, or nothing).';
  return [head, kept, opts.next ?? nextStep(err.code)].filter(Boolean).join(' ');
}
