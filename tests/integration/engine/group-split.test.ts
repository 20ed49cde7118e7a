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
