// The inspector with several shots selected: the fields every shot has in common, each showing the one
// value all share or "Mixed", and one change applied to all of them (shots.updateMany, one undo step).
import type { Shot } from '../../../../shared/schema';

export type Common<T> = { mixed: false; value: T } | { mixed: true };

/** The value every shot has for this field, or mixed when they differ (compared as JSON, like the core's history). */
export function commonValue<T>(shots: readonly Shot[], read: (shot: Shot) => T): Common<T> {
  if (shots.length === 0) return { mixed: true };
  const first = read(shots[0]);
  const key = JSON.stringify(first);
  return shots.every((s) => JSON.stringify(read(s)) === key) ? { mixed: false, value: first } : { mixed: true };
}

/** The selected shots that still exist, in timeline order (a selection can outlive a deleted shot). */
export function selectedInOrder(shots: readonly Shot[], selectedIds: readonly string[]): Shot[] {
  const wanted = new Set(selectedIds);
  return shots.filter((s) => wanted.has(s.id));
}
