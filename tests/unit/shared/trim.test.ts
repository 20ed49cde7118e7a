// How a shot uses its take (shared/trim.ts): the shot's length from its in point, the last frame held when
// the take is shorter, a take within a few frames used whole; and the 1 s floor on what a trim leaves.
import { describe, expect, it } from 'vitest';
import { cutLengthSec, selectTake, shotCut, trimProblem } from '../../../shared/trim';

describe('shotCut', () => {
  it('plays the shot’s duration from its in point, holding the last frame when the take runs out', () => {
    // A 10 s take (240 frames) in a 4 s shot from 2.5 s: frames 60–156.
    expect(shotCut({ durationSec: 4, trim: { inSec: 2.5 } }, 240, 24)).toEqual({ startFrame: 60, endFrame: 156, holdFrames: 0 });
    // Shortened with no trim: the head of the take.
    expect(shotCut({ durationSec: 3 }, 121, 24)).toEqual({ startFrame: 0, endFrame: 72, holdFrames: 0 });
    // Lengthened past the take: all of it, then 3 s of its last frame.
    expect(shotCut({ durationSec: 8 }, 120, 24)).toEqual({ startFrame: 0, endFrame: 120, holdFrames: 72 });
    expect(shotCut({ durationSec: 5, trim: { inSec: 1 } }, 120, 24)).toEqual({ startFrame: 24, endFrame: 120, holdFrames: 24 });
  });

  it('uses a take within a few frames of its shot whole, as it is (no re-encode for a 121-frame 5 s clip)', () => {
    expect(shotCut({ durationSec: 5 }, 121, 24)).toBeUndefined();
    expect(shotCut({ durationSec: 5 }, 119, 24)).toBeUndefined();
    expect(shotCut({ durationSec: 5, trim: { inSec: 0 } }, 120, 24)).toBeUndefined();
    expect(cutLengthSec({ durationSec: 3 }, 5.042)).toBe(3);
    expect(cutLengthSec({ durationSec: 8 }, 5)).toBe(8);
  });
});

describe('trimProblem', () => {
  it('refuses an in point that leaves less than 1 s of the take, with the reason', () => {
    expect(trimProblem(4.5, 5)).toBe('trim: an in point at 4.50 s leaves 0.50 s of the 5.00 s take; a shot needs at least 1 s of it. The trim was not changed.');
    expect(trimProblem(6, 5)).toMatch(/leaves 0.00 s of the 5.00 s take/);
    expect(trimProblem(4, 5)).toBeUndefined();
    expect(trimProblem(0, 5)).toBeUndefined();
  });
});

describe('selectTake', () => {
  it('a trim belongs to the take it was made on: choosing another take starts at 0, re-choosing the same keeps it', () => {
    const shot: { selectedTakeId?: string; trim?: { inSec: number } } = { selectedTakeId: 'a', trim: { inSec: 2 } };
    selectTake(shot, 'a');
    expect(shot.trim).toEqual({ inSec: 2 });
    selectTake(shot, 'b');
    expect(shot).toEqual({ selectedTakeId: 'b' });
  });
});
