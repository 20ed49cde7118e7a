// Which shot the preview is showing: a moment of the stitched cut → the shot's index in the document.
import { segmentAt, type CutMap } from '../player/cut-map';

/** Index of the shot playing at moment `t` of the cut (the last one past the end; −1 without shots). */
export function shotIndexAtCutTime(map: CutMap, t: number): number {
  let lo = segmentAt(map.cutStarts, map.cutLengths, t);
  if (lo < 0) return -1;
  const starts = map.cutStarts;
  // A zero-length segment never plays: the moment belongs to the next shot that has a length.
  while (lo < starts.length - 1 && map.cutLengths[lo] <= 0) lo++;
  return lo;
}
