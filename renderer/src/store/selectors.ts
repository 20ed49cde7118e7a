// Small selectors shared by features. Anything returning a fresh object or array is used with useShallow.
import type { Shot } from '../../../shared/schema';
import { needsGeneration, shotStatus, type ShotStatus } from '../domain/shot-status';
import type { StudioState } from './types';

const NO_SHOTS: Shot[] = [];

export const selectShots = (s: StudioState): Shot[] => s.doc?.project.shots ?? NO_SHOTS;

export const selectShotIds = (s: StudioState): string[] => selectShots(s).map((x) => x.id);

export const selectShot =
  (id: string | null) =>
  (s: StudioState): Shot | undefined =>
    id ? selectShots(s).find((x) => x.id === id) : undefined;

export const selectShotIndex =
  (id: string) =>
  (s: StudioState): number =>
    selectShots(s).findIndex((x) => x.id === id);

export const selectShotStatus =
  (id: string) =>
  (s: StudioState): ShotStatus => {
    const shot = selectShots(s).find((x) => x.id === id);
    if (!s.doc || !shot) return { kind: 'none' };
    return shotStatus(s.doc.project, shot, s.jobs);
  };

export const selectNeedsGenerationCount = (s: StudioState): number => {
  const project = s.doc?.project;
  return project ? project.shots.filter((shot) => needsGeneration(project, shot)).length : 0;
};

export const selectSaveState = (s: StudioState): 'saved' | 'saving' | 'unsaved' | 'offline' => {
  if (!s.doc) return 'saved';
  if (s.connection.status !== 'open' && s.connection.status !== 'connecting') return 'offline';
  if (s.pendingMutations > 0) return 'saving';
  if (s.unsentEdits > 0 || !s.doc.saved) return 'unsaved';
  return 'saved';
};

/** Short display name for a shot: its title, or its number when it has none. */
export function shotName(shot: Pick<Shot, 'title'>, index: number): string {
  return shot.title.trim() || `Untitled shot ${index + 1}`;
}
