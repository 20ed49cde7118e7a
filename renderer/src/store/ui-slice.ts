// Selection, notifications and connection state: things that are never saved and never undone.
import type { StateCreator } from 'zustand';
import type { ConnectionState } from '../api/connection';
import type { StudioState } from './types';

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  title: string;
  message: string;
  /**
   * What the toast is about (a command, a task kind): a newer toast on the same topic replaces it, and an
   * error is taken down when the same thing later succeeds (clearToasts), so no outdated error lingers.
   */
  topic?: string;
}

/** A modal over the studio (one at a time). */
export type Dialog = null | 'shortcuts' | 'settings' | 'confirm-generate' | 'library' | 'export' | 'projects' | 'drafts';

/** What the centre region shows: the stitched preview, or every shot as a card (features/board). */
export type CentreView = 'preview' | 'board';

/** Remembered per browser/app like the layout sizes (features/layout): it is about how a person works. */
export const CENTRE_VIEW_KEY = 'storyreel.centre-view.v1';

/** What localStorage held: anything but "board" is the preview. */
export function parseCentreView(raw: string | null | undefined): CentreView {
  return raw === 'board' ? 'board' : 'preview';
}

function rememberedCentreView(): CentreView {
  try {
    return parseCentreView(globalThis.localStorage?.getItem(CENTRE_VIEW_KEY));
  } catch {
    // Storage can be unavailable (privacy modes); the preview is fine.
    return 'preview';
  }
}

function rememberCentreView(view: CentreView): void {
  try {
    globalThis.localStorage?.setItem(CENTRE_VIEW_KEY, view);
  } catch {
    // Full or unavailable storage only means the choice is not remembered next time.
  }
}

export interface UiSlice {
  /** The shot the inspector shows (the last one clicked). */
  selectedShotId: string | null;
  /** Every selected shot (⇧/⌘-click on the timeline or list); always includes selectedShotId when set. */
  selectedShotIds: string[];
  dialog: Dialog;
  openDialog: (dialog: Dialog) => void;
  centreView: CentreView;
  setCentreView: (view: CentreView) => void;
  /** ⌘/⇧-click: adds or removes a shot from the selection (range = select every shot between). */
  toggleShotSelection: (id: string, mode: 'toggle' | 'range', orderedIds: string[]) => void;
  toasts: Toast[];
  connection: ConnectionState;
  recoveryNoticeDismissed: boolean;
  selectShot: (id: string | null) => void;
  pushToast: (toast: Omit<Toast, 'id'>) => number;
  dismissToast: (id: number) => void;
  /** The thing `topic` names worked: its error toasts are no longer true. */
  clearToasts: (topic: string) => void;
  setConnection: (state: ConnectionState) => void;
  dismissRecoveryNotice: () => void;
}

let nextToastId = 1;
const MAX_TOASTS = 4;

export const createUiSlice: StateCreator<StudioState, [], [], UiSlice> = (set) => ({
  selectedShotId: null,
  selectedShotIds: [],
  dialog: null,
  openDialog: (dialog) => set({ dialog }),
  centreView: rememberedCentreView(),
  setCentreView: (centreView) => {
    rememberCentreView(centreView);
    set({ centreView });
  },
  toggleShotSelection: (id, mode, orderedIds) =>
    set((s) => {
      if (mode === 'range' && s.selectedShotId) {
        const a = orderedIds.indexOf(s.selectedShotId);
        const b = orderedIds.indexOf(id);
        if (a >= 0 && b >= 0) {
          const range = orderedIds.slice(Math.min(a, b), Math.max(a, b) + 1);
          return { selectedShotIds: range, selectedShotId: id };
        }
      }
      const has = s.selectedShotIds.includes(id);
      const next = has ? s.selectedShotIds.filter((x) => x !== id) : [...s.selectedShotIds, id];
      return { selectedShotIds: next, selectedShotId: has ? (next.at(-1) ?? null) : id };
    }),
  toasts: [],
  connection: { status: 'connecting' },
  recoveryNoticeDismissed: false,
  selectShot: (id) => set({ selectedShotId: id, selectedShotIds: id ? [id] : [] }),
  pushToast: (toast) => {
    const id = nextToastId++;
    set((s) => {
      // The same message twice in a row (a retry loop, say) shows once; a newer word on a topic replaces the older.
      const kept = s.toasts.filter((t) => !(t.title === toast.title && t.message === toast.message) && !(toast.topic && t.topic === toast.topic));
      return { toasts: [...kept, { ...toast, id }].slice(-MAX_TOASTS) };
    });
    return id;
  },
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  clearToasts: (topic) =>
    set((s) => (s.toasts.some((t) => t.topic === topic && t.kind === 'error') ? { toasts: s.toasts.filter((t) => !(t.topic === topic && t.kind === 'error')) } : s)),
  setConnection: (connection) => set({ connection }),
  dismissRecoveryNotice: () => set({ recoveryNoticeDismissed: true }),
});
