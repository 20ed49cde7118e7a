// One store from slices (zustand's slices pattern); middleware, if any, goes on the combined store only.
import { create } from 'zustand';
import { createDocumentSlice } from './document-slice';
import { createDraftsSlice } from './drafts-slice';
import { createJobsSlice } from './jobs-slice';
import { createPreviewSlice } from './preview-slice';
import type { StudioState } from './types';
import { createUiSlice } from './ui-slice';

export function createStudioStore() {
  return create<StudioState>()((...a) => ({
    ...createDocumentSlice(...a),
    ...createJobsSlice(...a),
    ...createPreviewSlice(...a),
    ...createUiSlice(...a),
    ...createDraftsSlice(...a),
  }));
}

export type StudioStore = ReturnType<typeof createStudioStore>;
export type { StudioState };
