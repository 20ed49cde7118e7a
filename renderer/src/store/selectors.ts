// Small selectors shared by features. Anything returning a fresh object or array is used with useShallow.
import type { Shot } from '../../../shared/schema';
import { estimateUsd, roundUsd } from '../../../shared/pricing';
import { workUnits } from '../../../shared/work-units';
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

const estimateCache = new WeakMap<object, { usd: number; requests: number }>();

/**
 * What "Generate all" would cost right now: the engine's own work units and pricing table (shared/), so
 * the figure on screen is the one the engine checks against the budget.
 */
export const selectPendingEstimate = (s: StudioState): { usd: number; requests: number } => {
  const project = s.doc?.project;
  if (!project) return { usd: 0, requests: 0 };
  let cached = estimateCache.get(project);
  if (!cached) {
    const units = workUnits(project, project.settings.provider).filter((u) =>
      u.shotIds.some((id) => {
        const shot = project.shots.find((x) => x.id === id);
        return shot ? needsGeneration(project, shot) : false;
      }),
    );
    const usd = units.reduce(
      (sum, u) =>
        sum + estimateUsd({ provider: u.spec.provider, tier: u.spec.tier, durationSec: u.spec.durationSec, audio: u.spec.audio, voiceControl: u.spec.voiceIds.length > 0 }),
      0,
    );
    cached = { usd: roundUsd(usd), requests: units.length };
    estimateCache.set(project, cached);
  }
  return cached;
};
