import { describe, expect, it } from 'vitest';
import { adtsFormat, adtsFrames, assembleAudio, planAudio } from '../../../electron/core/media/audio-plan';

/** An ADTS frame of `length` bytes (AAC-LC, 48 kHz = index 3, stereo), filled with `fill`. */
function frame(length: number, fill = 0, opts: { srIndex?: number; channels?: number } = {}): Uint8Array {
  const f = new Uint8Array(length).fill(fill);
  const sr = opts.srIndex ?? 3;
  const ch = opts.channels ?? 2;
  f[0] = 0xff;
  f[1] = 0xf1;
  f[2] = (1 << 6) | (sr << 2) | (ch >> 2);
  f[3] = ((ch & 3) << 6) | ((length >> 11) & 0x03);
  f[4] = (length >> 3) & 0xff;
  f[5] = ((length & 7) << 5) | 0x1f;
  f[6] = 0xfc;
  return f;
}

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
};

describe('ADTS frames', () => {
  it('splits a stream into its frames and reads their format', () => {
    const frames = adtsFrames(concat(frame(9, 1), frame(300, 2), frame(7, 3)));
    expect(frames.map((f) => f.length)).toEqual([9, 300, 7]);
    expect(frames[1][10]).toBe(2);
    expect(adtsFormat(frames[0])).toEqual({ objectType: 2, sampleRateIndex: 3, channels: 2 });
    expect(adtsFormat(frame(9, 0, { srIndex: 4, channels: 1 }))).toEqual({ objectType: 2, sampleRateIndex: 4, channels: 1 });
  });

  it('refuses what is not a whole ADTS stream', () => {
    expect(() => adtsFrames(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(/not an ADTS stream/);
    expect(() => adtsFrames(frame(300).subarray(0, 200))).toThrow(/truncated/);
    expect(() => adtsFrames(concat(frame(20), new Uint8Array([0xff, 0xf1])))).toThrow(/stray bytes/);
  });
});

describe('audio plan', () => {
  const fps = 24;
  const sampleRate = 48000;

  it('starts every clip within half an AAC frame of its picture, however many clips (no drift)', () => {
    // 200 clips of odd lengths: 1 s to 15 s in frames, including lengths that are not whole seconds.
    const videoFrames = Array.from({ length: 200 }, (_, i) => 24 + ((i * 37) % 337));
    const plan = planAudio({ videoFrames, fps, sampleRate });
    expect(plan.frames).toHaveLength(200);
    for (const off of plan.offsetSamples) expect(Math.abs(off)).toBeLessThanOrEqual(512);
    // The sound ends on or before the picture, less than one AAC frame early.
    const pictureSamples = videoFrames.reduce((a, b) => a + b) * 2000;
    const soundSamples = (plan.frames.reduce((a, b) => a + b) - 1) * 1024; // the first priming frame is skipped
    expect(soundSamples).toBeLessThanOrEqual(pictureSamples);
    expect(pictureSamples - soundSamples).toBeLessThan(1024);
  });

  it('places each cut against the running total of the picture, so one clip gets 234 or 235 frames by position', () => {
    // 120 video frames = 240000 samples = 234.375 AAC frames; 61 frames = 122000 samples = 119.14.
    expect(planAudio({ videoFrames: [120, 61, 120], fps, sampleRate })).toEqual({ frames: [234, 120, 234], offsetSamples: [0, -384, 496] });
    expect(planAudio({ videoFrames: [61, 120, 120], fps, sampleRate })).toEqual({ frames: [119, 235, 234], offsetSamples: [0, -144, 496] });
  });

  it('gives even a one-frame clip at least one AAC frame', () => {
    const plan = planAudio({ videoFrames: [1, 1, 1], fps, sampleRate });
    expect(plan.frames.every((n) => n >= 1)).toBe(true);
  });
});

describe('assembling the cut’s audio', () => {
  const silent = frame(8, 0xee);
  it('takes each clip’s first frames and tops short or missing sound up with silence', () => {
    const clipA = [frame(10, 0xa1), frame(10, 0xa2), frame(10, 0xa3)];
    const clipB = [frame(11, 0xb1)];
    const out = adtsFrames(assembleAudio({ clips: [clipA, undefined, clipB], frames: [2, 2, 3], silentFrame: silent }));
    expect(out.map((f) => f[7])).toEqual([0xa1, 0xa2, 0xee, 0xee, 0xb1, 0xee, 0xee]);
  });
});
