// A multi-shot clip cut at the planned boundaries with real ffmpeg: a piece that starts on a keyframe is
// copied bit for bit (same encoder profile as the source), one that does not is re-encoded frame-exactly.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyableKeyframes, pieceJob, planPieces } from '../../../electron/core/jobs/group-split';
import { probe, runFfmpeg } from '../../../electron/core/media/ffmpeg';
import { ffprobe, tempDir } from '../helpers';

const exec = promisify(execFile);
let dir: string;

/**
 * A 7 s clip (3 s + 4 s shots); `cutKeyframe` puts a keyframe at 3 s as a real shot change would;
 * `bFrames` encodes as providers do (x264's default preset reorders frames).
 */
async function clip(name: string, cutKeyframe: boolean, bFrames = false): Promise<string> {
  const out = path.join(dir, name);
  await exec('ffmpeg', [
    '-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=320x180:r=24:d=7', '-f', 'lavfi', '-i', 'sine=f=440:d=7',
    '-c:v', 'libx264', '-preset', bFrames ? 'medium' : 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '240',
    ...(cutKeyframe ? ['-force_key_frames', '0,3'] : []),
    '-c:a', 'aac', '-shortest', out,
  ]);
  return out;
}

beforeAll(async () => {
  dir = await tempDir('sr-split-');
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('cutting a group clip into takes', () => {
  it.each([
    { name: 'with a keyframe on the cut', cutKeyframe: true, copied: [true, true] },
    { name: 'without one', cutKeyframe: false, copied: [true, false] },
    { name: 'with B-frames (as providers encode): re-encoded even on a keyframe', cutKeyframe: true, bFrames: true, copied: [false, false] },
  ])('$name', async ({ cutKeyframe, copied, bFrames }) => {
    const source = await clip(`group-${cutKeyframe}-${Boolean(bFrames)}.mp4`, cutKeyframe, bFrames);
    const info = await probe(source);
    const pieces = planPieces({ shotSeconds: [3, 4], keyframes: await copyableKeyframes(source), fps: info.video!.fps });
    expect(pieces.map((p) => p.copy)).toEqual(copied);
    const sourceProfile = (await ffprobe(source)).streams.find((s) => s.codec_type === 'video') as { profile?: string };
    for (const [i, piece] of pieces.entries()) {
      const output = path.join(dir, `piece-${cutKeyframe}-${i}.mp4`);
      await runFfmpeg(pieceJob({ source, piece, info, output }));
      const p = await ffprobe(output);
      expect(Math.abs(Number(p.format.duration) - piece.durationSec)).toBeLessThan(0.1);
      const v = p.streams.find((s) => s.codec_type === 'video') as { profile?: string; width?: number; height?: number; duration?: string };
      // The picture is exactly the shot: within one frame at 24 fps.
      expect(Math.abs(Number(v.duration) - piece.durationSec)).toBeLessThan(1 / 24);
      expect([v.width, v.height]).toEqual([320, 180]);
      expect(p.streams.some((s) => s.codec_type === 'audio')).toBe(true);
      // A copy keeps the provider's encoding; a re-encode is ours (High profile) — telling only where the
      // source is not High itself.
      if (sourceProfile.profile !== 'High') expect(v.profile === sourceProfile.profile).toBe(piece.copy);
    }
  });
});

/**
 * The colour of every frame a video file stores, each as [r, g, b] (the frame shrunk to one pixel): none
 * duplicated to fill time, and none hidden by an edit list (a stream copy cut between keyframes keeps the
 * frames before the cut and only asks players to skip them — not every player does).
 */
async function frameColours(file: string): Promise<number[][]> {
  const { stdout } = await exec('ffmpeg', ['-v', 'error', '-ignore_editlist', '1', '-i', file, '-fps_mode', 'passthrough', '-vf', 'scale=1:1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer', maxBuffer: 1 << 20 });
  const out: number[][] = [];
  for (let i = 0; i + 2 < stdout.length; i += 3) out.push([stdout[i], stdout[i + 1], stdout[i + 2]]);
  return out;
}

const isRed = ([r, g, b]: number[]) => r > 180 && g < 70 && b < 70;
const isBlue = ([r, g, b]: number[]) => b > 180 && r < 70 && g < 70;

describe('each take shows its own shot', () => {
  it.each([
    { name: 'cut on a keyframe (copied)', keyframe: true, copied: [true, true] },
    { name: 'cut between keyframes (re-encoded)', keyframe: false, copied: [true, false] },
  ])('$name: every frame of a piece belongs to its shot, none of the neighbour', async ({ keyframe, copied }) => {
    // A 3 s red shot then a 4 s blue one, as one clip; without a keyframe at the change (no scene-cut
    // detection), a copy cut at 3 s would start at 0 s and show the red shot first.
    const source = path.join(dir, `colours-${keyframe}.mp4`);
    await exec('ffmpeg', [
      '-v', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=320x180:r=24:d=3', '-f', 'lavfi', '-i', 'color=c=blue:s=320x180:r=24:d=4',
      '-f', 'lavfi', '-i', 'sine=f=440:d=7',
      '-filter_complex', '[0:v][1:v]concat=n=2:v=1:a=0[v]', '-map', '[v]', '-map', '2:a',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '240', '-x264-params', 'scenecut=0',
      ...(keyframe ? ['-force_key_frames', '0,3'] : []),
      '-c:a', 'aac', '-shortest', source,
    ]);
    const info = await probe(source);
    const pieces = planPieces({ shotSeconds: [3, 4], keyframes: await copyableKeyframes(source), fps: info.video!.fps });
    expect(pieces.map((p) => p.copy)).toEqual(copied);
    const shots = [isRed, isBlue];
    for (const [i, piece] of pieces.entries()) {
      const output = path.join(dir, `colours-${keyframe}-${i}.mp4`);
      await runFfmpeg(pieceJob({ source, piece, info, output }));
      const colours = await frameColours(output);
      expect(colours.length, `frames in piece ${i + 1}`).toBe(piece.durationSec * 24);
      const wrong = colours.map((c, n) => (shots[i](c) ? -1 : n)).filter((n) => n >= 0);
      expect(wrong, `frames of piece ${i + 1} that show another shot`).toEqual([]);
    }
  });
});
