// Crossfades in the stitched preview (issue 12, "the preview is the film"): the export's crossfade, shown
// while the rest of the cut stays a stream copy.
//
// Each clip is split at keyframes: its body — from the first keyframe after the fade in to the last keyframe
// before the fade out — is copied packet for packet (a closed GOP starting on an IDR copies exactly); only
// the pieces around each cut — the tail of one clip from its last copied keyframe, the head of the next up to
// its first copied keyframe — are encoded, through the export's own xfade, with the encoder settings every
// proxy and slate carries, so the pieces join through the concat demuxer. Every piece is named by its
// content (source file, frame range, fade), so an unchanged transition is never encoded again.
// The sound follows the same timing: film-sound.ts mixes it with the crossfades, as the export does.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { filmLength, fitCrossfade } from '../../../shared/export-presets';
import { targetEncodeOptions, type ConcatEntry, type FfmpegJob, type StitchTarget } from './ffmpeg-args';
import { runFfmpeg } from './ffmpeg';
import { cacheKey } from './cache-files';
import { bodyCopyJob, frameSeek, keyframesOf } from './trim-pieces';
import { fileIdentity } from '../util/file-identity';

export { bodyCopyJob };

/** One clip of the cut as the planner sees it: its length and the frames that start a GOP. */
export interface PlannedClip {
  frames: number;
  /** Frame indices of keyframes, ascending. */
  keyframes: number[];
}

export type PicturePiece =
  | { kind: 'copy'; clip: number; fromFrame: number; toFrame: number }
  | { kind: 'xfade'; a: number; aFromFrame: number; b: number; bToFrame: number; fadeFrames: number };

export interface CrossfadePlan {
  pieces: PicturePiece[];
  /** Where each clip starts in the cut, in frames (clip i overlaps clip i−1 by the fade). */
  starts: number[];
  totalFrames: number;
  /** Frames the plan encodes (the transition pieces); the rest is copied. */
  encodedFrames: number;
}

/** The crossfade the preview shows, in whole frames: the export's fitted crossfade, rounded to a frame. */
export function crossfadeFrames(clipFrames: readonly number[], requestedSec: number, fps: number): number {
  const sec = fitCrossfade(clipFrames.map((f) => f / fps), requestedSec);
  return Math.max(0, Math.floor(sec * fps + 1e-6));
}

/** Frames a piece covers in the cut. */
export function pieceFrames(piece: PicturePiece, clips: readonly PlannedClip[]): number {
  return piece.kind === 'copy' ? piece.toFrame - piece.fromFrame : clips[piece.a].frames - piece.aFromFrame + piece.bToFrame - piece.fadeFrames;
}

/**
 * Splits the cut into copied bodies and encoded transitions. Clip i's body runs from its first keyframe at or
 * after the fade in to its last keyframe at or before the fade out (the last clip's to its end); a clip with
 * no such keyframes has no body, and its frames go into the transitions on either side of it.
 */
export function planCrossfadedCut(clips: readonly PlannedClip[], fadeFrames: number): CrossfadePlan {
  const n = clips.length;
  const bounds = clips.map((c, i) => {
    const lo = i > 0 ? fadeFrames : 0;
    const hi = i < n - 1 ? c.frames - fadeFrames : c.frames;
    const from = c.keyframes.find((k) => k >= lo && k < c.frames);
    const to = i === n - 1 ? c.frames : [...c.keyframes].reverse().find((k) => k <= hi);
    if (from === undefined || to === undefined || from >= to) {
      const at = i === n - 1 ? c.frames : lo;
      return { from: at, to: at };
    }
    return { from, to };
  });
  const pieces: PicturePiece[] = [];
  const body = (i: number) => {
    if (bounds[i].to > bounds[i].from) pieces.push({ kind: 'copy', clip: i, fromFrame: bounds[i].from, toFrame: bounds[i].to });
  };
  body(0);
  for (let i = 1; i < n; i++) {
    pieces.push({ kind: 'xfade', a: i - 1, aFromFrame: bounds[i - 1].to, b: i, bToFrame: bounds[i].from, fadeFrames });
    body(i);
  }
  const starts: number[] = [];
  let at = 0;
  for (const c of clips) {
    starts.push(at);
    at += c.frames - fadeFrames;
  }
  const totalFrames = filmLength(clips.map((c) => c.frames), fadeFrames);
  const encodedFrames = pieces.filter((p) => p.kind === 'xfade').reduce((s, p) => s + pieceFrames(p, clips), 0);
  return { pieces, starts, totalFrames, encodedFrames };
}

/**
 * One transition: the tail of clip A from `aFromFrame` and the head of clip B up to `bToFrame`, joined by the
 * export's xfade (transition=fade over the same frames), encoded as proxies and slates are.
 */
export function transitionJob(input: {
  a: { source: string; frames: number; fromFrame: number };
  b: { source: string; toFrame: number };
  fadeFrames: number;
  target: StitchTarget;
  output: string;
}): FfmpegJob {
  const t = input.target;
  const aFrames = input.a.frames - input.a.fromFrame;
  const total = aFrames + input.b.toFrame - input.fadeFrames;
  const chain = (i: number, frames: number) => `[${i}:v]setpts=PTS-STARTPTS,fps=${t.fps},format=yuv420p,tpad=stop_mode=clone:stop_duration=1,trim=end_frame=${frames}`;
  const graph =
    `${chain(0, aFrames)}[a];${chain(1, input.b.toFrame)}[b];` +
    `[a][b]xfade=transition=fade:duration=${(input.fadeFrames / t.fps).toFixed(6)}:offset=${((aFrames - input.fadeFrames) / t.fps).toFixed(6)}[v]`;
  return {
    durationSec: total / t.fps,
    inputs: [
      { source: input.a.source, options: input.a.fromFrame > 0 ? ['-ss', frameSeek(input.a.fromFrame, t.fps)] : [] },
      { source: input.b.source, options: [] },
    ],
    outputOptions: ['-filter_complex', graph, '-map', '[v]', '-an', ...targetEncodeOptions(t, total / t.fps)],
    output: input.output,
  };
}

// ---- the runner (I/O) ----

export interface CrossfadedPicture {
  entries: ConcatEntry[];
  plan: CrossfadePlan;
  /** Transition pieces this call encoded (the others were in the cache). */
  encoded: number;
  /** Seconds of picture this call encoded. */
  encodedSec: number;
}

/** Builds (or finds in cache/transitions/) every piece of a crossfaded cut and lists them for the concat demuxer. */
export async function crossfadedPicture(input: {
  dir: string;
  clips: { file: string; frames: number }[];
  fadeFrames: number;
  target: StitchTarget;
  signal?: AbortSignal;
}): Promise<CrossfadedPicture> {
  const { dir, target: t } = input;
  const ids = await Promise.all(input.clips.map((c) => fileIdentity(dir, c.file)));
  const planned: PlannedClip[] = [];
  for (const [i, c] of input.clips.entries()) planned.push({ frames: c.frames, keyframes: await keyframesOf(c.file, ids[i], t.fps) });
  const plan = planCrossfadedCut(planned, input.fadeFrames);
  const folder = path.join(dir, 'cache', 'transitions');
  await fs.mkdir(folder, { recursive: true });
  const entries: ConcatEntry[] = [];
  let encoded = 0;
  let encodedSec = 0;
  let cum = 0;
  for (const piece of plan.pieces) {
    const frames = pieceFrames(piece, planned);
    const key =
      piece.kind === 'copy'
        ? cacheKey('body-v1', ids[piece.clip], piece.fromFrame, piece.toFrame)
        : cacheKey('xfade-v1', t.width, t.height, t.fps, ids[piece.a], planned[piece.a].frames, piece.aFromFrame, ids[piece.b], piece.bToFrame, piece.fadeFrames);
    const file = path.join(folder, `${piece.kind === 'copy' ? 'body' : 'xfade'}-${key}.mp4`);
    if (!existsSync(file)) {
      const tmp = `${file}.tmp.mp4`;
      const job =
        piece.kind === 'copy'
          ? bodyCopyJob({ source: input.clips[piece.clip].file, fromFrame: piece.fromFrame, toFrame: piece.toFrame, fps: t.fps, output: tmp })
          : transitionJob({
              a: { source: input.clips[piece.a].file, frames: planned[piece.a].frames, fromFrame: piece.aFromFrame },
              b: { source: input.clips[piece.b].file, toFrame: piece.bToFrame },
              fadeFrames: piece.fadeFrames,
              target: t,
              output: tmp,
            });
      try {
        await runFfmpeg(job, { signal: input.signal });
        await fs.rename(tmp, file);
      } finally {
        await fs.rm(tmp, { force: true });
      }
      if (piece.kind === 'xfade') {
        encoded++;
        encodedSec += frames / t.fps;
      }
    }
    // Durations whose running sum lands on each piece's exact frame start (as clipDurations does).
    const startUs = Math.round((cum / t.fps) * 1e6);
    cum += frames;
    entries.push({ path: file, durationSec: (Math.round((cum / t.fps) * 1e6) - startUs) / 1e6 });
  }
  return { entries, plan, encoded, encodedSec };
}
