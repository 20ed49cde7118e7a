// Generating never sends while a shot it covers has a field holding a draft the core did not take: the
// provider would get the saved text, not what the person sees. Every path that generates (Generate shot,
// ⌘↵, Generate all, the paid confirmation) asks here after sending pending edits; when drafts block, the
// "edits stop generation" dialog (features/inspector/drafts-dialog) names each one with Fix and Discard.
import { blockingDrafts } from './drafts-slice';
import type { StudioStore } from './store';

/** True when generation must wait (the dialog is then open); false when nothing is held for these shots. */
export function stopForDrafts(store: StudioStore, shotIds?: string[]): boolean {
  const s = store.getState();
  const order = s.doc?.project.shots.map((x) => x.id) ?? [];
  if (blockingDrafts(s.drafts, order, shotIds).length === 0) return false;
  s.setDraftBlock(shotIds ? { shotIds } : {});
  s.openDialog('drafts');
  return true;
}
