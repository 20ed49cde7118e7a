// Where the player continues when a rebuilt preview replaces the one playing: on the same shot, at the same
// moment into it (the shots before it may have grown, shrunk, moved or gone). Pure.
import type { Preview } from '../../../../shared/api';

type Segments = NonNullable<Preview['segments']>;

/** Half a frame short of a segment's end: still inside it. */
const INSIDE = 1 / 48;

export function swapPosition(input: { time: number; from?: Segments; to?: Segments; toDurationSec: number }): number {
  const { time, from, to } = input;
  const clamp = (t: number) => Math.min(Math.max(0, t), Math.max(0, input.toDurationSec - 0.05));
  if (!from?.length || !to?.length) return clamp(time);
  // The shot on screen (the last one when the player stands at the very end).
  let at = from.findIndex((s) => time >= s.startSec && time < s.startSec + s.durationSec);
  if (at < 0) at = time <= 0 ? 0 : from.length - 1;
  const offset = Math.max(0, time - from[at].startSec);
  const same = to.find((s) => s.shotId === from[at].shotId);
  if (same) return clamp(same.startSec + Math.min(offset, Math.max(0, same.durationSec - INSIDE)));
  // That shot is gone: the start of the next one that is still in the cut, else the end of the one before.
  for (let i = at + 1; i < from.length; i++) {
    const next = to.find((s) => s.shotId === from[i].shotId);
    if (next) return clamp(next.startSec);
  }
  for (let i = at - 1; i >= 0; i--) {
    const prev = to.find((s) => s.shotId === from[i].shotId);
    if (prev) return clamp(prev.startSec + prev.durationSec - INSIDE);
  }
  return clamp(time);
}
