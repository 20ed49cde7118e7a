// Pure ffmpeg argument builders for the animatic provider (docs/architecture.md §7): a reference image brought to life
// with a slow camera move (Ken Burns), an optional crossfade to the end frame, and dialogue spoken with
// flite. Nothing here runs a process; media/ffmpeg.ts runs the jobs and tests compare the arguments.
// Every clip leaves in the stitch target format (targetEncodeOptions), so the preview copy-concatenates.
import { targetEncodeOptions, type FfmpegInput, type FfmpegJob, type StitchTarget } from './ffmpeg-args';

export const CAMERA_MOVES = ['push-in', 'pull-out', 'pan-left', 'pan-right', 'tilt-up', 'tilt-down'] as const;
export type CameraMove = (typeof CAMERA_MOVES)[number];

/**
 * Words a storyboard uses for each move. "Pull back", "aerial pull-back", "dolly out" and "zoom out" all
 * mean the frame widens; "track in", "dolly in", "zoom in", "push in" that it tightens. A pan moves the
 * view sideways, a tilt up or down (a crane/pedestal is close enough for an animatic).
 */
const MOVE_WORDS: { move: CameraMove; pattern: RegExp }[] = [
  { move: 'push-in', pattern: /\b(push(?:es|ing)?|dolly(?:ing)?|track(?:s|ing)?|zoom(?:s|ing)?)[\s-]+in(?:to|wards?)?\b/i },
  { move: 'pull-out', pattern: /\b(pull(?:s|ing)?|dolly(?:ing)?|track(?:s|ing)?|zoom(?:s|ing)?|draw(?:s|ing)?)[\s-]+(back|out|away)\b|\bpull-?back\b|\bpull-?out\b/i },
  { move: 'pan-left', pattern: /\bpan(?:s|ning|ned)?[\s-]+(?:to[\s-]+the[\s-]+)?left\b|\bleft[\s-]+pan\b/i },
  { move: 'pan-right', pattern: /\bpan(?:s|ning|ned)?[\s-]+(?:to[\s-]+the[\s-]+)?right\b|\bright[\s-]+pan\b/i },
  { move: 'tilt-up', pattern: /\b(tilt(?:s|ing|ed)?|crane(?:s|ing)?|pedestal(?:s|ing)?|boom(?:s|ing)?)[\s-]+up(?:wards?)?\b/i },
  { move: 'tilt-down', pattern: /\b(tilt(?:s|ing|ed)?|crane(?:s|ing)?|pedestal(?:s|ing)?|boom(?:s|ing)?)[\s-]+down(?:wards?)?\b/i },
];

/** The camera move a prompt asks for: the first one it mentions, else a gentle push in. */
export function cameraMoveFor(prompt: string): CameraMove {
  let best: { move: CameraMove; at: number } | undefined;
  for (const { move, pattern } of MOVE_WORDS) {
    const m = pattern.exec(prompt);
    if (m && (!best || m.index < best.at)) best = { move, at: m.index };
  }
  return best?.move ?? 'push-in';
}

/** How far the moves go: 15 % zoom for push/pull, and pans/tilts travel across a 20 %-enlarged frame. */
export const PUSH_ZOOM = 0.15;
export const PAN_ZOOM = 0.2;

/**
 * zoompan expressions for one move. `on` is zoompan's output frame number; `firstFrame` shifts it so a
 * second picture (the end frame) continues the same move where the first one is at that moment.
 * The progress is eased (smoothstep), so the camera starts and settles gently.
 */
export function cameraMoveExpressions(input: { move: CameraMove; totalFrames: number; firstFrame?: number }): { z: string; x: string; y: string } {
  const last = Math.max(1, input.totalFrames - 1);
  const p = `min(1,(on+${input.firstFrame ?? 0})/${last})`;
  const e = `(${p}*${p}*(3-2*${p}))`;
  const cx = '(iw-iw/zoom)/2';
  const cy = '(ih-ih/zoom)/2';
  switch (input.move) {
    case 'push-in':
      return { z: `1+${PUSH_ZOOM}*${e}`, x: cx, y: cy };
    case 'pull-out':
      return { z: `1+${PUSH_ZOOM}*(1-${e})`, x: cx, y: cy };
    case 'pan-left':
      return { z: String(1 + PAN_ZOOM), x: `(iw-iw/zoom)*(1-${e})`, y: cy };
    case 'pan-right':
      return { z: String(1 + PAN_ZOOM), x: `(iw-iw/zoom)*${e}`, y: cy };
    case 'tilt-up':
      return { z: String(1 + PAN_ZOOM), x: cx, y: `(ih-ih/zoom)*(1-${e})` };
    case 'tilt-down':
      return { z: String(1 + PAN_ZOOM), x: cx, y: `(ih-ih/zoom)*${e}` };
  }
}

/**
 * zoompan crops whole pixels of its input, which makes a slow move judder. Working on a picture three
 * times the output size keeps every step under half an output pixel.
 * (https://trac.ffmpeg.org/wiki/Create%20a%20video%20slideshow%20from%20images — "zoompan jitter")
 */
export const SUPERSAMPLE = 3;

/** One still picture → `frames` frames of camera move in the target size, as a filter chain. */
export function stillMotionChain(input: {
  inLabel: string;
  outLabel: string;
  target: StitchTarget;
  move: CameraMove;
  totalFrames: number;
  firstFrame?: number;
  frames: number;
}): string {
  const t = input.target;
  const bigW = t.width * SUPERSAMPLE;
  const bigH = t.height * SUPERSAMPLE;
  const { z, x, y } = cameraMoveExpressions(input);
  return (
    `[${input.inLabel}]` +
    // Fill the frame (crop the excess, never letterbox or stretch): a reference image of another shape
    // still fills a 16:9 or 9:16 shot the way the video model would frame it.
    `scale=${bigW}:${bigH}:force_original_aspect_ratio=increase:flags=lanczos,crop=${bigW}:${bigH},setsar=1,format=yuv444p,` +
    `zoompan=z='${z}':x='${x}':y='${y}':d=${input.frames}:s=${t.width}x${t.height}:fps=${t.fps},` +
    `format=yuv420p,setsar=1[${input.outLabel}]`
  );
}

/** When the end frame fades in: across the middle of the shot, a third of it long (0.5–2 s). */
export function crossfadeTiming(durationSec: number): { offsetSec: number; durationSec: number } {
  const d = Math.min(2, Math.max(0.5, durationSec / 3));
  return { offsetSec: Math.max(0, (durationSec - d) / 2), durationSec: d };
}

/** flite voices, each with the gain that brings it to about −18 LUFS (measured on a test sentence). */
export const FLITE_VOICES = [
  { id: 'rms', gainDb: 3 },
  { id: 'slt', gainDb: -3 },
  { id: 'awb', gainDb: 2 },
  { id: 'kal', gainDb: 2.5 },
] as const;

/** One voice per speaker, in order of first appearance, so a two-hander sounds like two people. */
export function voicesFor(lines: { speaker: string }[]): string[] {
  const order: string[] = [];
  return lines.map((l) => {
    const who = l.speaker.trim().toLowerCase();
    if (!order.includes(who)) order.push(who);
    return FLITE_VOICES[order.indexOf(who) % FLITE_VOICES.length].id;
  });
}

export interface SpokenLine {
  /** A text file relative to the job's cwd (flite reads it; no filter escaping of the words needed). */
  textFile: string;
  voice: string;
}

/** Silence before the first line and between lines. */
export const LEAD_IN_SEC = 0.4;
export const LINE_GAP_SEC = 0.35;

/**
 * The audio inputs and filter graph of a shot's track: the lines one after another, resampled to the
 * target's stereo layout, padded with silence and cut to the shot's exact length; or plain silence.
 */
export function dialogueTrack(input: { lines: SpokenLine[]; target: StitchTarget; durationSec: number; firstInput: number; outLabel: string }): {
  inputs: FfmpegInput[];
  filter?: string;
} {
  const t = input.target;
  const d = input.durationSec;
  if (!input.lines.length) {
    return { inputs: [{ source: `anullsrc=r=${t.sampleRate}:cl=stereo`, options: ['-f', 'lavfi', '-t', String(d)] }] };
  }
  const layout = `aresample=${t.sampleRate},aformat=sample_fmts=fltp:channel_layouts=stereo`;
  const silence = (sec: number, label: string) => `anullsrc=r=${t.sampleRate}:cl=stereo,atrim=duration=${sec}[${label}]`;
  const parts: string[] = [silence(LEAD_IN_SEC, 'lead')];
  const order: string[] = ['[lead]'];
  input.lines.forEach((line, i) => {
    const gain = FLITE_VOICES.find((v) => v.id === line.voice)?.gainDb ?? 0;
    parts.push(`[${input.firstInput + i}:a]${layout},volume=${gain}dB[l${i}]`);
    order.push(`[l${i}]`);
    if (i < input.lines.length - 1) {
      parts.push(silence(LINE_GAP_SEC, `g${i}`));
      order.push(`[g${i}]`);
    }
  });
  // A line that runs past the end of the shot is cut there, with a short fade so it does not click.
  const fade = Math.min(0.1, d / 10);
  parts.push(
    `${order.join('')}concat=n=${order.length}:v=0:a=1,apad,atrim=duration=${d},afade=t=out:st=${(d - fade).toFixed(3)}:d=${fade}[${input.outLabel}]`,
  );
  return {
    inputs: input.lines.map((l) => ({ source: `flite=textfile=${l.textFile}:voice=${l.voice}`, options: ['-f', 'lavfi'] })),
    filter: parts.join(';'),
  };
}

export interface StillShotSpec {
  target: StitchTarget;
  durationSec: number;
  move: CameraMove;
  /** Absolute image paths. */
  startImage: string;
  endImage?: string;
  lines: SpokenLine[];
  output: string;
  cwd: string;
}

/** Still images are read literally: a '%' in a file name is not a sequence pattern. */
const IMAGE_INPUT = ['-f', 'image2', '-pattern_type', 'none'];

/** A shot from its reference image: the camera move, the crossfade to the end frame, the spoken lines. */
export function stillShotJob(spec: StillShotSpec): FfmpegJob {
  const t = spec.target;
  const d = spec.durationSec;
  const frames = Math.round(d * t.fps);
  const inputs: FfmpegInput[] = [{ source: spec.startImage, options: IMAGE_INPUT }];
  const graph: string[] = [];
  if (spec.endImage) {
    inputs.push({ source: spec.endImage, options: IMAGE_INPUT });
    const fade = crossfadeTiming(d);
    const offsetFrames = Math.round(fade.offsetSec * t.fps);
    graph.push(stillMotionChain({ inLabel: '0:v', outLabel: 'first', target: t, move: spec.move, totalFrames: frames, frames }));
    // The end frame joins the move already under way, so the camera does not restart at the dissolve.
    graph.push(
      stillMotionChain({ inLabel: '1:v', outLabel: 'last', target: t, move: spec.move, totalFrames: frames, firstFrame: offsetFrames, frames: frames - offsetFrames }),
    );
    graph.push(`[first][last]xfade=transition=fade:duration=${fade.durationSec.toFixed(3)}:offset=${(offsetFrames / t.fps).toFixed(3)}[v]`);
  } else {
    graph.push(stillMotionChain({ inLabel: '0:v', outLabel: 'v', target: t, move: spec.move, totalFrames: frames, frames }));
  }
  const audio = dialogueTrack({ lines: spec.lines, target: t, durationSec: d, firstInput: inputs.length, outLabel: 'a' });
  const audioMap = audio.filter ? '[a]' : `${inputs.length}:a`;
  inputs.push(...audio.inputs);
  if (audio.filter) graph.push(audio.filter);
  return {
    cwd: spec.cwd,
    durationSec: d,
    inputs,
    outputOptions: ['-filter_complex', graph.join(';'), '-map', '[v]', '-map', audioMap, ...targetEncodeOptions(t, d)],
    output: spec.output,
  };
}

/** Options of targetEncodeOptions that shape the video encode; dropped when the video is copied. */
const VIDEO_ENCODE_FLAGS = new Set(['-c:v', '-preset', '-crf', '-profile:v', '-pix_fmt', '-r', '-g']);

/** The stitch target's audio and container options with the video stream copied as it is. */
export function copyVideoEncodeOptions(t: StitchTarget, durationSec: number): string[] {
  const all = targetEncodeOptions(t, durationSec);
  const kept: string[] = ['-c:v', 'copy'];
  for (let i = 0; i < all.length; i += 2) if (!VIDEO_ENCODE_FLAGS.has(all[i])) kept.push(all[i], all[i + 1]);
  return kept;
}

/** A rendered title card (silent) with the shot's dialogue laid under it; the picture is copied, not re-encoded. */
export function dialogueMuxJob(input: { video: string; lines: SpokenLine[]; target: StitchTarget; durationSec: number; output: string; cwd: string }): FfmpegJob {
  const audio = dialogueTrack({ lines: input.lines, target: input.target, durationSec: input.durationSec, firstInput: 1, outLabel: 'a' });
  return {
    cwd: input.cwd,
    durationSec: input.durationSec,
    inputs: [{ source: input.video, options: [] }, ...audio.inputs],
    outputOptions: [
      ...(audio.filter ? ['-filter_complex', audio.filter, '-map', '0:v:0', '-map', '[a]'] : ['-map', '0:v:0', '-map', '1:a']),
      ...copyVideoEncodeOptions(input.target, input.durationSec),
    ],
    output: input.output,
  };
}
