// Pure ffmpeg argument builders. Nothing here runs a process: each function returns an FfmpegJob that
// media/ffmpeg.ts executes, and that tests compare against expected argument lists.
import type { AspectRatio } from '../../../shared/schema';
import { RESOLUTIONS } from '../../../shared/schema';

export interface FfmpegInput {
  /** A file path, or a lavfi graph when options include `-f lavfi`. */
  source: string;
  options: string[];
}

export interface FfmpegJob {
  inputs: FfmpegInput[];
  outputOptions: string[];
  output: string;
  /** Expected output length, for progress. */
  durationSec?: number;
  /** Working directory (text files for drawtext are referenced relative to it, avoiding path escaping). */
  cwd?: string;
}

/** The one format every clip in a cut shares, so the concat demuxer can copy streams. */
export interface StitchTarget {
  width: number;
  height: number;
  fps: number;
  sampleRate: number;
  channels: number;
}

export const FPS = 24;
export const SAMPLE_RATE = 48000;

export function targetFor(aspect: AspectRatio): StitchTarget {
  const { width, height } = RESOLUTIONS[aspect];
  return { width, height, fps: FPS, sampleRate: SAMPLE_RATE, channels: 2 };
}

/** Encoder settings shared by animatic clips, slates and normalized proxies: identical on purpose. */
export function targetEncodeOptions(t: StitchTarget, durationSec: number): string[] {
  return [
    '-c:v', 'libx264',
    '-preset', 'veryfast',
    '-crf', '20',
    '-profile:v', 'high',
    '-pix_fmt', 'yuv420p',
    '-r', String(t.fps),
    '-g', String(t.fps * 2),
    '-video_track_timescale', String(t.fps * 512),
    '-c:a', 'aac',
    '-b:a', '128k',
    '-ar', String(t.sampleRate),
    '-ac', String(t.channels),
    '-t', durationSec.toFixed(3),
    '-movflags', '+faststart',
    '-map_metadata', '-1',
  ];
}

/** The job's inputs and outputs, which follow the global options. */
function jobArgs(job: FfmpegJob): string[] {
  const args: string[] = [];
  for (const input of job.inputs) args.push(...input.options, '-i', input.source);
  args.push(...job.outputOptions, job.output);
  return args;
}

export function toArgs(job: FfmpegJob): string[] {
  return ['-hide_banner', '-y', ...jobArgs(job)];
}

/**
 * What runs: toArgs with ffmpeg's progress report on stdout (`-progress pipe:1`, read by ffmpeg-run.ts) instead of
 * the status line on stderr (`-nostats`), so stderr holds only what went wrong. The logged command line is this list.
 */
export function runArgs(job: FfmpegJob): string[] {
  return ['-hide_banner', '-y', '-nostats', '-progress', 'pipe:1', ...jobArgs(job)];
}

/** Quote one argument for a POSIX shell, so a logged command can be pasted into a terminal. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The exact command runFfmpeg starts, pasteable into a POSIX shell. */
export function commandLine(binary: string, job: FfmpegJob): string {
  return [binary, ...runArgs(job)].map(shellQuote).join(' ');
}

/** Greedy word wrap; long words are cut so no line exceeds `width` characters. */
export function wrapText(text: string, width: number, maxLines: number): string[] {
  const words = text.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (let word of words) {
    while (word.length > width) {
      if (line) {
        lines.push(line);
        line = '';
      }
      lines.push(word.slice(0, width));
      word = word.slice(width);
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = `${kept[maxLines - 1].slice(0, Math.max(0, width - 1))}…`;
    return kept;
  }
  return lines;
}

export interface CardText {
  /** File names relative to the job's cwd, holding the text drawn on the card. */
  labelFile: string;
  titleFile: string;
  bodyFile: string;
  footerFile: string;
}

export interface CardSpec {
  target: StitchTarget;
  durationSec: number;
  text: CardText;
  /** 'take' = an animatic clip; 'slate' = a placeholder for a shot with no take yet. */
  style: 'take' | 'slate';
  output: string;
  cwd: string;
}

/** Characters per line and maximum lines of the prompt on a card of this size. */
export function cardLayout(t: StitchTarget): { scale: number; bodyChars: number; bodyLines: number; titleChars: number } {
  const scale = Math.min(t.width, t.height) / 720;
  const bodySize = 30 * scale;
  const usableWidth = t.width * 0.84;
  const bodyChars = Math.max(16, Math.floor(usableWidth / (bodySize * 0.56)));
  const bodyLines = t.height > t.width ? 14 : t.width === t.height ? 9 : 7;
  return { scale, bodyChars, bodyLines, titleChars: Math.max(12, Math.floor(usableWidth / (54 * scale * 0.6))) };
}

/** Frames a card or slate of this length has: the shot's length at the target rate (at least one). */
export function cardFrames(t: StitchTarget, durationSec: number): number {
  return Math.max(1, Math.round(durationSec * t.fps));
}

/**
 * A title card: shot label, title and prompt on a dark ground, with a timing bar that fills across the
 * bottom over the shot's length. Silent stereo AAC. Output is in the stitch target format, exactly
 * cardFrames() frames long. The text is drawn once, on one frame, which is then held (drawing it again on
 * every frame was a third of a slate's render time); only the bar moves.
 */
export function titleCardJob(spec: CardSpec): FfmpegJob {
  const { target: t, durationSec: d, text, style } = spec;
  const { scale } = cardLayout(t);
  const px = (n: number) => Math.round(n * scale);
  const bg = style === 'take' ? '0x161a21' : '0x26221c';
  const accent = style === 'take' ? '0xE8A33D' : '0x8A8F98';
  const left = Math.round(t.width * 0.08);
  const font = 'font=Sans';
  const frames = cardFrames(t, d);
  const draw = (file: string, size: number, color: string, y: string, extra = '') =>
    `drawtext=${font}:textfile=${file}:fontsize=${px(size)}:fontcolor=${color}:x=${left}:y=${y}:line_spacing=${px(10)}:expansion=none${extra}`;
  const top = Math.round(t.height * 0.12);
  const filter =
    '[0:v]' +
    [
      draw(text.labelFile, 26, accent, String(top)),
      draw(text.titleFile, 54, 'white', String(top + px(48))),
      draw(text.bodyFile, 30, '0xC9CED6', String(top + px(140))),
      draw(text.footerFile, 22, '0x7D8590', `h-${px(60)}`),
      holdFrame(frames, t.fps),
    ].join(',') +
    `[card];[card][1:v]overlay=x='-w+W*t/${d}':y=H-${px(8)}:shortest=1[v]`;
  return {
    cwd: spec.cwd,
    durationSec: d,
    inputs: [
      { source: `color=c=${bg}:s=${t.width}x${t.height}:r=${t.fps}:d=${(1 / t.fps).toFixed(6)}`, options: ['-f', 'lavfi'] },
      { source: `color=c=${accent}:s=${t.width}x${px(8)}:r=${t.fps}:d=${d}`, options: ['-f', 'lavfi'] },
      { source: `anullsrc=r=${t.sampleRate}:cl=stereo`, options: ['-f', 'lavfi', '-t', String(d)] },
    ],
    outputOptions: ['-filter_complex', filter, '-map', '[v]', '-map', '2:a', '-frames:v', String(frames), ...targetEncodeOptions(t, d)],
    output: spec.output,
  };
}

/** Filter steps that hold the one frame they get for `frames` frames at `fps` (the decoded frame is repeated, not made again). */
export function holdFrame(frames: number, fps: number): string {
  return `loop=loop=${frames - 1}:size=1:start=0,setpts=N/(${fps}*TB),fps=${fps}`;
}

/** One file of a concat list, with the demuxer directives the stitch needs. */
export interface ConcatEntry {
  path: string;
  /**
   * The file's length on the cut's timeline. Without it the demuxer uses the longest stream, so a clip whose
   * audio runs on past its picture would push every later clip back.
   */
  durationSec?: number;
}

/** Concat demuxer list (ffconcat). Paths are absolute and single-quoted per the demuxer's rules. */
export function concatList(files: (string | ConcatEntry)[]): string {
  const quote = (p: string) => `'${p.replace(/'/g, `'\\''`)}'`;
  const lines = files.map((f) => {
    const e = typeof f === 'string' ? { path: f } : f;
    return [`file ${quote(e.path)}`, ...(e.durationSec !== undefined ? [`duration ${e.durationSec.toFixed(6)}`] : [])].join('\n');
  });
  return `ffconcat version 1.0\n${lines.join('\n')}\n`;
}

/** Stream-copy concatenation of clips that already share the stitch target format. */
export function concatCopyJob(listFile: string, output: string, durationSec?: number): FfmpegJob {
  return {
    durationSec,
    inputs: [{ source: listFile, options: ['-f', 'concat', '-safe', '0'] }],
    outputOptions: ['-map', '0:v:0', '-map', '0:a:0', '-c', 'copy', '-movflags', '+faststart'],
    output,
  };
}

/** An input seek written so the frame at exactly `sec` is kept (rounding up would drop it). */
export function seekArg(sec: number): string {
  return (Math.floor(sec * 1e6) / 1e6).toFixed(6);
}

/**
 * Re-encodes one clip into the stitch target: scaled to fit and padded (never stretched; odd sizes such as
 * 1276×720 are kept even, which H.264 4:2:0 needs), the target frame rate, and an audio track resampled to
 * the target — or silence when the clip has none. Audio that starts late or ends early is padded with
 * silence so it covers the whole picture.
 */
export function normalizeJob(input: {
  source: string;
  hasAudio: boolean;
  durationSec: number;
  target: StitchTarget;
  output: string;
  /** Cut a piece out of the source (a trim, or a shot of a multi-shot clip): input seek, frame-accurate on re-encode. */
  startSec?: number;
  /** Hold the piece's last frame this long after it (a take shorter than its shot). */
  holdSec?: number;
}): FfmpegJob {
  const t = input.target;
  const vf =
    `scale=${t.width}:${t.height}:force_original_aspect_ratio=decrease:force_divisible_by=2,` +
    `pad=${t.width}:${t.height}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,fps=${t.fps}` +
    (input.holdSec ? `,tpad=stop_mode=clone:stop_duration=${(input.holdSec + 1).toFixed(6)}` : '');
  const inputs: FfmpegInput[] = [{ source: input.source, options: input.startSec ? ['-ss', seekArg(input.startSec)] : [] }];
  if (!input.hasAudio) inputs.push({ source: `anullsrc=r=${t.sampleRate}:cl=stereo`, options: ['-f', 'lavfi', '-t', String(input.durationSec)] });
  return {
    durationSec: input.durationSec,
    inputs,
    outputOptions: [
      '-vf', vf,
      '-map', '0:v:0',
      '-map', input.hasAudio ? '0:a:0' : '1:a:0',
      ...(input.hasAudio ? ['-af', `aresample=${t.sampleRate}:async=1:first_pts=0,apad`] : []),
      ...targetEncodeOptions(t, input.durationSec),
    ],
    output: input.output,
  };
}

/** Samples in one AAC-LC frame: the unit in which a cut's audio can be joined without re-encoding. */
export const AAC_FRAME_SAMPLES = 1024;

/**
 * A clip's audio alone, converted to the target (rate, stereo, AAC) as raw ADTS frames, padded with silence
 * to `durationSec`. Used when the picture can be copied but the sound cannot (another rate or layout).
 */
export function normalizeAudioJob(input: { source: string; durationSec: number; target: StitchTarget; output: string }): FfmpegJob {
  const t = input.target;
  return {
    durationSec: input.durationSec,
    inputs: [{ source: input.source, options: [] }],
    outputOptions: [
      '-map', '0:a:0',
      '-af', `aresample=${t.sampleRate}:async=1:first_pts=0,apad`,
      '-c:a', 'aac', '-b:a', '128k', '-ar', String(t.sampleRate), '-ac', String(t.channels),
      '-t', input.durationSec.toFixed(6),
      '-f', 'adts',
    ],
    output: input.output,
  };
}

/** One second of encoded silence in the target format, as ADTS frames (the stitch pads with them). */
export function silenceJob(t: StitchTarget, output: string): FfmpegJob {
  return {
    inputs: [{ source: `anullsrc=r=${t.sampleRate}:cl=stereo`, options: ['-f', 'lavfi', '-t', '1'] }],
    outputOptions: ['-c:a', 'aac', '-b:a', '128k', '-ar', String(t.sampleRate), '-ac', String(t.channels), '-f', 'adts'],
    output,
  };
}

/**
 * Copies the audio of several clips out into ADTS files, one ffmpeg for all of them (starting ffmpeg costs
 * more than copying a few seconds of audio). Every AAC frame is kept, the encoder's priming frame included.
 */
export function extractAudioJob(items: { source: string; output: string }[]): FfmpegJob {
  if (items.length === 0) throw new Error('extractAudioJob needs at least one clip');
  const perOutput = (i: number) => ['-map', `${i}:a:0`, '-c:a', 'copy', '-f', 'adts'];
  const outputOptions: string[] = [];
  items.forEach((item, i) => {
    outputOptions.push(...perOutput(i));
    // Every output but the last is written inline; the last is the job's own output.
    if (i < items.length - 1) outputOptions.push(item.output);
  });
  return { inputs: items.map((i) => ({ source: i.source, options: [] })), outputOptions, output: items[items.length - 1].output };
}

/** A tiny encode whose decoder configuration (SPS/PPS) is what every slate, animatic clip and proxy carries. */
export function referenceEncodeJob(t: StitchTarget, output: string): FfmpegJob {
  const d = 2 / t.fps;
  return {
    inputs: [
      { source: `color=c=black:s=${t.width}x${t.height}:r=${t.fps}:d=${d}`, options: ['-f', 'lavfi'] },
      { source: `anullsrc=r=${t.sampleRate}:cl=stereo`, options: ['-f', 'lavfi', '-t', String(d)] },
    ],
    outputOptions: ['-map', '0:v', '-map', '1:a', ...targetEncodeOptions(t, d)],
    output,
  };
}

/**
 * Joins a cut without re-encoding: the picture of every clip through the concat demuxer (each file given its
 * exact length), and one ADTS audio track assembled frame by frame beforehand (see audio-plan.ts).
 *
 * `-copyts` keeps the demuxer's timestamps: otherwise ffmpeg shifts the whole input by the earliest start
 * of *any* stream in it — the AAC priming frame at −1024 samples — and the picture would start 21 ms late.
 * The audio input is moved back by one AAC frame, so the first clip's priming frame falls before zero and the
 * MP4 muxer writes the standard edit list that skips it; each later clip's priming frame then sits in the
 * last frame of the clip before it, and its sound starts on its first picture.
 */
/**
 * The cut with mixed sound (music, voice-over or crossfades; film-sound.ts): the picture copied as in
 * stitchMuxJob, the mix (raw f32le, exactly the film's length) encoded losslessly as FLAC, which every
 * Chromium plays in MP4 and which encodes in a fraction of AAC's time. (ffmpeg before 6 calls FLAC in MP4
 * experimental, hence -strict.) The export's loudness target is not applied here.
 */
export function stitchMixedMuxJob(input: { videoList: string; sound: FfmpegInput; output: string; durationSec: number; /** The sound is already FLAC (mixedSoundJob): copied, not encoded. */ soundIsFlac?: boolean }): FfmpegJob {
  const audio = input.soundIsFlac ? ['-c:a', 'copy'] : ['-c:a', 'flac', '-compression_level', '0', '-sample_fmt', 's16'];
  return {
    durationSec: input.durationSec,
    inputs: [{ source: input.videoList, options: ['-copyts', '-f', 'concat', '-safe', '0'] }, input.sound],
    outputOptions: ['-map', '0:v:0', '-map', '1:a:0', '-c:v', 'copy', ...audio, '-strict', '-2', '-movflags', '+faststart'],
    output: input.output,
  };
}

/** The cut's mixed sound encoded losslessly on its own (FLAC, 16-bit, fastest level), to be copied into the preview. */
export function mixedSoundJob(input: { sound: FfmpegInput; output: string; durationSec: number }): FfmpegJob {
  return {
    durationSec: input.durationSec,
    inputs: [input.sound],
    outputOptions: ['-map', '0:a:0', '-c:a', 'flac', '-compression_level', '0', '-sample_fmt', 's16', '-f', 'flac'],
    output: input.output,
  };
}

export function stitchMuxJob(input: { videoList: string; audio: string; output: string; durationSec: number; target: StitchTarget }): FfmpegJob {
  const primingSec = AAC_FRAME_SAMPLES / input.target.sampleRate;
  return {
    durationSec: input.durationSec,
    inputs: [
      { source: input.videoList, options: ['-copyts', '-f', 'concat', '-safe', '0'] },
      { source: input.audio, options: ['-itsoffset', (-primingSec).toFixed(9), '-f', 'aac'] },
    ],
    outputOptions: ['-map', '0:v:0', '-map', '1:a:0', '-c', 'copy', '-movflags', '+faststart'],
    output: input.output,
  };
}
