// Export (docs/architecture.md §7): the cut re-encoded as a deliverable. Reads the document, gathers each shot's clip
// (its selected take with trims, or a slate keeping the storyboard's timing), checks the audio lanes,
// measures the mix's loudness (again through the limiter when it must act), then encodes — written beside the
// final name and renamed, so renders/ never holds half a file. Progress and cancel go through media/ffmpeg.ts,
// which logs each command; the export also keeps its own commands in cache/logs/<file>.log.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { ExportPreset, TaskProgress } from '../../../shared/api';
import { StudioError } from '../../../shared/errors';
import type { Project, Shot } from '../../../shared/schema';
import { formatDuration } from '../../../shared/time';
import { atomicWriteFile } from '../project/atomic-write';
import { LOUDNESS_MAX_CORRECTIONS, loudnessStage, nextLoudnessGain, parseLoudness, type LoudnessMeasurement, type LoudnessStage } from './audio';
import { renderCard } from './cards';
import { slateFrames } from './slate-frames';
import { EXPORT_EXTENSION, SAFE_EXPORT_NAME } from '../../../shared/export-presets';
import { exportJob, filmLength, fitCrossfade, LOUDNESS_FILE, measureJob, PRESETS, type ExportClip, type ExportPlan, type LaneFile } from './export-args';
import { targetFor } from './ffmpeg-args';
import { probe, runFfmpeg } from './ffmpeg';
import { shotCut } from '../../../shared/trim';
import { filmSound, soundInput, writeSound } from './film-sound';

export interface ExportOptions {
  preset: ExportPreset;
  /** 1–100, higher is better; the preset's default when absent. */
  quality?: number;
  /** Crossfade between shots, seconds (0 = straight cuts). */
  crossfadeSec?: number;
  /** File name inside renders/ (the preset's extension is added); default export-<preset>. */
  out?: string;
  signal?: AbortSignal;
  onProgress?: (fraction: number, label: string) => void;
}

export interface ExportResult {
  /** Project-relative path of the exported file. */
  path: string;
  durationSec: number;
  /** Shots that had no ready take and appear as slates. */
  slateShotIds: string[];
  /** The crossfade used (shortened where a clip was too short for the one asked for). */
  crossfadeSec: number;
  /** Size of the file written, in bytes. */
  bytes: number;
  /** Measured before normalization; absent for silent formats. */
  loudness?: LoudnessMeasurement;
  /** The gain (and limiter) the encode applied to reach the preset's loudness; absent for silent formats. */
  loudnessStage?: LoudnessStage;
  /** Project-relative log holding the exact ffmpeg command lines of this export. */
  log?: string;
}

/** A safe file name in renders/ with the preset's extension. */
export function exportFileName(preset: ExportPreset, out?: string): string {
  const ext = PRESETS[preset].extension;
  const base = (out ?? `export-${preset}`).replace(EXPORT_EXTENSION, '');
  if (!SAFE_EXPORT_NAME.test(base)) {
    throw new StudioError('INVALID_INPUT', `"${out}" cannot be used as an export name: use letters, digits, spaces, dots, dashes or brackets, without folders. Nothing was exported.`);
  }
  return `${base}.${ext}`;
}

function selectedReadyTake(dir: string, shot: Shot) {
  const take = shot.takes.find((t) => t.id === shot.selectedTakeId);
  return take?.status === 'ready' && take.media && existsSync(path.join(dir, take.media.path)) ? take : undefined;
}

async function slate(dir: string, shot: Shot, index: number, project: Project, signal?: AbortSignal): Promise<string> {
  const target = targetFor(project.settings.aspectRatio);
  const content = {
    label: `SHOT ${String(index + 1).padStart(2, '0')}  ·  NO TAKE YET`,
    title: shot.title || `Shot ${index + 1}`,
    body: shot.prompt,
    footer: `${formatDuration(shot.durationSec)}  ·  slate`,
  };
  // The same pictures the preview's slate shows (its start frame, crossfading to its end frame).
  const frames = slateFrames(dir, shot);
  const key = createHash('sha256')
    .update(['export-slate-v1', target.width, target.height, shot.durationSec, ...Object.values(content), ...(frames ? [shot.startFrame!, shot.endFrame ?? ''] : [])].join('\u0000'))
    .digest('hex')
    .slice(0, 16);
  const file = path.join(dir, 'cache', 'slates', `export-${key}.mp4`);
  if (!existsSync(file)) await renderCard({ target, durationSec: shot.durationSec, content, style: 'slate', output: file, frames, signal });
  return file;
}

/** Each shot's piece of the cut, in timeline order. */
async function gatherClips(dir: string, project: Project, signal?: AbortSignal): Promise<{ clips: ExportClip[]; slateShotIds: string[] }> {
  const clips: ExportClip[] = [];
  const slateShotIds: string[] = [];
  for (const [i, shot] of project.shots.entries()) {
    const take = selectedReadyTake(dir, shot);
    if (take?.media) {
      const source = path.join(dir, take.media.path);
      const info = await probe(source);
      const fps = project.settings.fps;
      const frames = Math.max(1, Math.round((info.video?.durationSec ?? info.durationSec) * fps));
      // The shot's part of its take from its in point, held on its last frame when the take is shorter —
      // read exactly as the preview reads it (shared/trim.ts).
      const cut = shotCut(shot, frames, fps);
      const from = cut ? cut.startFrame / fps : 0;
      const length = cut ? cut.endFrame - cut.startFrame + cut.holdFrames : frames;
      clips.push({ source, startSec: from, durationSec: length / fps, hasAudio: Boolean(info.audio) });
      continue;
    }
    slateShotIds.push(shot.id);
    clips.push({ source: await slate(dir, shot, i, project, signal), startSec: 0, durationSec: shot.durationSec, hasAudio: true });
  }
  return { clips, slateShotIds };
}

async function gatherLanes(dir: string, project: Project): Promise<LaneFile[]> {
  const lanes: LaneFile[] = [];
  for (const lane of project.audioLanes) {
    const source = path.join(dir, lane.path);
    const what = `The ${lane.kind === 'music' ? 'music' : 'voice-over'} lane ${lane.path}`;
    if (!existsSync(source)) {
      throw new StudioError('NOT_FOUND', `${what} is missing from the project folder. Put the file back or remove the lane, then export again. Nothing was exported.`);
    }
    const info = await probe(source).catch(() => undefined);
    if (!info?.audio) {
      throw new StudioError('INVALID_INPUT', `${what} has no sound ffmpeg can read. Replace it with a WAV, MP3, AAC or Opus file, then export again. Nothing was exported.`);
    }
    lanes.push({ source, kind: lane.kind, startSec: lane.startSec, gainDb: lane.gainDb, duck: lane.duck });
  }
  return lanes;
}

function canceled(signal?: AbortSignal): boolean {
  return Boolean(signal?.aborted);
}

/** Where an export keeps the exact ffmpeg commands it ran (the last export of that name; safe to delete). */
export function exportLogPath(fileName: string): string {
  return path.posix.join('cache', 'logs', `${fileName}.log`);
}

/**
 * The gain that brings the mix to the preset's loudness. A linear gain is exact; when the peaks need the
 * limiter, the limiter takes some loudness back, so the mix is measured again through the same chain and
 * the gain corrected until it lands within LOUDNESS_TOLERANCE_LU of the target (audio-only passes: cheap).
 */
async function settleLoudness(opts: {
  measured: LoudnessMeasurement | undefined;
  target: { targetLufs: number; ceilingDbtp: number };
  read: () => Promise<LoudnessMeasurement | undefined>;
  run: (stage: LoudnessStage, pass: number) => Promise<void>;
}): Promise<LoudnessStage> {
  const first = loudnessStage({ measured: opts.measured, ...opts.target });
  if (!first.limit || !opts.measured || first.gainDb === 0) return first;
  const tries: { gainDb: number; lufs: number }[] = [];
  let stage = first;
  for (let pass = 1; pass <= LOUDNESS_MAX_CORRECTIONS; pass++) {
    await opts.run(stage, pass);
    const m = await opts.read();
    if (!m || !Number.isFinite(m.integratedLufs)) return stage;
    tries.push({ gainDb: stage.gainDb, lufs: m.integratedLufs });
    const next = nextLoudnessGain(tries, opts.target.targetLufs, first.gainDb);
    if (next === undefined) return stage;
    stage = { gainDb: next, limit: true };
  }
  // Out of passes: the try that came closest.
  const best = tries.reduce((a, b) => (Math.abs(b.lufs - opts.target.targetLufs) < Math.abs(a.lufs - opts.target.targetLufs) ? b : a));
  return { gainDb: best.gainDb, limit: true };
}

export async function exportProject(dir: string, project: Project, opts: ExportOptions): Promise<ExportResult> {
  const preset = PRESETS[opts.preset];
  const fileName = exportFileName(opts.preset, opts.out);
  if (!project.shots.length) throw new StudioError('INVALID_INPUT', 'There is nothing to export: the storyboard has no shots yet. Add a shot, then export.');
  const quality = opts.quality ?? preset.defaultQuality;
  const progress = opts.onProgress ?? (() => {});
  const work = path.join(dir, 'cache', 'export', randomBytes(6).toString('hex'));
  const final = path.join(dir, 'renders', fileName);
  // Same folder as the final name (so the rename is atomic); the extension stays for ffmpeg's muxer choice.
  const partial = path.join(dir, 'renders', `.${path.basename(fileName, `.${preset.extension}`)}.partial.${preset.extension}`);
  const logRel = exportLogPath(fileName);
  const commands: string[] = [];
  const onCommand = (line: string) => commands.push(line);
  const writeLog = async (outcome: string) => {
    if (!commands.length) return;
    const text = [`# Storyreel export ${fileName} (${preset.label}), ${new Date().toISOString()}: ${outcome}`, ...commands, ''].join('\n');
    await fs.mkdir(path.dirname(path.join(dir, logRel)), { recursive: true });
    await atomicWriteFile(path.join(dir, logRel), text).catch(() => {});
  };
  await fs.mkdir(work, { recursive: true });
  await fs.mkdir(path.dirname(final), { recursive: true });
  try {
    progress(0, 'Gathering clips');
    const { clips, slateShotIds } = await gatherClips(dir, project, opts.signal);
    const lanes = preset.loudness ? await gatherLanes(dir, project) : [];
    const crossfadeSec = fitCrossfade(
      clips.map((c) => c.durationSec),
      // Not asked: the project's crossfade, the one the preview shows.
      opts.crossfadeSec ?? project.settings.crossfadeSec ?? 0,
    );
    const plan: ExportPlan = { preset, quality, aspect: project.settings.aspectRatio, fps: project.settings.fps, clips, lanes, crossfadeSec, output: partial, cwd: work };
    if (preset.loudness) {
      // The film's sound, mixed exactly as the preview mixes it; the export adds only the loudness stage.
      progress(0.01, 'Mixing the sound');
      const pieces = clips.map((c) => ({ file: c.source, startSec: c.startSec, lengthSec: c.durationSec, hasAudio: c.hasAudio }));
      const mix = await filmSound({ dir, pieces, crossfadeSec, lanes, signal: opts.signal });
      const file = path.join(work, 'mix.f32');
      await writeSound(file, mix.pcm);
      plan.sound = soundInput(file);
    }
    let measured: LoudnessMeasurement | undefined;
    let stage: LoudnessStage | undefined;
    const measureShare = preset.loudness ? 0.15 : 0;
    if (preset.loudness) {
      progress(0.02, 'Measuring loudness');
      // A cancel that came while nothing was running must stop the next step before it starts.
      opts.signal?.throwIfAborted();
      const read = () => fs.readFile(path.join(work, LOUDNESS_FILE), 'utf8').then(parseLoudness, () => undefined);
      await runFfmpeg(measureJob(plan), { signal: opts.signal, onCommand, onProgress: (f) => progress(0.02 + f * 0.08, 'Measuring loudness') });
      measured = await read();
      stage = await settleLoudness({
        measured,
        target: preset.loudness,
        read,
        run: async (s, pass) => {
          opts.signal?.throwIfAborted();
          await fs.rm(path.join(work, LOUDNESS_FILE), { force: true });
          const base = 0.1 + ((pass - 1) * 0.05) / LOUDNESS_MAX_CORRECTIONS;
          await runFfmpeg(measureJob(plan, s), { signal: opts.signal, onCommand, onProgress: (f) => progress(base + (f * 0.05) / LOUDNESS_MAX_CORRECTIONS, 'Measuring loudness') });
        },
      });
    }
    const label = `Encoding ${preset.label}`;
    progress(measureShare, label);
    opts.signal?.throwIfAborted();
    await runFfmpeg(exportJob({ ...plan, measured, stage }), { signal: opts.signal, onCommand, onProgress: (f) => progress(measureShare + f * (1 - measureShare) * 0.99, label) });
    await fs.rename(partial, final);
    const [info, written] = await Promise.all([probe(final), fs.stat(final)]);
    await writeLog('done');
    progress(1, 'Export ready');
    return {
      path: path.posix.join('renders', fileName),
      durationSec: info.durationSec || filmLength(clips.map((c) => c.durationSec), crossfadeSec),
      slateShotIds,
      crossfadeSec,
      bytes: written.size,
      ...(measured ? { loudness: measured } : {}),
      ...(stage ? { loudnessStage: stage } : {}),
      ...(commands.length ? { log: logRel } : {}),
    };
  } catch (err) {
    if (canceled(opts.signal)) {
      await writeLog('canceled');
      throw new StudioError('FFMPEG_FAILED', `Export canceled. Nothing was written to renders/; your project and clips are unchanged.`);
    }
    await writeLog(`failed: ${(err as Error).message.split('\n')[0]}`);
    if (err instanceof StudioError && err.code !== 'FFMPEG_FAILED') throw err;
    const where = commands.length ? `the exact ffmpeg commands are in ${logRel}` : 'run it with storyreel export --verbose to see the ffmpeg commands';
    throw new StudioError(
      'FFMPEG_FAILED',
      `The ${preset.label} export failed: ${(err as Error).message}. Nothing was written to renders/ and your project is unchanged; run the export again (${where}).`,
    );
  } finally {
    await fs.rm(partial, { force: true });
    await fs.rm(work, { recursive: true, force: true });
  }
}

/**
 * An export as the app runs it: task.progress events from start to finish, and an error a person can
 * act on in the last event as well as in the rejection.
 */
export async function exportTask(opts: {
  dir: string;
  project: Project;
  request: Omit<ExportOptions, 'signal' | 'onProgress'>;
  signal: AbortSignal;
  send: (progress: TaskProgress) => void;
}): Promise<Omit<ExportResult, 'loudness' | 'loudnessStage' | 'log'>> {
  const taskId = 'export';
  const label = `Export ${PRESETS[opts.request.preset].label}`;
  opts.send({ taskId, kind: 'export', label, fraction: 0, done: false });
  try {
    const { loudness: _measured, loudnessStage: _stage, log: _log, ...result } = await exportProject(opts.dir, opts.project, {
      ...opts.request,
      signal: opts.signal,
      onProgress: (fraction, step) => opts.send({ taskId, kind: 'export', label: `${label}: ${step}`, fraction, done: false }),
    });
    opts.send({ taskId, kind: 'export', label: `Exported ${result.path}`, fraction: 1, done: true });
    return result;
  } catch (err) {
    opts.send({ taskId, kind: 'export', label: `${label} stopped`, fraction: null, done: true, error: (err as Error).message });
    throw err;
  }
}
