// A shot's takes: the review (rating, flag, notes) and takes made elsewhere, imported.
import { StudioError } from '../../../../shared/errors';
import type { ProjectSession } from '../../project/session';
import type { Imports } from '../imports';
import type { Handlers } from '../handlers';
import { findShot } from './find';

export function takeEdits(session: ProjectSession, imports: Pick<Imports, 'take'>) {
  return {
    'takes.review': ({ shotId, takeId, rating, flag, addNote, removeNote }) =>
      session.edit(addNote ? 'Add note' : removeNote !== undefined ? 'Remove note' : rating !== undefined ? `Rate take ${rating}★` : `Flag take ${flag}`, (p) => {
        const take = findShot(p, shotId).takes.find((t) => t.id === takeId);
        if (!take) throw new StudioError('NOT_FOUND', `That take is not on the shot any more.`);
        if (rating !== undefined) take.review.rating = rating;
        if (flag !== undefined) take.review.flag = flag;
        if (addNote) take.review.notes.push(addNote);
        if (removeNote !== undefined) take.review.notes.splice(removeNote, 1);
      }),
    // The take gets its own copy under media/takes/; an upload that brought it is removed.
    'takes.import': ({ shotId, path: file }) => imports.take(shotId, file),
  } satisfies Partial<Handlers>;
}
