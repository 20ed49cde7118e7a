// `npm run bench -- stitch`: how much faster the stitch is than re-encoding the same cut, measured in the same
// run on this machine (ratios, not absolute times). 20 clips of 6 s at 1280×720:
//   - the copy path's first stitch (nothing cached: probe every clip, copy its audio out, join) and a
//     re-stitch after a reorder, against a full re-encode of the same cut with the proxies' own settings;
//   - a first stitch where five clips are odd (other rate, other size, no sound, 44.1 kHz) and need proxies;
//   - posters and filmstrips for 100 takes (bench/pictures.ts, from the pictures work), when present.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { concatList, targetEncodeOptions, targetFor, type FfmpegJob } from '../electron/core/media/ffmpeg-args';
import { ffmpegInfo, probe, runFfmpeg } from '../electron/core/media/ffmpeg';
import { clearProbeCache } from '../electron/core/media/probe-cache';
import { stitchProject, type StitchReport } from '../electron/core/media/stitch';
import { createProjectFolder, newProject, newShot } from '../electron/core/project/project-folder';
import type { Project, Take } from '../shared/schema';
import type { BenchResult } from './run';

const exec = promisify(execFile);
const CLIPS = 20;
const SECONDS = 6;
const target = targetFor('16:9');

interface Odd {
  label: string;
  fps: number;
  width: number;
  height: number;
  audio: 'none' | number;
}
/** The five odd clips of the mixed cut. */
const ODD: Odd[] = [
  { label: '25 fps', fps: 25, width: 1280, height: 720, audio: 48000 },
  { label: '30 fps', fps: 30, width: 1280, height: 720, audio: 48000 },
  { label: '1276×720', fps: 24, width: 1276, height: 720, audio: 48000 },
  { label: 'no sound', fps: 24, width: 1280, height: 720, audio: 'none' },
  { label: '44.1 kHz', fps: 24, width: 1280, height: 720, audio: 44100 },
];

/** A 6 s clip with moving pictures and a tone of its own; `odd` changes its format. */
async function makeClip(file: string, i: number, odd?: Odd): Promise<void> {
  const fps = odd?.fps ?? target.fps;
  const size = `${odd?.width ?? target.width}x${odd?.height ?? target.height}`;
  const rate = odd ? odd.audio : target.sampleRate;
  const inputs = ['-f', 'lavfi', '-i', `testsrc2=s=${size}:r=${fps}:d=${SECONDS}`];
  if (rate !== 'none') inputs.push('-f', 'lavfi', '-i', `sine=f=${220 + i * 30}:r=${rate}:d=${SECONDS}`);
  const opts = targetEncodeOptions(target, SECONDS);
  // Odd clips keep their own rate and size: drop what would conform them.
  if (odd) {
    opts.splice(opts.indexOf('-r'), 2);
    opts.splice(opts.indexOf('-video_track_timescale'), 2);
    if (rate !== 'none') opts[opts.indexOf('-ar') + 1] = String(rate);
  }
  await exec('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...inputs, ...opts, file]);
}

async function addTakes(dir: string, project: Project, odd: Map<number, Odd>, clipDir: string): Promise<void> {
  for (const [i, shot] of project.shots.entries()) {
    const name = odd.has(i) ? `odd-${i}.mp4` : `clip-${i}.mp4`;
    const src = path.join(clipDir, name);
    if (!existsSync(src)) {
      await makeClip(`${src}.tmp.mp4`, i, odd.get(i));
      await fs.rename(`${src}.tmp.mp4`, src);
    }
    const rel = `media/takes/${shot.id}/take_${i}.mp4`;
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.copyFile(src, path.join(dir, rel));
    const take: Take = {
      id: `take_${i}`,
      jobId: `job_${i}`,
      provider: 'animatic',
      tier: 'standard',
      request: { hash: 'bench', params: {} },
      status: 'ready',
      media: {
        path: rel,
        sha256: createHash('sha256').update(await fs.readFile(src)).digest('hex'),
        durationSec: SECONDS,
        width: 1280,
        height: 720,
        fps: 24,
        hasAudio: odd.get(i)?.audio !== 'none',
      },
      estimatedUsd: 0,
      review: { rating: 0, flag: 'none', notes: [] },
      createdAt: new Date(0).toISOString(),
    };
    shot.takes.push(take);
    shot.selectedTakeId = take.id;
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ sec: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { sec: (performance.now() - t0) / 1000, value };
}

async function stitchTimed(dir: string, project: Project) {
  let report: StitchReport | undefined;
  const { sec } = await timed(() => stitchProject(dir, project, { onReport: (r) => (report = r) }));
  return { sec, report: report! };
}

/** The same cut re-encoded as a whole, with the settings the stitch uses for its own encodes. */
async function reencodeTimed(dir: string, project: Project, work: string): Promise<number> {
  const list = path.join(work, 'reencode.ffconcat');
  await fs.writeFile(list, concatList(project.shots.map((s) => path.join(dir, s.takes[0].media!.path))));
  const total = project.shots.length * SECONDS;
  const job: FfmpegJob = {
    inputs: [{ source: list, options: ['-f', 'concat', '-safe', '0'] }],
    outputOptions: [
      '-vf', `scale=${target.width}:${target.height}:force_original_aspect_ratio=decrease:force_divisible_by=2,pad=${target.width}:${target.height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=${target.fps}`,
      '-map', '0:v:0', '-map', '0:a:0?',
      ...targetEncodeOptions(target, total),
    ],
    output: path.join(work, 'reencoded.mp4'),
  };
  const { sec } = await timed(() => runFfmpeg(job));
  return sec;
}

const reorder = (project: Project, k: number) => {
  // A different shuffle each time: move a block of shots from the middle to the front.
  const n = project.shots.length;
  const from = (3 + k * 5) % n;
  project.shots = [...project.shots.slice(from, from + 4), ...project.shots.slice(0, from), ...project.shots.slice(from + 4)];
};

const fmt = (s: number) => `${s.toFixed(2)} s`;
const ratio = (base: number, x: number) => `${(base / x).toFixed(1)}×`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(): Promise<BenchResult> {
  const info = await ffmpegInfo();
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'sr-bench-stitch-'));
  const summary: string[] = [];
  const metrics: Record<string, number> = {};
  try {
    // Generated once and kept between runs: making them takes longer than everything measured here.
    const clipDir = path.join(os.tmpdir(), 'storyreel-bench-stitch-clips-v1');
    await fs.mkdir(clipDir, { recursive: true });
    console.log(`  making ${CLIPS} clips of ${SECONDS} s at 1280×720 (and ${ODD.length} odd ones)…`);

    // ── Copy path: every clip already in the cut's format ──
    const same = path.join(work, 'same.storyreel');
    const p1 = newProject('Bench', Array.from({ length: CLIPS }, (_, i) => newShot({ title: `Shot ${i + 1}`, durationSec: SECONDS })));
    await createProjectFolder(same, p1);
    await addTakes(same, p1, new Map(), clipDir);

    const reencode = await reencodeTimed(same, p1, work);
    const forgetAll = async (dir: string) => {
      clearProbeCache();
      await fs.rm(path.join(dir, 'cache'), { recursive: true, force: true });
      await fs.rm(path.join(dir, 'renders'), { recursive: true, force: true });
    };
    // Cold: nothing is known about the clips (a project opened on another machine, its cache deleted).
    await forgetAll(same);
    const cold = await stitchTimed(same, p1);
    // As in the app: the engine probed each clip when it was downloaded (an import probes it too), so
    // the stitch finds what it needs to know; the audio copy-out and the join are still all to do.
    await forgetAll(same);
    for (const shot of p1.shots) await probe(path.join(same, shot.takes[0].media!.path));
    const first = await stitchTimed(same, p1);
    if (first.report.copied.length !== CLIPS) throw new Error(`expected all ${CLIPS} clips to be copied, ${first.report.copied.length} were`);
    const restitches: number[] = [];
    for (let k = 0; k < 3; k++) {
      reorder(p1, k);
      const r = await stitchTimed(same, p1);
      if (r.report.proxiesBuilt.length || r.report.audioConverted.length || r.report.audioExtracted) throw new Error('a re-stitch after a reorder re-encoded or re-extracted something');
      restitches.push(r.sec);
    }
    const restitch = median(restitches);
    summary.push(`ffmpeg ${info.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}; cut: ${CLIPS} clips × ${SECONDS} s at 1280×720 = ${CLIPS * SECONDS} s`);
    summary.push(`full re-encode of the cut (libx264 veryfast crf 20 + AAC, the proxies' settings): ${fmt(reencode)}`);
    summary.push(`copy path, first stitch after the clips arrived (probed on download; copy audio out, join): ${fmt(first.sec)} → ${ratio(reencode, first.sec)} faster`);
    summary.push(`copy path, re-stitch after a reorder (median of 3; one ffmpeg, the join): ${fmt(restitch)} → ${ratio(reencode, restitch)} faster`);
    summary.push(`copy path, first stitch with nothing known (also runs ffprobe on all ${CLIPS} clips): ${fmt(cold.sec)} → ${ratio(reencode, cold.sec)} faster`);
    const goal = reencode / first.sec >= 30 && reencode / restitch >= 30;
    summary.push(`goal ≥ 30× on the copy path: ${goal ? 'met' : 'NOT met'} (first stitch ${ratio(reencode, first.sec)}, re-stitch ${ratio(reencode, restitch)}; cold ${ratio(reencode, cold.sec)})`);
    Object.assign(metrics, {
      reencodeSec: reencode,
      copyFirstSec: first.sec,
      copyRestitchSec: restitch,
      copyColdSec: cold.sec,
      copyFirstSpeedup: reencode / first.sec,
      copyRestitchSpeedup: reencode / restitch,
      copyColdSpeedup: reencode / cold.sec,
    });

    // ── Five odd clips among the twenty ──
    const mixed = path.join(work, 'mixed.storyreel');
    const p2 = newProject('Bench mixed', Array.from({ length: CLIPS }, (_, i) => newShot({ title: `Shot ${i + 1}`, durationSec: SECONDS })));
    await createProjectFolder(mixed, p2);
    const oddAt = new Map(ODD.map((o, k) => [2 + k * 4, o]));
    await addTakes(mixed, p2, oddAt, clipDir);
    const reencodeMixed = await reencodeTimed(mixed, p2, work);
    clearProbeCache();
    const mixedFirst = await stitchTimed(mixed, p2);
    reorder(p2, 0);
    const mixedAgain = await stitchTimed(mixed, p2);
    const r = mixedFirst.report;
    summary.push(
      `first stitch with 5 odd clips (${ODD.map((o) => o.label).join(', ')}): ${fmt(mixedFirst.sec)} → ${ratio(reencodeMixed, mixedFirst.sec)} faster than re-encoding that cut (${fmt(reencodeMixed)}); ` +
        `${r.proxiesBuilt.length} picture proxies, ${r.audioConverted.length} sound conversion, ${r.copied.length} clips copied`,
    );
    summary.push(`…and its re-stitch after a reorder: ${fmt(mixedAgain.sec)} → ${ratio(reencodeMixed, mixedAgain.sec)} faster (proxies reused: ${mixedAgain.report.proxiesBuilt.length === 0 ? 'yes' : 'NO'})`);
    Object.assign(metrics, {
      mixedReencodeSec: reencodeMixed,
      mixedFirstSec: mixedFirst.sec,
      mixedRestitchSec: mixedAgain.sec,
      mixedFirstSpeedup: reencodeMixed / mixedFirst.sec,
      mixedRestitchSpeedup: reencodeMixed / mixedAgain.sec,
      mixedProxies: r.proxiesBuilt.length,
    });
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }

  // ── Posters and filmstrips for 100 takes (the pictures work's own bench) ──
  const picturesBench = path.join(path.dirname(new URL(import.meta.url).pathname), 'pictures.ts');
  if (existsSync(picturesBench)) {
    const mod = (await import(picturesBench)) as { runPicturesBench?: () => Promise<{ summary: string[]; metrics: Record<string, number> }> };
    if (mod.runPicturesBench) {
      const pictures = await mod.runPicturesBench();
      summary.push(...pictures.summary);
      for (const [k, v] of Object.entries(pictures.metrics)) metrics[`pictures.${k}`] = v;
    } else summary.push('pictures bench not available yet');
  } else summary.push('pictures bench not available yet');

  return { name: 'stitch', summary, metrics };
}
