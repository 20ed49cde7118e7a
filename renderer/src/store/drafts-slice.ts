// Drafts the core has not taken: text a field shows that is not in the document, because it breaks a
// rule (a prompt over Kling's limit) or because sending it failed (offline, refused). They are held here,
// by shot and field, so that leaving the shot never drops one silently (the field shows it again when the
// shot comes back, the shot list marks the shot), and so that generating can refuse while one is held:
// the provider would receive the saved text, not what the person sees.
import type { StateCreator } from 'zustand';
import type { StudioState } from './types';

export interface HeldDraft {
  shotId: string;
  /** The shot field (FieldKey of the inspector: 'prompt', 'durationSec', …). */
  field: string;
  /** How the inspector labels the field ("Prompt"). */
  label: string;
  text: string;
  /** Why it is not in the document: the field's own message, or that sending it failed. */
  message: string;
  kind: 'refused' | 'unsent';
}

/** Generating waits on these drafts: absent shotIds = "Generate all". */
export interface DraftBlock {
  shotIds?: string[];
}

export interface DraftsSlice {
  drafts: Record<string, HeldDraft>;
  draftBlock: DraftBlock | null;
  holdDraft: (draft: HeldDraft) => void;
  releaseDraft: (shotId: string, field: string) => void;
  setDraftBlock: (block: DraftBlock | null) => void;
}

export function draftKey(shotId: string, field: string): string {
  return `${shotId}\u0000${field}`;
}

/**
 * The drafts that stop generating these shots (every shot for "Generate all"), in the project's shot
 * order, so the list reads like the timeline.
 */
export function blockingDrafts(drafts: Record<string, HeldDraft>, shotOrder: readonly string[], shotIds?: readonly string[]): HeldDraft[] {
  const wanted = shotIds ? new Set(shotIds) : null;
  const order = new Map(shotOrder.map((id, i) => [id, i]));
  return Object.values(drafts)
    .filter((d) => order.has(d.shotId) && (!wanted || wanted.has(d.shotId)))
    .sort((a, b) => order.get(a.shotId)! - order.get(b.shotId)!);
}

export function hasHeldDraft(drafts: Record<string, HeldDraft>, shotId: string): boolean {
  for (const key in drafts) if (drafts[key].shotId === shotId) return true;
  return false;
}

export const createDraftsSlice: StateCreator<StudioState, [], [], DraftsSlice> = (set) => ({
  drafts: {},
  draftBlock: null,
  holdDraft: (draft) =>
    set((s) => {
      const key = draftKey(draft.shotId, draft.field);
      const was = s.drafts[key];
      if (was && was.text === draft.text && was.message === draft.message && was.kind === draft.kind && was.label === draft.label) return s;
      return { drafts: { ...s.drafts, [key]: draft } };
    }),
  releaseDraft: (shotId, field) =>
    set((s) => {
      const key = draftKey(shotId, field);
      if (!(key in s.drafts)) return s;
      const { [key]: _gone, ...rest } = s.drafts;
      return { drafts: rest };
    }),
  setDraftBlock: (draftBlock) => set({ draftBlock }),
});
