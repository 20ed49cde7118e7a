// Structural sharing between document snapshots. Every snapshot arrives as fresh JSON, so without this
// each save would hand every shot, take and setting a new identity and every per-shot selector, memo and
// cache would have to start over. keepEqual returns `next` with each part that deep-equals the same
// part of `prev` replaced by prev's object: unchanged shots keep their identity across saves, and a
// snapshot that changes one prompt changes one shot object (plus the arrays and objects holding it).
// Array items that carry an `id` are matched by id, so reordering shots keeps every shot object.

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function idOf(v: unknown): string | undefined {
  return isPlainObject(v) && typeof v.id === 'string' ? v.id : undefined;
}

/**
 * `next`, reusing every part of `prev` that is deep-equal to it (JSON-like values: plain objects, arrays,
 * primitives). `next` should be freshly parsed: its containers are updated in place (unless frozen) to point
 * at prev's equal parts, so nothing is allocated; the values they hold stay deep-equal.
 */
export function keepEqual<T>(prev: unknown, next: T): T {
  if (Object.is(prev, next)) return next;
  if (Array.isArray(prev) && Array.isArray(next)) {
    let same = prev.length === next.length;
    const writable = !Object.isFrozen(next);
    let byId: Map<unknown, unknown> | undefined;
    for (let i = 0; i < next.length; i++) {
      // Items with ids (shots, takes, groups…) are matched by id, so a reorder keeps them too.
      let counterpart: unknown = prev[i];
      const id = idOf(next[i]);
      if (id !== undefined && idOf(counterpart) !== id) {
        byId ??= new Map(prev.map((item) => [idOf(item), item]));
        counterpart = byId.get(id);
      }
      const kept = keepEqual(counterpart, next[i]);
      if (kept !== prev[i]) same = false;
      if (writable && kept !== next[i]) next[i] = kept;
    }
    return (same ? prev : next) as T;
  }
  if (isPlainObject(prev) && isPlainObject(next)) {
    const obj: Record<string, unknown> = next;
    let same = true;
    let count = 0;
    const writable = !Object.isFrozen(next);
    for (const key in obj) {
      count++;
      const kept = keepEqual(prev[key], obj[key]);
      if (kept !== prev[key] || (kept === undefined && !(key in prev))) same = false;
      if (writable && kept !== obj[key]) obj[key] = kept;
    }
    if (same) {
      let prevCount = 0;
      for (const _key in prev) prevCount++;
      same = prevCount === count;
    }
    return (same ? prev : next) as T;
  }
  return next;
}
