// Measuring what a person sees and hears in a rendered file (real ffmpeg): the picture at a moment, how far
// two pictures are apart, and the level of the sound (all of it, or one tone of it) over a span.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** The frame shown at `sec`, as RGB pixels, scaled to `size` (`WxH`) after an optional crop (`crop=…`). */
export async function frameAt(file: string, sec: number, opts: { size?: string; crop?: string } = {}): Promise<Buffer> {
  const [w, h] = (opts.size ?? '160x90').split('x');
  const vf = [...(opts.crop ? [opts.crop] : []), `scale=${w}:${h}`].join(',');
  const { stdout } = await exec('ffmpeg', ['-v', 'error', '-ss', sec.toFixed(4), '-i', file, '-frames:v', '1', '-vf', vf, '-pix_fmt', 'rgb24', '-f', 'rawvideo', '-'], {
    encoding: 'buffer',
    maxBuffer: 1 << 24,
  });
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
