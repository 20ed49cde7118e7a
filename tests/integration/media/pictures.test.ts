// Posters, filmstrips and waveforms with real ffmpeg, through media.pictures: the right moments of each
// take, cached by content (a second ask runs no ffmpeg), and a missing clip reported without hiding the rest.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project, Take } from '../../../shared/schema';
import { Studio } from '../../../electron/core/api';
import { setFfmpegLogger } from '../../../electron/core/media/ffmpeg';
import { createProjectFolder, newProject, newShot } from '../../../electron/core/project/project-folder';
import { ffprobe, tempDir } from '../helpers';

const exec = promisify(execFile);
let base: string;
let dir: string;
let studio: Studio;
let project: Project;

const ff = (...args: string[]) => exec('ffmpeg', ['-v', 'error', '-y', ...args]);

async function take(rel: string, id: string, size: { w: number; h: number }): Promise<Take> {
  const file = path.join(dir, rel);
  await fs.mkdir(path.dirname(file), { recursive: true });
  // Black for the first 0.5 s (a poster from the first frame would be black), then red until 2.5 s, then blue.
  const graph =
    `color=c=black:s=${size.w}x${size.h}:r=24:d=0.5[a];color=c=red:s=${size.w}x${size.h}:r=24:d=2[b];` +
    `color=c=blue:s=${size.w}x${size.h}:r=24:d=2.5[c];[a][b][c]concat=n=3:v=1:a=0`;
  await ff('-f', 'lavfi', '-i', graph, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '24', file);
  const sha256 = createHash('sha256').update(await fs.readFile(file)).digest('hex');
  return {
    id, jobId: 'job', provider: 'animatic', tier: 'standard', request: { hash: 'h', params: {} }, status: 'ready',
    media: { path: rel, sha256, durationSec: 5, width: size.w, height: size.h, fps: 24, hasAudio: false },
    estimatedUsd: 0, review: { rating: 0, flag: 'none', notes: [] }, createdAt: new Date().toISOString(),
  };
}

/** The image decoded to RGB bytes. */
async function rgb(file: string): Promise<{ data: Buffer; width: number; height: number }> {
  const info = await ffprobe(file);
  const { width = 0, height = 0 } = info.streams[0];
  const { stdout } = await exec('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer', maxBuffer: 64 << 20 });
  return { data: stdout, width, height };
}
const pixel = (img: { data: Buffer; width: number }, x: number, y: number) => [...img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3)];
const isRed = ([r, g, b]: number[]) => r > 180 && g < 80 && b < 80;
const isBlue = ([r, g, b]: number[]) => b > 180 && r < 80 && g < 80;

beforeAll(async () => {
  base = await tempDir('sr-pictures-');
  dir = path.join(base, 'film.storyreel');
  project = newProject('Film', [newShot({ title: 'Wide', durationSec: 5 }), newShot({ title: 'Tall', durationSec: 5, aspectRatio: '9:16' })]);
  await createProjectFolder(dir, project);
  project.shots[0].takes = [await take('media/takes/a/wide.mp4', 'take_wide', { w: 320, h: 180 })];
  project.shots[1].takes = [await take('media/takes/b/tall.mp4', 'take_tall', { w: 180, h: 320 })];
  // 3 s of tone, then 3 s of silence: the waveform is drawn over its first half only.
  await ff('-f', 'lavfi', '-i', 'sine=f=300:r=48000:d=3,apad=whole_dur=6', '-ac', '2', path.join(dir, 'media', 'audio', 'music.wav'));
  project.audioLanes = [{ id: 'lane_music', kind: 'music', path: 'media/audio/music.wav', startSec: 0, gainDb: 0, duck: true }];
  await fs.writeFile(path.join(dir, 'project.json'), JSON.stringify(project, null, 2));
  studio = await Studio.open(dir, { host: 'cli' });
});
afterAll(async () => {
  await studio?.close();
  await fs.rm(base, { recursive: true, force: true });
});

describe('pictures (real ffmpeg)', () => {
  it('makes a poster from 1 s in and a filmstrip of ten evenly spaced frames per take', async () => {
    const pictures = await studio.call('media.pictures', {});
    const wide = pictures.takes.find((t) => t.takeId === 'take_wide')!;
    expect(wide.error).toBeUndefined();
    expect(wide.poster).toMatch(/^cache\/pictures\/[0-9a-f]{16}-poster-v1\.jpg$/);
    const poster = await rgb(path.join(dir, wide.poster!));
    expect([poster.width, poster.height]).toEqual([320, 180]);
    expect(isRed(pixel(poster, 160, 90))).toBe(true);

    expect(wide.filmstrip).toMatchObject({ frames: 10, frameWidth: 128, frameHeight: 72, intervalSec: 0.5 });
    const strip = await rgb(path.join(dir, wide.filmstrip!.path));
    expect([strip.width, strip.height]).toEqual([1280, 72]);
    // Frame i shows the take at i × 0.5 s: black at 0 s, red from 0.5 s to 2 s, blue from 2.5 s on.
    const at = (i: number) => pixel(strip, i * 128 + 64, 36);
    expect(at(0).every((v) => v < 40)).toBe(true);
    for (const i of [1, 2, 3, 4]) expect(isRed(at(i)), `frame ${i}`).toBe(true);
    for (const i of [5, 6, 7, 8, 9]) expect(isBlue(at(i)), `frame ${i}`).toBe(true);

    const tall = pictures.takes.find((t) => t.takeId === 'take_tall')!;
    const tallPoster = await rgb(path.join(dir, tall.poster!));
    expect([tallPoster.width, tallPoster.height]).toEqual([180, 320]);
    expect(tall.filmstrip).toMatchObject({ frameWidth: 40, frameHeight: 72 });
  });

  it('draws the music lane’s waveform where there is sound', async () => {
    const { lanes } = await studio.call('media.pictures', { takeIds: [], laneIds: ['lane_music'] });
    expect(lanes).toEqual([{ laneId: 'lane_music', waveform: expect.stringMatching(/^cache\/pictures\/[0-9a-f]{16}-waveform-v1-400x96\.png$/) }]);
    const { stdout } = await exec('ffmpeg', ['-v', 'error', '-i', path.join(dir, lanes[0].waveform!), '-f', 'rawvideo', '-pix_fmt', 'rgba', '-'], { encoding: 'buffer', maxBuffer: 8 << 20 });
    const drawnColumns = (from: number, to: number) => {
      let n = 0;
      for (let x = from; x < to; x++) {
        let any = false;
        for (let y = 0; y < 96 && !any; y++) any = stdout[(y * 400 + x) * 4 + 3] > 0;
        if (any) n++;
      }
      return n / (to - from);
    };
    expect(drawnColumns(10, 190)).toBeGreaterThan(0.95);
    expect(drawnColumns(210, 390)).toBeLessThan(0.05);
  });

  it('answers from the cache the second time, without running ffmpeg', async () => {
    const commands: string[] = [];
    setFfmpegLogger((line) => commands.push(line));
    const again = await studio.call('media.pictures', {});
    setFfmpegLogger(() => {});
    expect(commands).toEqual([]);
    expect(again.takes.every((t) => t.poster && t.filmstrip && !t.error)).toBe(true);
    expect(again.lanes[0].waveform).toBeDefined();
  });

  it('reports a take whose clip is gone and still makes the others', async () => {
    await fs.rm(path.join(dir, 'cache', 'pictures'), { recursive: true });
    await fs.rename(path.join(dir, 'media/takes/b/tall.mp4'), path.join(dir, 'media/takes/b/moved.mp4'));
    try {
      const pictures = await studio.call('media.pictures', {});
      expect(pictures.takes.find((t) => t.takeId === 'take_tall')).toEqual({
        takeId: 'take_tall',
        error: 'The clip media/takes/b/tall.mp4 is missing from the project folder; put it back to see its pictures.',
      });
      const wide = pictures.takes.find((t) => t.takeId === 'take_wide')!;
      await expect(fs.stat(path.join(dir, wide.poster!))).resolves.toBeTruthy();
      // Nothing half-written is left in the cache.
      expect((await fs.readdir(path.join(dir, 'cache', 'pictures'))).filter((f) => f.includes('.tmp'))).toEqual([]);
    } finally {
      await fs.rename(path.join(dir, 'media/takes/b/moved.mp4'), path.join(dir, 'media/takes/b/tall.mp4'));
    }
  });
});
