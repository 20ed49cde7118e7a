// Measuring what a person sees and hears in a rendered file (real ffmpeg): the picture at a moment, how far
// two pictures are apart, and the level of the sound (all of it, or one tone of it) over a span.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/**
 * The frame on screen at `sec` (in a file of `fps` frames a second, 24 unless told), as RGB pixels, scaled to
 * `size` (`WxH`) after an optional crop (`crop=…`). ffmpeg's input seek keeps the first frame that starts at or
 * after the time asked, so it is asked for a quarter frame before the start of the frame shown at `sec`: asking
 * for `sec` itself would give the next frame (and nothing at all within the last frame of a file).
 */
export async function frameAt(file: string, sec: number, opts: { size?: string; crop?: string; fps?: number } = {}): Promise<Buffer> {
  const fps = opts.fps ?? 24;
  const seek = Math.max(0, (Math.floor(sec * fps + 1e-6) - 0.25) / fps);
  const [w, h] = (opts.size ?? '160x90').split('x');
  const vf = [...(opts.crop ? [opts.crop] : []), `scale=${w}:${h}`].join(',');
  const { stdout } = await exec('ffmpeg', ['-v', 'error', '-ss', seek.toFixed(6), '-i', file, '-frames:v', '1', '-vf', vf, '-pix_fmt', 'rgb24', '-f', 'rawvideo', '-'], {
    encoding: 'buffer',
    maxBuffer: 1 << 24,
  });
  if (!stdout.length) throw new Error(`${file} shows no frame at ${sec.toFixed(3)} s`);
  return stdout as unknown as Buffer;
}

/** Mean absolute difference per pixel and channel (0–255) of two pictures of the same size. */
export const meanDiff = (a: Buffer, b: Buffer) => {
  if (a.length !== b.length || a.length === 0) throw new Error(`pictures of different sizes: ${a.length} vs ${b.length} bytes`);
  return a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;
};

/** RMS level (dBFS, both channels together) of `dur` seconds from `from`, through an optional filter chain. */
export async function rmsLevel(file: string, from: number, dur: number, filter?: string): Promise<number> {
  const af = [...(filter ? [filter] : []), 'astats=measure_perchannel=none'].join(',');
  const { stderr } = await exec('ffmpeg', ['-hide_banner', '-nostats', '-ss', String(from), '-t', String(dur), '-i', file, '-vn', '-af', af, '-f', 'null', '-']);
  const m = /Overall[\s\S]*?RMS level dB:\s*(-?[\d.]+|-inf)/.exec(stderr);
  return m && m[1] !== '-inf' ? Number(m[1]) : -Infinity;
}

/** A narrow band-pass around one tone: what `rmsLevel` hears of that tone alone. */
export const toneOnly = (freq: number) => `bandpass=f=${freq}:width_type=q:w=8,bandpass=f=${freq}:width_type=q:w=8`;

/** RMS level (dBFS) of one tone in `dur` seconds from `from`. */
export const toneLevel = (file: string, freq: number, from: number, dur: number) => rmsLevel(file, from, dur, toneOnly(freq));

/** RMS levels (dBFS) of consecutive `stepMs` windows over `dur` seconds from `from`, through an optional filter chain. */
export async function levelsEvery(file: string, from: number, dur: number, stepMs: number, filter?: string): Promise<number[]> {
  const samples = Math.round((48000 * stepMs) / 1000);
  const af = [...(filter ? [filter] : []), 'aresample=48000', `asetnsamples=n=${samples}:p=0`, 'astats=metadata=1:reset=1', 'ametadata=print:key=lavfi.astats.Overall.RMS_level:file=-'].join(',');
  const { stdout } = await exec('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-ss', String(from), '-t', String(dur), '-i', file, '-vn', '-af', af, '-f', 'null', '-'], { maxBuffer: 16 << 20 });
  return [...stdout.matchAll(/RMS_level=(-?[\d.]+|-inf)/g)].map((m) => (m[1] === '-inf' ? -Infinity : Number(m[1])));
}
