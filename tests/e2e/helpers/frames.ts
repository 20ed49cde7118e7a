// Pictures through ffmpeg, as the continuity specs check them: a picture drawn into a project's media/refs/,
// and a clip's frames as RGB bytes (every frame decoded and counted, never a seek from the end).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { expect } from '@playwright/test';
import { exec } from './studio-server';

/** Draws one frame of ffmpeg's lavfi `source` (e.g. 'testsrc2=size=1280x720') into media/refs/NAME; returns its project path. */
export async function addRefPicture(dir: string, name: string, source: string): Promise<string> {
  await mkdir(path.join(dir, 'media', 'refs'), { recursive: true });
  await exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', source, '-frames:v', '1', path.join(dir, 'media', 'refs', name)]);
  return `media/refs/${name}`;
}

/** RGB bytes of one picture file, or of frame `frame` of a clip (every frame decoded, that one kept). */
export async function rgb(file: string, frame?: number): Promise<Buffer> {
  const select = frame === undefined ? [] : ['-vf', `select=eq(n\\,${frame})`];
  const { stdout } = await exec('ffmpeg', ['-v', 'error', '-i', file, ...select, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer', maxBuffer: 64 << 20 });
  return stdout as unknown as Buffer;
}

/** How many frames a clip has, counted by decoding them. */
export async function frameCount(file: string): Promise<number> {
  const { stdout } = await exec('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file]);
  return Number(stdout.trim());
}

/** The last frame of a clip, found by decoding and counting every frame. */
export async function lastFrame(file: string): Promise<Buffer> {
  return rgb(file, (await frameCount(file)) - 1);
}

/** Mean distance between two pictures of one size, per byte (0 = the same picture). */
export function meanDiff(a: Buffer, b: Buffer): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}
