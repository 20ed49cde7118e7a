// Live slates (issue 12): a shot without a take shows what it is now — its title, prompt, length and, when it
// has one, its start frame (crossfading to its end frame) — in the preview the studio rebuilds by itself after
// each edit. Slates are cached by content: one that did not change is never made again. Real ffmpeg.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Preview } from '../../../shared/api';
import type { Project } from '../../../shared/schema';
import { Studio } from '../../../electron/core/api';
import { setFfmpegLogger } from '../../../electron/core/media/ffmpeg';
import { clearProbeCache } from '../../../electron/core/media/probe-cache';
import { createProjectFolder, newProject, newShot } from '../../../electron/core/project/project-folder';
import { png } from '../../helpers/png';
import { tempDir } from '../helpers';
import { addTake } from './stitch-helpers';

const exec = promisify(execFile);
let base: string;
let dir: string;
let studio: Studio;
let slateId: string;
const previews: Preview[] = [];
let commands: string[] = [];

/** The preview the studio builds by itself after the edit. */
function nextPreview(): Promise<Preview> {
  const seen = previews.length;
  return new Promise((resolve) => {
    const check = () => (previews.length > seen ? resolve(previews[previews.length - 1]) : setTimeout(check, 50));
    check();
  });
}

/** Mean colour (r, g, b) of a region of the preview's (or another file's) frame at `t` seconds. */
async function colour(t: number, region: string, file = path.join(dir, 'renders', 'preview.mp4')): Promise<[number, number, number]> {
  const { stdout } = await exec(
    'ffmpeg',
    ['-v', 'error', '-ss', String(t), '-i', file, '-frames:v', '1', '-vf', `${region},scale=1:1:flags=area`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    { encoding: 'buffer' },
  );
  return [stdout[0], stdout[1], stdout[2]];
}
/** The top half of the frame (above the slate's text band). */
const TOP = 'crop=iw:ih/2:0:0';
/** Where the slate's title is written. */
const TITLE = 'crop=iw*0.6:ih*0.12:iw*0.05:ih*0.2';

async function frameOfTitle(): Promise<Buffer> {
  const { stdout } = await exec(
    'ffmpeg',
    ['-v', 'error', '-ss', '1', '-i', path.join(dir, 'renders', 'preview.mp4'), '-frames:v', '1', '-vf', TITLE, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'],
    { encoding: 'buffer', maxBuffer: 1 << 24 },
  );
  return stdout;
}
const differingPixels = (a: Buffer, b: Buffer) => a.reduce((n, v, i) => n + (Math.abs(v - b[i]) > 40 ? 1 : 0), 0);

beforeAll(async () => {
  clearProbeCache();
  base = await tempDir('sr-live-slates-');
  dir = path.join(base, 'film.storyreel');
  const project: Project = newProject('Film', [newShot({ title: 'Dawn', prompt: 'a lighthouse at dawn', durationSec: 3 }), newShot({ title: 'Taken', durationSec: 3 })]);
  await createProjectFolder(dir, project);
  await addTake({ dir, shot: project.shots[1], spec: { seconds: 3, fps: 24, width: 1280, height: 720, bright: true, audio: { rate: 48000, channels: 2 }, encode: 'target' } });
  await fs.writeFile(path.join(dir, 'project.json'), JSON.stringify(project, null, 2));
  slateId = project.shots[0].id;
  await fs.writeFile(path.join(base, 'red.png'), png(640, 360, [220, 20, 20]));
  await fs.writeFile(path.join(base, 'blue.png'), png(640, 360, [20, 20, 220]));
  studio = await Studio.open(dir, { host: 'cli', autoStitch: true });
  studio.on('event', (name, payload) => name === 'preview.ready' && previews.push(payload as Preview));
  setFfmpegLogger((line) => commands.push(line));
  await studio.call('media.stitch', {});
});
afterAll(async () => {
  setFfmpegLogger(() => {});
  await studio?.close();
  await fs.rm(base, { recursive: true, force: true });
});

describe('live slates (real ffmpeg)', () => {
  let dawn: Buffer;

  it('renaming a shot that has no take rebuilds the preview with the new title on its slate', async () => {
    dawn = await frameOfTitle();
    const first = previews.at(-1)!;
    expect(first.slateShotIds).toEqual([slateId]);
    const rebuilt = nextPreview();
    await studio.call('shots.update', { id: slateId, patch: { title: 'Storm over the lighthouse' } });
    const p = await rebuilt;
    expect(p.key).not.toBe(first.key);
    expect(differingPixels(dawn, await frameOfTitle())).toBeGreaterThan(500);
  });

  it('an unchanged slate is never made again: renaming it back reuses the first one, pixel for pixel', async () => {
    commands = [];
    const rebuilt = nextPreview();
    await studio.call('shots.update', { id: slateId, patch: { title: 'Dawn' } });
    await rebuilt;
    expect(commands.filter((c) => c.includes('drawtext'))).toEqual([]);
    expect(differingPixels(dawn, await frameOfTitle())).toBeLessThan(50);
  });

  it('a start frame puts its picture on the slate, and an end frame crossfades in across the shot', async () => {
    let rebuilt = nextPreview();
    await studio.call('shots.setFrame', { shotId: slateId, which: 'start', path: path.join(base, 'red.png') });
    await rebuilt;
    const [r, g, b] = await colour(1, TOP);
    expect(r).toBeGreaterThan(150);
    expect(Math.max(g, b)).toBeLessThan(70);

    rebuilt = nextPreview();
    await studio.call('shots.setFrame', { shotId: slateId, which: 'end', path: path.join(base, 'blue.png') });
    await rebuilt;
    const start = await colour(0.3, TOP);
    const end = await colour(2.8, TOP);
    expect(start[0]).toBeGreaterThan(150);
    expect(end[2]).toBeGreaterThan(150);
    expect(end[0]).toBeLessThan(70);
  });

  it('the export’s slate shows the same pictures as the preview’s', async () => {
    const result = await studio.call('media.export', { preset: 'h264-720p' });
    expect(result.slateShotIds).toEqual([slateId]);
    const file = path.join(dir, result.path);
    const start = await colour(0.3, TOP, file);
    const end = await colour(2.8, TOP, file);
    expect(start[0]).toBeGreaterThan(150);
    expect(end[2]).toBeGreaterThan(150);
  });
});
