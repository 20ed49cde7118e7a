import { describe, expect, it } from 'vitest';
import { planTrimPieces, trimPieceFrames } from '../../../electron/core/media/trim-pieces';

describe('planTrimPieces: only the frames off a keyframe are encoded', () => {
  it('a shortened shot copies up to the last keyframe and encodes only the tail', () => {
    expect(planTrimPieces([0, 48, 96], 0, 120, 0)).toEqual([
      { kind: 'copy', fromFrame: 0, toFrame: 96 },
      { kind: 'encode', fromFrame: 96, toFrame: 120, holdFrames: 0 },
    ]);
  });

  it('a head trim encodes up to the first keyframe, copies the body and encodes the tail', () => {
    expect(planTrimPieces([0, 48, 96, 144], 30, 150, 0)).toEqual([
      { kind: 'encode', fromFrame: 30, toFrame: 48, holdFrames: 0 },
      { kind: 'copy', fromFrame: 48, toFrame: 144 },
      { kind: 'encode', fromFrame: 144, toFrame: 150, holdFrames: 0 },
    ]);
  });

  it('a trim ending on a keyframe has no tail piece; one starting on a keyframe has no head piece', () => {
    expect(planTrimPieces([0, 48, 96, 144], 48, 144, 0)).toEqual([{ kind: 'copy', fromFrame: 48, toFrame: 144 }]);
  });

  it('held frames go into the encoded tail, which then keeps at least one frame of the take to hold', () => {
    expect(planTrimPieces([0, 48, 96], 0, 120, 24)).toEqual([
      { kind: 'copy', fromFrame: 0, toFrame: 96 },
      { kind: 'encode', fromFrame: 96, toFrame: 120, holdFrames: 24 },
    ]);
    // The trim ends on a keyframe: with a hold the body stops one keyframe earlier, so the tail has a frame to clone.
    expect(planTrimPieces([0, 48, 96, 144], 0, 144, 12)).toEqual([
      { kind: 'copy', fromFrame: 0, toFrame: 96 },
      { kind: 'encode', fromFrame: 96, toFrame: 144, holdFrames: 12 },
    ]);
  });

  it('no keyframe inside the trim: the whole trim is encoded', () => {
    expect(planTrimPieces([0, 48, 96], 50, 90, 6)).toEqual([{ kind: 'encode', fromFrame: 50, toFrame: 90, holdFrames: 6 }]);
    expect(planTrimPieces([0, 48, 96], 30, 60, 0)).toEqual([{ kind: 'encode', fromFrame: 30, toFrame: 60, holdFrames: 0 }]);
  });

  it('the pieces cover the trim and its hold exactly, in order', () => {
    for (const [s, e, h] of [[0, 120, 0], [30, 150, 0], [7, 143, 20], [1, 97, 0], [48, 49, 3]]) {
      const pieces = planTrimPieces([0, 48, 96, 144], s, e, h);
      expect(pieces.reduce((n, p) => n + trimPieceFrames(p), 0)).toBe(e - s + h);
      expect(pieces[0].fromFrame).toBe(s);
      pieces.slice(1).forEach((p, i) => expect(p.fromFrame).toBe(pieces[i].toFrame));
    }
  });
});
