// Small helpers the command line's commands share.
import { StudioError } from '../../shared/errors';

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function fail(message: string): never {
  throw new StudioError('INVALID_INPUT', message);
}

/** A command that works on a project refuses a folder that is not one (exit 1), before anything else. */
export { assertProjectFolder as requireProjectFolder } from './project/project-folder';
