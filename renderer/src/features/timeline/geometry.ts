// Timeline arithmetic as pure functions: zoom, ruler steps, where a dragged block lands, what an edge drag
// makes of a duration, and whether a selection can become one multi-shot request. The components only
// measure pointers and call these, so the rules are tested without a browser (tests/unit/renderer/).
import { shotDurationRange, type ProviderCapabilities } from '../../../../shared/capabilities';
import { MAX_SHOT_SECONDS, MIN_SHOT_SECONDS } from '../../../../shared/schema';
import { MIN_TRIM_KEEP_SEC } from '../../../../shared/trim';
import { shotStarts } from '../../../../shared/time';

/** Pixels per second, the timeline's zoom. */
export const MIN_PPS = 2;
export const MAX_PPS = 240;
const ZOOM_FACTOR = 1.5;
/** Most shots a multi-shot request takes (Kling V3 multi_prompt). */
export const MAX_GROUP_SHOTS = 6;

export function clampPps(pps: number): number {
  return Math.min(MAX_PPS, Math.max(MIN_PPS, pps));
}

/** One zoom step in or out from the current scale. */
export function zoomStep(pps: number, direction: 1 | -1): number {
  return clampPps(direction > 0 ? pps * ZOOM_FACTOR : pps / ZOOM_FACTOR);
}

/** The scale that shows the whole cut in widthPx (an empty cut gets a comfortable default). */
export function fitPps(widthPx: number, totalSec: number): number {
  if (totalSec <= 0 || widthPx <= 0) return 40;
  return clampPps(widthPx / totalSec);
}

const LABEL_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600];

/** Seconds between labelled ruler ticks so labels sit at least minGapPx apart, and between minor ticks. */
export function rulerStep(pps: number, minGapPx = 56): { label: number; minor: number } {
  const label = LABEL_STEPS.find((s) => s * pps >= minGapPx) ?? LABEL_STEPS[LABEL_STEPS.length - 1];
  const minor = label === 1 ? (pps >= 60 ? 0.5 : 1) : label <= 10 ? 1 : label / 5;
  return { label, minor };
}

/**
 * The gap a block dropped at `sec` goes into: 0 = before the first shot, n = after the last. The cut
 * point nearest to the pointer wins (a drop on the first half of a shot lands before it).
 */
export function gapAt(durations: readonly number[], sec: number): number {
  let t = 0;
  for (let i = 0; i < durations.length; i++) {
    if (sec < t + durations[i] / 2) return i;
    t += durations[i];
  }
  return durations.length;
}

/**
 * What shots.moveMany needs to put `movingIds` (kept in their timeline order) into gap `gap` of the
 * original order: toIndex counts the shots that stay. null when the order would not change.
 */
export function moveTarget({ orderedIds, movingIds, gap }: { orderedIds: readonly string[]; movingIds: readonly string[]; gap: number }): { ids: string[]; toIndex: number } | null {
  const moving = new Set(movingIds);
  const ids = orderedIds.filter((id) => moving.has(id));
  if (ids.length === 0) return null;
  const toIndex = orderedIds.slice(0, Math.max(0, gap)).filter((id) => !moving.has(id)).length;
  const rest = orderedIds.filter((id) => !moving.has(id));
  const next = [...rest.slice(0, toIndex), ...ids, ...rest.slice(toIndex)];
  return next.every((id, i) => id === orderedIds[i]) ? null : { ids, toIndex };
}

/** ⌥←/⌥→: the moving shots one place earlier (-1) or later (+1); null at either end. */
export function nudgeTarget({ orderedIds, movingIds, step }: { orderedIds: readonly string[]; movingIds: readonly string[]; step: -1 | 1 }): { ids: string[]; toIndex: number } | null {
  const moving = new Set(movingIds);
  const ids = orderedIds.filter((id) => moving.has(id));
  if (ids.length === 0) return null;
  const rest = orderedIds.filter((id) => !moving.has(id));
  const current = orderedIds.slice(0, orderedIds.indexOf(ids[0])).filter((id) => !moving.has(id)).length;
  const toIndex = current + step;
  if (toIndex < 0 || toIndex > rest.length) return null;
  return { ids, toIndex };
}

/**
 * A right-edge drag: the new duration in whole seconds, within the shot's range (3–15 s alone; inside a
 * multi-shot group down to the provider's per-shot minimum, `minSec`) and within what the shot's group
 * leaves (a multi-shot request is at most 15 s in all).
 */
export function retimeDuration({ fromSec, dxPx, pps, maxSec = MAX_SHOT_SECONDS, minSec = MIN_SHOT_SECONDS }: { fromSec: number; dxPx: number; pps: number; maxSec?: number; minSec?: number }): number {
  const raw = Math.round(fromSec + dxPx / pps);
  return Math.min(Math.max(minSec, maxSec), Math.max(minSec, raw));
}

/**
 * A left-edge drag (head trim): the in point and the duration move together by whole seconds, so the
 * shot's out point in its take stays where it was. The in point stays at or after the take's start and
 * leaves at least 1 s of the take; the duration stays within `minSec` (3 s alone) and `maxSec`.
 */
export function headTrim({ fromIn, fromSec, dxPx, pps, clipSec, maxSec = MAX_SHOT_SECONDS, minSec = MIN_SHOT_SECONDS }: { fromIn: number; fromSec: number; dxPx: number; pps: number; clipSec: number; maxSec?: number; minSec?: number }): { inSec: number; durationSec: number } {
  let step = Math.round(dxPx / pps);
  step = Math.min(step, fromSec - minSec, Math.floor(clipSec - MIN_TRIM_KEEP_SEC - fromIn));
  step = Math.max(step, Math.ceil(-fromIn - 1e-9), fromSec - Math.max(minSec, maxSec));
  return { inSec: Math.round((fromIn + step) * 1000) / 1000, durationSec: fromSec - step };
}

/**
 * An ⌥-drag inside a block (slip): the take slides under the shot, which keeps its place and length. The
 * pointer carries the picture, so dragging right shows earlier frames. In frames of 24 fps, within the take
 * (never past where its end would have to be held).
 */
export function slipIn({ fromIn, dxPx, pps, durationSec, clipSec }: { fromIn: number; dxPx: number; pps: number; durationSec: number; clipSec: number }): number {
  const latest = Math.max(0, clipSec - durationSec, Math.min(fromIn, clipSec - MIN_TRIM_KEEP_SEC));
  const raw = Math.min(latest, Math.max(0, fromIn - dxPx / pps));
  return Math.round(raw * 24) / 24;
}

/** Audio lanes move in tenths of a second and never before the start. */
export function snapTenth(sec: number): number {
  return Math.max(0, Math.round(sec * 10) / 10);
}

interface ShotLike {
  id: string;
  title: string;
  durationSec: number;
}
interface GroupLike {
  id: string;
  shotIds: readonly string[];
}

export type GroupCheck = { ok: true; ids: string[]; seconds: number } | { ok: false; reason: string };

/** Whether the selection can be one multi-shot request; the reason is shown on the disabled Group button. */
export function groupCheck({ shots, groups, selectedIds }: { shots: readonly ShotLike[]; groups: readonly GroupLike[]; selectedIds: readonly string[] }): GroupCheck {
  const chosen = new Set(selectedIds);
  const at = shots.map((s, i) => (chosen.has(s.id) ? i : -1)).filter((i) => i >= 0);
  if (at.length < 2) return { ok: false, reason: 'Select 2–6 neighbouring shots (⇧-click a range) to join them into one multi-shot request.' };
  if (at.length > MAX_GROUP_SHOTS) return { ok: false, reason: `A multi-shot request holds at most ${MAX_GROUP_SHOTS} shots; ${at.length} are selected.` };
  if (at.some((v, i) => i > 0 && v !== at[i - 1] + 1)) return { ok: false, reason: 'Only shots next to each other on the timeline can be grouped.' };
  const picked = at.map((i) => shots[i]);
  const seconds = picked.reduce((sum, s) => sum + s.durationSec, 0);
  if (seconds > MAX_SHOT_SECONDS) {
    return { ok: false, reason: `These shots are ${seconds} s together; a multi-shot request is at most ${MAX_SHOT_SECONDS} s. Shorten them or select fewer.` };
  }
  const grouped = picked.filter((s) => groups.some((g) => g.shotIds.includes(s.id)));
  if (grouped.length > 0) {
    const n = shots.indexOf(grouped[0]) + 1;
    return { ok: false, reason: `Shot ${n}${grouped[0].title ? ` “${grouped[0].title}”` : ''} is already in a multi-shot group. Ungroup it first.` };
  }
  return { ok: true, ids: picked.map((s) => s.id), seconds };
}

export interface GroupSpan {
  groupId: string;
  startSec: number;
  seconds: number;
  count: number;
}

/** Where each group's bracket goes on the timeline. */
export function groupSpans({ shots, groups }: { shots: readonly Pick<ShotLike, 'id' | 'durationSec'>[]; groups: readonly GroupLike[] }): GroupSpan[] {
  const index = new Map(shots.map((s, i) => [s.id, i]));
  const at = shotStarts(shots.map((s) => s.durationSec));
  const spans: GroupSpan[] = [];
  for (const g of groups) {
    const idx = g.shotIds.map((id) => index.get(id)).filter((i): i is number => i !== undefined);
    if (idx.length === 0) continue;
    const first = Math.min(...idx);
    const seconds = idx.reduce((sum, i) => sum + shots[i].durationSec, 0);
    spans.push({ groupId: g.id, startSec: at[first], seconds, count: idx.length });
  }
  return spans;
}

/** The most a grouped shot may last so its group stays within 15 s. */
export function maxDurationInGroup({ shots, groups, shotId }: { shots: readonly Pick<ShotLike, 'id' | 'durationSec'>[]; groups: readonly GroupLike[]; shotId: string }): number {
  const group = groups.find((g) => g.shotIds.includes(shotId));
  if (!group) return MAX_SHOT_SECONDS;
  const others = shots.filter((s) => s.id !== shotId && group.shotIds.includes(s.id)).reduce((sum, s) => sum + s.durationSec, 0);
  return Math.min(MAX_SHOT_SECONDS, MAX_SHOT_SECONDS - others);
}

/** The shortest a shot may be made on the timeline: 3 s alone, the provider's per-shot minimum inside a group. */
export function minDurationFor({ groups, shotId, caps }: { groups: readonly GroupLike[]; shotId: string; caps: Pick<ProviderCapabilities, 'minDurationSec' | 'maxDurationSec' | 'multiShot'> }): number {
  return shotDurationRange(caps, groups.some((g) => g.shotIds.includes(shotId))).min;
}

/** 4.2 → "0:04.2": the playhead readout. */
export function timecode(sec: number): string {
  // Rounded first, so 59.96 reads 1:00.0 rather than 0:60.0.
  const t = Math.round(Math.max(0, sec) * 10) / 10;
  const m = Math.floor(t / 60);
  const s = t - m * 60;
  return `${m}:${s.toFixed(1).padStart(4, '0')}`;
}
