// Selection, notifications and connection state: things that are never saved and never undone.
import type { StateCreator } from 'zustand';
import type { ConnectionState } from '../api/connection';
import type { StudioState } from './types';

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  title: string;
  message: string;
}

export interface UiSlice {
  selectedShotId: string | null;
  toasts: Toast[];
  connection: ConnectionState;
  recoveryNoticeDismissed: boolean;
  selectShot: (id: string | null) => void;
  pushToast: (toast: Omit<Toast, 'id'>) => number;
  dismissToast: (id: number) => void;
  setConnection: (state: ConnectionState) => void;
  dismissRecoveryNotice: () => void;
}

let nextToastId = 1;
const MAX_TOASTS = 4;

export const createUiSlice: StateCreator<StudioState, [], [], UiSlice> = (set) => ({
  selectedShotId: null,
  toasts: [],
  connection: { status: 'connecting' },
  recoveryNoticeDismissed: false,
  selectShot: (id) => set({ selectedShotId: id }),
  pushToast: (toast) => {
    const id = nextToastId++;
    set((s) => {
      // The same message twice in a row (a retry loop, say) shows once.
      const duplicate = s.toasts.find((t) => t.title === toast.title && t.message === toast.message);
      const kept = s.toasts.filter((t) => t !== duplicate);
      return { toasts: [...kept, { ...toast, id }].slice(-MAX_TOASTS) };
    });
    return id;
  },
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  setConnection: (connection) => set({ connection }),
  dismissRecoveryNotice: () => set({ recoveryNoticeDismissed: true }),
});
