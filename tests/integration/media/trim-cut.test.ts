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
import { createProjectFolder, newProject, newShot } from '../../../electron/core/project/project-folder';
import { tempDir } from '../helpers';

const exec = promisify(execFile);
let base: string;
let dir: string;
let studio: Studio;

/** A clip of `frames` frames at 24 fps whose frame n is a flat grey of luma 16 + n (lossless, so exact). */
async function counter(file: string, frames: number): Promise<Take> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `nullsrc=s=320x180:r=24:d=${frames / 24},format=yuv420p,geq=lum='16+N':cb=128:cr=128`, '-c:v', 'libx264', '-qp', '0', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', file]);
  const sha256 = createHash('sha256').update(await fs.readFile(file)).digest('hex');
  return {
    id: `take_${path.basename(file, '.mp4')}`, jobId: 'job', provider: 'animatic', tier: 'standard', request: { hash: 'h', params: {} }, status: 'ready',
    media: { path: path.relative(dir, file).split(path.sep).join('/'), sha256, durationSec: frames / 24, width: 320, height: 180, fps: 24, hasAudio: false },
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
