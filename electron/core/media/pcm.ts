// Decoded sound for the mixer (mix.ts): a clip's or a lane's sound as interleaved stereo Float32 at the mix
// rate, decoded by ffmpeg once and kept in cache/pcm/ (named by the file's place, size and time, which is
// how every cache here knows a file) and in memory for the edits that follow. The preview re-mixes on every
// edit from these; nothing here decides anything about the mix.
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { FfmpegJob } from './ffmpeg-args';
import { runFfmpeg } from './ffmpeg';
import { fileIdentity } from '../util/file-identity';
import { MIX_CHANNELS, MIX_SAMPLE_RATE } from './mix';

/** Lanes are decoded in steps of this much, so moving a lane (which changes how much of it plays) decodes nothing. */
export const LANE_DECODE_STEP_SEC = 60;

/** ffmpeg decoding a file's first sound stream to raw interleaved stereo float at the mix rate. */
export function decodeJob(input: { source: string; output: string; durationSec?: number }): FfmpegJob {
  return {
    durationSec: input.durationSec,
    inputs: [{ source: input.source, options: [] }],
    outputOptions: [
      '-map', '0:a:0', '-vn', '-ac', String(MIX_CHANNELS), '-ar', String(MIX_SAMPLE_RATE),
      ...(input.durationSec ? ['-t', input.durationSec.toFixed(6)] : []),
      '-c:a', 'pcm_f32le', '-f', 'f32le',
    ],
    output: input.output,
  };
}

/** How much of a lane to decode so it covers `needSec`: the next whole step (never 0). */
export function laneDecodeSec(needSec: number): number {
  return Math.max(1, Math.ceil(needSec / LANE_DECODE_STEP_SEC)) * LANE_DECODE_STEP_SEC;
}

/** The bytes of a raw f32le file as samples (copied only when the buffer is not 4-byte aligned). */
export function asFloat32(buf: Buffer): Float32Array {
  const n = Math.floor(buf.byteLength / 4);
  if (buf.byteOffset % 4 === 0) return new Float32Array(buf.buffer, buf.byteOffset, n);
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + n * 4));
}

// ---- the cache (I/O) ----

/** Decoded sound kept in memory, least recently used first out past this many bytes. */
const MEMORY_BYTES = 768 << 20;
const memory = new Map<string, Float32Array>();
let memoryBytes = 0;
const pending = new Map<string, Promise<Float32Array>>();

function remember(key: string, pcm: Float32Array): void {
  memory.set(key, pcm);
  memoryBytes += pcm.byteLength;
  for (const [k, v] of memory) {
    if (memoryBytes <= MEMORY_BYTES || k === key) break;
    memory.delete(k);
    memoryBytes -= v.byteLength;
  }
}

/** Forgets the decoded sound held in memory (tests; the files in cache/pcm/ stay). */
export function forgetPcm(): void {
  memory.clear();
  memoryBytes = 0;
}

/**
 * A file's sound, decoded (its first `durationSec` only, when given). A file without sound gives an empty
 * array: the mixer plays silence for it.
 */
export async function decodedSound(opts: { dir: string; file: string; hasAudio: boolean; durationSec?: number; signal?: AbortSignal }): Promise<Float32Array> {
  if (!opts.hasAudio) return new Float32Array(0);
  const id = await fileIdentity(opts.dir, opts.file);
  const key = createHash('sha256').update(`pcm-v1\u0000${id}\u0000${opts.durationSec ?? 'all'}`).digest('hex').slice(0, 20);
  const known = memory.get(key);
  if (known) {
    memory.delete(key);
    memory.set(key, known);
    return known;
  }
  let p = pending.get(key);
  if (!p) {
    p = (async () => {
      const file = path.join(opts.dir, 'cache', 'pcm', `${key}.f32`);
      if (!existsSync(file)) {
        await fs.mkdir(path.dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        try {
          await runFfmpeg(decodeJob({ source: opts.file, output: tmp, durationSec: opts.durationSec }), { signal: opts.signal });
          await fs.rename(tmp, file);
        } finally {
          await fs.rm(tmp, { force: true });
        }
      }
      const pcm = asFloat32(await fs.readFile(file));
      remember(key, pcm);
      return pcm;
    })().finally(() => pending.delete(key));
    pending.set(key, p);
  }
  return p;
}
