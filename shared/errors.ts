// Error codes that cross the process boundary. A StudioError's message is written for a person:
// what happened, what was kept safe, what to do next. It never contains a secret.
import { describeSystemError, isSystemError } from './system-errors';

export const ErrorCodes = [
  'INVALID_INPUT',
  'UNKNOWN_METHOD',
  'NOT_FOUND',
  'PROJECT_CORRUPT',
  'PROJECT_EXISTS',
  'PROJECT_BUSY',
  'PROJECT_TOO_NEW',
  'SAVE_FAILED',
  'FFMPEG_MISSING',
  'FFMPEG_FAILED',
  'PROVIDER_ERROR',
  'FORBIDDEN',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ErrorCodes)[number];

export interface SerializedError {
  code: ErrorCode;
  message: string;
  /** Field-level problems, e.g. "shots.2.durationSec: duration must be at most 15 s". */
  details?: string[];
}

export class StudioError extends Error {
  readonly code: ErrorCode;
  readonly details?: string[];
  constructor(code: ErrorCode, message: string, details?: string[], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StudioError';
    this.code = code;
    this.details = details;
  }
  toJSON(): SerializedError {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof StudioError) return err.toJSON();
  // An OS error (a full or read-only disk) becomes the sentence a person can act on, never its raw text.
  if (isSystemError(err)) return { code: 'INTERNAL', message: describeSystemError(err) };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message };
}

export function deserializeError(e: SerializedError): StudioError {
  return new StudioError(e.code, e.message, e.details);
}
