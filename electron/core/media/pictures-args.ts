// Pure ffmpeg argument builders for the pictures the timeline and take list show (docs/architecture.md §7): a poster
// frame per take, a filmstrip sprite per take, a waveform per audio file. Each job decodes on one thread:
// these run in the background and must leave the other core to the person editing.
import type { FfmpegJob } from './ffmpeg-args';

/** Poster frames fit in this box (16:9 → 320×180, 9:16 → 180×320). */
export const POSTER_BOX = 320;
export const FILMSTRIP_FRAMES = 10;
export const FILMSTRIP_HEIGHT = 72;
export const WAVEFORM_HEIGHT = 96;
/** Waveform width: this many pixels per second of audio, within these bounds. */
export const WAVEFORM_PX_PER_SEC = 25;
export const WAVEFORM_MIN_WIDTH = 400;
export const WAVEFORM_MAX_WIDTH = 8000;

const ONE_THREAD = ['-threads', '1'];

/** The poster's moment: 1 s in, or the middle of a clip shorter than 2 s (the first frame is often black). */
export function posterTime(durationSec: number): number {
  return durationSec >= 2 ? 1 : Math.max(0, durationSec / 2);
}

export function posterJob(input: { source: string; durationSec: number; output: string }): FfmpegJob {
  return {
    inputs: [{ source: input.source, options: [...ONE_THREAD, '-ss', posterTime(input.durationSec).toFixed(3)] }],
    outputOptions: [
      '-map', '0:v:0', '-frames:v', '1',
      '-vf', `scale=${POSTER_BOX}:${POSTER_BOX}:force_original_aspect_ratio=decrease:flags=bicubic`,
      '-q:v', '3', '-threads', '1', '-map_metadata', '-1',
    ],
    output: input.output,
  };
}

/** Frame size in the sprite for a clip of this shape (even width, fixed height). */
export function filmstripFrameSize(width: number, height: number): { frameWidth: number; frameHeight: number } {
  const w = Math.max(2, Math.round((FILMSTRIP_HEIGHT * width) / Math.max(1, height) / 2) * 2);
  return { frameWidth: w, frameHeight: FILMSTRIP_HEIGHT };
}

/**
 * `frames` evenly spaced frames side by side in one image: frame i shows the clip at i × duration/frames.
 * The fps filter picks them in a single decode pass; tile lays them out.
 */
export function filmstripJob(input: { source: string; durationSec: number; width: number; height: number; frames?: number; output: string }): FfmpegJob {
  const n = input.frames ?? FILMSTRIP_FRAMES;
  const { frameWidth, frameHeight } = filmstripFrameSize(input.width, input.height);
  const rate = `${n}/${Math.max(0.1, input.durationSec).toFixed(3)}`;
  return {
    durationSec: input.durationSec,
    // Frames shrunk to 72 px high do not need the deblocking filter: skipping it saves about a tenth of the decode.
    inputs: [{ source: input.source, options: [...ONE_THREAD, '-skip_loop_filter', 'all'] }],
    outputOptions: [
      '-map', '0:v:0',
      '-vf', `fps=fps=${rate},scale=${frameWidth}:${frameHeight}:flags=bilinear,setsar=1,tile=${n}x1`,
      '-frames:v', '1', '-q:v', '4', '-threads', '1', '-map_metadata', '-1',
    ],
    output: input.output,
  };
}

export function waveformWidth(durationSec: number): number {
  return Math.min(WAVEFORM_MAX_WIDTH, Math.max(WAVEFORM_MIN_WIDTH, Math.round(durationSec * WAVEFORM_PX_PER_SEC)));
}

/** The whole file's waveform as one PNG, mono, on a transparent ground, in the app's accent colour. */
export function waveformJob(input: { source: string; durationSec: number; output: string }): FfmpegJob {
  const w = waveformWidth(input.durationSec);
  return {
    durationSec: input.durationSec,
    inputs: [{ source: input.source, options: ONE_THREAD }],
    outputOptions: [
      '-filter_complex', `[0:a:0]aformat=channel_layouts=mono,showwavespic=s=${w}x${WAVEFORM_HEIGHT}:colors=0xE8A33D:scale=sqrt:draw=full[w]`,
      '-map', '[w]', '-frames:v', '1', '-threads', '1', '-map_metadata', '-1',
    ],
    output: input.output,
  };
}
