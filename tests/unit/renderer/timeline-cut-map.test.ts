import { describe, expect, it } from 'vitest';
import type { Shot } from '../../../shared/schema';
import { buildCutMap, cutToTimeline, timelineToCut } from '../../../renderer/src/features/player/cut-map';

function shot(id: string, durationSec: number, take?: { seconds: number; trim?: { inSec: number } }): Shot {
  const takes = take
    ? [{ id: `${id}-t`, jobId: 'j', provider: 'animatic', tier: 'standard', request: { hash: 'h', params: {} }, status: 'ready', media: { path: 'm.mp4', durationSec: take.seconds }, createdAt: '' }]
    : [];
  return { id, title: id, prompt: '', negativePrompt: '', durationSec, cfgScale: 0.5, elementIds: [], audio: { native: false, voiceIds: [], dialogue: [] }, notes: '', takes, ...(take ? { selectedTakeId: `${id}-t` } : {}), ...(take?.trim ? { trim: take.trim } : {}) } as unknown as Shot;
}

describe('cut map', () => {
  // a: slate 3 s; b: planned 6 s but its take is 4 s (lengthened: held on its last frame); c: 2 s of a 5 s
  // take from 1 s (shortened and slipped); d: planned 5 s, its take 121 frames (used whole, as it is).
  const map = buildCutMap([shot('a', 3), shot('b', 6, { seconds: 4 }), shot('c', 2, { seconds: 5, trim: { inSec: 1 } }), shot('d', 5, { seconds: 121 / 24 })]);

  it('gives each shot its length in the stitched cut: its planned length, give or take a whole take’s last frames', () => {
    expect(map.starts).toEqual([0, 3, 9, 11]);
    expect(map.cutStarts).toEqual([0, 3, 9, 11]);
    expect(map.cutLengths.slice(0, 3)).toEqual([3, 6, 2]);
    expect(map.cutLengths[3]).toBeCloseTo(121 / 24, 9);
  });

  it('maps preview time onto the timeline proportionally inside each shot, and back', () => {
    expect(cutToTimeline(map, 1)).toBe(1);
    expect(cutToTimeline(map, 6)).toBe(6);
    expect(cutToTimeline(map, 11 + 121 / 48)).toBeCloseTo(13.5, 9); // halfway through d's take = halfway through its block
    expect(timelineToCut(map, 13.5)).toBeCloseTo(11 + 121 / 48, 9);
  });

  it('treats a take the stitch could not use as a slate of the planned length', () => {
    const slated = buildCutMap([shot('a', 3), shot('b', 6, { seconds: 4 })], ['b']);
    expect(slated.cutLengths).toEqual([3, 6]);
    // A 4 s take in a 3 s shot plays 3 s of it.
    expect(buildCutMap([shot('a', 3, { seconds: 4 })]).cutLengths).toEqual([3]);
  });

  it('uses the segments of the preview itself when they name the shots on screen, and works it out when they do not', () => {
    const shots = [shot('a', 3), shot('b', 6, { seconds: 4 })];
    // The file's real lengths (whole frames at 24 fps) win over the take's rounded duration.
    const exact = buildCutMap(shots, [], [
      { shotId: 'a', startSec: 0, durationSec: 3 },
      { shotId: 'b', startSec: 3, durationSec: 4.0416666 },
    ]);
    expect(exact.cutLengths).toEqual([3, 4.0416666]);
    expect(exact.starts).toEqual([0, 3]);
    // A preview from before a reorder describes other positions: ignored.
    const stale = buildCutMap(shots, [], [
      { shotId: 'b', startSec: 0, durationSec: 4 },
      { shotId: 'a', startSec: 4, durationSec: 3 },
    ]);
    expect(stale.cutStarts).toEqual([0, 3]);
    expect(stale.cutLengths).toEqual([3, 6]);
  });

  it('maps a crossfaded cut, whose shots overlap, to the shot fading in and back to where it starts', () => {
    const shots = [shot('a', 3), shot('b', 3), shot('c', 3)];
    // The stitch's segments with 0.5 s crossfades: each shot starts half a second before the last one ends.
    const map = buildCutMap(shots, [], [
      { shotId: 'a', startSec: 0, durationSec: 3 },
      { shotId: 'b', startSec: 2.5, durationSec: 3 },
      { shotId: 'c', startSec: 5, durationSec: 3 },
    ]);
    expect(cutToTimeline(map, 2.4)).toBeCloseTo(2.4, 9); // a alone
    expect(cutToTimeline(map, 2.75)).toBeCloseTo(3.25, 9); // b fading in: a quarter second into b
    expect(cutToTimeline(map, 7.9)).toBeCloseTo(8.9, 9); // the end of the cut is the end of c
    expect(timelineToCut(map, 3)).toBe(2.5); // cueing b plays its crossfade in
    expect(timelineToCut(map, 6)).toBe(5);
    // Before that preview exists (a crossfade just turned on), the map works the overlaps out the same way.
    const worked = buildCutMap(shots, [], undefined, 0.5);
    expect(worked.cutStarts).toEqual([0, 2.5, 5]);
    expect(worked.cutLengths).toEqual([3, 3, 3]);
  });
});
