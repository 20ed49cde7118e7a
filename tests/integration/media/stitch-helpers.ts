// Generated test clips (ffmpeg lavfi) and measurements of a stitched file: where its picture cuts and where
// its sound starts and stops, read from the decoded frames, not from container metadata.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { targetEncodeOptions, targetFor } from '../../../electron/core/media/ffmpeg-args';
import type { Project, Shot, Take } from '../../../shared/schema';

const exec = promisify(execFile);

export interface ClipSpec {
  seconds: number;
  fps: number;
  width: number;
  height: number;
  /** Bright picture with a tone, or a black picture that is silent (or has no sound at all). */
  bright: boolean;
  /** 'none' = no audio stream; otherwise the sound's rate and channel count. */
  audio: 'none' | { rate: number; channels: number };
  /** 'target' = encoded exactly as Storyreel encodes (copyable); 'plain' = libx264 defaults (another encoder). */
  encode: 'target' | 'plain';
}

export async function makeClip(file: string, spec: ClipSpec): Promise<void> {
  const color = spec.bright ? 'white' : 'black';
  const args = ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `color=c=${color}:s=${spec.width}x${spec.height}:r=${spec.fps}:d=${spec.seconds}`];
  if (spec.audio !== 'none') {
    const layout = spec.audio.channels === 1 ? 'mono' : 'stereo';
    const src = spec.bright ? `sine=f=440:r=${spec.audio.rate}:d=${spec.seconds}` : `anullsrc=r=${spec.audio.rate}:cl=${layout}:d=${spec.seconds}`;
    args.push('-f', 'lavfi', '-i', src);
  }
  if (spec.encode === 'target') {
    const t = targetFor('16:9');
    // Storyreel's own encoder settings, with the clip's own audio layout where that is the point.
    const opts = targetEncodeOptions(t, spec.seconds);
    if (spec.audio !== 'none') {
      opts[opts.indexOf('-ar') + 1] = String(spec.audio.rate);
      opts[opts.indexOf('-ac') + 1] = String(spec.audio.channels);
    }
    args.push(...opts);
  } else {
    args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-t', String(spec.seconds));
    if (spec.audio !== 'none') args.push('-c:a', 'aac', '-ar', String(spec.audio.rate), '-ac', String(spec.audio.channels));
  }
  await fs.mkdir(path.dirname(file), { recursive: true });
  await exec('ffmpeg', [...args, file]);
}

export async function sha256(file: string): Promise<string> {
  return createHash('sha256').update(await fs.readFile(file)).digest('hex');
}

/** Puts a clip into the project as a ready, selected take of `shot` (what a download or an import leaves). */
export async function addTake(opts: { dir: string; shot: Shot; spec: ClipSpec }): Promise<Take> {
  const { dir, shot, spec } = opts;
  return registerTake(dir, shot, (file) => makeClip(file, spec), { durationSec: spec.seconds, width: spec.width, height: spec.height, fps: spec.fps, hasAudio: spec.audio !== 'none' });
}

/** A take as another tool delivers it: its own rate, width and sound, encoded with libx264's defaults (so never copied). */
export interface ForeignFormat {
  fps: number;
  width: number;
  sampleRate: number;
  channels: number;
}

/**
 * A ready, selected take of `shot` that shows which shot and which frame plays at every moment: a moving
 * test picture in its own hue, with the shot's label and the take's frame number (3 digits, monospaced) burned
 * in on a box of the shot's colour at (56, 96)–(464, 235), and the shot's own tone as its sound. 1280×720,
 * 24 fps, encoded as Storyreel encodes — or in a `format` of its own.
 */
export async function addMovingTake(opts: { dir: string; shot: Shot; seconds: number; hue: number; color: string; label: string; freq: number; format?: ForeignFormat }): Promise<Take> {
  const { seconds, hue, color, label, freq, format } = opts;
  const [fps, width, rate] = [format?.fps ?? 24, format?.width ?? 1280, format?.sampleRate ?? 48000];
  const picture =
    `testsrc2=s=${width}x720:r=${fps}:d=${seconds},hue=h=${hue},` +
    `drawtext=font=Mono:text='${label} %{eif\\:n\\:d\\:3}':fontsize=120:fontcolor=white:box=1:boxcolor=${color}:boxborderw=24:x=80:y=120`;
  const encode = format
    ? ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ar', String(rate), '-ac', String(format.channels), '-t', String(seconds)]
    : targetEncodeOptions(targetFor('16:9'), seconds);
  return registerTake(
    opts.dir,
    opts.shot,
    (file) => exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', picture, '-f', 'lavfi', '-i', `sine=f=${freq}:r=${rate}:d=${seconds}`, ...encode, file]).then(() => {}),
    { durationSec: seconds, width, height: 720, fps, hasAudio: true },
  );
}

async function registerTake(dir: string, shot: Shot, make: (file: string) => Promise<void>, media: Omit<NonNullable<Take['media']>, 'path' | 'sha256'>): Promise<Take> {
  const takeId = `take_${shot.id}_${shot.takes.length + 1}`;
  const rel = `media/takes/${shot.id}/${takeId}.mp4`;
  const file = path.join(dir, rel);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await make(file);
  const take: Take = {
    id: takeId,
    jobId: `job_${takeId}`,
    provider: 'animatic',
    tier: 'standard',
    request: { hash: 'test', params: {} },
    status: 'ready',
    media: { path: rel, sha256: await sha256(file), ...media },
    estimatedUsd: 0,
    review: { rating: 0, flag: 'none', notes: [] },
    createdAt: new Date(0).toISOString(),
  };
  shot.takes.push(take);
  shot.selectedTakeId = take.id;
  return take;
}

export function shotById(project: Project, id: string): Shot {
  return project.shots.find((s) => s.id === id)!;
}

async function metadataLines(args: string[]): Promise<string> {
  const { stdout } = await exec('ffmpeg', ['-hide_banner', '-loglevel', 'error', ...args], { maxBuffer: 64 << 20 });
  return stdout;
}

/** Times (s) where the picture changes between bright and dark, from the mean luma of every decoded frame. */
export async function pictureCuts(file: string): Promise<{ cuts: number[]; frames: number }> {
  const out = await metadataLines(['-i', file, '-an', '-vf', 'signalstats,metadata=print:key=lavfi.signalstats.YAVG:file=-', '-f', 'null', '-']);
  const frames: { t: number; y: number }[] = [];
  let t = 0;
  for (const line of out.split('\n')) {
    const pts = /pts_time:([\d.]+)/.exec(line);
    if (pts) t = Number(pts[1]);
    const y = /YAVG=([\d.]+)/.exec(line);
    if (y) frames.push({ t, y: Number(y[1]) });
  }
  const cuts: number[] = [];
  for (let i = 1; i < frames.length; i++) if (Math.abs(frames[i].y - frames[i - 1].y) > 40) cuts.push(frames[i].t);
  return { cuts, frames: frames.length };
}

/**
 * Times (s) where the sound switches between tone and silence, from the RMS level of 5 ms windows of the
 * decoded audio; also the decoded length. Time is counted in samples played, not read from timestamps: a
 * player plays every decoded sample one after the other, so that is where a listener hears each cut.
 */
export async function soundCuts(file: string): Promise<{ cuts: number[]; durationSec: number }> {
  const out = await metadataLines([
    '-i', file, '-vn', '-af', 'aresample=48000,asetnsamples=n=240:p=0,astats=metadata=1:reset=1,ametadata=print:key=lavfi.astats.Overall.RMS_level:file=-', '-f', 'null', '-',
  ]);
  const windows: { t: number; loud: boolean }[] = [];
  for (const line of out.split('\n')) {
    const level = /RMS_level=(-?[\d.]+|-inf)/.exec(line);
    if (level) windows.push({ t: windows.length * 0.005, loud: level[1] !== '-inf' && Number(level[1]) > -45 });
  }
  const cuts: number[] = [];
  // A change counts once it holds for 4 windows (20 ms): the join's short fade is not a cut.
  for (let i = 1; i + 3 < windows.length; i++) {
    if (windows[i].loud !== windows[i - 1].loud && windows.slice(i, i + 4).every((w) => w.loud === windows[i].loud)) cuts.push(windows[i].t);
  }
  const last = windows[windows.length - 1];
  return { cuts, durationSec: last ? last.t + 0.005 : 0 };
}
