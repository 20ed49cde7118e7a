// The MP4 sound reader gives, byte for byte, what ffmpeg's ADTS muxer writes from the same file.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAacFrames } from '../../../electron/core/media/mp4-audio';
import { tempDir } from '../helpers';
import { makeClip } from './stitch-helpers';

const exec = promisify(execFile);
let dir: string;

async function ffmpegAdts(file: string): Promise<Buffer> {
  const out = `${file}.aac`;
  await exec('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', file, '-map', '0:a:0', '-c:a', 'copy', '-f', 'adts', out]);
  return fs.readFile(out);
}

beforeAll(async () => {
  dir = await tempDir('sr-mp4audio-');
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('reading AAC frames from an MP4', () => {
  it('matches ffmpeg for our own encodes (moov first) and for other encoders’ files (moov last, 44.1 kHz mono, MOV)', async () => {
    const cases: [string, Parameters<typeof makeClip>[1]][] = [
      ['target.mp4', { seconds: 2, fps: 24, width: 320, height: 180, bright: true, audio: { rate: 48000, channels: 2 }, encode: 'target' }],
      ['plain.mp4', { seconds: 1.5, fps: 25, width: 320, height: 180, bright: true, audio: { rate: 48000, channels: 2 }, encode: 'plain' }],
      ['mono441.mov', { seconds: 1.7, fps: 30, width: 320, height: 180, bright: true, audio: { rate: 44100, channels: 1 }, encode: 'plain' }],
    ];
    for (const [name, spec] of cases) {
      const file = path.join(dir, name);
      await makeClip(file, spec);
      const frames = await readAacFrames(file);
      expect(frames, name).toBeDefined();
      expect(Buffer.concat(frames!).equals(await ffmpegAdts(file)), name).toBe(true);
      // Priming frame included: one more frame than the sound needs.
      expect(frames!.length, name).toBe(Math.ceil((spec.seconds * (spec.audio === 'none' ? 1 : spec.audio.rate)) / 1024) + 1);
    }
  });

  it('declines files it does not read — no sound, fragmented MP4, not an MP4 — so ffmpeg is asked instead', async () => {
    const silent = path.join(dir, 'nosound.mp4');
    await makeClip(silent, { seconds: 1, fps: 24, width: 320, height: 180, bright: false, audio: 'none', encode: 'plain' });
    expect(await readAacFrames(silent)).toBeUndefined();
    const frag = path.join(dir, 'frag.mp4');
    await exec('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', path.join(dir, 'target.mp4'), '-c', 'copy', '-movflags', 'frag_keyframe+empty_moov', frag]);
    expect(await readAacFrames(frag)).toBeUndefined();
    const text = path.join(dir, 'notes.mp4');
    await fs.writeFile(text, 'hello, not a movie');
    expect(await readAacFrames(text)).toBeUndefined();
  });
});
