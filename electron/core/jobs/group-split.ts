// A multi-shot clip is kept whole and also cut into one take per shot at the planned boundaries, so each
// shot can be trimmed or replaced on its own. Where a boundary falls on a keyframe the piece is copied
// (exact, instant, no generation loss); elsewhere a copy would start at the previous keyframe and show
// the end of the shot before, so that piece is re-encoded — in the clip's own size, rate and audio
// format, so the pieces of one clip still match each other.
import type { FfmpegJob, StitchTarget } from '../media/ffmpeg-args';
import { normalizeJob } from '../media/ffmpeg-args';
import { shotStarts } from '../../../shared/time';
import { keyframeTimes, probe, type ProbeResult } from '../media/ffmpeg';

/**
 * Keyframes a piece may be copied from. With B-frames a stream copy cut at a time carries reordered
 * frames past the cut (a 3 s piece came out 3.08 s, its container 3.29 s), so such clips — and clips whose
 * probe does not say — are always re-encoded: no keyframe counts. Pass the clip's probe when it is at hand.
 */
export async function copyableKeyframes(file: string, info?: ProbeResult): Promise<number[]> {
  const bFrames = (info ?? (await probe(file))).video?.bFrames;
  if (bFrames === undefined || bFrames > 0) return [];
  return keyframeTimes(file);
}

export interface PiecePlan {
  startSec: number;
  durationSec: number;
  /** True when the piece starts on a keyframe and can be copied without re-encoding. */
  copy: boolean;
}

/** Where each shot starts, and whether its piece can be copied. Half a frame counts as "on" a keyframe. */
export function planPieces(opts: { shotSeconds: number[]; keyframes: number[]; fps: number }): PiecePlan[] {
  const tolerance = opts.fps > 0 ? 0.5 / opts.fps : 0.02;
  const starts = shotStarts(opts.shotSeconds);
  return opts.shotSeconds.map((durationSec, i) => ({ startSec: starts[i], durationSec, copy: opts.keyframes.some((k) => Math.abs(k - starts[i]) <= tolerance) }));
}

/** The ffmpeg job for one piece: a stream copy, or a re-encode matching the source clip. */
export function pieceJob(opts: { source: string; piece: PiecePlan; info: ProbeResult; output: string }): FfmpegJob {
  const { source, piece, info, output } = opts;
  if (piece.copy) {
    // A silent clip gets the same silent track a re-encoded piece gets, so all pieces keep one layout.
    const silence = info.audio ? [] : [{ source: 'anullsrc=r=48000:cl=stereo', options: ['-f', 'lavfi', '-t', piece.durationSec.toFixed(3)] }];
    return {
      durationSec: piece.durationSec,
      inputs: [{ source, options: piece.startSec > 0 ? ['-ss', piece.startSec.toFixed(3)] : [] }, ...silence],
      outputOptions: [
        '-map', '0:v:0',
        '-map', info.audio ? '0:a:0' : '1:a:0',
        '-c:v', 'copy',
        ...(info.audio ? ['-c:a', 'copy'] : ['-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2']),
        '-t', piece.durationSec.toFixed(3),
        '-avoid_negative_ts', 'make_zero',
        '-movflags', '+faststart',
        '-map_metadata', '-1',
      ],
      output,
    };
  }
  const target: StitchTarget = {
    width: info.video!.width,
    height: info.video!.height,
    fps: Math.round(info.video!.fps) || 24,
    sampleRate: info.audio?.sampleRate || 48000,
    channels: info.audio?.channels || 2,
  };
  return normalizeJob({ source, hasAudio: Boolean(info.audio), durationSec: piece.durationSec, startSec: piece.startSec, target, output });
}
