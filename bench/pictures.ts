// Pictures bench: poster frames and filmstrips for 100 takes through the background queue, cold and then
// from the cache, as ratios against baselines measured in the same run on the same clip — one ffprobe
// (the least any picture costs: opening the file) and one plain single-thread decode of the whole clip
// (what a filmstrip, which looks at every part of the clip, cannot beat by much).
// `npm run bench -- stitch` calls runPicturesBench(); `run` lets bench/run.ts run it on its own.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import type { Take } from '../shared/schema';
import { ffmpegInfo } from '../electron/core/media/ffmpeg';
import { PictureCache, PictureQueue } from '../electron/core/media/pictures';
import type { BenchResult } from './run';

const exec = promisify(execFile);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export async function runPicturesBench(opts: { takes?: number } = {}): Promise<{ summary: string[]; metrics: Record<string, number> }> {
  const count = opts.takes ?? 100;
  const { ffmpegPath, ffprobePath } = await ffmpegInfo();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sr-bench-pictures-'));
  try {
    // One 5 s take in the stitch format (what the animatic and normalized clips look like), shared by every
    // take: each take gets its own content key, so every picture is made, and the ffmpeg work is identical.
    const rel = 'media/takes/bench/take.mp4';
    const clip = path.join(dir, rel);
    await fs.mkdir(path.dirname(clip), { recursive: true });
    await exec(ffmpegPath, [
      '-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=1280x720:r=24:d=5', '-f', 'lavfi', '-i', 'sine=f=440:d=5',
      '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-g', '48', '-c:a', 'aac', '-shortest', clip,
    ]);
    const takes: Take[] = Array.from({ length: count }, (_, i) => ({
      id: `take_${i}`, jobId: 'bench', provider: 'animatic', tier: 'standard', request: { hash: 'bench', params: {} }, status: 'ready',
      media: { path: rel, sha256: createHash('sha256').update(`bench-take-${i}`).digest('hex'), durationSec: 5, width: 1280, height: 720, fps: 24, hasAudio: true },
      estimatedUsd: 0, review: { rating: 0, flag: 'none', notes: [] }, createdAt: new Date(0).toISOString(),
    }));

    const probeRuns: number[] = [];
    for (let i = 0; i < 5; i++) probeRuns.push(await timed(() => exec(ffprobePath, ['-v', 'error', '-show_format', '-show_streams', clip])));
    const probeMs = median(probeRuns);
    const decodeRuns: number[] = [];
    for (let i = 0; i < 3; i++) decodeRuns.push(await timed(() => exec(ffmpegPath, ['-v', 'error', '-threads', '1', '-i', clip, '-map', '0:v:0', '-f', 'null', '-'])));
    const decodeMs = median(decodeRuns);

    // A queue of its own, so the bench measures exactly its own work.
    const cache = new PictureCache(dir, new PictureQueue());
    const postersMs = await timed(() => Promise.all(takes.map((t) => cache.poster(t))));
    const stripsMs = await timed(() => Promise.all(takes.map((t) => cache.filmstrip(t))));
    const warmMs = await timed(() => Promise.all(takes.flatMap((t) => [cache.poster(t), cache.filmstrip(t)])));

    const metrics = {
      takes: count,
      ffprobeMs: probeMs,
      decodeMs,
      posterMsPerTake: postersMs / count,
      filmstripMsPerTake: stripsMs / count,
      cachedMsPerTake: warmMs / count,
      posterVsFfprobe: postersMs / count / probeMs,
      filmstripVsDecode: stripsMs / count / decodeMs,
      cachedVsFfprobe: warmMs / count / probeMs,
    };
    const f = (n: number) => n.toFixed(n < 10 ? 2 : 0);
    return {
      summary: [
        `baselines (same clip, this run): ffprobe ${f(probeMs)} ms, single-thread decode of 5 s at 720p ${f(decodeMs)} ms`,
        `posters, ${count} takes, cold: ${f(postersMs / count)} ms/take = ${metrics.posterVsFfprobe.toFixed(2)}× an ffprobe`,
        `filmstrips (10 frames), ${count} takes, cold: ${f(stripsMs / count)} ms/take = ${metrics.filmstripVsDecode.toFixed(2)}× a plain decode`,
        `both again from the cache: ${f(warmMs / count)} ms/take = ${metrics.cachedVsFfprobe.toFixed(3)}× an ffprobe`,
      ],
      metrics,
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchResult> {
  return { name: 'pictures', ...(await runPicturesBench()) };
}
