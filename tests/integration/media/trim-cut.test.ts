// Trims in the cut, frame by frame, with real ffmpeg: every clip is a "frame counter" (frame n is a flat
// grey of luma 16 + n), so reading the grey of each frame of the preview says exactly which frame of which
// take plays there. A shot plays its duration from its in point; a shot longer than its take holds the
// take's last frame; the export shows the same frames at the same times as the preview.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project, Take } from '../../../shared/schema';
import { Studio } from '../../../electron/core/api';
import { setFfmpegLogger } from '../../../electron/core/media/ffmpeg';
import { targetEncodeOptions, targetFor } from '../../../electron/core/media/ffmpeg-args';
import { createProjectFolder, newProject, newShot } from '../../../electron/core/project/project-folder';
import { tempDir } from '../helpers';

const exec = promisify(execFile);
let base: string;
let dir: string;
let studio: Studio;

/** Writes a clip of `frames` frames at 24 fps whose frame n is a flat grey of luma 16 + n (lossless, so exact). */
async function counterFile(file: string, frames: number, as: 'small' | 'storyreel' | 'other-720p' = 'small'): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const size = as === 'small' ? '320x180' : '1280x720';
  const picture = ['-f', 'lavfi', '-i', `nullsrc=s=${size}:r=24:d=${frames / 24},format=yuv420p,geq=lum='16+N':cb=128:cr=128`];
  // 'storyreel': with a tone, encoded exactly as Storyreel encodes (copyable; flat greys still decode exactly).
  const encode =
    as === 'storyreel'
      ? ['-f', 'lavfi', '-i', `sine=f=440:r=48000:d=${frames / 24}`, ...targetEncodeOptions(targetFor('16:9'), frames / 24)]
      : [...(as === 'other-720p' ? ['-f', 'lavfi', '-i', `sine=f=440:r=48000:d=${frames / 24}`, '-c:a', 'aac', '-shortest'] : []), '-c:v', 'libx264', '-qp', '0', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];
  await exec('ffmpeg', ['-v', 'error', '-y', ...picture, ...encode, file]);
}

/** A take of a counter clip (see counterFile) in the project at `projectDir`. */
async function counter(file: string, frames: number, as: 'small' | 'storyreel' = 'small', projectDir = dir): Promise<Take> {
  await counterFile(file, frames, as);
  const sha256 = createHash('sha256').update(await fs.readFile(file)).digest('hex');
  return {
    id: `take_${path.basename(file, '.mp4')}`, jobId: 'job', provider: 'animatic', tier: 'standard', request: { hash: 'h', params: {} }, status: 'ready',
    media: { path: path.relative(projectDir, file).split(path.sep).join('/'), sha256, durationSec: frames / 24, width: 320, height: 180, fps: 24, hasAudio: false },
    estimatedUsd: 0, review: { rating: 0, flag: 'none', notes: [] }, createdAt: new Date().toISOString(),
  };
}

/** The frame-counter value (luma − 16) of every frame of a video, read from its centre pixel. */
async function counters(file: string): Promise<number[]> {
  const { stdout } = await exec('ffmpeg', ['-v', 'error', '-i', file, '-vf', 'crop=16:16,extractplanes=y,scale=1:1:flags=area', '-f', 'rawvideo', '-'], { encoding: 'buffer', maxBuffer: 1 << 24 });
  return [...(stdout as Buffer)].map((y) => y - 16);
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

beforeAll(async () => {
  base = await tempDir('sr-trim-');
  dir = path.join(base, 'film.storyreel');
  const project: Project = newProject('Trims', [
    // An 8 s take in a 3 s shot, slipped to start at 2 s: its frames 48–119.
    newShot({ title: 'Slipped', durationSec: 3, trim: { inSec: 2 } }),
    // A 3 s take in a 5 s shot: its 72 frames, then its last frame for 2 s.
    newShot({ title: 'Lengthened', durationSec: 5 }),
    // An 8 s take in a 4 s shot, no trim: its first 4 s.
    newShot({ title: 'Shortened', durationSec: 4 }),
  ]);
  await createProjectFolder(dir, project);
  const lengths = [192, 72, 192];
  for (const [i, shot] of project.shots.entries()) {
    const take = await counter(path.join(dir, 'media', 'takes', shot.id, `t${i}.mp4`), lengths[i]);
    shot.takes = [take];
    shot.selectedTakeId = take.id;
  }
  await fs.writeFile(path.join(dir, 'project.json'), JSON.stringify(project, null, 2));
  studio = await Studio.open(dir, { host: 'cli' });
}, 60_000);
afterAll(async () => {
  await studio?.close();
  await fs.rm(base, { recursive: true, force: true });
});

const EXPECTED = [...range(48, 120), ...range(0, 72), ...Array(48).fill(71), ...range(0, 96)];

describe('trims in the cut (frame counters, real ffmpeg)', () => {
  let preview: number[];

  it('the preview plays each shot’s duration from its in point, holding a short take’s last frame', async () => {
    const result = await studio.call('media.stitch');
    expect(result.durationSec).toBeCloseTo(12, 6);
    expect(result.segments?.map((s) => s.durationSec)).toEqual([3, 5, 4]);
    preview = await counters(path.join(dir, result.path));
    expect(preview.length).toBe(EXPECTED.length);
    // Frame-exact at every cut (within one grey level of the encode, never a neighbouring frame's).
    preview.forEach((n, i) => expect(Math.abs(n - EXPECTED[i]), `frame ${i}: counter ${n}, expected ${EXPECTED[i]}`).toBeLessThanOrEqual(0.5));
  });

  it('slipping the first shot changes which frames play; the other shots keep theirs', async () => {
    const id = studio.session.current.shots[0].id;
    await studio.call('shots.update', { id, patch: { trim: { inSec: 4 } } });
    try {
      const result = await studio.call('media.stitch');
      const frames = await counters(path.join(dir, result.path));
      expect(frames.slice(0, 72)).toEqual(range(96, 168));
      expect(frames.slice(72)).toEqual(EXPECTED.slice(72));
    } finally {
      await studio.call('shots.update', { id, patch: { trim: { inSec: 2 } } });
    }
  });

  it('the export shows the same frame as the preview at every moment', async () => {
    await studio.call('media.stitch');
    const result = await studio.call('media.export', { preset: 'h264-720p' });
    const exported = await counters(path.join(dir, result.path));
    expect(exported.length).toBe(preview.length);
    const off = exported.map((n, i) => Math.abs(n - preview[i])).filter((d) => d > 1);
    expect(off, 'frames where export and preview differ by more than one grey level').toEqual([]);
  }, 120_000);
});

/** Seconds of picture the libx264 commands of a call encoded (each one's -t), but for the encoder-reference probe. */
async function encodedSecondsOf(fn: () => Promise<unknown>): Promise<number> {
  const commands: string[] = [];
  setFfmpegLogger((line) => commands.push(line));
  try {
    await fn();
  } finally {
    setFfmpegLogger(() => {});
  }
  return commands.filter((c) => c.includes('libx264') && !c.includes('.reference-')).reduce((s, c) => s + Number(/ -t '?([\d.]+)/.exec(c)?.[1] ?? NaN), 0);
}

/** Frames of the video stream, counted by decoding it. */
async function countedFrames(file: string): Promise<number> {
  const { stdout } = await exec('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file]);
  return Number(stdout.trim());
}

describe.each([
  { kind: 'a take in Storyreel’s own encoding', via: 'the take itself' },
  { kind: 'an imported take in another encoding', via: 'its import proxy' },
] as const)('a trim of $kind re-encodes only the frames off a keyframe of $via (real ffmpeg)', ({ via }) => {
  let tDir: string;
  let tStudio: Studio;
  beforeAll(async () => {
    tDir = path.join(base, via === 'the take itself' ? 'copy.storyreel' : 'import.storyreel');
    const project: Project = newProject('Trim copies', [newShot({ title: 'Six seconds', durationSec: 6 })]);
    await createProjectFolder(tDir, project);
    if (via === 'the take itself') {
      const take = await counter(path.join(tDir, 'media', 'takes', project.shots[0].id, 'six.mp4'), 144, 'storyreel', tDir);
      project.shots[0].takes = [take];
      project.shots[0].selectedTakeId = take.id;
    }
    await fs.writeFile(path.join(tDir, 'project.json'), JSON.stringify(project, null, 2));
    tStudio = await Studio.open(tDir, { host: 'cli' });
    if (via === 'its import proxy') {
      // Lossless x264, not our configuration: importing it makes the whole-clip proxy in our encoding.
      const clip = path.join(base, 'other-720p.mp4');
      await counterFile(clip, 144, 'other-720p');
      await tStudio.call('takes.import', { shotId: project.shots[0].id, path: clip });
    }
    await tStudio.call('media.stitch'); // the whole take; learns the encoder configuration
  }, 120_000);
  afterAll(async () => {
    setFfmpegLogger(() => {});
    await tStudio?.close();
  });
  const shotId = () => tStudio.session.current.shots[0].id;

  it('shortening 6 s to 5 s encodes only the tail after the last keyframe, and plays frames 0–119 exactly', async () => {
    await tStudio.call('shots.update', { id: shotId(), patch: { durationSec: 5 } });
    let result!: Awaited<ReturnType<typeof tStudio.call<'media.stitch'>>>;
    const encoded = await encodedSecondsOf(async () => (result = await tStudio.call('media.stitch')));
    // Keyframes every 2 s: 0 up to the last keyframe (≈ 4 s) is copied; the whole trim encoded would be 5 s.
    expect(encoded).toBeGreaterThan(0);
    expect(encoded).toBeLessThanOrEqual(2);
    const file = path.join(tDir, result.path);
    expect(await countedFrames(file)).toBe(120);
    expect(await counters(file)).toEqual(range(0, 120));
    // The proxy carries the trim's sound over its whole picture (the pieces hold picture only).
    const proxy = (await fs.readdir(path.join(tDir, 'cache', 'proxies'))).find((n) => n.endsWith('-t0-120.mp4'));
    expect(proxy).toBeDefined();
    const { stdout } = await exec('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,duration', '-of', 'csv=p=0', path.join(tDir, 'cache', 'proxies', proxy!)]);
    const durations = Object.fromEntries(stdout.trim().split('\n').map((l) => l.split(',')));
    expect(Number(durations.video)).toBeCloseTo(5, 3);
    expect(Number(durations.audio)).toBeCloseTo(5, 2);
  }, 60_000);

  it('a head trim with a hold: encoded head, copied body, encoded tail holding the last frame — every frame right', async () => {
    // In point 1.25 s (frame 30), 5 s shot: frames 30–143, then frame 143 held for 6 frames.
    await tStudio.call('shots.update', { id: shotId(), patch: { trim: { inSec: 1.25 } } });
    let result!: Awaited<ReturnType<typeof tStudio.call<'media.stitch'>>>;
    const encoded = await encodedSecondsOf(async () => (result = await tStudio.call('media.stitch')));
    expect(encoded).toBeLessThan(120 / 24);
    const file = path.join(tDir, result.path);
    expect(await countedFrames(file)).toBe(120);
    expect(await counters(file)).toEqual([...range(30, 144), ...Array(6).fill(143)]);
  }, 60_000);
});
