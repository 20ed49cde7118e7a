// The film's sound as a pure mix (issue 12): where clips sit when joined, and the edges a preview edit can
// reach — no clips, a lane with no sound, a lane that starts after the film, a film of any length. The mix's
// equality with the ffmpeg graph is proven in tests/integration/media/mix-matches-ffmpeg.test.ts.
import { describe, expect, it } from 'vitest';
import { MUSIC_FADE_OUT_SEC } from '../../../electron/core/media/audio';
import { MIX_SAMPLE_RATE as SR, mixFilm, placeClips, type MixLane } from '../../../electron/core/media/mix';

/** Interleaved stereo, every sample `value`. */
const steady = (frames: number, value: number) => new Float32Array(frames * 2).fill(value);
const music = (over: Partial<MixLane>): MixLane => ({ pcm: steady(SR, 0.5), startSample: 0, kind: 'music', gainDb: 0, duck: false, ...over });

describe('placeClips', () => {
  it('butts clips end to end', () => {
    expect(placeClips([100, 250, 50], 0)).toEqual({ starts: [0, 100, 350], filmSamples: 400 });
  });
  it('overlaps each join by the crossfade, so the film is shorter by one overlap per join', () => {
    expect(placeClips([100, 250, 50], 20)).toEqual({ starts: [0, 80, 310], filmSamples: 360 });
    // One clip: nothing to overlap.
    expect(placeClips([100], 20)).toEqual({ starts: [0], filmSamples: 100 });
  });
  it('has no film without clips', () => {
    expect(placeClips([], 0)).toEqual({ starts: [], filmSamples: 0 });
    expect(placeClips([], 480)).toEqual({ starts: [], filmSamples: 0 });
  });
});

describe('mixFilm', () => {
  it('is exactly the film long, whatever the clips and lanes hold', () => {
    const clip = { pcm: steady(300, 0.1), startSample: 0, lengthSamples: 200 };
    expect(mixFilm({ clips: [clip], crossfadeSamples: 0, lanes: [music({})], filmSamples: 200 }).length).toBe(400);
    // A clip shorter than its length is padded with silence.
    const short = mixFilm({ clips: [{ ...clip, lengthSamples: 500 }], crossfadeSamples: 0, lanes: [], filmSamples: 500 });
    expect(short.length).toBe(1000);
    expect(short[599]).toBeCloseTo(0.1);
    expect(short[600]).toBe(0);
  });

  it('is silence of the film’s length with no clips, and empty for an empty film', () => {
    const out = mixFilm({ clips: [], crossfadeSamples: 0, lanes: [], filmSamples: 480 });
    expect(out.length).toBe(960);
    expect(out.every((v) => v === 0)).toBe(true);
    expect(mixFilm({ clips: [], crossfadeSamples: 0, lanes: [music({})], filmSamples: 0 }).length).toBe(0);
  });

  it('plays music over clips without sound', () => {
    const out = mixFilm({ clips: [], crossfadeSamples: 0, lanes: [music({ gainDb: -6 })], filmSamples: 100 });
    expect(out[0]).toBeCloseTo(0.5 * 10 ** (-6 / 20), 6);
  });

  it('takes a lane with no sound in it (empty PCM) as silence', () => {
    const clip = { pcm: steady(100, 0.1), startSample: 0, lengthSamples: 100 };
    const empty = new Float32Array(0);
    for (const lane of [music({ pcm: empty, duck: true }), music({ pcm: empty }), music({ pcm: empty, kind: 'voiceover' })]) {
      const out = mixFilm({ clips: [clip], crossfadeSamples: 0, lanes: [lane], filmSamples: 100 });
      expect(out.every((v) => Math.abs(v - 0.1) < 1e-7)).toBe(true);
    }
  });

  it('does not play a lane that starts at or after the film’s end', () => {
    for (const kind of ['music', 'voiceover'] as const) {
      const out = mixFilm({ clips: [], crossfadeSamples: 0, lanes: [music({ kind, startSample: 100 }), music({ kind, startSample: 5000, duck: true })], filmSamples: 100 });
      expect(out.every((v) => v === 0)).toBe(true);
    }
  });

  it('cuts a lane at the film’s end and starts it at its place', () => {
    const out = mixFilm({ clips: [], crossfadeSamples: 0, lanes: [music({ startSample: 60, kind: 'voiceover' })], filmSamples: 100 });
    expect(out.length).toBe(200);
    expect(out[119]).toBe(0);
    expect(out[120]).toBe(0.5);
    expect(out[199]).toBe(0.5);
  });

  it('fades music out over the last seconds of a film longer than twice the fade, and only music', () => {
    const frames = Math.round((MUSIC_FADE_OUT_SEC * 2 + 1) * SR);
    const lanes = [music({ pcm: steady(frames, 0.5) })];
    const out = mixFilm({ clips: [], crossfadeSamples: 0, lanes, filmSamples: frames });
    const fadeAt = frames - MUSIC_FADE_OUT_SEC * SR;
    expect(out[2 * (fadeAt - 1)]).toBe(0.5);
    expect(out[2 * (fadeAt + MUSIC_FADE_OUT_SEC * SR * 0.5)]).toBeCloseTo(0.25, 6);
    expect(Math.abs(out[2 * (frames - 1)])).toBeLessThan(1e-4);
    const voice = mixFilm({ clips: [], crossfadeSamples: 0, lanes: [{ ...lanes[0], kind: 'voiceover' }], filmSamples: frames });
    expect(voice[2 * (frames - 1)]).toBe(0.5);
    // A film of twice the fade or less keeps its music to the end.
    const short = mixFilm({ clips: [], crossfadeSamples: 0, lanes, filmSamples: MUSIC_FADE_OUT_SEC * 2 * SR });
    expect(short[short.length - 1]).toBe(0.5);
  });

  it('crossfades clips: the sum of both sounds rises and falls linearly across the overlap', () => {
    const a = { pcm: steady(100, 1), startSample: 0, lengthSamples: 100 };
    const b = { pcm: steady(100, 1), startSample: 80, lengthSamples: 100 };
    const out = mixFilm({ clips: [a, b], crossfadeSamples: 20, lanes: [], filmSamples: 180 });
    // Outside the overlap each clip plays at full level; inside, the two gains add up to just under 1.
    expect(out[2 * 79]).toBe(1);
    expect(out[2 * 90]).toBeCloseTo(19 / 20, 6);
    expect(out[2 * 100]).toBe(1);
  });
});
