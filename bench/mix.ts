// `npm run bench -- mix`: what the preview's mix (electron/core/media/mix.ts mixFilm) costs per edit for a
// 124 s cut of 24 clips — no lanes, a music lane summed straight, a music lane ducked under the dialogue —
// as ratios against a baseline measured in the same run: copying the film's sound once (allocate + set).
// Median of 7 runs each, after one warm-up run. The signals are made here (speech-like tone bursts and noise
// on every other clip, near-silence between; a tone-and-noise music bed).
import { performance } from 'node:perf_hooks';
import { MIX_CHANNELS, MIX_SAMPLE_RATE as SR, mixFilm, placeClips, type MixLane } from '../electron/core/media/mix';
import type { BenchResult } from './run';

const CLIPS = 24;
const CLIP_SEC = 5.17;
const RUNS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timed(fn: () => void): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

export async function run(): Promise<BenchResult> {
  let seed = 1;
  const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  const lengths = Array.from({ length: CLIPS }, () => Math.round(CLIP_SEC * SR));
  const { starts, filmSamples } = placeClips(lengths, 0);
  const clips = lengths.map((length, i) => {
    const pcm = new Float32Array(length * MIX_CHANNELS);
    for (let k = 0; k < length; k++) {
      const speaking = i % 2 === 0 && Math.floor(k / 20000) % 3 !== 2;
      const v = speaking ? 0.12 * Math.sin((k * 2 * Math.PI * 440) / SR) + 0.02 * noise() : 0.0005 * noise();
      pcm[2 * k] = v;
      pcm[2 * k + 1] = 0.9 * v;
    }
    return { pcm, startSample: starts[i], lengthSamples: length };
  });
  const bed = new Float32Array((filmSamples + SR) * MIX_CHANNELS);
  for (let k = 0; k < bed.length; k++) bed[k] = 0.2 * Math.sin(k * 0.01) + 0.02 * noise();
  const music = (duck: boolean): MixLane[] => [{ pcm: bed, startSample: 0, kind: 'music', gainDb: -6, duck }];

  const film = new Float32Array(filmSamples * MIX_CHANNELS);
  let at = 0;
  for (const c of clips) {
    film.set(c.pcm, at);
    at += c.pcm.length;
  }
  const copyMs = timed(() => new Float32Array(film.length).set(film));
  const cases = {
    noLanes: timed(() => mixFilm({ clips, crossfadeSamples: 0, lanes: [], filmSamples })),
    straightMusic: timed(() => mixFilm({ clips, crossfadeSamples: 0, lanes: music(false), filmSamples })),
    duckedMusic: timed(() => mixFilm({ clips, crossfadeSamples: 0, lanes: music(true), filmSamples })),
  };
  const sec = filmSamples / SR;
  const line = (name: string, ms: number) => `${name}: ${ms.toFixed(1)} ms (${(ms / copyMs).toFixed(1)}× the copy)`;
  return {
    name: 'mix',
    summary: [
      `${sec.toFixed(1)} s of stereo at 48 kHz, ${CLIPS} clips; copying the film's sound once: ${copyMs.toFixed(1)} ms`,
      line('no lanes', cases.noLanes),
      line('a music lane, straight', cases.straightMusic),
      line('a music lane, ducked under the dialogue', cases.duckedMusic),
    ],
    metrics: { filmSec: sec, copyMs, ...Object.fromEntries(Object.entries(cases).map(([k, v]) => [`${k}Ms`, v])) },
  };
}
