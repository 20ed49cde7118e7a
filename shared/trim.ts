// How a shot uses its selected take (pure; shared by the stitch, the export, the studio's cut map and the
// currency rule). A shot plays `durationSec` of its take starting at its in point (`trim.inSec`, 0 without a
// trim): a take longer than that is trimmed, never regenerated; a take shorter than that is held on its
// last frame until a longer take comes (the shot "needs a longer take").
import type { Shot } from './schema';

/** A trim must leave at least this much of the take to play. */
export const MIN_TRIM_KEEP_SEC = 1;
/**
 * A clip within this many frames of its shot's length, played from its start, is used whole as it is:
 * providers deliver a 5 s request as 121 frames, and re-encoding it to drop one frame would cost a proxy.
 */
export const SLACK_FRAMES = 3;

export interface ShotCut {
  /** Frames of the clip the cut plays: [startFrame, endFrame). */
  startFrame: number;
  endFrame: number;
  /** Frames its last frame is held after that, to fill the shot's length. */
  holdFrames: number;
}

type ShotUse = Pick<Shot, 'durationSec' | 'trim'>;

/** The part of a clip of `clipFrames` a shot plays; undefined when it plays the whole clip as it is. */
export function shotCut(shot: ShotUse, clipFrames: number, fps: number): ShotCut | undefined {
  if (clipFrames < 1) return undefined;
  const want = Math.max(1, Math.round(shot.durationSec * fps));
  const startFrame = Math.min(clipFrames - 1, Math.max(0, Math.round((shot.trim?.inSec ?? 0) * fps)));
  if (startFrame === 0 && Math.abs(clipFrames - want) <= SLACK_FRAMES) return undefined;
  const endFrame = Math.min(clipFrames, startFrame + want);
  return { startFrame, endFrame, holdFrames: want - (endFrame - startFrame) };
}

/** How long the shot lasts in the cut, for a clip of `clipSec`. */
export function cutLengthSec(shot: ShotUse, clipSec: number, fps = 24): number {
  const clipFrames = Math.max(1, Math.round(clipSec * fps));
  const cut = shotCut(shot, clipFrames, fps);
  return (cut ? cut.endFrame - cut.startFrame + cut.holdFrames : clipFrames) / fps;
}

/** Whether a clip of `clipSec` (from the shot's in point) covers the whole shot. */
export function clipCoversShot(shot: ShotUse, clipSec: number, fps = 24): boolean {
  return (clipSec - (shot.trim?.inSec ?? 0)) * fps >= shot.durationSec * fps - SLACK_FRAMES;
}

/** Why an in point cannot be taken (it would leave less than 1 s of the take), or undefined when it can. */
export function trimProblem(inSec: number, clipSec: number | undefined): string | undefined {
  if (!Number.isFinite(inSec) || inSec < 0) return 'trim: the in point must be 0 s or later';
  if (clipSec === undefined) return undefined;
  const left = clipSec - inSec;
  if (left < MIN_TRIM_KEEP_SEC - 1e-6) {
    return `trim: an in point at ${inSec.toFixed(2)} s leaves ${Math.max(0, left).toFixed(2)} s of the ${clipSec.toFixed(2)} s take; a shot needs at least ${MIN_TRIM_KEEP_SEC} s of it. The trim was not changed.`;
  }
  return undefined;
}

/** Puts a take in the shot's cut. A trim belongs to the use of one take, so choosing another starts it at 0. */
export function selectTake(shot: Pick<Shot, 'selectedTakeId' | 'trim'>, takeId: string): void {
  if (shot.selectedTakeId !== takeId) delete shot.trim;
  shot.selectedTakeId = takeId;
}
