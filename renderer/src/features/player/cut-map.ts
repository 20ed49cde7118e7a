// Where each shot sits in the stitched preview. The cut is the selected takes in timeline order with their
// trims, and a slate of the shot's own length where there is no usable take — a take is trimmed to its
// shot's duration from its in point, or held on its last frame when it is shorter (shared/trim.ts), so a
// shot lasts its planned duration in the cut, give or take the few frames a clip is used whole for. The timeline draws planned durations; the playhead and cueing go through
// this map so the line stays inside the block that is on screen.
import type { Preview } from '../../../../shared/api';
import type { Shot } from '../../../../shared/schema';
import { shotStarts } from '../../../../shared/time';
import { cutLengthSec } from '../../../../shared/trim';
import type { StudioState } from '../../store/types';
import { fitCrossfade } from '../../../../shared/export-presets';

export interface CutMap {
  /** Planned start and length of each shot on the timeline. */
  starts: number[];
  lengths: number[];
  /** Start and length of each shot in the stitched cut. */
  cutStarts: number[];
  cutLengths: number[];
}

function lengthInCut(shot: Shot, slate: boolean): number {
  if (slate || !shot.selectedTakeId) return shot.durationSec;
  const take = shot.takes.find((t) => t.id === shot.selectedTakeId);
  const media = take?.status === 'ready' ? take.media : undefined;
  if (!media) return shot.durationSec;
  return cutLengthSec(shot, media.durationSec);
}

/**
 * The map for a document and the preview that is loaded. When the preview says where each shot sits (and
 * its shots are the document's, in the same order) those exact figures are used; otherwise — an older
 * preview, or one not yet rebuilt after a reorder — they are worked out from the takes.
 */
export function buildCutMap(shots: readonly Shot[], slateShotIds: readonly string[] = [], segments?: Preview['segments'], crossfadeSec = 0): CutMap {
  const map = computeCutMap(shots, slateShotIds, crossfadeSec);
  if (segments && segments.length === shots.length && segments.every((seg, i) => seg.shotId === shots[i].id)) {
    map.cutStarts = segments.map((s) => s.startSec);
    map.cutLengths = segments.map((s) => s.durationSec);
  }
  return map;
}

function computeCutMap(shots: readonly Shot[], slateShotIds: readonly string[], crossfadeSec: number): CutMap {
  const slates = new Set(slateShotIds);
  const planned = shots.map((shot) => shot.durationSec);
  const lengths = shots.map((shot) => lengthInCut(shot, slates.has(shot.id)));
  // With the project's crossfade each shot starts that much before the one before it ends (as the stitch places them).
  const fade = fitCrossfade(lengths, crossfadeSec);
  return { starts: shotStarts(planned), lengths: planned, cutStarts: shotStarts(lengths.map((len) => len - fade)), cutLengths: lengths };
}

// The document and the preview are immutable snapshots: one map per pair, however often it is read.
const cache = new WeakMap<readonly Shot[], { preview: Preview | null; crossfadeSec: number; map: CutMap }>();

export function cutMapFor(shots: readonly Shot[], preview: Preview | null, crossfadeSec = 0): CutMap {
  const hit = cache.get(shots);
  if (hit && hit.preview === preview && hit.crossfadeSec === crossfadeSec) return hit.map;
  const map = buildCutMap(shots, preview?.slateShotIds, preview?.segments, crossfadeSec);
  cache.set(shots, { preview, crossfadeSec, map });
  return map;
}

/** Index of the segment holding `t` in the given starts/lengths (the last one past the end; −1 when empty). */
export function segmentAt(starts: number[], lengths: number[], t: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= t) lo = mid;
    else hi = mid - 1;
  }
  return lengths.length ? lo : -1;
}

/** A moment of the preview → a place on the timeline (seconds), proportionally inside its shot. */
export function cutToTimeline(map: CutMap, t: number): number {
  const i = segmentAt(map.cutStarts, map.cutLengths, t);
  if (i < 0) return t;
  const f = map.cutLengths[i] > 0 ? Math.min(1, Math.max(0, (t - map.cutStarts[i]) / map.cutLengths[i])) : 0;
  return map.starts[i] + f * map.lengths[i];
}

/** A place on the timeline (seconds) → the moment of the preview showing it. */
export function timelineToCut(map: CutMap, sec: number): number {
  const i = segmentAt(map.starts, map.lengths, sec);
  if (i < 0) return sec;
  const f = map.lengths[i] > 0 ? Math.min(1, Math.max(0, (sec - map.starts[i]) / map.lengths[i])) : 0;
  return map.cutStarts[i] + f * map.cutLengths[i];
}

const NO_SHOTS: Shot[] = [];

/** The map of the document and preview in the store right now. */
export function cutMapOf(s: Pick<StudioState, 'doc' | 'preview'>): CutMap {
  return cutMapFor(s.doc?.project.shots ?? NO_SHOTS, s.preview, s.doc?.project.settings.crossfadeSec ?? 0);
}
