// The animatic with real ffmpeg: a reference image moves the way the prompt says, dissolves into the end
// frame, speaks its dialogue, and leaves in the stitch format at the shot's exact length.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationSpec } from '../../../shared/generation';
import { ffmpegInfo, probe } from '../../../electron/core/media/ffmpeg';
import { targetFor } from '../../../electron/core/media/ffmpeg-args';
import { matchesTarget } from '../../../electron/core/media/stitch-rules';
import { createAnimaticProvider, renderAnimatic } from '../../../electron/core/providers/animatic';
import { tempDir } from '../helpers';

const exec = promisify(execFile);
let dir: string;
// Known before the tests are collected, so a machine without libflite skips (and says so) instead of passing.
const flite = (await ffmpegInfo()).features.flite;

const W = 160;
const H = 90;
/** One frame at `sec`, as W×H grey bytes. */
async function frame(file: string, sec: number): Promise<Buffer> {
  const { stdout } = await exec('ffmpeg', ['-v', 'error', '-ss', String(sec), '-i', file, '-frames:v', '1', '-vf', `scale=${W}:${H},format=gray`, '-f', 'rawvideo', '-'], {
    encoding: 'buffer',
    maxBuffer: 1 << 20,
  });
  return stdout;
}
const bright = (f: Buffer) => f.filter((v) => v > 128).length;
/** Mean x of the bright pixels. */
const brightX = (f: Buffer) => {
  let sum = 0;
  let n = 0;
  f.forEach((v, i) => v > 128 && ((sum += i % W), n++));
  return sum / n;
};
const mean = (f: Buffer) => f.reduce((a, b) => a + b, 0) / f.length;

/** Integrated loudness (LUFS) of a stretch of the file's audio; -70 is ffmpeg's floor for silence. */
async function loudness(file: string, from = 0, to?: number): Promise<number> {
  const { stderr } = await exec('ffmpeg', ['-hide_banner', '-nostats', '-ss', String(from), ...(to ? ['-to', String(to)] : []), '-i', file, '-af', 'ebur128', '-f', 'null', '-']);
  const m = /Integrated loudness:\s+I:\s+(-?[\d.]+|-inf) LUFS/.exec(stderr);
  return m && m[1] !== '-inf' ? Number(m[1]) : -Infinity;
}

const spec = (over: Partial<GenerationSpec>): GenerationSpec => ({
  provider: 'animatic', tier: 'standard', aspectRatio: '16:9', durationSec: 3, audio: false, cfgScale: 0.5, negativePrompt: '',
  voiceIds: [], elements: [], card: { title: 'Test' }, prompt: '', ...over,
});

async function render(name: string, s: GenerationSpec): Promise<string> {
  const out = path.join(dir, 'cache', 'animatic', `${name}.mp4`);
  await fs.mkdir(path.dirname(out), { recursive: true });
  await renderAnimatic({ spec: s, projectDir: dir, out, signal: new AbortController().signal, onProgress: () => {} });
  return out;
}

beforeAll(async () => {
  dir = await tempDir('sr-animatic-');
  await fs.mkdir(path.join(dir, 'media', 'refs'), { recursive: true });
  const img = (name: string, graph: string) => exec('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', graph, '-frames:v', '1', path.join(dir, 'media', 'refs', name)]);
  // A white square in the middle of a black 16:9 picture; a white bar left of centre; a plain blue end frame.
  await img('square.png', 'color=c=black:s=640x360,drawbox=x=270:y=130:w=100:h=100:c=white:t=fill');
  await img('bar.png', 'color=c=black:s=640x360,drawbox=x=200:y=0:w=60:h=360:c=white:t=fill');
  await img('blue.jpg', 'color=c=0x2040ff:s=480x360');
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('animatic provider (real ffmpeg)', () => {
  it('pushes in on the start frame by default: the subject grows, in the stitch format, at the exact length', async () => {
    const out = await render('push', spec({ prompt: 'The lighthouse at dusk', startFrame: 'media/refs/square.png' }));
    const info = await probe(out);
    expect(matchesTarget(info, targetFor('16:9'))).toBe(true);
    expect(info.video?.durationSec).toBeCloseTo(3, 2);
    expect(Math.abs(info.durationSec - 3)).toBeLessThan(0.05);
    const first = bright(await frame(out, 0));
    const last = bright(await frame(out, 2.95));
    // A 15 % zoom makes the square's area about 1.32× larger.
    expect(last / first).toBeGreaterThan(1.2);
    expect(last / first).toBeLessThan(1.45);
    expect(await fs.readdir(path.dirname(out))).toEqual(['push.mp4']);
  });

  it('pans left when the prompt says so: the picture slides right across the frame', async () => {
    const out = await render('pan', spec({ prompt: 'Slow pan left across the cliffs', startFrame: 'media/refs/bar.png' }));
    const from = brightX(await frame(out, 0));
    const to = brightX(await frame(out, 2.95));
    expect(to - from).toBeGreaterThan(W * 0.1);
  });

  it('dissolves from the start frame to the end frame', async () => {
    const out = await render('fade', spec({ durationSec: 4, prompt: 'push in', startFrame: 'media/refs/square.png', endFrame: 'media/refs/blue.jpg' }));
    const start = await frame(out, 0);
    const end = await frame(out, 3.9);
    expect(bright(start)).toBeGreaterThan(0);
    // The blue end frame is an even mid grey in luma; the square's black ground is gone.
    expect(Math.min(...end)).toBeGreaterThan(40);
    expect(mean(end)).toBeGreaterThan(mean(start));
    const info = await probe(out);
    expect(Math.abs(info.durationSec - 4)).toBeLessThan(0.05);
  });

  // An ffmpeg built without libflite renders these shots silent by design.
  it.skipIf(!flite)('speaks dialogue over a picture and over a title card, silence around it', async () => {
    const lines = [{ speaker: 'Keeper', text: 'Hold on, I am coming down.' }];
    const still = await render('talk-still', spec({ durationSec: 4, startFrame: 'media/refs/square.png', dialogue: lines }));
    const card = await render('talk-card', spec({ durationSec: 4, prompt: 'The keeper at the stairs', dialogue: lines }));
    for (const out of [still, card]) {
      expect(await loudness(out)).toBeGreaterThan(-30);
      // The lead-in before the first word is silent.
      expect(await loudness(out, 0, 0.3)).toBeLessThan(-60);
      const info = await probe(out);
      expect(matchesTarget(info, targetFor('16:9'))).toBe(true);
      expect(Math.abs(info.durationSec - 4)).toBeLessThan(0.05);
    }
    const silent = await render('silent-card', spec({ durationSec: 3, prompt: 'No words here' }));
    expect(await loudness(silent)).toBeLessThan(-60);
  });

  it('renders a group with the picture on its first shot and a card for the next, split at the shot boundary', async () => {
    const out = await render(
      'group',
      spec({
        durationSec: 6,
        startFrame: 'media/refs/square.png',
        shots: [
          { shotId: 'a', label: 'shot 1', prompt: 'push in', durationSec: 3, title: 'A' },
          { shotId: 'b', label: 'shot 2', prompt: 'Title card', durationSec: 3, title: 'B' },
        ],
      }),
    );
    const info = await probe(out);
    expect(Math.abs(info.durationSec - 6)).toBeLessThan(0.05);
    // The parts are joined by stream copy, so the clip keeps the target's codecs, size, rate and time base
    // (the engine then cuts it into one take per shot).
    expect(info.video).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', width: 1280, height: 720, fps: 24, timeBase: '1/12288' });
    expect(info.audio).toMatchObject({ codec: 'aac', sampleRate: 48000, channels: 2 });
    // The picture's pure black ground, then the card's dark blue-grey ground.
    expect(Math.min(...(await frame(out, 1)))).toBeLessThan(5);
    expect(Math.min(...(await frame(out, 4.5)))).toBeGreaterThan(5);
  });

  it('says which reference image is missing instead of rendering something else', async () => {
    const provider = createAnimaticProvider();
    const ctx = { config: { baseUrl: 'local:', credentials: {} }, projectDir: dir, workDir: path.join(dir, 'cache') };
    const { ref } = await provider.submit(spec({ startFrame: 'media/refs/gone.png' }), ctx, { idempotencyKey: 'k' });
    let result = await provider.poll(ref, ctx);
    while (result.state === 'running' || result.state === 'queued') {
      await new Promise((r) => setTimeout(r, 50));
      result = await provider.poll(ref, ctx);
    }
    expect(result.state).toBe('failed');
    if (result.state === 'failed') expect(result.error.message).toMatch(/media\/refs\/gone\.png of “Test” is missing.*Add the picture again/);
  });
});
