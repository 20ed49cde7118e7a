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

export function toArgs(job: FfmpegJob): string[] {
  const args = ['-hide_banner', '-y'];
  for (const input of job.inputs) args.push(...input.options, '-i', input.source);
  args.push(...job.outputOptions, job.output);
  return args;
}

/** Quote one argument for a POSIX shell, so a logged command can be pasted into a terminal. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(binary: string, job: FfmpegJob): string {
  return [binary, ...toArgs(job)].map(shellQuote).join(' ');
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

/**
 * A title card: shot label, title and prompt on a dark ground, with a timing bar that fills across the
 * bottom over the shot's length. Silent stereo AAC. Output is in the stitch target format.
 */
export function titleCardJob(spec: CardSpec): FfmpegJob {
  const { target: t, durationSec: d, text, style } = spec;
  const { scale } = cardLayout(t);
  const px = (n: number) => Math.round(n * scale);
  const bg = style === 'take' ? '0x161a21' : '0x26221c';
  const accent = style === 'take' ? '0xE8A33D' : '0x8A8F98';
  const left = Math.round(t.width * 0.08);
  const font = 'font=Sans';
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
    ].join(',') +
    `[card];[card][1:v]overlay=x='-w+W*t/${d}':y=H-${px(8)}:shortest=1[v]`;
  return {
    cwd: spec.cwd,
    durationSec: d,
    inputs: [
      { source: `color=c=${bg}:s=${t.width}x${t.height}:r=${t.fps}:d=${d}`, options: ['-f', 'lavfi'] },
      { source: `color=c=${accent}:s=${t.width}x${px(8)}:r=${t.fps}:d=${d}`, options: ['-f', 'lavfi'] },
      { source: `anullsrc=r=${t.sampleRate}:cl=stereo`, options: ['-f', 'lavfi', '-t', String(d)] },
    ],
    outputOptions: ['-filter_complex', filter, '-map', '[v]', '-map', '2:a', ...targetEncodeOptions(t, d)],
    output: spec.output,
  };
}

/** Concat demuxer list (ffconcat). Paths are absolute and single-quoted per the demuxer's rules. */
export function concatList(files: string[]): string {
  const quote = (p: string) => `'${p.replace(/'/g, `'\\''`)}'`;
  return `ffconcat version 1.0\n${files.map((f) => `file ${quote(f)}`).join('\n')}\n`;
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

/**
 * Re-encodes one clip into the stitch target: scaled to fit and padded (never stretched), the target
 * frame rate, and an audio track resampled to the target — or silence when the clip has none.
 */
export function normalizeJob(input: {
  source: string;
  hasAudio: boolean;
  durationSec: number;
  target: StitchTarget;
  output: string;
  /** Cut a piece out of the source (a shot of a multi-shot clip): input seek, frame-accurate on re-encode. */
  startSec?: number;
}): FfmpegJob {
  const t = input.target;
  const vf =
    `scale=${t.width}:${t.height}:force_original_aspect_ratio=decrease,` +
    `pad=${t.width}:${t.height}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,fps=${t.fps}`;
  const inputs: FfmpegInput[] = [{ source: input.source, options: input.startSec ? ['-ss', input.startSec.toFixed(3)] : [] }];
  if (!input.hasAudio) inputs.push({ source: `anullsrc=r=${t.sampleRate}:cl=stereo`, options: ['-f', 'lavfi', '-t', String(input.durationSec)] });
  return {
    durationSec: input.durationSec,
    inputs,
    outputOptions: [
      '-vf', vf,
      '-map', '0:v:0',
      '-map', input.hasAudio ? '0:a:0' : '1:a:0',
      ...(input.hasAudio ? ['-af', `aresample=${t.sampleRate}:async=1`] : []),
      ...targetEncodeOptions(t, input.durationSec),
    ],
    output: input.output,
  };
}
