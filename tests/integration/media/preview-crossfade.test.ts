// Crossfades you can see (issue 12, item 5): with the project's crossfade on, the preview shows the export's
// crossfades frame for frame, encoding only the pieces around each cut (cached by content); without one it
// stays a stream copy. Real ffmpeg, through the Studio API.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Studio } from '../../../electron/core/api';
import { setFfmpegLogger } from '../../../electron/core/media/ffmpeg';
import { clearProbeCache } from '../../../electron/core/media/probe-cache';
import { createProjectFolder, newProject, newShot } from '../../../electron/core/project/project-folder';
import type { Project } from '../../../shared/schema';
import { frameAt, meanDiff, toneLevel } from '../../helpers/av-measure';
import { tempDir } from '../helpers';
import { addMovingTake } from './stitch-helpers';

let base: string;
let dir: string;
let studio: Studio;

/** Every ffmpeg command the call ran. */
async function commandsOf(fn: () => Promise<unknown>): Promise<string[]> {
  const commands: string[] = [];
  setFfmpegLogger((line) => commands.push(line));
  try {
    await fn();
  } finally {
    setFfmpegLogger(() => {});
  }
  return commands;
}
/**
 * Picture encodes, but for the two-frame encode that learns this ffmpeg's encoder configuration (once per
 * project and ffmpeg version, cache/encoder-reference.json).
 */
const pictureEncodes = (commands: string[]) => commands.filter((c) => c.includes('libx264') && !c.includes('.reference-'));
/** Seconds of picture the libx264 commands encoded (each one's -t). */
const encodedSeconds = (commands: string[]) =>
  pictureEncodes(commands).reduce((s, c) => s + Number(/ -t '?([\d.]+)/.exec(c)?.[1] ?? NaN), 0);

beforeAll(async () => {
  clearProbeCache();
  base = await tempDir('sr-preview-xfade-');
  dir = path.join(base, 'film.storyreel');
  const project: Project = newProject('Film', [newShot({ title: 'One', durationSec: 5 }), newShot({ title: 'Two', durationSec: 5 }), newShot({ title: 'Three', durationSec: 5 })]);
  await createProjectFolder(dir, project);
  for (const [i, shot] of project.shots.entries()) {
    await addMovingTake({ dir, shot, seconds: 5, hue: i * 120, color: ['red', 'green', 'blue'][i], label: `Shot ${i + 1}`, freq: 300 + i * 200 });
  }
  await fs.writeFile(path.join(dir, 'project.json'), JSON.stringify(project, null, 2));
  studio = await Studio.open(dir, { host: 'cli' });
});
afterAll(async () => {
  setFfmpegLogger(() => {});
  await studio?.close();
  await fs.rm(base, { recursive: true, force: true });
});

describe('crossfades in the preview (real ffmpeg)', () => {
  const preview = () => path.join(dir, 'renders', 'preview.mp4');

  it('without a crossfade the cut is still a pure stream copy', async () => {
    const commands = await commandsOf(() => studio.call('media.stitch', {}));
    const p = await studio.call('media.stitch', {});
    expect(p.durationSec).toBeCloseTo(15, 2);
    expect(commands.length).toBeGreaterThan(0);
    expect(commands.filter((c) => c.includes('libx264'))).toEqual([]);
  });

  it('with a crossfade, encodes only the transitions and shows what the export shows, frame for frame', async () => {
    await studio.call('settings.update', { patch: { crossfadeSec: 0.5 } });
    let p!: Awaited<ReturnType<typeof stitch>>;
    const stitch = () => studio.call('media.stitch', {});
    const commands = await commandsOf(async () => (p = await stitch()));
    // Two cuts overlapped by 0.5 s each.
    expect(p.durationSec).toBeCloseTo(14, 2);
    expect(p.segments!.map((s) => s.startSec)).toEqual([0, 4.5, 9]);
    // Only the two transition pieces were encoded: each the 0.5 s fade plus the frames between it and the
    // nearest keyframes (every 2 s): 1 s of the outgoing clip's tail, 2 s of the incoming clip's head, less the overlap.
    const encoders = pictureEncodes(commands);
    expect(encoders).toHaveLength(2);
    expect(encoders.every((c) => c.includes('xfade'))).toBe(true);
    expect(encodedSeconds(commands)).toBeCloseTo(2 * 2.5, 2);

    // The sound crossfades with the picture: in the middle of the first fade both shots' tones are heard,
    // a little before it only the first one's, a little after it only the second one's.
    const [one, two] = [300, 500];
    const full = await toneLevel(preview(), one, 2, 1);
    const levels = {
      oneInFade: await toneLevel(preview(), one, 4.65, 0.2),
      twoInFade: await toneLevel(preview(), two, 4.65, 0.2),
      twoBefore: await toneLevel(preview(), two, 3.9, 0.4),
      oneAfter: await toneLevel(preview(), one, 5.2, 0.4),
    };
    console.log(`tone levels (dBFS RMS): ${full.toFixed(1)} on its own`, levels);
    // Each at least a quarter of its power (−6 dB per curve at the middle, less the ends of the span).
    expect(levels.oneInFade).toBeGreaterThan(full - 12);
    expect(levels.twoInFade).toBeGreaterThan(full - 12);
    expect(levels.twoBefore).toBeLessThan(full - 30);
    expect(levels.oneAfter).toBeLessThan(full - 30);

    const result = await studio.call('media.export', { preset: 'h264-720p' });
    expect(result.crossfadeSec).toBe(0.5);
    const exported = path.join(dir, result.path);
    // Frame centres: inside shots, inside each crossfade (start, middle, end), right after each.
    const times = [1, 3.9, 4.52, 4.77, 4.98, 5.2, 7, 9.1, 9.3, 9.48, 12, 13.9].map((t) => (Math.floor(t * 24) + 0.5) / 24);
    const diffs: number[] = [];
    for (const t of times) diffs.push(meanDiff(await frameAt(preview(), t), await frameAt(exported, t)));
    console.log(`preview vs export, mean |ΔRGB| per pixel (0–255) at ${times.map((t) => t.toFixed(3)).join(', ')} s: ${diffs.map((d) => d.toFixed(2)).join(', ')}`);
    diffs.forEach((d, i) => expect(d, `preview vs export at ${times[i].toFixed(3)} s`).toBeLessThan(3));
    // The middle of a crossfade is a blend: unlike either shot's own frame at that moment.
    const mid = await frameAt(preview(), (Math.floor(4.75 * 24) + 0.5) / 24);
    const outgoing = await frameAt(path.join(dir, studio.session.current.shots[0].takes[0].media!.path), (Math.floor(4.75 * 24) + 0.5) / 24);
    expect(meanDiff(mid, outgoing)).toBeGreaterThan(10);
  });

  it('never encodes an unchanged transition again: a new take in the last shot re-encodes only its own cut', async () => {
    expect(await commandsOf(() => studio.call('media.stitch', {})).then((c) => c.filter((x) => x.includes('libx264')))).toEqual([]);
    await studio.close();
    const project = JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8')) as Project;
    await addMovingTake({ dir, shot: project.shots[2], seconds: 5, hue: 60, color: 'purple', label: 'Shot 3 again', freq: 900 });
    await fs.writeFile(path.join(dir, 'project.json'), JSON.stringify(project, null, 2));
    studio = await Studio.open(dir, { host: 'cli' });
    const commands = await commandsOf(() => studio.call('media.stitch', {}));
    const encoders = commands.filter((c) => c.includes('libx264'));
    expect(encoders).toHaveLength(1);
    expect(encoders[0]).toContain(project.shots[2].takes[1].media!.path.split('/').pop());
  });
});
