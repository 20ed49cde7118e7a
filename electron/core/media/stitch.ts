// The stitched preview (docs/architecture.md §7): the selected takes in timeline order, with their trims, joined without
// re-encoding wherever that is possible, so the cut plays seconds after a change.
//
// - Picture: every clip's video stream is copied through the concat demuxer. A clip whose picture cannot be
//   copied — another size (1276×720), rate (25/30 fps), codec or encoder configuration, or a trim — is
//   re-encoded once into a proxy in cache/proxies/, named by the clip's content hash, the target and the
//   trim, so re-stitching after a reorder or a retime of other shots re-encodes nothing.
//   Why trims go through a proxy: the concat demuxer's inpoint/outpoint can only cut a copied H.264 stream
//   at keyframes (every 2 s here), and a trim must land on the frame the person chose. A take in our own
//   encoding (or its import proxy) is copied between keyframes even then; only the frames off them are
//   encoded (trim-pieces.ts).
// - Sound: assembled frame by frame from each clip's own AAC frames (audio-plan.ts), so it is copied too and
//   every clip's sound starts on its first picture (within ±10.7 ms) however long the cut. Sound in another
//   rate or layout is converted once (cache/audio/); a clip without sound gets encoded silence.
// - Shots with no take get a cached slate of the shot's length, so the preview keeps the storyboard's timing.
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Preview } from '../../../shared/api';
import { StudioError } from '../../../shared/errors';
import type { Project, Shot } from '../../../shared/schema';
import { formatDuration } from '../../../shared/time';
import { shotCut } from '../../../shared/trim';
import { atomicWriteFile } from '../project/atomic-write';
import { adtsFormat, adtsFrames, adtsSampleRateIndex, assembleAudio, needsSilence, planAudio } from './audio-plan';
import { renderCard } from './cards';
import {
  concatList,
  extractAudioJob,
  normalizeAudioJob,
  normalizeJob,
  referenceEncodeJob,
  silenceJob,
  stitchMixedMuxJob,
  stitchMuxJob,
  targetFor,
  type ConcatEntry,
  type StitchTarget,
} from './ffmpeg-args';
import { ffmpegInfo, probe, runFfmpeg, type ProbeResult } from './ffmpeg';
import { readAacFrames } from './mp4-audio';
import { probeCached, saveProbeCache } from './probe-cache';
import { mapLimit } from '../util/concurrency';
import { filmSound, soundInput, writeSound } from './film-sound';
import { decodedSound } from './pcm';
import { laneKey, previewLanes } from './preview-audio';
import { slateFrames } from './slate-frames';
import { crossfadedPicture, crossfadeFrames } from './preview-transitions';
import { buildTrimmedProxy } from './trim-pieces';

export const PREVIEW_FILE = 'renders/preview.mp4';
const PREVIEW_META = 'renders/preview.json';

/** What a stitch did, for logs, tests and the bench (the public result stays the Preview). */
export interface StitchReport {
  /** Shots whose picture was re-encoded into a new proxy by this stitch. */
  proxiesBuilt: string[];
  /** Shots whose sound was converted to the target by this stitch. */
  audioConverted: string[];
  /** Shots whose slate was rendered by this stitch. */
  slatesRendered: string[];
  /** Clips whose AAC frames were copied out for the first time. */
  audioExtracted: number;
  /** Shots whose clip went into the cut exactly as it is on disk. */
  copied: string[];
  /** Takes that could not be used (unreadable file, failed conversion); their shots show a slate. */
  problems: { shotId: string; message: string }[];
  /** True when the cut had not changed and the existing preview was kept. */
  upToDate: boolean;
  /** Music/voice-over lanes left out of the preview's sound (file gone or unreadable). */
  laneProblems?: { laneId: string; message: string }[];
  /** With a crossfade: transition pieces this stitch encoded, and their seconds of picture (preview-transitions.ts). */
  transitionsEncoded?: number;
  transitionSecEncoded?: number;
}

export interface StitchOptions {
  onProgress?: (fraction: number, label: string) => void;
  signal?: AbortSignal;
  onReport?: (report: StitchReport) => void;
}

const near = (a: number | undefined, b: number) => Math.abs((a ?? 0) - b) < 1e-3;

/** Can this clip's picture be copied into a cut of the target (before comparing encoder configurations)? */
export function videoMatchesTarget(info: ProbeResult, t: StitchTarget): boolean {
  const v = info.video;
  return Boolean(
    v &&
      /\b(mov|mp4)\b/.test(info.formatName) &&
      v.codec === 'h264' && v.pixFmt === 'yuv420p' && v.width === t.width && v.height === t.height &&
      Math.abs(v.fps - t.fps) < 0.01 && v.timeBase === `1/${t.fps * 512}` &&
      // The concat demuxer places a file by its earliest stream; anything but 0 would shift the picture.
      near(info.startSec, 0) && near(v.startSec, 0),
  );
}

/** Can this clip's AAC frames be joined as they are (AAC-LC at the target rate and layout, starting at 0)? */
export function audioMatchesTarget(info: ProbeResult, t: StitchTarget): boolean {
  const a = info.audio;
  return Boolean(a && a.codec === 'aac' && (a.profile ?? 'LC') === 'LC' && a.sampleRate === t.sampleRate && a.channels === t.channels && near(a.startSec, 0));
}

/** Does this clip already have the target's format in every respect (picture and sound)? */
export function matchesTarget(info: ProbeResult, t: StitchTarget): boolean {
  return videoMatchesTarget(info, t) && audioMatchesTarget(info, t);
}

function hashOf(...parts: (string | number)[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

/** The clip a shot contributes to the cut: its selected ready take, if the file is there. */
export function cutTake(shot: Shot) {
  const take = shot.takes.find((t) => t.id === shot.selectedTakeId);
  return take?.status === 'ready' && take.media ? take : undefined;
}

/** Frames of the picture, in the target's rate. */
function framesOf(info: ProbeResult, fps: number): number {
  const v = info.video;
  if (v?.frames && Math.abs(v.fps - fps) < 0.01) return v.frames;
  return Math.max(1, Math.round((v?.durationSec ?? info.durationSec) * fps));
}

/**
 * Concat `duration` lines written so their running sum (which the demuxer keeps in microseconds) lands on
 * the exact start of every clip, however many clips there are.
 */
export function clipDurations(frames: number[], fps: number): number[] {
  let cum = 0;
  return frames.map((n) => {
    const startUs = Math.round((cum / fps) * 1e6);
    cum += n;
    return (Math.round((cum / fps) * 1e6) - startUs) / 1e6;
  });
}

async function renderOnce(file: string, make: (tmp: string) => Promise<void>): Promise<void> {
  if (existsSync(file)) return;
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp${path.extname(file)}`;
  try {
    await make(tmp);
    await fs.rename(tmp, file);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/**
 * A placeholder of the shot's length for a shot with no take. It shows what the shot is, not where it is:
 * a slate carrying its position would be re-rendered after every reorder.
 */
async function slateFor(opts: { dir: string; shot: Shot; target: StitchTarget; signal?: AbortSignal }): Promise<{ file: string; rendered: boolean }> {
  const { dir, shot, target: t } = opts;
  const content = {
    label: 'NO TAKE YET',
    title: shot.title || 'Untitled shot',
    body: shot.prompt,
    footer: `${formatDuration(shot.durationSec)}  ·  slate`,
  };
  // Its pictures too (media/refs/ names them by content), so a new start frame makes a new slate.
  const frames = slateFrames(dir, shot);
  const key = hashOf('slate-v2', t.width, t.height, shot.durationSec, content.label, content.title, content.body, content.footer, ...(frames ? [shot.startFrame!, shot.endFrame ?? ''] : []));
  const file = path.join(dir, 'cache', 'slates', `${key}.mp4`);
  if (existsSync(file)) return { file, rendered: false };
  await renderCard({ target: t, durationSec: shot.durationSec, content, style: 'slate', output: file, frames, signal: opts.signal });
  return { file, rendered: true };
}

const referenceMemo = new Map<string, Promise<string | undefined>>();

/**
 * The decoder configuration (SPS/PPS hash) our own encoder writes for this target. A clip is copied next to
 * slates and proxies only when its configuration is the same: one MP4 track carries one configuration, and
 * a clip encoded differently would decode as garbage. Remembered per ffmpeg version in cache/.
 */
async function encoderReference(dir: string, t: StitchTarget): Promise<string | undefined> {
  const { version } = await ffmpegInfo();
  const key = `${version}|${t.width}x${t.height}@${t.fps}`;
  let p = referenceMemo.get(key);
  if (!p) {
    p = (async () => {
      const store = path.join(dir, 'cache', 'encoder-reference.json');
      const known = await fs.readFile(store, 'utf8').then((s) => JSON.parse(s) as Record<string, string>, () => ({}) as Record<string, string>);
      if (known[key]) return known[key];
      const file = path.join(dir, 'cache', `.reference-${hashOf(key)}.mp4`);
      await fs.mkdir(path.dirname(file), { recursive: true });
      try {
        await runFfmpeg(referenceEncodeJob(t, file));
        const hash = (await probe(file)).video?.extradataHash;
        if (hash) await atomicWriteFile(store, JSON.stringify({ ...known, [key]: hash }));
        return hash;
      } finally {
        await fs.rm(file, { force: true });
      }
    })();
    p.catch(() => referenceMemo.delete(key));
    referenceMemo.set(key, p);
  }
  return p;
}

type AudioSource = { kind: 'frames'; file: string; extractFrom?: string } | { kind: 'silence' };

interface Segment {
  shotId: string;
  /** The file whose picture is copied into the cut. */
  video: string;
  frames: number;
  audio: AudioSource;
  /** Where its sound comes from when the cut's sound is mixed (film-sound.ts): the take itself from its in point, or the slate. */
  sound: { file: string; startSec: number; hasAudio: boolean };
}

/** Everything the cut needs from one shot, built (proxy, slate, converted sound) where it is missing. */
async function segmentFor(opts: {
  dir: string;
  shot: Shot;
  target: StitchTarget;
  take?: { file: string; sha256: string; info: ProbeResult; copyPicture: boolean };
  report: StitchReport;
  signal?: AbortSignal;
}): Promise<Segment> {
  const { dir, shot, target: t, report } = opts;
  const audioFile = (name: string) => path.join(dir, 'cache', 'audio', `${name}.aac`);
  const asGenerated = async (file: string): Promise<Segment> => {
    const info = await probeCached(file, { projectDir: dir });
    return {
      shotId: shot.id,
      video: file,
      frames: framesOf(info, t.fps),
      audio: info.audio ? { kind: 'frames', file: audioFile(path.basename(file, '.mp4')), extractFrom: file } : { kind: 'silence' },
      sound: { file, startSec: 0, hasAudio: Boolean(info.audio) },
    };
  };
  const take = opts.take;
  if (!take) {
    const slate = await slateFor({ dir, shot, target: t, signal: opts.signal });
    if (slate.rendered) report.slatesRendered.push(shot.id);
    return asGenerated(slate.file);
  }
  const { info, sha256 } = take;
  const clipFrames = framesOf(info, t.fps);
  // The shot's part of its take (shared/trim.ts): only that piece is re-encoded, cached by the clip's content and the cut.
  const trim = shotCut(shot, clipFrames, t.fps);
  if (trim || !take.copyPicture) {
    const cut = trim ? `-t${trim.startFrame}-${trim.endFrame}${trim.holdFrames ? `-h${trim.holdFrames}` : ''}` : '';
    const proxy = path.join(dir, 'cache', 'proxies', `${sha256.slice(0, 16)}-${t.width}x${t.height}-${t.fps}${cut}.mp4`);
    const startFrame = trim?.startFrame ?? 0;
    const frames = (trim?.endFrame ?? clipFrames) - startFrame;
    if (!existsSync(proxy)) {
      report.proxiesBuilt.push(shot.id);
      // A trim re-encodes only the pieces off the keyframes of a picture in our encoding: the take's, or its whole-clip proxy (trim-pieces.ts).
      const ours = Boolean(trim && take.copyPicture && info.video?.extradataHash && info.video.extradataHash === (await encoderReference(dir, t).catch(() => undefined)));
      const whole = path.join(dir, 'cache', 'proxies', `${sha256.slice(0, 16)}-${t.width}x${t.height}-${t.fps}.mp4`);
      const picture = ours ? take.file : trim && existsSync(whole) ? whole : undefined;
      await renderOnce(proxy, async (tmp) => {
        if (trim) await buildTrimmedProxy({ dir, source: take.file, hasAudio: Boolean(info.audio), cut: trim, picture, target: t, output: tmp, signal: opts.signal });
        else await runFfmpeg(normalizeJob({ source: take.file, hasAudio: Boolean(info.audio), durationSec: frames / t.fps, target: t, output: tmp }), { signal: opts.signal });
      });
    }
    // Mixed sound comes from the take itself (as the export reads it), not from the proxy's re-encoded copy.
    return { ...(await asGenerated(proxy)), sound: { file: take.file, startSec: startFrame / t.fps, hasAudio: Boolean(info.audio) } };
  }
  report.copied.push(shot.id);
  const name = sha256.slice(0, 16);
  const sound = { file: take.file, startSec: 0, hasAudio: Boolean(info.audio) };
  if (audioMatchesTarget(info, t)) return { shotId: shot.id, video: take.file, frames: clipFrames, audio: { kind: 'frames', file: audioFile(name), extractFrom: take.file }, sound };
  if (!info.audio) return { shotId: shot.id, video: take.file, frames: clipFrames, audio: { kind: 'silence' }, sound };
  const converted = audioFile(`${name}-${t.sampleRate}x${t.channels}`);
  if (!existsSync(converted)) {
    report.audioConverted.push(shot.id);
    await renderOnce(converted, (tmp) => runFfmpeg(normalizeAudioJob({ source: take.file, durationSec: clipFrames / t.fps, target: t, output: tmp }), { signal: opts.signal }));
  }
  return { shotId: shot.id, video: take.file, frames: clipFrames, audio: { kind: 'frames', file: converted }, sound };
}

/**
 * The AAC frames of every segment's sound, by source. Frames are read straight from the MP4s (no ffmpeg);
 * a file that reader declines is copied out by ffmpeg once into cache/audio/, many clips per ffmpeg.
 */
async function loadAudio(segments: Segment[], signal?: AbortSignal): Promise<{ frames: Map<string, Uint8Array[]>; extracted: number }> {
  const frames = new Map<string, Uint8Array[]>();
  const todo: { source: string; output: string; tmp: string }[] = [];
  for (const s of segments) {
    if (s.audio.kind !== 'frames' || frames.has(s.audio.file) || todo.some((t) => t.output === (s.audio as { file: string }).file)) continue;
    const direct = s.audio.extractFrom ? await readAacFrames(s.audio.extractFrom) : undefined;
    if (direct) frames.set(s.audio.file, direct);
    else if (existsSync(s.audio.file)) frames.set(s.audio.file, adtsFrames(await fs.readFile(s.audio.file)));
    else if (s.audio.extractFrom) todo.push({ source: s.audio.extractFrom, output: s.audio.file, tmp: `${s.audio.file}.tmp.aac` });
    else throw new StudioError('FFMPEG_FAILED', `The converted sound ${path.basename(s.audio.file)} is missing from the cache; stitch again.`);
  }
  for (let i = 0; i < todo.length; i += 32) {
    const batch = todo.slice(i, i + 32);
    await fs.mkdir(path.dirname(batch[0].output), { recursive: true });
    try {
      await runFfmpeg(extractAudioJob(batch.map((b) => ({ source: b.source, output: b.tmp }))), { signal });
      for (const b of batch) await fs.rename(b.tmp, b.output);
    } finally {
      for (const b of batch) await fs.rm(b.tmp, { force: true });
    }
    for (const b of batch) frames.set(b.output, adtsFrames(await fs.readFile(b.output)));
  }
  return { frames, extracted: todo.length };
}

async function silentFrame(dir: string, t: StitchTarget, signal?: AbortSignal): Promise<Uint8Array> {
  const file = path.join(dir, 'cache', 'audio', `silence-${t.sampleRate}x${t.channels}.aac`);
  await renderOnce(file, (tmp) => runFfmpeg(silenceJob(t, tmp), { signal }));
  const frames = adtsFrames(await fs.readFile(file));
  // The first frames carry the encoder's start-up; from the middle on, silence encodes to the same frame.
  return frames[Math.floor(frames.length / 2)];
}

/**
 * Makes one clip ready to be stitched into a cut of `target` — proxy, converted sound and copied-out AAC
 * frames, in the same cache the stitch reads — so the first stitch after an import is a stream copy.
 */
export async function prepareClip(opts: {
  dir: string;
  shot: Shot;
  target: StitchTarget;
  file: string;
  sha256: string;
  signal?: AbortSignal;
}): Promise<StitchReport> {
  const report: StitchReport = { proxiesBuilt: [], audioConverted: [], slatesRendered: [], audioExtracted: 0, copied: [], problems: [], upToDate: false };
  try {
    const info = await probeCached(opts.file, { projectDir: opts.dir });
    let copyPicture = videoMatchesTarget(info, opts.target);
    if (copyPicture) copyPicture = info.video?.extradataHash !== undefined && info.video.extradataHash === (await encoderReference(opts.dir, opts.target));
    const segment = await segmentFor({ dir: opts.dir, shot: opts.shot, target: opts.target, take: { file: opts.file, sha256: opts.sha256, info, copyPicture }, report, signal: opts.signal });
    report.audioExtracted = (await loadAudio([segment], opts.signal)).extracted;
    // Its sound decoded for the mixer too, so the first preview with music does not wait for it.
    await decodedSound({ dir: opts.dir, file: segment.sound.file, hasAudio: segment.sound.hasAudio, signal: opts.signal });
    return report;
  } finally {
    await saveProbeCache(opts.dir).catch(() => {});
  }
}

/** Builds renders/preview.mp4 for the current cut; does nothing when the cut has not changed. */
export async function stitchProject(dir: string, project: Project, opts: StitchOptions = {}): Promise<Preview> {
  const target = targetFor(project.settings.aspectRatio);
  const report: StitchReport = { proxiesBuilt: [], audioConverted: [], slatesRendered: [], audioExtracted: 0, copied: [], problems: [], upToDate: false };
  const total = project.shots.length;
  const step = (i: number, label: string) => opts.onProgress?.(total ? i / (total + 2) : 0, label);
  try {
    step(0, 'Reading clips');
    // Probe every clip first (in parallel: most of a probe is starting ffprobe), so the copy decision can
    // look at the whole cut.
    const takes = await mapLimit(project.shots, 4, async (shot) => {
      const take = cutTake(shot);
      const file = take?.media ? path.join(dir, take.media.path) : undefined;
      if (!take?.media || !file) return undefined;
      if (!existsSync(file)) {
        report.problems.push({ shotId: shot.id, message: `its clip ${take.media.path} is missing` });
        return undefined;
      }
      try {
        const info = await probeCached(file, { projectDir: dir });
        if (!info.video) throw new StudioError('FFMPEG_FAILED', `${path.basename(file)} has no picture`);
        return { file, sha256: take.media.sha256, info, copyPicture: videoMatchesTarget(info, target) };
      } catch (err) {
        if (opts.signal?.aborted) throw err;
        report.problems.push({ shotId: shot.id, message: `its clip ${take.media.path} is damaged (not a playable video)` });
        return undefined;
      }
    });
    // Clips copied as they are vs. pieces we encode ourselves (slates, proxies, trimmed clips).
    const trimmed = takes.map((t, i) => Boolean(t && shotCut(project.shots[i], framesOf(t.info, target.fps), target.fps)));
    const candidates = takes.filter((t, i): t is NonNullable<typeof t> => Boolean(t?.copyPicture && !trimmed[i]));
    // A crossfade's transitions are our own encodes, joined to the copied bodies.
    const crossfading = (project.settings.crossfadeSec ?? 0) > 0 && project.shots.length > 1;
    const ownEncodesToo = crossfading || takes.some((t, i) => !t || !t.copyPicture || trimmed[i]);
    const configs = new Set(candidates.map((t) => t.info.video!.extradataHash));
    if (candidates.length && (configs.size > 1 || ownEncodesToo || configs.has(undefined))) {
      const reference = await encoderReference(dir, target);
      for (const t of candidates) if (reference && t.info.video!.extradataHash !== reference) t.copyPicture = false;
    }

    const segments: Segment[] = [];
    const slateShotIds: string[] = [];
    for (const [i, shot] of project.shots.entries()) {
      step(i + 1, `Preparing shot ${i + 1} of ${total}`);
      let segment: Segment | undefined;
      if (takes[i]) {
        try {
          segment = await segmentFor({ dir, shot, target, take: takes[i], report, signal: opts.signal });
        } catch (err) {
          if (opts.signal?.aborted) throw err;
          // One unusable clip must not take the whole preview down: its shot shows a slate and the reason is reported.
          report.problems.push({ shotId: shot.id, message: (err as Error).message });
        }
      }
      if (!segment) {
        slateShotIds.push(shot.id);
        segment = await segmentFor({ dir, shot, target, report, signal: opts.signal });
      }
      segments.push(segment);
    }

    const plan = planAudio({ videoFrames: segments.map((s) => s.frames), fps: target.fps, sampleRate: target.sampleRate });
    const durations = clipDurations(segments.map((s) => s.frames), target.fps);
    const entries: ConcatEntry[] = segments.map((s, i) => ({ path: s.video, durationSec: durations[i] }));
    const fade = crossfadeFrames(segments.map((s) => s.frames), project.settings.crossfadeSec ?? 0, target.fps);
    const xf = fade > 0 ? await crossfadedPicture({ dir, clips: segments.map((s) => ({ file: s.video, frames: s.frames })), fadeFrames: fade, target, signal: opts.signal }) : undefined;
    if (xf) Object.assign(report, { transitionsEncoded: xf.encoded, transitionSecEncoded: xf.encodedSec });
    const list = concatList(xf ? xf.entries : entries);
    const audioKey = segments.map((s, i) => `${s.audio.kind === 'frames' ? path.basename(s.audio.file) : 'silence'}×${plan.frames[i]}`);
    const durationSec = (xf ? xf.plan.totalFrames : segments.reduce((n, s) => n + s.frames, 0)) / target.fps;
    // Music and voice-over lanes, mixed as the export mixes them (preview-audio.ts); none: the sound is copied.
    const sound = await previewLanes(dir, project, durationSec);
    if (sound.problems.length) report.laneProblems = sound.problems;
    const key = hashOf('cut-v3', target.width, target.height, list, ...audioKey, ...laneKey(sound.lanes, dir), ...(xf ? [`xfade:${fade}`] : []));
    let at = 0;
    const placed = project.shots.map((shot, i) => {
      const seg = { shotId: shot.id, startSec: (xf ? xf.plan.starts[i] : at) / target.fps, durationSec: segments[i].frames / target.fps };
      at += segments[i].frames;
      return seg;
    });

    const out = path.join(dir, PREVIEW_FILE);
    const metaFile = path.join(dir, PREVIEW_META);
    const previous = await fs.readFile(metaFile, 'utf8').then((t) => JSON.parse(t) as Preview, () => undefined);
    if (previous?.key === key && existsSync(out)) {
      report.upToDate = true;
      opts.onProgress?.(1, 'Preview is up to date');
      // The same cut under other shot ids (a duplicate's fresh id) keeps its file; the segments name today's shots.
      return { ...previous, playPath: await playableCopy(dir, out, key), slateShotIds, slateReasons: slateReasons(report), segments: placed };
    }
    await fs.mkdir(path.dirname(out), { recursive: true });
    if (segments.length === 0) {
      await fs.rm(out, { force: true });
      const empty: Preview = { path: PREVIEW_FILE, durationSec: 0, key, slateShotIds, slateReasons: [], segments: [] };
      await atomicWriteFile(metaFile, JSON.stringify(empty));
      return empty;
    }

    step(total + 1, 'Joining clips');
    // Music, voice-over or crossfades: the sound is mixed (film-sound.ts, as the export mixes it); none: the
    // clips' own AAC frames are copied.
    const mixed = Boolean(xf || sound.lanes.length);
    const expected = { objectType: 2, sampleRateIndex: adtsSampleRateIndex(target.sampleRate), channels: target.channels };
    const loaded = mixed ? { frames: new Map<string, Uint8Array[]>(), extracted: 0 } : await loadAudio(segments, opts.signal);
    report.audioExtracted = loaded.extracted;
    const clips = segments.map((s) => {
      if (mixed || s.audio.kind === 'silence') return undefined;
      const frames = loaded.frames.get(s.audio.file)!;
      const f = frames[0] && adtsFormat(frames[0]);
      if (f && (f.sampleRateIndex !== expected.sampleRateIndex || f.channels !== expected.channels || f.objectType !== expected.objectType)) {
        throw new StudioError('FFMPEG_FAILED', `The sound of ${path.basename(s.video)} is not in the cut's format; delete the project's cache folder and stitch again.`);
      }
      return frames;
    });
    // Encoded silence is made (once per project) only when a clip has less sound than picture.
    const silence = !mixed && needsSilence(clips, plan.frames) ? await silentFrame(dir, target, opts.signal) : undefined;
    const audio = mixed ? undefined : assembleAudio({ clips, frames: plan.frames, silentFrame: silence });
    const listFile = path.join(dir, 'cache', `cut-${key}.ffconcat`);
    const audioFile = path.join(dir, 'cache', `cut-${key}.aac`);
    const mixedFile = path.join(dir, 'cache', `cut-${key}-mix.f32`);
    // Written beside the final name and renamed, so a player never sees a half-written preview.
    const tmp = path.join(dir, 'renders', `.preview-${key}.mp4`);
    try {
      // cache/ is safe to delete (docs/architecture.md §3), so it may not be there.
      await fs.mkdir(path.dirname(listFile), { recursive: true });
      await fs.writeFile(listFile, list);
      let job;
      if (mixed) {
        step(total + 1, sound.lanes.length ? 'Mixing music and voice-over' : 'Mixing the crossfades');
        const pieces = segments.map((s) => ({ ...s.sound, lengthSec: s.frames / target.fps }));
        const mix = await filmSound({ dir, pieces, crossfadeSec: fade / target.fps, lanes: sound.lanes, signal: opts.signal });
        await writeSound(mixedFile, mix.pcm);
        step(total + 1, 'Joining clips');
        job = stitchMixedMuxJob({ videoList: listFile, sound: soundInput(mixedFile), output: tmp, durationSec });
      } else {
        await fs.writeFile(audioFile, audio!);
        job = stitchMuxJob({ videoList: listFile, audio: audioFile, output: tmp, durationSec, target });
      }
      await runFfmpeg(job, {
        signal: opts.signal,
        onProgress: (f) => opts.onProgress?.((total + 1 + f) / (total + 2), 'Joining clips'),
      });
      await fs.rename(tmp, out);
    } finally {
      await fs.rm(tmp, { force: true });
      await fs.rm(listFile, { force: true });
      await fs.rm(audioFile, { force: true });
      await fs.rm(mixedFile, { force: true });
    }
    const preview: Preview = { path: PREVIEW_FILE, playPath: await playableCopy(dir, out, key), durationSec, key, slateShotIds, slateReasons: slateReasons(report), segments: placed };
    await atomicWriteFile(metaFile, JSON.stringify(preview));
    opts.onProgress?.(1, 'Preview ready');
    return preview;
  } finally {
    await saveProbeCache(dir).catch(() => {
      /* only a cache: the next stitch probes again */
    });
    opts.onReport?.(report);
  }
}

/** Cuts a player may still be showing (the newest ones) keep their own names in cache/previews/. */
const PLAYABLE_KEPT = 3;

/**
 * The preview under its cut's own name, a hard link to renders/preview.mp4 (no second copy on disk). The
 * player reads this name: when the next cut replaces renders/preview.mp4, a player still showing this cut
 * (the studio keeps the old one playing while the new one loads) goes on reading this cut's bytes. Older
 * names are removed. Where links cannot be made, the player reads renders/preview.mp4 as before.
 */
async function playableCopy(dir: string, out: string, key: string): Promise<string | undefined> {
  const folder = path.join(dir, 'cache', 'previews');
  const rel = path.posix.join('cache', 'previews', `${key}.mp4`);
  try {
    await fs.mkdir(folder, { recursive: true });
    const abs = path.join(dir, rel);
    const [linked, current] = await Promise.all([fs.stat(abs).catch(() => undefined), fs.stat(out)]);
    if (!linked || linked.ino !== current.ino || linked.dev !== current.dev) {
      await fs.rm(abs, { force: true });
      await fs.link(out, abs);
    }
    // The others, newest first; this cut's name is never removed.
    const names = (await fs.readdir(folder)).filter((n) => n.endsWith('.mp4') && n !== `${key}.mp4`);
    const dated = await Promise.all(names.map(async (n) => ({ n, t: (await fs.stat(path.join(folder, n)).catch(() => undefined))?.mtimeMs ?? 0 })));
    for (const old of dated.sort((a, b) => b.t - a.t).slice(PLAYABLE_KEPT - 1)) await fs.rm(path.join(folder, old.n), { force: true });
    return rel;
  } catch {
    return undefined;
  }
}

/** One reason per shot whose take could not be used (the first problem found for it). */
function slateReasons(report: StitchReport): { shotId: string; message: string }[] {
  const seen = new Set<string>();
  return report.problems.filter((p) => !seen.has(p.shotId) && seen.add(p.shotId));
}

export async function readPreview(dir: string): Promise<Preview | null> {
  const meta = await fs.readFile(path.join(dir, PREVIEW_META), 'utf8').then((t) => JSON.parse(t) as Preview, () => null);
  return meta && existsSync(path.join(dir, meta.path)) ? meta : null;
}
