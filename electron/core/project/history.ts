// Undo/redo of document edits. A step remembers the document before and after one edit; undoing it puts
// back only what that edit changed, so work the engine did in between (new takes, job status, a take it
// selected) is never undone with it. Takes and jobs are not document edits and have no history.
import type { Project, Shot } from '../../../shared/schema';

export interface HistoryStep {
  label: string;
  before: Project;
  after: Project;
  /** Edits with the same key in quick succession (typing in one field) merge into one step. */
  key?: string;
  at: number;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Shot fields that belong to the document (everything but the takes the engine makes). */
function shotFieldNames(...shots: (Shot | undefined)[]): string[] {
  const names = new Set<string>();
  for (const s of shots) if (s) for (const k of Object.keys(s)) if (k !== 'takes') names.add(k);
  return [...names];
}

/**
 * Moves `current` along one step: every part that differs between `from` and `to` is set to its value in
 * `to`; every other part keeps its current value. Undo is (after → before), redo is (before → after).
 */
export function applyStep(current: Project, from: Project, to: Project): Project {
  const next = structuredClone(current);
  for (const key of ['name', 'settings', 'groups', 'voices', 'elements', 'audioLanes'] as const) {
    if (!same(from[key], to[key])) (next as Record<string, unknown>)[key] = structuredClone(to[key]);
  }

  const fromById = new Map(from.shots.map((s) => [s.id, s]));
  const toById = new Map(to.shots.map((s) => [s.id, s]));
  const curById = new Map(next.shots.map((s) => [s.id, s]));

  // Order and membership: when the step changed them, take the target's order; a shot the target has
  // and the current document lost comes back (with its takes as they were); shots neither knew stay, at the end.
  if (!same(from.shots.map((s) => s.id), to.shots.map((s) => s.id))) {
    const ordered: Shot[] = to.shots.map((s) => curById.get(s.id) ?? structuredClone(s));
    const placed = new Set(ordered.map((s) => s.id));
    for (const s of next.shots) if (!placed.has(s.id) && !fromById.has(s.id)) ordered.push(s);
    next.shots = ordered;
  }

  for (const shot of next.shots) {
    const a = fromById.get(shot.id);
    const b = toById.get(shot.id);
    if (!a || !b) continue;
    const target = shot as Record<string, unknown>;
    for (const field of shotFieldNames(a, b)) {
      const va = (a as Record<string, unknown>)[field];
      const vb = (b as Record<string, unknown>)[field];
      if (same(va, vb)) continue;
      if (vb === undefined) delete target[field];
      else target[field] = structuredClone(vb);
    }
    // Reviews (stars, flags, notes) are edits a person makes on a take.
    const reviewsA = new Map(a.takes.map((t) => [t.id, t.review]));
    for (const tb of b.takes) {
      const ra = reviewsA.get(tb.id);
      if (ra === undefined || same(ra, tb.review)) continue;
      const take = shot.takes.find((t) => t.id === tb.id);
      if (take) take.review = structuredClone(tb.review);
    }
  }
  return next;
}

export class History {
  private undos: HistoryStep[] = [];
  private redos: HistoryStep[] = [];
  /** Typing pauses shorter than this stay in the same step. */
  mergeWindowMs = 1500;
  /** Each step holds two snapshots (shared with its neighbours); a long session keeps the last hundred edits. */
  limit = 100;

  record(step: Omit<HistoryStep, 'at'>, now = Date.now()): void {
    const last = this.undos.at(-1);
    if (step.key && last?.key === step.key && now - last.at < this.mergeWindowMs) {
      last.after = step.after;
      last.at = now;
    } else {
      this.undos.push({ ...step, at: now });
      if (this.undos.length > this.limit) this.undos.shift();
    }
    this.redos = [];
  }

  popUndo(): HistoryStep | undefined {
    return this.undos.pop();
  }
  popRedo(): HistoryStep | undefined {
    return this.redos.pop();
  }
  pushUndo(step: HistoryStep): void {
    this.undos.push({ ...step, key: undefined });
  }
  pushRedo(step: HistoryStep): void {
    this.redos.push(step);
  }

  labels(): { undo?: string; redo?: string } {
    const u = this.undos.at(-1)?.label;
    const r = this.redos.at(-1)?.label;
    return { ...(u ? { undo: u } : {}), ...(r ? { redo: r } : {}) };
  }
}
