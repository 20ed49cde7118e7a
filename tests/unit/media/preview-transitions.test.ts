import { describe, expect, it } from 'vitest';
import { crossfadeFrames, pieceFrames, planCrossfadedCut, transitionJob, bodyCopyJob } from '../../../electron/core/media/preview-transitions';
import { targetFor } from '../../../electron/core/media/ffmpeg-args';

const gop = (frames: number, every = 48) => Array.from({ length: Math.ceil(frames / every) }, (_, i) => i * every);

describe('planCrossfadedCut', () => {
  it('copies each body between keyframes and encodes only the tail and head around each cut', () => {
    const clips = [120, 120, 120].map((f) => ({ frames: f, keyframes: gop(f) }));
    const plan = planCrossfadedCut(clips, 12);
    expect(plan.pieces).toEqual([
      { kind: 'copy', clip: 0, fromFrame: 0, toFrame: 96 },
      { kind: 'xfade', a: 0, aFromFrame: 96, b: 1, bToFrame: 48, fadeFrames: 12 },
      { kind: 'copy', clip: 1, fromFrame: 48, toFrame: 96 },
      { kind: 'xfade', a: 1, aFromFrame: 96, b: 2, bToFrame: 48, fadeFrames: 12 },
      { kind: 'copy', clip: 2, fromFrame: 48, toFrame: 120 },
    ]);
    expect(plan.starts).toEqual([0, 108, 216]);
    expect(plan.totalFrames).toBe(336);
    // The pieces fill the cut exactly.
    expect(plan.pieces.reduce((s, p) => s + pieceFrames(p, clips), 0)).toBe(336);
    expect(plan.encodedFrames).toBe(2 * (24 + 48 - 12));
  });

  it('puts a clip with no keyframe between its fades wholly into the transitions on either side', () => {
    const clips = [{ frames: 120, keyframes: gop(120) }, { frames: 40, keyframes: [0] }, { frames: 120, keyframes: gop(120) }];
    const plan = planCrossfadedCut(clips, 12);
    expect(plan.pieces.filter((p) => p.kind === 'copy').map((p) => p.kind === 'copy' && p.clip)).toEqual([0, 2]);
    expect(plan.pieces[1]).toEqual({ kind: 'xfade', a: 0, aFromFrame: 96, b: 1, bToFrame: 12, fadeFrames: 12 });
    expect(plan.pieces[2]).toEqual({ kind: 'xfade', a: 1, aFromFrame: 12, b: 2, bToFrame: 48, fadeFrames: 12 });
    expect(plan.pieces.reduce((s, p) => s + pieceFrames(p, clips), 0)).toBe(plan.totalFrames);
  });

  it('uses keyframes that fall off the 2 s grid (a scene cut)', () => {
    const plan = planCrossfadedCut([{ frames: 120, keyframes: [0, 48, 100] }, { frames: 120, keyframes: [0, 13, 48] }], 12);
    expect(plan.pieces[1]).toEqual({ kind: 'xfade', a: 0, aFromFrame: 100, b: 1, bToFrame: 13, fadeFrames: 12 });
  });
});

describe('crossfadeFrames', () => {
  it('is the export’s fitted crossfade in whole frames, 0 for one clip or none asked', () => {
    expect(crossfadeFrames([120, 120], 0.5, 24)).toBe(12);
    expect(crossfadeFrames([120, 24], 2, 24)).toBe(10); // half the 1 s shot less 50 ms = 0.45 s
    expect(crossfadeFrames([120], 0.5, 24)).toBe(0);
    expect(crossfadeFrames([120, 120], 0, 24)).toBe(0);
  });
});

describe('jobs', () => {
  it('copies a body without encoding, from a seek that cannot land in the GOP before', () => {
    const job = bodyCopyJob({ source: 'a.mp4', fromFrame: 49, toFrame: 96, fps: 24, output: 'b.mp4' });
    expect(job.inputs[0].options).toEqual(['-ss', '2.041667']);
    expect(job.outputOptions).toContain('copy');
    expect(job.outputOptions.join(' ')).not.toContain('libx264');
    expect(job.outputOptions.join(' ')).toContain('-frames:v 47');
  });
  it('encodes a transition with the export’s xfade over the fade’s frames', () => {
    const job = transitionJob({ a: { source: 'a.mp4', frames: 120, fromFrame: 96 }, b: { source: 'b.mp4', toFrame: 48 }, fadeFrames: 12, target: targetFor('16:9'), output: 'x.mp4' });
    const graph = job.outputOptions[job.outputOptions.indexOf('-filter_complex') + 1];
    expect(graph).toContain('xfade=transition=fade:duration=0.500000:offset=0.500000');
    expect(job.durationSec).toBeCloseTo(60 / 24, 6);
  });
});
