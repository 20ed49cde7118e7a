import { describe, expect, it } from 'vitest';
import type { Shot } from '../../../shared/schema';
import { buildCutMap, cutToTimeline, timelineToCut } from '../../../renderer/src/features/player/cut-map';

function shot(id: string, durationSec: number, take?: { seconds: number; trim?: { inSec: number; outSec: number } }): Shot {
  const takes = take
    ? [{ id: `${id}-t`, jobId: 'j', provider: 'animatic', tier: 'standard', request: { hash: 'h', params: {} }, status: 'ready', media: { path: 'm.mp4', durationSec: take.seconds }, createdAt: '' }]
    : [];
  return { id, title: id, prompt: '', negativePrompt: '', durationSec, cfgScale: 0.5, elementIds: [], audio: { native: false, voiceIds: [], dialogue: [] }, notes: '', takes, ...(take ? { selectedTakeId: `${id}-t` } : {}), ...(take?.trim ? { trim: take.trim } : {}) } as unknown as Shot;
}

describe('cut map', () => {
  // a: slate 3 s; b: planned 6 s but its take is 4 s (retimed, not regenerated); c: 5 s take trimmed to 2 s.
  const map = buildCutMap([shot('a', 3), shot('b', 6, { seconds: 4 }), shot('c', 5, { seconds: 5, trim: { inSec: 1, outSec: 3 } })]);

  it('gives each shot its length in the stitched cut', () => {
    expect(map.starts).toEqual([0, 3, 9]);
    expect(map.cutStarts).toEqual([0, 3, 7]);
    expect(map.cutLengths).toEqual([3, 4, 2]);
  });

  it('maps preview time onto the timeline proportionally inside each shot, and back', () => {
    expect(cutToTimeline(map, 1)).toBe(1);
    expect(cutToTimeline(map, 5)).toBe(6); // halfway through b's 4 s take = halfway through its 6 s block
    expect(cutToTimeline(map, 8)).toBe(11.5);
    expect(timelineToCut(map, 6)).toBe(5);
    expect(timelineToCut(map, 11.5)).toBe(8);
  });

  it('treats a take the stitch could not use as a slate of the planned length', () => {
    const slated = buildCutMap([shot('a', 3), shot('b', 6, { seconds: 4 })], ['b']);
    expect(slated.cutLengths).toEqual([3, 6]);
  });
});
