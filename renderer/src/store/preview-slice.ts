// The latest stitched cut and the background tasks (stitch, generation) still running.
import type { StateCreator } from 'zustand';
import type { Preview, TaskProgress } from '../../../shared/api';
import type { StudioState } from './types';

export interface PreviewSlice {
  preview: Preview | null;
  /** Tasks not yet done, by taskId. */
  tasks: Readonly<Record<string, TaskProgress>>;
  setPreview: (preview: Preview | null) => void;
  receiveTask: (task: TaskProgress) => void;
  /** Forgets running tasks (after a reconnect their `done` may never arrive). */
  clearTasks: () => void;
}

export const createPreviewSlice: StateCreator<StudioState, [], [], PreviewSlice> = (set) => ({
  preview: null,
  tasks: {},
  setPreview: (preview) => set((s) => (s.preview?.key === preview?.key && s.preview?.path === preview?.path ? s : { preview })),
  receiveTask: (task) =>
    set((s) => {
      const tasks = { ...s.tasks };
      if (task.done) delete tasks[task.taskId];
      else tasks[task.taskId] = task;
      return { tasks };
    }),
  clearTasks: () => set({ tasks: {} }),
});
