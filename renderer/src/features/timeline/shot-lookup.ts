// Per-shot selectors for the timeline and the shot list that stay cheap with hundreds of shots: the
// id → index map is built once per shots array (the document is immutable), not once per row.
import type { Shot } from '../../../../shared/schema';
import { shotStatus, type ShotStatus } from '../../domain/shot-status';
import type { StudioState } from '../../store/types';

const NO_SHOTS: Shot[] = [];
const indexCache = new WeakMap<readonly Shot[], Map<string, number>>();

function indexOf(shots: readonly Shot[]): Map<string, number> {
  let map = indexCache.get(shots);
  if (!map) {
    map = new Map(shots.map((s, i) => [s.id, i]));
    indexCache.set(shots, map);
  }
  return map;
}

export function shotIndex(s: StudioState, id: string): number {
  return indexOf(s.doc?.project.shots ?? NO_SHOTS).get(id) ?? -1;
}

export function shotById(s: StudioState, id: string): Shot | undefined {
  const shots = s.doc?.project.shots ?? NO_SHOTS;
  const i = indexOf(shots).get(id);
  return i === undefined ? undefined : shots[i];
}

/** The take in the cut, when it is ready to be pictured. */
export function readyTakeId(shot: Shot | undefined): string | undefined {
  if (!shot?.selectedTakeId) return undefined;
  const take = shot.takes.find((t) => t.id === shot.selectedTakeId);
  return take?.status === 'ready' && take.media ? take.id : undefined;
}

const NONE: ShotStatus = { kind: 'none' };

/** Like selectShotStatus, but finds the shot through the cached index (300 rows × 300 shots adds up). */
export const selectStatusOf =
  (id: string) =>
  (s: StudioState): ShotStatus => {
    const shot = shotById(s, id);
    return s.doc && shot ? shotStatus(s.doc.project, shot, s.jobs) : NONE;
  };
