// Mirror of the core's ProjectState. The core owns the document; the renderer applies its snapshots.
// Snapshots are ordered by `rev` (equal rev: the saved one wins, since only a save changes `saved`
// without bumping rev). While mutations are in flight, pushed snapshots are held back so a half-applied
// burst of edits never snaps fields back under the person's cursor; the answer to the latest mutation,
// or the newest held snapshot once nothing is pending, is applied instead.
import type { StateCreator } from 'zustand';
import type { ProjectState } from '../../../shared/api';
import type { StudioState } from './types';

export interface DocumentSlice {
  doc: ProjectState | null;
  /** Mutations sent and not yet answered. */
  pendingMutations: number;
  lastMutationSeq: number;
  /** Newest snapshot pushed while mutations were pending. */
  heldSnapshot: ProjectState | null;
  /** Edits typed but not yet sent (debounced fields). */
  unsentEdits: number;
  receiveSnapshot: (state: ProjectState) => void;
  /**
   * After a reconnect the core may be a new process whose rev restarted from 0: keep showing the
   * document, but let the next snapshot in replace it whatever its rev.
   */
  rebase: () => void;
  beginMutation: () => number;
  endMutation: (seq: number, result?: ProjectState) => void;
  changeUnsentEdits: (delta: number) => void;
}

export function isNewer(next: ProjectState, current: ProjectState | null): boolean {
  if (!current) return true;
  if (next.rev !== current.rev) return next.rev > current.rev;
  return next.saved && !current.saved;
}

export const createDocumentSlice: StateCreator<StudioState, [], [], DocumentSlice> = (set) => ({
  doc: null,
  pendingMutations: 0,
  lastMutationSeq: 0,
  heldSnapshot: null,
  unsentEdits: 0,
  receiveSnapshot: (state) =>
    set((s) => {
      if (s.pendingMutations > 0) return isNewer(state, s.heldSnapshot) ? { heldSnapshot: state } : {};
      return isNewer(state, s.doc) ? { doc: state } : {};
    }),
  rebase: () => set((s) => ({ doc: s.doc ? { ...s.doc, rev: -1 } : null, heldSnapshot: null })),
  beginMutation: () => {
    let seq = 0;
    set((s) => {
      seq = s.lastMutationSeq + 1;
      return { pendingMutations: s.pendingMutations + 1, lastMutationSeq: seq };
    });
    return seq;
  },
  endMutation: (seq, result) =>
    set((s) => {
      const pendingMutations = Math.max(0, s.pendingMutations - 1);
      let doc = s.doc;
      if (result && seq === s.lastMutationSeq && isNewer(result, doc)) doc = result;
      let heldSnapshot = s.heldSnapshot;
      if (pendingMutations === 0 && heldSnapshot) {
        if (isNewer(heldSnapshot, doc)) doc = heldSnapshot;
        heldSnapshot = null;
      }
      return { pendingMutations, doc, heldSnapshot };
    }),
  changeUnsentEdits: (delta) => set((s) => ({ unsentEdits: Math.max(0, s.unsentEdits + delta) })),
});
