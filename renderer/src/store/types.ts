import type { DocumentSlice } from './document-slice';
import type { DraftsSlice } from './drafts-slice';
import type { JobsSlice } from './jobs-slice';
import type { PreviewSlice } from './preview-slice';
import type { UiSlice } from './ui-slice';

export type StudioState = DocumentSlice & JobsSlice & PreviewSlice & UiSlice & DraftsSlice;
