// Mirror of the engine's jobs, keyed by id, fed by `jobs.list` and `job.updated`.
import type { StateCreator } from 'zustand';
import type { Job } from '../../../shared/api';
import type { StudioState } from './types';

export interface JobsSlice {
  jobs: ReadonlyMap<string, Job>;
  upsertJobs: (jobs: Job[]) => void;
}

/** Events can overtake the initial list; never let an older record replace a newer one. */
function keep(existing: Job | undefined, incoming: Job): boolean {
  return !existing || incoming.updatedAt >= existing.updatedAt;
}

export const createJobsSlice: StateCreator<StudioState, [], [], JobsSlice> = (set) => ({
  jobs: new Map(),
  upsertJobs: (incoming) =>
    set((s) => {
      const next = new Map(s.jobs);
      let changed = false;
      for (const job of incoming) {
        if (keep(next.get(job.id), job)) {
          next.set(job.id, job);
          changed = true;
        }
      }
      return changed ? { jobs: next } : s;
    }),
});
