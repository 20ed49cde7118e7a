// The stitch with real ffmpeg on mixed inputs: 24/25/30 fps, 1280×720 and 1276×720, with and without sound,
// 44.1 and 48 kHz, a slate and a trim. Bright clips carry a tone and dark ones are silent, so the cuts can
// be read off the decoded picture and the decoded sound and compared.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setFfmpegLogger } from '../../../electron/core/media/ffmpeg';
import { clearProbeCache } from '../../../electron/core/media/probe-cache';
import { stitchProject, type StitchReport } from '../../../electron/core/media/stitch';
import { createProjectFolder, newProject, newShot } from '../../../electron/core/project/project-folder';
import type { Preview } from '../../../shared/api';
import type { Project } from '../../../shared/schema';
import { ffprobe, tempDir } from '../helpers';
import { addTake, pictureCuts, soundCuts, type ClipSpec } from './stitch-helpers';

const FRAME = 1 / 24;
const md5 = async (file: string) => createHash('md5').update(await fs.readFile(file)).digest('hex');
let dir: string;
let project: Project;

const small = { width: 320, height: 180 };
const hd = { width: 1280, height: 720 };
const stereo48 = { rate: 48000, channels: 2 };

/** Shot title → its clip (undefined = no take: a slate) and the length it must have in the cut (the shot's duration). */
const CUT: { title: string; clip?: ClipSpec; trim?: { inSec: number }; cutSec: number }[] = [
  { title: 'A 25 fps small, tone 48 kHz', clip: { seconds: 3, fps: 25, ...small, bright: true, audio: stereo48, encode: 'plain' }, cutSec: 3 },
  // 2.5 s in a 3 s shot: held on its last frame for 0.5 s.
  { title: 'B 30 fps 1276x720, no audio', clip: { seconds: 2.5, fps: 30, width: 1276, height: 720, bright: false, audio: 'none', encode: 'plain' }, cutSec: 3 },
  { title: 'C copyable picture, tone 44.1 kHz mono', clip: { seconds: 3, fps: 24, ...hd, bright: true, audio: { rate: 44100, channels: 1 }, encode: 'target' }, cutSec: 3 },
  { title: 'Slate (no take)', cutSec: 3 },
  { title: 'D trimmed from 0.5 s', clip: { seconds: 4, fps: 24, ...hd, bright: true, audio: stereo48, encode: 'target' }, trim: { inSec: 0.5 }, cutSec: 3 },
  { title: 'E copyable, silent track', clip: { seconds: 3, fps: 24, ...hd, bright: false, audio: stereo48, encode: 'target' }, cutSec: 3 },
  { title: 'F copyable, tone', clip: { seconds: 3, fps: 24, ...hd, bright: true, audio: stereo48, encode: 'target' }, cutSec: 3 },
];

async function stitch(): Promise<{ preview: Preview; report: StitchReport; commands: string[] }> {
  const commands: string[] = [];
  let report: StitchReport | undefined;
  setFfmpegLogger((line) => commands.push(line));
  try {
    const preview = await stitchProject(dir, project, { onReport: (r) => (report = r) });
    return { preview, report: report!, commands };
  } finally {
    setFfmpegLogger(() => {});
  }
}

/** Picture and sound cuts of the preview, checked against the expected shot lengths. */
async function expectInSync(file: string, lengths: number[]) {
  const expected: number[] = [];
  lengths.reduce((t, d) => (expected.push(t + d), t + d), 0);
  const total = expected.pop()!;
  const picture = await pictureCuts(file);
  const sound = await soundCuts(file);
  // Every cut is where the storyboard puts it, to the frame, in the picture...
  expect(picture.cuts.length).toBe(expected.length);
  picture.cuts.forEach((t, i) => expect(Math.abs(t - expected[i])).toBeLessThan(FRAME / 2));
  expect(picture.frames).toBe(Math.round(total * 24));
  // ...and in the sound: tone and silence alternate with the picture, each switch within one frame of the cut.
  expect(sound.cuts.length).toBe(expected.length);
  sound.cuts.forEach((t, i) => expect(Math.abs(t - picture.cuts[i]), `sound cut ${i + 1} at ${t}, picture at ${picture.cuts[i]}`).toBeLessThan(FRAME));
  // So each segment's sound lasts as long as its picture, within one frame.
  const bounds = (cuts: number[], end: number) => [0, ...cuts, end];
  const pic = bounds(picture.cuts, total);
  const snd = bounds(sound.cuts, sound.durationSec);
  for (let i = 0; i + 1 < pic.length; i++) {
    expect(Math.abs(snd[i + 1] - snd[i] - (pic[i + 1] - pic[i])), `segment ${i + 1}`).toBeLessThan(FRAME);
  }
  return { picture, sound };
}

beforeAll(async () => {
  clearProbeCache();
  dir = path.join(await tempDir('sr-stitch-'), 'mixed.storyreel');
  project = newProject('Mixed', CUT.map((c) => newShot({ title: c.title, prompt: c.title, durationSec: 3, ...(c.trim ? { trim: c.trim } : {}) })));
  await createProjectFolder(dir, project);
  for (const [i, c] of CUT.entries()) if (c.clip) await addTake({ dir, shot: project.shots[i], spec: c.clip });
});
afterAll(() => fs.rm(path.dirname(dir), { recursive: true, force: true }));

describe('stitch of mixed clips', () => {
  let first: Awaited<ReturnType<typeof stitch>>;

  it('stitches 24/25/30 fps, 1276×720, no-audio, 44.1 kHz, a slate and a trim into one valid H.264/AAC file of the trimmed length', async () => {
    first = await stitch();
    const file = path.join(dir, first.preview.path);
    const info = await ffprobe(file);
    const video = info.streams.find((s) => s.codec_type === 'video')!;
    const audio = info.streams.find((s) => s.codec_type === 'audio')!;
    expect(video).toMatchObject({ codec_name: 'h264', width: 1280, height: 720, pix_fmt: 'yuv420p' });
    expect(audio).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });
    const total = CUT.reduce((t, c) => t + c.cutSec, 0);
    expect(first.preview.durationSec).toBeCloseTo(total, 6);
    expect(Math.abs(Number(info.format.duration) - total)).toBeLessThan(FRAME);
    expect(first.preview.slateShotIds).toEqual([project.shots[3].id]);
    // Where each shot sits in the file, for the playhead: each shot's own cut length, back to back.
    let start = 0;
    expect(first.preview.segments?.map((s) => s.shotId)).toEqual(project.shots.map((s) => s.id));
    for (const [i, seg] of first.preview.segments!.entries()) {
      expect(seg.startSec, `shot ${i + 1} start`).toBeCloseTo(start, 6);
      expect(seg.durationSec, `shot ${i + 1} length`).toBeCloseTo(CUT[i].cutSec, 6);
      start += seg.durationSec;
    }
    // The whole file decodes without a single error.
    const { execFileSync } = await import('node:child_process');
    expect(execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).toBe('');
  });

  it('re-encodes only the odd pictures and the trim; copies the rest, converting only 44.1 kHz sound', () => {
    const ids = project.shots.map((s) => s.id);
    expect(first.report.proxiesBuilt.sort()).toEqual([ids[0], ids[1], ids[4]].sort());
    expect(first.report.audioConverted).toEqual([ids[2]]);
    expect(first.report.copied.sort()).toEqual([ids[2], ids[5], ids[6]].sort());
    expect(first.report.slatesRendered).toEqual([ids[3]]);
    expect(first.report.problems).toEqual([]);
    // Every clip's sound was read straight from its MP4: no ffmpeg was needed to copy it out.
    expect(first.report.audioExtracted).toBe(0);
  });

  it('keeps sound and picture together at every cut: each segment within one frame', async () => {
    await expectInSync(path.join(dir, first.preview.path), CUT.map((c) => c.cutSec));
  });

  it('after a reorder, re-stitches with one stream-copy ffmpeg and no re-encoding, still in sync', async () => {
    // Move the last shot to the front and swap two in the middle; tone/silence still alternate.
    const [a, b, c, slate, d, e, f] = project.shots;
    project.shots = [f, e, a, b, c, slate, d];
    const lengths = [3, 3, 3, 3, 3, 3, 3];
    const firstBytes = await md5(path.join(dir, first.preview.playPath!));
    const again = await stitch();
    expect(again.preview.key).not.toBe(first.preview.key);
    expect(again.report).toMatchObject({ proxiesBuilt: [], audioConverted: [], slatesRendered: [], audioExtracted: 0, upToDate: false });
    expect(again.commands).toHaveLength(1);
    expect(again.commands[0]).toMatch(/-f concat/);
    expect(again.commands[0]).toMatch(/-c copy/);
    expect(again.commands[0]).not.toMatch(/libx264|-c:a aac/);
    await expectInSync(path.join(dir, again.preview.path), lengths);
    // A player still showing the first cut reads it under its own name: the new cut did not overwrite it.
    expect(first.preview.playPath).toMatch(/^cache\/previews\/.+\.mp4$/);
    expect(again.preview.playPath).not.toBe(first.preview.playPath);
    expect(await md5(path.join(dir, first.preview.playPath!))).toBe(firstBytes);
    expect(await md5(path.join(dir, again.preview.path))).not.toBe(firstBytes);
    expect(await md5(path.join(dir, again.preview.playPath!))).toBe(await md5(path.join(dir, again.preview.path)));
  });

  it('survives a deleted cache folder: the same cut is rebuilt, identical in timing', async () => {
    const before = await stitch();
    await fs.rm(path.join(dir, 'cache'), { recursive: true, force: true });
    await fs.rm(path.join(dir, 'renders'), { recursive: true, force: true });
    clearProbeCache();
    const rebuilt = await stitch();
    expect(rebuilt.preview).toEqual(before.preview);
    expect(rebuilt.report.proxiesBuilt).toHaveLength(3);
  });

  it('a second stitch of the same cut does nothing', async () => {
    const again = await stitch();
    expect(again.report.upToDate).toBe(true);
    expect(again.commands).toEqual([]);
  });

  it('after a retime, renders only the retimed slate; a new trim re-encodes only that clip', async () => {
    const slate = project.shots.find((s) => !s.selectedTakeId)!;
    slate.durationSec = 4;
    const retimed = await stitch();
    expect(retimed.report).toMatchObject({ proxiesBuilt: [], audioConverted: [], slatesRendered: [slate.id] });
    expect(retimed.preview.durationSec).toBeCloseTo(6 * 3 + 4, 6);

    const d = project.shots[project.shots.length - 1];
    d.trim = { inSec: 1 };
    const trimmed = await stitch();
    expect(trimmed.report.proxiesBuilt).toEqual([d.id]);
    expect(trimmed.commands.filter((c) => c.includes('libx264'))).toHaveLength(1);
    const lengths = [3, 3, 3, 3, 3, 4, 3];
    expect(trimmed.preview.durationSec).toBeCloseTo(lengths.reduce((x, y) => x + y), 6);
    await expectInSync(path.join(dir, trimmed.preview.path), lengths);
  });
});
