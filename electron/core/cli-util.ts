// Small helpers the command line's commands share.
import { StudioError } from '../../shared/errors';

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function fail(message: string): never {
  throw new StudioError('INVALID_INPUT', message);
}
