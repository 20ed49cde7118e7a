// "The preview is the film" (issue 12), the proof: the export of a trimmed cut with music and a crossfade
// matches the preview shot for shot. One project exercises every way a shot reaches the cut — a head trim off
// a keyframe, a tail trim, a slate, a take held on its last frame, a take copied as it is — with a ducked music
// lane and a 0.5 s crossfade; the preview (stitchProject) and the export (exportProject, h264-720p) are then
// compared picture by picture and level by level. Each take burns in its shot's label, colour and frame number
// and carries its own tone, so a frame from the wrong shot, or one frame off, is a different picture.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Preview } from '../../../shared/api';
import type { Project } from '../../../shared/schema';
import { exportProject, type ExportResult } from '../../../electron/core/media/export';
import { clearProbeCache } from '../../../electron/core/media/probe-cache';
import { stitchProject } from '../../../electron/core/media/stitch';
import { createProjectFolder, newProject, newShot } from '../../../electron/core/project/project-folder';
import { frameAt, levelsEvery, meanDiff, rmsLevel, toneLevel, toneOnly } from '../../helpers/av-measure';
import { ffprobe, tempDir } from '../helpers';
import { addMovingTake } from './stitch-helpers';

const exec = promisify(execFile);
const FPS = 24;
const XFADE = 0.5;
/** The music: a steady 100 Hz tone (the shots' tones are 330 Hz and up); the lane plays it 6 dB down, ducked. */
const MUSIC_HZ = 100;
const MUSIC_ONLY = 'lowpass=f=150,lowpass=f=150,lowpass=f=150';

/** The cut: what each shot is for, its length, and its take (none for the slate). */
const SHOTS = [
  { title: 'Head-trimmed', durationSec: 4, inSec: 1.25, take: { seconds: 6, hue: 0, color: 'red', freq: 330 } },
  { title: 'Shortened', durationSec: 3, take: { seconds: 6, hue: 90, color: 'green', freq: 550 } },
  { title: 'Slate', durationSec: 3 },
  { title: 'Lengthened', durationSec: 5, take: { seconds: 3, hue: 200, color: 'blue', freq: 770 } },
  { title: 'As it is', durationSec: 4, take: { seconds: 4, hue: 290, color: 'darkorange', freq: 990 } },
] as const;

let base: string;
let dir: string;
let preview: Preview;
let exported: ExportResult;
const previewFile = () => path.join(dir, preview.path);
const exportFile = () => path.join(dir, exported.path);
/** The frame shown at `t`, and its centre: both files are read at the same frame whatever their timestamps' rounding. */
const frameOf = (t: number) => Math.floor(t * FPS + 1e-6);
const frameCentre = (t: number) => (frameOf(t) + 0.5) / FPS;

beforeAll(async () => {
  clearProbeCache();
  base = await tempDir('sr-preview-export-');
  dir = path.join(base, 'film.storyreel');
  const project: Project = newProject(
    'Film',
    SHOTS.map((s) => newShot({ title: s.title, durationSec: s.durationSec, ...('inSec' in s ? { trim: { inSec: s.inSec } } : {}) })),
  );
  project.settings.crossfadeSec = XFADE;
  await createProjectFolder(dir, project);
  for (const [i, s] of SHOTS.entries()) {
    if ('take' in s) await addMovingTake({ dir, shot: project.shots[i], label: String.fromCharCode(65 + i), ...s.take });
  }
  await fs.mkdir(path.join(dir, 'media', 'audio'), { recursive: true });
  await exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=f=${MUSIC_HZ}:r=48000:d=30`, '-af', 'volume=-5dB', '-ac', '2', path.join(dir, 'media', 'audio', 'score.wav')]);
  project.audioLanes = [{ id: 'lane_score', kind: 'music', path: 'media/audio/score.wav', name: 'score.wav', durationSec: 30, startSec: 0, gainDb: -6, duck: true }];
  await fs.writeFile(path.join(dir, 'project.json'), JSON.stringify(project, null, 2));

  preview = await stitchProject(dir, project);
  exported = await exportProject(dir, project, { preset: 'h264-720p' });
}, 300_000);
afterAll(async () => {
  if (base) await fs.rm(base, { recursive: true, force: true });
});

/** Shot i's place in the preview: [start, end) in seconds (the next shot's crossfade starts at end − 0.5 s). */
const shotSpan = (i: number) => {
  const seg = preview.segments![i];
  return { start: seg.startSec, end: seg.startSec + seg.durationSec };
};

describe('the export matches the preview, shot for shot (real ffmpeg)', () => {
  it('is the same cut: each shot at the same place, and the same length within one frame', async () => {
    // 4+3+3+5+4 s less four 0.5 s overlaps.
    expect(preview.durationSec).toBeCloseTo(17, 3);
    expect(preview.segments!.map((s) => s.startSec)).toEqual([0, 3.5, 6, 8.5, 13]);
    expect(preview.slateShotIds).toHaveLength(1);
    expect(exported.slateShotIds).toEqual(preview.slateShotIds);
    expect(exported.crossfadeSec).toBe(XFADE);
    const [p, e] = [await ffprobe(previewFile()), await ffprobe(exportFile())];
    const length = (probed: typeof p, kind: string) => Number(probed.streams.find((s) => s.codec_type === kind)!.duration);
    console.log(`lengths (s): preview ${p.format.duration} (picture ${length(p, 'video')}, sound ${length(p, 'audio')}), export ${e.format.duration} (picture ${length(e, 'video')}, sound ${length(e, 'audio')})`);
    expect(Math.abs(length(e, 'video') - length(p, 'video'))).toBeLessThanOrEqual(1 / FPS);
    expect(Math.abs(length(e, 'audio') - length(p, 'audio'))).toBeLessThanOrEqual(1 / FPS);
    expect(Math.abs(Number(e.format.duration) - Number(p.format.duration))).toBeLessThanOrEqual(1 / FPS);
  });

  it('shows the same picture at every moment measured: inside each shot and inside each crossfade', async () => {
    const times: { t: number; what: string }[] = [];
    SHOTS.forEach((s, i) => {
      const { start, end } = shotSpan(i);
      times.push({ t: start + 0.1, what: `${s.title} +0.1 s` }, { t: (start + end) / 2, what: `${s.title} middle` }, { t: end - 0.1, what: `${s.title} end −0.1 s` });
      // The lengthened shot's take ends 3 s in; after that its last frame is held.
      if ('take' in s && s.take.seconds < s.durationSec) times.push({ t: (start + s.take.seconds + end - XFADE) / 2, what: `${s.title}, its last frame held` });
      if (i > 0) times.push({ t: start + XFADE * 0.25, what: `crossfade into ${s.title}, ¼` }, { t: start + XFADE / 2, what: `crossfade into ${s.title}, middle` }, { t: start + XFADE * 0.75, what: `crossfade into ${s.title}, ¾` });
    });
    times.push({ t: preview.durationSec - 0.5 / FPS, what: 'the last frame of the film' });
    const { rows, failures } = await samePictures(previewFile(), exportFile(), times);
    console.log(`preview vs export, mean |ΔRGB| (0–255):\n  ${rows.join('\n  ')}`);
    expect(failures, 'moments where the export shows another picture than the preview').toEqual([]);
  }, 240_000);

  it('would see a frame from a neighbouring moment or another shot as a different picture', async () => {
    // The measure's own check: at moving moments of each take, the export's frame one frame later (the next
    // burned-in number) and the preview's frame from another shot are both far past the thresholds.
    for (const i of [0, 1, 3, 4]) {
      const { start } = shotSpan(i);
      const t = frameCentre(start + 1.5);
      const next = t + 1 / FPS;
      const counter = await counterDiff({ file: previewFile(), t }, { file: exportFile(), t: next });
      const whole = meanDiff(await frameAt(previewFile(), t, { size: '320x180' }), await frameAt(exportFile(), next, { size: '320x180' }));
      console.log(`${SHOTS[i].title}: one frame apart at ${t.toFixed(3)} s: whole ${whole.toFixed(2)}, counter ${counter.toFixed(2)}`);
      expect(counter, `${SHOTS[i].title}: one frame off`).toBeGreaterThan(SAME_COUNTER * 2);
    }
    const [a, b] = [frameCentre(shotSpan(0).start + 1.5), frameCentre(shotSpan(1).start + 1.5)];
    const otherShot = meanDiff(await frameAt(previewFile(), a, { size: '320x180' }), await frameAt(exportFile(), b, { size: '320x180' }));
    console.log(`${SHOTS[0].title} in the preview vs ${SHOTS[1].title} in the export: whole ${otherShot.toFixed(2)}`);
    expect(otherShot, 'a frame from another shot').toBeGreaterThan(SAME_WHOLE * 2);
  });

  it('has the preview’s sound in every shot and every crossfade, brought to the export’s loudness by one gain', async () => {
    const stage = exported.loudnessStage!;
    expect(stage).toBeDefined();
    // The limiter would make loud moments gain less than quiet ones; the cut is made so it does not act.
    expect(stage.limit).toBe(false);
    const rows: string[] = [];
    for (const w of soundWindows()) {
      const [p, e] = [await rmsLevel(previewFile(), w.from, w.dur), await rmsLevel(exportFile(), w.from, w.dur)];
      rows.push(`${w.what} (${w.from.toFixed(2)}–${(w.from + w.dur).toFixed(2)} s): preview ${p.toFixed(2)}, export ${e.toFixed(2)} dBFS, Δ ${(e - p).toFixed(2)}`);
      expect(Number.isFinite(p), `${w.what}: the preview is silent`).toBe(true);
      expect(Math.abs(e - p - stage.gainDb), `${w.what}: export − preview = ${(e - p).toFixed(2)} dB, the loudness gain is ${stage.gainDb.toFixed(2)} dB`).toBeLessThan(1);
      if ('freq' in w) {
        // And it is that shot's own tone that plays there, in both.
        const [pt, et] = [await toneLevel(previewFile(), w.freq, w.from, w.dur), await toneLevel(exportFile(), w.freq, w.from, w.dur)];
        expect(pt, `${w.what}: its tone in the preview`).toBeGreaterThan(p - 1);
        expect(Math.abs(et - pt - stage.gainDb), `${w.what}: its tone`).toBeLessThan(1);
      }
    }
    // Inside each crossfade, both shots' sounds (or one and the slate's silence), each at its preview level plus the gain.
    for (const i of [1, 2, 3, 4]) {
      const from = shotSpan(i).start + XFADE / 2 - 0.1;
      for (const j of [i - 1, i]) {
        const shot = SHOTS[j];
        // A slate is silent, and a held last frame has no sound left: only takes still playing are measured.
        if (!('take' in shot) || shotSpan(j).start + shot.take.seconds < from + 0.2) continue;
        const [p, e] = [await toneLevel(previewFile(), shot.take.freq, from, 0.2), await toneLevel(exportFile(), shot.take.freq, from, 0.2)];
        rows.push(`crossfade into ${SHOTS[i].title}, ${shot.title}'s tone (${from.toFixed(2)}–${(from + 0.2).toFixed(2)} s): preview ${p.toFixed(2)}, export ${e.toFixed(2)} dBFS, Δ ${(e - p).toFixed(2)}`);
        expect(Math.abs(e - p - stage.gainDb), `crossfade into ${SHOTS[i].title}: ${shot.title}'s tone, export − preview = ${(e - p).toFixed(2)} dB`).toBeLessThan(1);
      }
    }
    console.log(`loudness gain ${stage.gainDb.toFixed(2)} dB (limiter ${stage.limit ? 'on' : 'off'}):\n  ${rows.join('\n  ')}`);
  });

  it('keeps each shot’s sound on its picture: the held shot’s sound stops at the same moment in both', async () => {
    // The lengthened shot's take (and its tone) ends 3 s in, where its last frame starts being held: a hard
    // edge in the sound, read in 5 ms windows from a little before it.
    const shot = SHOTS[3];
    const edge = shotSpan(3).start + shot.take.seconds;
    const from = edge - 0.5;
    const stops = async (file: string) => {
      const levels = await levelsEvery(file, from, 1, 5, toneOnly(shot.take.freq));
      const loud = Math.max(...levels.slice(0, 40));
      // The first window 20 dB below the tone's level, after which it stays down.
      const i = levels.findIndex((l, k) => k > 0 && levels.slice(k).every((x) => x < loud - 20));
      return from + (i * 5) / 1000;
    };
    const [p, e] = [await stops(previewFile()), await stops(exportFile())];
    console.log(`${shot.title}'s tone stops at ${p.toFixed(3)} s in the preview, ${e.toFixed(3)} s in the export (its picture is held from ${edge.toFixed(3)} s)`);
    expect(Math.abs(p - edge), 'preview: the sound stops with the take').toBeLessThan(0.05);
    expect(Math.abs(e - p), 'the export’s sound stops where the preview’s does').toBeLessThanOrEqual(0.02);
  });

  it('ducks the music under the shots’ sound by the same amount in both', async () => {
    const windows = soundWindows();
    const music = async (file: string, w: { from: number; dur: number }) => rmsLevel(file, w.from, w.dur, MUSIC_ONLY);
    const alone = windows.filter((w) => !('freq' in w));
    const under = windows.filter((w) => 'freq' in w);
    const rows: string[] = [];
    for (const a of alone) {
      for (const u of under) {
        const depthPreview = (await music(previewFile(), a)) - (await music(previewFile(), u));
        const depthExport = (await music(exportFile(), a)) - (await music(exportFile(), u));
        rows.push(`${a.what} vs ${u.what}: preview ${depthPreview.toFixed(2)} dB, export ${depthExport.toFixed(2)} dB`);
        expect(depthPreview, `music ducked under ${u.what} in the preview`).toBeGreaterThan(6);
        expect(Math.abs(depthExport - depthPreview), `ducking under ${u.what}: export ${depthExport.toFixed(2)} dB vs preview ${depthPreview.toFixed(2)} dB`).toBeLessThan(1);
      }
    }
    console.log(`music alone minus music under a shot's tone:\n  ${rows.join('\n  ')}`);
  });
});

describe('takes as other tools deliver them (30 fps; 25 fps at 1276×720; 44.1 kHz mono), crossfaded', () => {
  // Not copyable: the preview converts each into a proxy (and its sound into the cut's), the export converts
  // it in its own pass; both must land on the same source frame at every moment of the 24 fps cut.
  const FOREIGN = [
    { title: 'Thirty', durationSec: 3, take: { seconds: 3, hue: 30, color: 'maroon', freq: 440, format: { fps: 30, width: 1280, sampleRate: 44100, channels: 1 } } },
    { title: 'Twenty-five, trimmed', durationSec: 3, inSec: 0.75, take: { seconds: 5, hue: 150, color: 'teal', freq: 660, format: { fps: 25, width: 1276, sampleRate: 48000, channels: 2 } } },
    { title: 'Plain', durationSec: 3, take: { seconds: 3, hue: 250, color: 'indigo', freq: 880, format: { fps: 24, width: 1280, sampleRate: 44100, channels: 2 } } },
  ] as const;
  let fdir: string;
  let p: Preview;
  let e: ExportResult;

  beforeAll(async () => {
    fdir = path.join(base, 'foreign.storyreel');
    const project: Project = newProject('Foreign', FOREIGN.map((s) => newShot({ title: s.title, durationSec: s.durationSec, ...('inSec' in s ? { trim: { inSec: s.inSec } } : {}) })));
    project.settings.crossfadeSec = XFADE;
    await createProjectFolder(fdir, project);
    for (const [i, s] of FOREIGN.entries()) await addMovingTake({ dir: fdir, shot: project.shots[i], label: String.fromCharCode(80 + i), ...s.take });
    await fs.writeFile(path.join(fdir, 'project.json'), JSON.stringify(project, null, 2));
    p = await stitchProject(fdir, project);
    e = await exportProject(fdir, project, { preset: 'h264-720p' });
  }, 300_000);

  // Fails today, on the trimmed 25 fps take (frames 72, 96, 120 here; 6 of every 24 frames are one frame
  // apart). The export's picture chain (export-args.ts pictureGraph) puts setpts=PTS-STARTPTS after the input
  // seek, which moves the clip's first frame at or after the in point (0.76 s for an in point at 0.75 s: source
  // frames are 40 ms apart) to time 0, so the export shows the source 10 ms ahead of its clock — and of its own
  // sound, which starts exactly at the in point — and fps=24 picks the next source frame wherever that 10 ms
  // crosses a rounding boundary. The preview's proxy (ffmpeg-args.ts normalizeJob) keeps the source's clock.
  // With that setpts removed from pictureGraph, this passes (and the rest of this file still does).
  it('shows the same picture every sixth frame', async () => {
    const [pf, ef] = [path.join(fdir, p.path), path.join(fdir, e.path)];
    expect(p.durationSec).toBeCloseTo(8, 3);
    expect(Math.abs(e.durationSec - p.durationSec)).toBeLessThanOrEqual(1 / FPS);
    const moments = Array.from({ length: Math.floor((p.durationSec * FPS) / 6) }, (_, k) => ({ t: (k * 6 + 0.5) / FPS, what: `frame ${k * 6}` }));
    const { rows, failures } = await samePictures(pf, ef, moments);
    console.log(`other formats, preview vs export, mean |ΔRGB| (0–255):\n  ${rows.join('\n  ')}`);
    expect(failures, 'moments where the export shows another picture than the preview').toEqual([]);
  }, 240_000);

  it('has each shot’s sound at the preview’s level plus the export’s loudness gain', async () => {
    const [pf, ef] = [path.join(fdir, p.path), path.join(fdir, e.path)];
    const gain = e.loudnessStage!.gainDb;
    for (const [i, s] of FOREIGN.entries()) {
      const seg = p.segments![i];
      const [from, to] = [seg.startSec + (i ? XFADE : 0) + 0.2, seg.startSec + seg.durationSec - XFADE - 0.2];
      const [lp, le] = [await toneLevel(pf, s.take.freq, from, to - from), await toneLevel(ef, s.take.freq, from, to - from)];
      console.log(`${s.title} (${from.toFixed(2)}–${to.toFixed(2)} s): preview ${lp.toFixed(2)}, export ${le.toFixed(2)} dBFS, gain ${gain.toFixed(2)} dB`);
      expect(lp, `${s.title}: its sound plays in the preview`).toBeGreaterThan(-40);
      expect(Math.abs(le - lp - gain), `${s.title}: export − preview = ${(le - lp).toFixed(2)} dB, the loudness gain is ${gain.toFixed(2)} dB`).toBeLessThan(1);
    }
  }, 240_000);
});

/**
 * Compares the frames two files show at each moment (moments on the same frame are measured once, under all
 * their names): the whole picture, and the burned-in frame number digit by digit.
 */
async function samePictures(a: string, b: string, moments: { t: number; what: string }[]): Promise<{ rows: string[]; failures: string[] }> {
  const byFrame = new Map<number, string[]>();
  for (const { t, what } of moments) byFrame.set(frameOf(t), [...(byFrame.get(frameOf(t)) ?? []), what]);
  const rows: string[] = [];
  const failures: string[] = [];
  for (const [frame, names] of [...byFrame].sort((x, y) => x[0] - y[0])) {
    const what = names.join(' = ');
    const t = (frame + 0.5) / FPS;
    const whole = meanDiff(await frameAt(a, t, { size: '320x180' }), await frameAt(b, t, { size: '320x180' }));
    const counter = await counterDiff({ file: a, t }, { file: b, t });
    rows.push(`${t.toFixed(3)} s ${what}: whole ${whole.toFixed(2)}, counter ${counter.toFixed(2)}`);
    if (whole >= SAME_WHOLE || counter >= SAME_COUNTER) failures.push(`${what} at ${t.toFixed(3)} s: whole ${whole.toFixed(2)}, counter ${counter.toFixed(2)}`);
  }
  return { rows, failures };
}

/** The burned-in frame number's three digits, at full resolution: addMovingTake draws 72 px wide characters from x = 80. */
const COUNTER = { crop: 'crop=216:130:224:100', size: '216x130' };
/** How far the burned-in numbers of two frames are apart: the largest mean |ΔRGB| of any one of the three digits. */
async function counterDiff(a: { file: string; t: number }, b: { file: string; t: number }): Promise<number> {
  const [pa, pb] = [await frameAt(a.file, a.t, COUNTER), await frameAt(b.file, b.t, COUNTER)];
  const digit = (p: Buffer, d: number) => Buffer.concat(Array.from({ length: 130 }, (_, y) => p.subarray((y * 216 + d * 72) * 3, (y * 216 + d * 72 + 72) * 3)));
  return Math.max(...[0, 1, 2].map((d) => meanDiff(digit(pa, d), digit(pb, d))));
}
/**
 * Thresholds of "the same picture", mean |ΔRGB| per pixel and channel (0–255), from what two encodes of the
 * same frame give here (the preview's copies, proxies and crossfade pieces at CRF 20 against the export at the
 * h264-720p preset's quality), measured at the moments above: at most 0.52 on the whole frame (scaled to
 * 320×180) and 4.5 on one burned-in digit (full resolution; the crossfades, encoded twice, are the worst).
 * The export's next frame instead gives 33–61 on a digit (3.6–6.5 on the whole frame), another shot's frame ~120.
 */
const SAME_WHOLE = 2;
const SAME_COUNTER = 10;

/**
 * Spans where one thing plays steadily, clear of the crossfades, the ducking's attack and 450 ms release,
 * and the music's fade-out over the last 1.5 s: a shot's tone with the music ducked under it, or the music
 * alone (under the slate, and under the held last frame, where the take's sound has ended).
 */
function soundWindows(): ({ what: string; from: number; dur: number; freq: number } | { what: string; from: number; dur: number })[] {
  const s = (i: number) => shotSpan(i);
  return [
    { what: 'Head-trimmed', from: s(0).start + 0.5, dur: s(1).start - 0.3 - (s(0).start + 0.5), freq: SHOTS[0].take.freq },
    { what: 'Shortened', from: s(1).start + XFADE + 0.3, dur: s(2).start - 0.2 - (s(1).start + XFADE + 0.3), freq: SHOTS[1].take.freq },
    { what: 'Slate (music alone)', from: s(2).start + XFADE + 0.8, dur: s(3).start - 0.2 - (s(2).start + XFADE + 0.8) },
    { what: 'Lengthened, its take', from: s(3).start + XFADE + 0.3, dur: s(3).start + 3 - 0.3 - (s(3).start + XFADE + 0.3), freq: SHOTS[3].take.freq },
    { what: 'Lengthened, held (music alone)', from: s(3).start + 3 + 0.8, dur: s(4).start - 0.2 - (s(3).start + 3 + 0.8) },
    { what: 'As it is', from: s(4).start + XFADE + 0.3, dur: s(4).end - 1.5 - 0.2 - (s(4).start + XFADE + 0.3), freq: SHOTS[4].take.freq },
  ];
}
