// Mirror of the core's ProjectState. The core owns the document; the renderer applies its snapshots.
// Snapshots are ordered by `rev` (equal rev: the saved one wins, since only a save changes `saved`
// without bumping rev; then one reporting a failed save, since only a save attempt reports that). While mutations are in flight, pushed snapshots are held back so a half-applied
// burst of edits never snaps fields back under the person's cursor; the answer to the latest mutation,
// or the newest held snapshot once nothing is pending, is applied instead. The held snapshot lives outside
// the reactive state: holding one changes nothing on screen, so it must not run every subscriber.
// The core pushes patches (project.changed, shared/project-patch.ts), each on the revision before it: they
// are applied to the newest state the core has told of (`latest`, also outside the reactive state), and
// the result goes through receiveSnapshot like any whole state. A patch on another revision is a gap.
// An edit answers the same way (the change it made, shared/api.ts EditReplySchema): endMutation turns
// the answer into the state it stands for (stateAfter) — the pushes usually brought it already.
import type { StateCreator } from 'zustand';
import type { ProjectChange, ProjectState } from '../../../shared/api';
import { applyProjectChange } from '../../../shared/project-patch';
import { keepEqual } from './share';
import type { StudioState } from './types';

export interface DocumentSlice {
  doc: ProjectState | null;
  /** Mutations sent and not yet answered. */
  pendingMutations: number;
  lastMutationSeq: number;
  /** Edits typed but not yet sent (debounced fields). */
  unsentEdits: number;
  receiveSnapshot: (state: ProjectState) => void;
  /**
   * A change pushed by the core. False when it is a patch on a revision this store does not hold (pushes
   * were missed, or arrived before the first snapshot): the caller fetches a whole state (project.get).
   */
  receiveChange: (change: ProjectChange) => boolean;
  /**
   * After a reconnect the core may be a new process whose rev restarted from 0: keep showing the
   * document, but let the next snapshot in replace it whatever its rev.
   */
  rebase: () => void;
  beginMutation: () => number;
  /**
   * A mutation answered (its reply: the change it made, or a whole state) or failed (no result). Returns
   * the state the answer stands for, or undefined when it failed or does not fit what the store holds.
   */
  endMutation: (seq: number, result?: ProjectChange) => ProjectState | undefined;
  changeUnsentEdits: (delta: number) => void;
}

export function isNewer(next: ProjectState, current: ProjectState | null): boolean {
  if (!current) return true;
  if (next.rev !== current.rev) return next.rev > current.rev;
  if (next.saved) return !current.saved;
  // Same rev, still unsaved: a save that failed (or failed differently) is news — the edits are only in memory.
  return !current.saved && next.saveError !== undefined && next.saveError.message !== current.saveError?.message;
}

/** The snapshot to show, sharing every unchanged part with the one shown now (see share.ts). */
function adopt(next: ProjectState, current: ProjectState | null): ProjectState {
  return current ? keepEqual(current, next) : next;
}

// Actions that change nothing return the state itself, so zustand notifies no subscriber: with hundreds
// of shots every notification runs hundreds of selectors.
export const createDocumentSlice: StateCreator<StudioState, [], [], DocumentSlice> = (set, get) => {
  /** Newest snapshot pushed while mutations were pending (one per store). */
  let held: ProjectState | null = null;
  /** Newest state the core has told of (whole, or rebuilt from its patches): what the next patch applies on. */
  let latest: ProjectState | null = null;
  /**
   * The state a reply stands for: the newest state told of when it already includes the reply's revision
   * (its push came first, as it does on one socket), else the reply applied on it; a whole state as it is.
   */
  const stateAfter = (reply: ProjectChange): ProjectState | undefined => {
    if ('project' in reply) {
      if (isNewer(reply, latest)) latest = reply;
      return reply;
    }
    if (latest && latest.rev >= reply.rev) return latest;
    const next = applyProjectChange(latest, reply);
    if (next) latest = next;
    return next;
  };
  return {
    doc: null,
    pendingMutations: 0,
    lastMutationSeq: 0,
    unsentEdits: 0,
    receiveChange: (change) => {
      // A patch for a revision already held (a whole state fetched meanwhile includes it) is old news.
      if (!('project' in change) && latest && (change.rev < latest.rev || (change.rev === latest.rev && change.baseRev !== change.rev))) return true;
      const next = applyProjectChange(latest, change);
      if (!next) return false;
      get().receiveSnapshot(next);
      return true;
    },
    receiveSnapshot: (state) =>
      set((s) => {
        if (isNewer(state, latest)) latest = state;
        if (s.pendingMutations > 0) {
          if (isNewer(state, held)) held = state;
          return s;
        }
        return isNewer(state, s.doc) ? { doc: adopt(state, s.doc) } : s;
      }),
    rebase: () =>
      set((s) => {
        held = null;
        latest = null;
        return { doc: s.doc ? { ...s.doc, rev: -1 } : null };
      }),
    beginMutation: () => {
      let seq = 0;
      set((s) => {
        seq = s.lastMutationSeq + 1;
        return { pendingMutations: s.pendingMutations + 1, lastMutationSeq: seq };
      });
      return seq;
    },
    endMutation: (seq, reply) => {
      const result = reply ? stateAfter(reply) : undefined;
      set((s) => {
        const pendingMutations = Math.max(0, s.pendingMutations - 1);
        let doc = s.doc;
        if (result && seq === s.lastMutationSeq && isNewer(result, doc)) doc = result;
        if (pendingMutations === 0 && held) {
          if (isNewer(held, doc)) doc = held;
          held = null;
        }
        if (doc && doc !== s.doc) doc = adopt(doc, s.doc);
        return { pendingMutations, doc };
      });
      return result;
    },
    changeUnsentEdits: (delta) =>
      set((s) => {
        const unsentEdits = Math.max(0, s.unsentEdits + delta);
        return unsentEdits === s.unsentEdits ? s : { unsentEdits };
      }),
  };
};
