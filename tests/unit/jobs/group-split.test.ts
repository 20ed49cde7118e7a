// Cutting a multi-shot clip into per-shot takes: which pieces can be copied (they start on a keyframe)
// and the exact ffmpeg arguments for a copy and for a re-encode that matches the source.
import { describe, expect, it } from 'vitest';
import { pieceJob, planPieces } from '../../../electron/core/jobs/group-split';
import { parseKeyframes } from '../../../electron/core/media/ffmpeg';
import type { ProbeResult } from '../../../electron/core/media/ffmpeg';

const info = {
  durationSec: 7,
  formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
  video: { codec: 'h264', width: 1280, height: 720, fps: 24 },
  audio: { codec: 'aac', sampleRate: 44100, channels: 2 },
} as ProbeResult;

describe('group split', () => {
  it('reads keyframe times from ffprobe packet lines', () => {
    expect(parseKeyframes('0.000000,K__\n0.041667,___\n3.000000,K_\nN/A,K__\n2.5,__\n')).toEqual([0, 3]);
  });

  it('copies a piece that starts on a keyframe (within half a frame) and re-encodes one that does not', () => {
    expect(planPieces({ shotSeconds: [3, 4, 2], keyframes: [0, 3.01, 5.5], fps: 24 })).toEqual([
      { startSec: 0, durationSec: 3, copy: true },
      { startSec: 3, durationSec: 4, copy: true },
      { startSec: 7, durationSec: 2, copy: false },
    ]);
    expect(planPieces({ shotSeconds: [3, 4], keyframes: [0, 3.05], fps: 24 })[1].copy).toBe(false);
  });

  it('a copied piece keeps the streams as they are', () => {
    const job = pieceJob({ source: 'group.mp4', piece: { startSec: 3, durationSec: 4, copy: true }, info, output: 'p.mp4' });
    expect(job.inputs).toEqual([{ source: 'group.mp4', options: ['-ss', '3.000'] }]);
    expect(job.outputOptions).toEqual(['-map', '0:v:0', '-map', '0:a:0', '-c:v', 'copy', '-c:a', 'copy', '-t', '4.000', '-avoid_negative_ts', 'make_zero', '-movflags', '+faststart', '-map_metadata', '-1']);
  });

  it('a silent clip gets the same silent track whether its piece is copied or re-encoded', () => {
    const silent = { ...info, audio: undefined } as ProbeResult;
    const copy = pieceJob({ source: 'g.mp4', piece: { startSec: 0, durationSec: 3, copy: true }, info: silent, output: 'p.mp4' });
    expect(copy.inputs[1]).toEqual({ source: 'anullsrc=r=48000:cl=stereo', options: ['-f', 'lavfi', '-t', '3.000'] });
    expect(copy.outputOptions.slice(0, 8)).toEqual(['-map', '0:v:0', '-map', '1:a:0', '-c:v', 'copy', '-c:a', 'aac']);
    const encode = pieceJob({ source: 'g.mp4', piece: { startSec: 3, durationSec: 4, copy: false }, info: silent, output: 'p.mp4' });
    expect(encode.inputs[1].source).toMatch(/^anullsrc=r=48000:cl=stereo/);
  });

  it('a re-encoded piece keeps the source size, frame rate and audio format, so the pieces of a clip match', () => {
    const job = pieceJob({ source: 'group.mp4', piece: { startSec: 3, durationSec: 4, copy: false }, info, output: 'p.mp4' });
    expect(job.inputs[0].source).toBe('group.mp4');
    expect(job.inputs[0].options[0]).toBe('-ss');
    expect(Number(job.inputs[0].options[1])).toBe(3);
    const o = job.outputOptions.join(' ');
    expect(o).toContain('scale=1280:720');
    expect(o).toContain('fps=24');
    expect(o).toContain('-ar 44100');
    expect(Number(/-t (\S+)/.exec(o)?.[1])).toBe(4);
  });
});
