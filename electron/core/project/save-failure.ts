// What a person is told when project.json cannot be written: where it failed, in plain words, that the
// edits are only in memory meanwhile (or, at quit, that they could not be kept) and what to do.
import path from 'node:path';
import { StudioError } from '../../../shared/errors';
import { describeSystemError, isSystemError, systemErrorReason } from '../../../shared/system-errors';
import { PROJECT_FILE } from './project-folder';

export interface SaveFailure {
  /** Short, for the toolbar: "the disk is full". */
  reason: string;
  /** The whole sentence: path, what was kept, what to do. */
  message: string;
  /** The same, as the error a save or close rejects with (the OS error is its cause). */
  error: StudioError;
}

export function saveFailure(err: unknown, dir: string, opts: { closing?: boolean } = {}): SaveFailure {
  const cause = err instanceof StudioError && err.cause !== undefined ? err.cause : err;
  const main = path.join(dir, PROJECT_FILE);
  // The failing path is named in full first; the project file is named briefly here.
  const kept = opts.closing
    ? `${PROJECT_FILE} still holds the last save; the edits made since could not be kept.`
    : `${PROJECT_FILE} still holds the last save; your edits since then are only in memory until a save works.`;
  const next = opts.closing
    ? undefined
    : `${isSystemError(cause) ? nextFor(cause.code) : 'Check the project folder.'} Storyreel keeps retrying by itself and saves as soon as it can — keep it open until the toolbar says Saved.`;
  const reason = isSystemError(cause) ? systemErrorReason(cause) : (cause as Error)?.message ?? String(cause);
  const sentence = isSystemError(cause)
    ? describeSystemError(cause, { kept, ...(next ? { next } : {}) })
    : `Storyreel could not save ${main}: ${reason}. ${kept}${next ? ` ${next}` : ''}`;
  const message = opts.closing ? `Storyreel closed with unsaved edits in ${dir}. ${sentence}` : sentence;
  const error = new StudioError('SAVE_FAILED', message, undefined, { cause });
  return { reason, message, error };
}

function nextFor(code: string): string {
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'Free some space on that disk.';
  if (code === 'EROFS') return 'Make that disk writable again.';
  if (code === 'EACCES' || code === 'EPERM') return 'Check that you may write to the project folder.';
  return 'Check the project folder.';
}
