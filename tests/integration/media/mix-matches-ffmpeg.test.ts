// The mixer in TypeScript is the film's sound the ffmpeg graph made (issue 12: the preview is the film). Both
// get the same PCM: (a) the sound graph the export ran before (tests/helpers/ffmpeg-mix-graph.ts, which
// joins the clips and runs mixGraph: ducking, gains, places, fade-out) writes raw f32le, (b) mixFilm
// mixes the same samples. The difference must sit 50 dB under the sound, over the whole film and in every
// 100 ms of it, so a wrong attack, release, knee or fade shows. Real ffmpeg.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS, type ExportPlan, type LaneFile } from '../../../electron/core/media/export-args';
import { exportInputs, exportSoundGraph } from '../../helpers/ffmpeg-mix-graph';
import { toArgs } from '../../../electron/core/media/ffmpeg-args';
import { MIX_SAMPLE_RATE as SR, mixFilm, placeClips, type MixLane } from '../../../electron/core/media/mix';
import { tempDir } from '../helpers';

const exec = promisify(execFile);
let dir: string;

/** Interleaved stereo f32 at 48 kHz, as ffmpeg decodes the file. */
async function decode(file: string): Promise<Float32Array> {
  const { stdout } = await exec('ffmpeg', ['-v', 'error', '-i', file, '-f', 'f32le', '-ar', String(SR), '-ac', '2', 'pipe:1'], {
    encoding: 'buffer',
    maxBuffer: 1 << 28,
  });
  return new Float32Array(stdout.buffer.slice(stdout.byteOffset, stdout.byteOffset + stdout.length));
}

/** A lossless (f32) WAV from an aevalsrc expression per channel. */
async function signal(name: string, sec: number, left: string, right: string): Promise<string> {
  const file = path.join(dir, `${name}.wav`);
  await exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `aevalsrc=exprs='${left}|${right}':s=${SR}:d=${sec}`, '-c:a', 'pcm_f32le', file]);
  return file;
}

/** Speech-like: two tones and a little noise, on only during `bursts` ([from, to] s). Around −21 dBFS RMS while on (speech sits at −18 to −24). */
function speech(name: string, sec: number, bursts: [number, number][], freq = 440): Promise<string> {
  const gate = bursts.length ? bursts.map(([a, b]) => `between(t,${a},${b})`).join('+') : '0';
  return signal(
    name,
    sec,
    `(${gate})*(0.12*sin(2*PI*${freq}*t)+0.04*sin(2*PI*${freq * 2.3}*t)+0.02*(2*random(0)-1))`,
    `(${gate})*(0.11*sin(2*PI*${freq * 1.01}*t)+0.04*sin(2*PI*${freq * 3.1}*t)+0.02*(2*random(1)-1))`,
  );
}

/** A music bed: low and mid tones and some noise, steady. */
function musicBed(name: string, sec: number): Promise<string> {
  return signal(
    name,
    sec,
    '0.12*sin(2*PI*110*t)+0.05*sin(2*PI*523*t)+0.02*(2*random(0)-1)',
    '0.12*sin(2*PI*165*t)+0.05*sin(2*PI*392*t)+0.02*(2*random(1)-1)',
  );
}

interface Case {
  clips: { source: string; durationSec: number }[];
  crossfadeSec?: number;
  lanes?: LaneFile[];
}

/** (a) the export's sound graph, before loudness, as raw PCM. */
async function ffmpegMix(c: Case): Promise<Float32Array> {
  const plan: ExportPlan = {
    preset: PRESETS['h264-720p'],
    quality: 90,
    aspect: '16:9',
    fps: 24,
    clips: c.clips.map((clip) => ({ ...clip, startSec: 0, hasAudio: true })),
    lanes: c.lanes ?? [],
    crossfadeSec: c.crossfadeSec ?? 0,
    output: path.join(dir, 'ffmpeg-mix.f32'),
    cwd: dir,
  };
  const graph = exportSoundGraph(plan, 'mix').join(';');
  const args = toArgs({ inputs: exportInputs(plan), outputOptions: ['-filter_complex', graph, '-map', '[mix]', '-f', 'f32le', '-ar', String(SR), '-ac', '2'], output: plan.output });
  await exec('ffmpeg', ['-v', 'error', ...args.slice(1)]);
  const buf = await fs.readFile(plan.output);
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
}

/** (b) the same mix in TypeScript, over the same decoded samples. */
async function typescriptMix(c: Case): Promise<Float32Array> {
  const lengths = c.clips.map((clip) => Math.round(clip.durationSec * SR));
  const crossfade = Math.round((c.crossfadeSec ?? 0) * SR);
  const { starts, filmSamples } = placeClips(lengths, crossfade);
  const clips = await Promise.all(c.clips.map(async (clip, i) => ({ pcm: await decode(clip.source), startSample: starts[i], lengthSamples: lengths[i] })));
  const lanes: MixLane[] = await Promise.all(
    (c.lanes ?? []).map(async (l) => ({ pcm: await decode(l.source), startSample: Math.round(l.startSec * SR), kind: l.kind, gainDb: l.gainDb, duck: l.duck })),
  );
  return mixFilm({ clips, crossfadeSamples: crossfade, lanes, filmSamples });
}

const db = (x: number) => 20 * Math.log10(x);
function rms(pcm: Float32Array, from = 0, to = pcm.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += pcm[i] * pcm[i];
  return Math.sqrt(sum / Math.max(1, to - from));
}
function difference(a: Float32Array, b: Float32Array): Float32Array {
  const d = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) d[i] = a[i] - b[i];
  return d;
}
/** RMS (dBFS) of `pcm` from `fromSec` to `toSec`. */
const level = (pcm: Float32Array, fromSec: number, toSec: number) => db(rms(pcm, Math.round(fromSec * SR) * 2, Math.round(toSec * SR) * 2));

/**
 * Both mixes, held to: the same length; the difference 50 dB under the sound overall and in every 100 ms
 * window that has sound (those where the music is ducked among them). Returns both, and the worst margin.
 */
async function compare(c: Case): Promise<{ ours: Float32Array; theirs: Float32Array; worstWindowDb: number }> {
  const [theirs, ours] = await Promise.all([ffmpegMix(c), typescriptMix(c)]);
  expect(ours.length).toBe(theirs.length);
  const diff = difference(ours, theirs);
  const overall = db(rms(diff)) - db(rms(theirs));
  expect(overall, 'difference under the sound, whole film (dB)').toBeLessThan(-50);
  const window = (SR / 10) * 2;
  let worstWindowDb = -Infinity;
  for (let from = 0; from < theirs.length; from += window) {
    const to = Math.min(theirs.length, from + window);
    const sound = rms(theirs, from, to);
    if (db(sound) < -70) continue;
    const margin = db(rms(diff, from, to)) - db(sound);
    worstWindowDb = Math.max(worstWindowDb, margin);
    expect(margin, `difference under the sound at ${(from / 2 / SR).toFixed(1)} s (dB)`).toBeLessThan(-50);
  }
  return { ours, theirs, worstWindowDb };
}

const FILM = 8;
/** Speech in the 8 s films: on for a second, off for a second and a half. */
const BURSTS: [number, number][] = [
  [0.5, 1.5],
  [3, 4],
  [5.5, 6.5],
];
let talk: string;
let silence: string;
let score: string;

beforeAll(async () => {
  dir = await tempDir('sr-mix-');
  [talk, silence, score] = await Promise.all([speech('talk', FILM, BURSTS), speech('silence', FILM, []), musicBed('score', 12)]);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const lane = (over: Partial<LaneFile>): LaneFile => ({ source: score, kind: 'music', startSec: 0, gainDb: 0, duck: true, ...over });

describe('mixFilm is the ffmpeg mix (real ffmpeg)', () => {
  it('with no lanes: the clips joined end to end', async () => {
    const other = await speech('other', 3, [[0.2, 2.2]], 300);
    const { ours } = await compare({ clips: [{ source: talk, durationSec: 5 }, { source: other, durationSec: 3 }] });
    expect(ours.length).toBe(FILM * SR * 2);
  });

  it('ducks a music lane about 10 dB while someone speaks and lets it back up after', async () => {
    const c: Case = { clips: [{ source: talk, durationSec: FILM }], lanes: [lane({})] };
    const { ours, worstWindowDb } = await compare(c);
    // The music alone: the mix less the speech (the same bus with no lanes).
    const music = difference(ours, await typescriptMix({ clips: c.clips }));
    const under = level(music, 1.1, 1.5);
    const between = level(music, 2.5, 3.0);
    expect(between - under).toBeGreaterThan(8);
    expect(between - under).toBeLessThan(16);
    expect(worstWindowDb).toBeLessThan(-50);
  });

  it('places a lane that starts 2.5 s into the film (and ends before it)', async () => {
    const short = await musicBed('short', 4);
    await compare({ clips: [{ source: talk, durationSec: FILM }], lanes: [lane({ source: short, startSec: 2.5 })] });
  });

  it('ducks a lane that comes in while the music is still coming back up after speech', async () => {
    // Speech ends at 4 s; the music enters at 4.2 s, still held down by the speech just gone.
    const short = await musicBed('late', 3);
    await compare({ clips: [{ source: talk, durationSec: FILM }], lanes: [lane({ source: short, startSec: 4.2 })] });
  });

  it('cuts the head of a lane that starts 1 s before the film', async () => {
    await compare({ clips: [{ source: talk, durationSec: FILM }], lanes: [lane({ startSec: -1 })] });
  });

  it('plays a lane 6 dB down', async () => {
    await compare({ clips: [{ source: talk, durationSec: FILM }], lanes: [lane({ gainDb: -6 })] });
  });

  it('sums two ducked music lanes, one late and quieter, before ducking them together', async () => {
    const second = await musicBed('second', 5);
    await compare({ clips: [{ source: talk, durationSec: FILM }], lanes: [lane({}), lane({ source: second, startSec: 1.5, gainDb: -8 })] });
  });

  it('leaves an un-ducked music lane at its level under speech', async () => {
    await compare({ clips: [{ source: talk, durationSec: FILM }], lanes: [lane({ duck: false, gainDb: -3 })] });
  });

  it('ducks music under a voice-over lane too (it is speech), on silent clips', async () => {
    const voice = await speech('voice', 6, [[1, 2.5]], 350);
    const c: Case = {
      clips: [{ source: silence, durationSec: FILM }],
      lanes: [lane({ gainDb: -6 }), { source: voice, kind: 'voiceover', startSec: 1, gainDb: -2, duck: false }],
    };
    const { ours } = await compare(c);
    const music = difference(ours, await typescriptMix({ clips: c.clips, lanes: c.lanes?.filter((l) => l.kind === 'voiceover') }));
    // The voice speaks from 2 s to 3.5 s on the film.
    expect(level(music, 0.5, 1.9) - level(music, 2.6, 3.4)).toBeGreaterThan(8);
  });

  it('crossfades three clips by 0.5 s, one shorter and one longer than its length, under ducked music', async () => {
    const a = await speech('a', 4, [[0.5, 2]], 440);
    const b = await speech('b', 2.2, [[0, 1.8]], 520); // played for 3 s: silence after 2.2 s
    const d = await speech('d', 6, [[0.1, 5]], 300); // played for 3.5 s: cut
    const c: Case = {
      clips: [{ source: a, durationSec: 3 }, { source: b, durationSec: 3 }, { source: d, durationSec: 3.5 }],
      crossfadeSec: 0.5,
      lanes: [lane({ gainDb: -4 })],
    };
    const { ours } = await compare(c);
    expect(ours.length).toBe(Math.round(8.5 * SR) * 2);
    // And without the music: the crossfades themselves.
    await compare({ ...c, lanes: [] });
  });

  it('does not fade music out at the end of a film of 3 s or less', async () => {
    await compare({ clips: [{ source: talk, durationSec: 2.8 }], lanes: [lane({ duck: false })] });
  });
});
