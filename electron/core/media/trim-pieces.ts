// A trimmed take's proxy without re-encoding the whole trim (issue 12). When the take's picture is already in
// the target's format and encoder configuration, only the frames that do not start on a keyframe are encoded:
//
//   head  [startFrame, first keyframe ≥ startFrame)           encoded
//   body  [that keyframe, last keyframe ≤ endFrame)           copied packet for packet (closed GOPs)
//   tail  [that keyframe, endFrame) + its last frame held      encoded
//
// The pieces are encoded with the settings every proxy and slate carries (targetEncodeOptions), so they share
// the copied body's SPS/PPS and join through the concat demuxer with `-c:v copy` into the one proxy file the
// stitch expects; its sound is the trimmed range of the take, encoded to the target as a full proxy's is.
// A trim with no keyframe inside it is encoded whole, as before (normalizeJob).
import { fileIdentity } from '../util/file-identity';
import { promises as fs } from 'node:fs';
import { concatList, normalizeJob, seekArg, targetEncodeOptions, type FfmpegJob, type StitchTarget } from './ffmpeg-args';
import { keyframeTimes, runFfmpeg } from './ffmpeg';

export type TrimPiece =
  | { kind: 'copy'; fromFrame: number; toFrame: number }
  | { kind: 'encode'; fromFrame: number; toFrame: number; holdFrames: number };

/** Frames a piece puts in the proxy. */
export const trimPieceFrames = (p: TrimPiece) => p.toFrame - p.fromFrame + (p.kind === 'encode' ? p.holdFrames : 0);

/**
 * Splits the trim [startFrame, endFrame) (+ holdFrames of its last frame) of a clip into encoded and copied
 * pieces, given the clip's keyframes (frame indices). Empty pieces are left out. Without a keyframe strictly
 * inside the trim to copy from, the result is one encoded piece: the whole trim.
 */
export function planTrimPieces(keyframes: readonly number[], startFrame: number, endFrame: number, holdFrames: number): TrimPiece[] {
  const whole: TrimPiece[] = [{ kind: 'encode', fromFrame: startFrame, toFrame: endFrame, holdFrames }];
  const from = keyframes.find((k) => k >= startFrame && k < endFrame);
  // The held frame must come from an encoded tail, so with a hold the body ends before endFrame.
  const to = [...keyframes].reverse().find((k) => (holdFrames > 0 ? k < endFrame : k <= endFrame));
  if (from === undefined || to === undefined || to <= from) return whole;
  const pieces: TrimPiece[] = [];
  if (from > startFrame) pieces.push({ kind: 'encode', fromFrame: startFrame, toFrame: from, holdFrames: 0 });
  pieces.push({ kind: 'copy', fromFrame: from, toFrame: to });
  if (to < endFrame || holdFrames > 0) pieces.push({ kind: 'encode', fromFrame: to, toFrame: endFrame, holdFrames });
  return pieces;
}

/** A seek that lands on the frame starting at `frame` (rounded up to the microsecond, so never the GOP before). */
export function frameSeek(frame: number, fps: number): string {
  return (Math.ceil((frame / fps) * 1e6) / 1e6).toFixed(6);
}

/** A clip's body, copied packet for packet from a keyframe: no decoding, no encoding. */
export function bodyCopyJob(input: { source: string; fromFrame: number; toFrame: number; fps: number; output: string }): FfmpegJob {
  return {
    durationSec: (input.toFrame - input.fromFrame) / input.fps,
    inputs: [{ source: input.source, options: input.fromFrame > 0 ? ['-ss', frameSeek(input.fromFrame, input.fps)] : [] }],
    outputOptions: ['-map', '0:v:0', '-c', 'copy', '-frames:v', String(input.toFrame - input.fromFrame), '-an', '-movflags', '+faststart', '-map_metadata', '-1'],
    output: input.output,
  };
}

/** A piece of a take's picture [fromFrame, toFrame), its last frame held `holdFrames` more, encoded as proxies are (no sound). */
export function pieceEncodeJob(input: { source: string; fromFrame: number; toFrame: number; holdFrames: number; target: StitchTarget; output: string }): FfmpegJob {
  const t = input.target;
  const frames = input.toFrame - input.fromFrame + input.holdFrames;
  const hold = input.holdFrames ? `,tpad=stop_mode=clone:stop_duration=${(input.holdFrames / t.fps + 1).toFixed(6)}` : '';
  return {
    durationSec: frames / t.fps,
    inputs: [{ source: input.source, options: input.fromFrame > 0 ? ['-ss', seekArg(input.fromFrame / t.fps)] : [] }],
    outputOptions: [
      '-vf', `setpts=PTS-STARTPTS,fps=${t.fps},format=yuv420p,trim=end_frame=${input.toFrame - input.fromFrame}${hold},trim=end_frame=${frames}`,
      '-map', '0:v:0', '-an', ...targetEncodeOptions(t, frames / t.fps),
    ],
    output: input.output,
  };
}

/**
 * Joins the pieces' picture (a concat list, copied) into one proxy of exactly `frames` frames — with the
 * trimmed range of the take's sound (or silence) encoded to the target and padded over the hold when
 * `withSound`; picture only otherwise (a cut whose sound is mixed never hears the proxy's own).
 */
export function trimJoinJob(input: { list: string; source: string; hasAudio: boolean; withSound?: boolean; startFrame: number; frames: number; target: StitchTarget; output: string }): FfmpegJob {
  const t = input.target;
  const sec = input.frames / t.fps;
  const tail = ['-video_track_timescale', String(t.fps * 512), '-movflags', '+faststart', '-map_metadata', '-1'];
  const list = { source: input.list, options: ['-f', 'concat', '-safe', '0'] };
  if (input.withSound === false) {
    return { durationSec: sec, inputs: [list], outputOptions: ['-map', '0:v:0', '-c:v', 'copy', '-an', '-frames:v', String(input.frames), ...tail], output: input.output };
  }
  const sound = input.hasAudio
    ? { source: input.source, options: [...(input.startFrame > 0 ? ['-ss', seekArg(input.startFrame / t.fps)] : []), '-t', sec.toFixed(6)] }
    : { source: `anullsrc=r=${t.sampleRate}:cl=stereo`, options: ['-f', 'lavfi', '-t', sec.toFixed(6)] };
  return {
    durationSec: sec,
    inputs: [list, sound],
    outputOptions: [
      '-map', '0:v:0', '-map', '1:a:0', '-c:v', 'copy',
      ...(input.hasAudio ? ['-af', `aresample=${t.sampleRate}:async=1:first_pts=0,apad`] : []),
      '-c:a', 'aac', '-b:a', '128k', '-ar', String(t.sampleRate), '-ac', String(t.channels), '-t', sec.toFixed(6),
      ...tail,
    ],
    output: input.output,
  };
}

// ---- the runner (I/O) ----

const keyframeMemo = new Map<string, number[]>();

/** Frame indices of a clip's keyframes (read once per version of the file). */
export async function keyframesOf(file: string, id: string, fps: number): Promise<number[]> {
  let k = keyframeMemo.get(`${file}:${id}`);
  if (!k) {
    k = (await keyframeTimes(file)).map((t) => Math.round(t * fps));
    keyframeMemo.set(`${file}:${id}`, k);
  }
  return k;
}

/**
 * Writes a trimmed take's proxy to `output`: from copied and encoded pieces of `picture` — the take itself when
 * its picture is in the target's format and encoder configuration, else the take's whole-clip proxy (its
 * frames at the target rate, made at import) — when the trim holds a keyframe; else the take (`source`) is
 * encoded whole, as before. The sound is always the take's own. Returns the seconds of picture it encoded.
 * The pieces are temporary files beside `output`, removed after.
 */
export async function buildTrimmedProxy(input: {
  dir: string;
  source: string;
  hasAudio: boolean;
  /** The proxy carries the trim's sound (default); false: picture only. */
  withSound?: boolean;
  cut: { startFrame: number; endFrame: number; holdFrames: number };
  /** A file in our own encoding with the take's frames, to copy from; none: the trim is encoded whole. */
  picture?: string;
  target: StitchTarget;
  output: string;
  signal?: AbortSignal;
}): Promise<{ encodedSec: number; pieces: TrimPiece[] }> {
  const { cut, target: t } = input;
  const frames = cut.endFrame - cut.startFrame + cut.holdFrames;
  const picture = input.picture;
  const pieces = picture ? planTrimPieces(await keyframesOf(picture, await fileIdentity(input.dir, picture), t.fps), cut.startFrame, cut.endFrame, cut.holdFrames) : [];
  if (!picture || !pieces.some((p) => p.kind === 'copy')) {
    const job = normalizeJob({ source: input.source, hasAudio: input.hasAudio, startSec: cut.startFrame / t.fps, durationSec: frames / t.fps, holdSec: cut.holdFrames / t.fps, target: t, output: input.output });
    await runFfmpeg(job, { signal: input.signal });
    return { encodedSec: frames / t.fps, pieces: [{ kind: 'encode', fromFrame: cut.startFrame, toFrame: cut.endFrame, holdFrames: cut.holdFrames }] };
  }
  const files = pieces.map((_, i) => `${input.output}.piece${i}.mp4`);
  const list = `${input.output}.ffconcat`;
  try {
    // The pieces are independent: made side by side (most of a piece's time is starting ffmpeg).
    const made = await Promise.allSettled(
      pieces.map((p, i) =>
        runFfmpeg(
          p.kind === 'copy'
            ? bodyCopyJob({ source: picture, fromFrame: p.fromFrame, toFrame: p.toFrame, fps: t.fps, output: files[i] })
            : pieceEncodeJob({ source: picture, ...p, target: t, output: files[i] }),
          { signal: input.signal },
        ),
      ),
    );
    const failed = made.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const encodedSec = pieces.reduce((s, p) => s + (p.kind === 'encode' ? trimPieceFrames(p) / t.fps : 0), 0);
    // Durations whose running sum lands on each piece's exact frame start (as the stitch's clipDurations does).
    let cum = 0;
    const entries = pieces.map((p, i) => {
      const startUs = Math.round((cum / t.fps) * 1e6);
      cum += trimPieceFrames(p);
      return { path: files[i], durationSec: (Math.round((cum / t.fps) * 1e6) - startUs) / 1e6 };
    });
    await fs.writeFile(list, concatList(entries));
    await runFfmpeg(trimJoinJob({ list, source: input.source, hasAudio: input.hasAudio, withSound: input.withSound, startFrame: cut.startFrame, frames, target: t, output: input.output }), { signal: input.signal });
    return { encodedSec, pieces };
  } finally {
    await Promise.all([list, ...files].map((f) => fs.rm(f, { force: true })));
  }
}
