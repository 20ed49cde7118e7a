// Which shot the preview is showing: a moment of the stitched cut → the shot's index in the document.
import type { CutMap } from '../player/cut-map';

/** Index of the shot playing at moment `t` of the cut (the last one past the end; −1 without shots). */
export function shotIndexAtCutTime(map: CutMap, t: number): number {
  const starts = map.cutStarts;
  if (starts.length === 0) return -1;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= t) lo = mid;
    else hi = mid - 1;
  }
  // A zero-length segment never plays: the moment belongs to the next shot that has a length.
  while (lo < starts.length - 1 && map.cutLengths[lo] <= 0) lo++;
  return lo;
}
