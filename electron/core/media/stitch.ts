// The stitched preview (docs/architecture.md §7): the selected takes in timeline order, with their trims, joined without
// re-encoding wherever that is possible, so the cut plays within a second of a change (npm run bench -- preview).
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
//   rate or layout is converted once (cache/audio/); a clip without sound gets encoded silence. With music,
//   voice-over or a crossfade the sound is the film's mix (film-sound.ts), made while the pictures are —
//   each piece is planned (its length known) before it is made — and kept in cache/sound/ by what it is
//   made of, so the join copies it.
// - Shots with no take get a cached slate of the shot's length, so the preview keeps the storyboard's timing.
//
// The pieces: stitch-rules.ts (pure: can a clip be copied, its frames, the concat durations),
// stitch-segments.ts (each shot's piece: the clip, a proxy or a slate), encoder-reference.ts, stitch-audio.ts
// (the copied sound), preview-file.ts (renders/preview.mp4 and the names the player reads).
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Preview } from '../../../shared/api';
import { StudioError } from '../../../shared/errors';
import type { Project, Shot } from '../../../shared/schema';
import { shotCut } from '../../../shared/trim';
import { atomicWriteFile } from '../project/atomic-write';
import { adtsFormat, adtsSampleRateIndex, assembleAudio, needsSilence, planAudio } from './audio-plan';
import { cacheKey, keepNewest, replaceDerivedFile, writeOnce } from './cache-files';
import { encoderReference } from './encoder-reference';
import { concatList, mixedSoundJob, stitchMixedMuxJob, stitchMuxJob, targetFor, type ConcatEntry, type StitchTarget } from './ffmpeg-args';
import { filmLength } from '../../../shared/export-presets';
import { runFfmpeg } from './ffmpeg';
import { probeCached, saveProbeCache } from './probe-cache';
import { mapLimit } from '../util/concurrency';
import { filmSound, soundBytes, soundInput, soundKey } from './film-sound';
import { decodedSound } from './pcm';
import { laneKey, previewLanes } from './preview-audio';
import { PREVIEW_FILE, PREVIEW_META, playableCopy } from './preview-file';
import { crossfadedPicture, crossfadeFrames } from './preview-transitions';
import { loadAudio, silentFrame } from './stitch-audio';
import { clipDurations, framesOf, videoMatchesTarget } from './stitch-rules';
import { cutTake, planSegment, segmentFor, type Segment, type SegmentPlan } from './stitch-segments';

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

/** Mixed sounds of recent cuts kept in cache/sound/ (an edit and its undo find theirs). */
const SOUNDS_KEPT = 4;

const newReport = (): StitchReport => ({ proxiesBuilt: [], audioConverted: [], slatesRendered: [], audioExtracted: 0, copied: [], problems: [], upToDate: false });


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
  const report = newReport();
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
  const report = newReport();
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

    // Each shot's piece, planned: its length is known before its file is made, so the sound is mixed while the
    // pictures that are missing (a new slate, a trimmed proxy) are being made.
    const crossfadeSec = project.settings.crossfadeSec ?? 0;
    const planAll = async (mixed: boolean) => {
      const plans: SegmentPlan[] = [];
      const slates: string[] = [];
      for (const [i, shot] of project.shots.entries()) {
        step(i + 1, `Preparing shot ${i + 1} of ${total}`);
        let plan: SegmentPlan | undefined;
        if (takes[i]) {
          try {
            plan = await planSegment({ dir, shot, target, take: takes[i], report, mixed, signal: opts.signal });
          } catch (err) {
            if (opts.signal?.aborted) throw err;
            // One unusable clip must not take the whole preview down: its shot shows a slate and the reason is reported.
            report.problems.push({ shotId: shot.id, message: (err as Error).message });
          }
        }
        if (!plan) {
          slates.push(shot.id);
          plan = await planSegment({ dir, shot, target, report, signal: opts.signal });
        }
        plans.push(plan);
      }
      return { plans, slates };
    };
    // Whether the sound is mixed depends on the lanes heard over the cut's length and on the crossfade, which
    // depend on the pieces' lengths; those do not depend on it, so plan once with the likely answer.
    const likelyMixed = project.audioLanes.length > 0 || (crossfadeSec > 0 && project.shots.length > 1);
    const reported = { copied: report.copied.length, problems: report.problems.length };
    let planned = await planAll(likelyMixed);
    const cutOf = async (segs: Segment[]) => {
      const fade = crossfadeFrames(segs.map((s) => s.frames), crossfadeSec, target.fps);
      const durationSec = filmLength(segs.map((s) => s.frames), fade) / target.fps;
      const sound = await previewLanes(dir, project, durationSec);
      return { fade, durationSec, sound, mixed: fade > 0 || sound.lanes.length > 0 };
    };
    let cut = await cutOf(planned.plans.map((p) => p.segment));
    if (cut.mixed !== likelyMixed) {
      // Planned again with the right answer: what the first planning reported is said once, not twice.
      report.copied.length = reported.copied;
      report.problems.length = reported.problems;
      planned = await planAll(cut.mixed);
    }

    const out = path.join(dir, PREVIEW_FILE);
    const metaFile = path.join(dir, PREVIEW_META);
    const previous = await fs.readFile(metaFile, 'utf8').then((t) => JSON.parse(t) as Preview, () => undefined);
    await fs.mkdir(path.dirname(out), { recursive: true });
    // The mixed sound of a cut (film-sound.ts, as the export mixes it), started as soon as its pieces are
    // planned so it is made while the pictures are; encoded on its own (FLAC) and kept in cache/sound/ by what
    // it is made of, so the join only copies it and an edit that leaves the sound alone does not mix again.
    const startSound = (segs: Segment[], c: typeof cut) => {
      const made = (async () => {
        const pieces = segs.map((s) => ({ ...s.sound, lengthSec: s.frames / target.fps }));
        const file = path.join(dir, 'cache', 'sound', `${await soundKey(dir, pieces, c.fade / target.fps, c.sound.lanes)}.flac`);
        if (!existsSync(file)) {
          // ffmpeg starts while the mix is computed and reads it from a pipe (no 47 MB file per 2 minutes).
          const mixed = filmSound({ dir, pieces, crossfadeSec: c.fade / target.fps, lanes: c.sound.lanes, signal: opts.signal }).then((m) => soundBytes(m.pcm));
          mixed.catch(() => undefined);
          await writeOnce(file, (tmp) => runFfmpeg(mixedSoundJob({ sound: soundInput('pipe:0'), output: tmp, durationSec: c.durationSec }), { signal: opts.signal, stdin: mixed }));
        }
        await keepNewest(file, SOUNDS_KEPT);
        return file;
      })();
      // Awaited after the pictures are made; a failure meanwhile must not count as unhandled.
      made.catch(() => undefined);
      return made;
    };
    const keyOf = (segs: Segment[], c: typeof cut) => {
      const durations = clipDurations(segs.map((s) => s.frames), target.fps);
      const entries: ConcatEntry[] = segs.map((s, i) => ({ path: s.video, durationSec: durations[i] }));
      const frames = planAudio({ videoFrames: segs.map((s) => s.frames), fps: target.fps, sampleRate: target.sampleRate }).frames;
      const audioKey = segs.map((s, i) => `${s.audio.kind === 'frames' ? path.basename(s.audio.file) : 'silence'}×${frames[i]}`);
      return { entries, key: cacheKey('cut-v4', target.width, target.height, concatList(entries), ...audioKey, ...laneKey(c.sound.lanes, dir), ...(c.fade ? [`xfade:${c.fade}`] : [])) };
    };

    let segments = planned.plans.map((p) => p.segment);
    let slateShotIds = planned.slates;
    let { entries, key } = keyOf(segments, cut);
    const placedOf = (starts?: number[]) => {
      let at = 0;
      return project.shots.map((shot, i) => {
        const seg = { shotId: shot.id, startSec: (starts ? starts[i] : at) / target.fps, durationSec: segments[i].frames / target.fps };
        at += segments[i].frames;
        return seg;
      });
    };
    if (previous?.key === key && existsSync(out) && !planned.plans.some((p) => p.build)) {
      report.upToDate = true;
      if (cut.sound.problems.length) report.laneProblems = cut.sound.problems;
      opts.onProgress?.(1, 'Preview is up to date');
      // The same cut under other shot ids (a duplicate's fresh id) keeps its file; the segments name today's shots.
      const fadeStarts = cut.fade ? crossfadeStarts(segments.map((s) => s.frames), cut.fade) : undefined;
      return { ...previous, playPath: await playableCopy(dir, out, key), slateShotIds, slateReasons: slateReasons(report), segments: placedOf(fadeStarts) };
    }
    if (segments.length === 0) {
      await fs.rm(out, { force: true });
      const empty: Preview = { path: PREVIEW_FILE, durationSec: 0, key, slateShotIds, slateReasons: [], segments: [] };
      await atomicWriteFile(metaFile, JSON.stringify(empty));
      return empty;
    }

    let sound = cut.mixed ? startSound(segments, cut) : undefined;
    const listFile = path.join(dir, 'cache', `cut-${key}.ffconcat`);
    const audioFile = path.join(dir, 'cache', `cut-${key}.aac`);
    // Written beside the final name and renamed, so a player never sees a half-written preview.
    const tmp = path.join(dir, 'renders', `.preview-${key}.mp4`);
    try {
      // The pictures that are missing, while the sound mixes.
      let changed = false;
      for (const [i, plan] of planned.plans.entries()) {
        if (!plan.build) continue;
        step(i + 1, `Preparing shot ${i + 1} of ${total}`);
        try {
          await plan.build();
        } catch (err) {
          if (opts.signal?.aborted || !takes[i]) throw err;
          report.problems.push({ shotId: project.shots[i].id, message: (err as Error).message });
          const slate = await planSegment({ dir, shot: project.shots[i], target, report, signal: opts.signal });
          await slate.build?.();
          segments[i] = slate.segment;
          slateShotIds = [...slateShotIds, project.shots[i].id];
          changed = true;
        }
      }
      if (changed) {
        // A take that could not be made into its piece shows a slate: the cut (and its sound) is another one.
        segments = [...segments];
        cut = await cutOf(segments);
        ({ entries, key } = keyOf(segments, cut));
        await sound?.catch(() => undefined);
        sound = cut.mixed ? startSound(segments, cut) : undefined;
      }
      const xf = cut.fade > 0 ? await crossfadedPicture({ dir, clips: segments.map((s) => ({ file: s.video, frames: s.frames })), fadeFrames: cut.fade, target, signal: opts.signal }) : undefined;
      if (xf) Object.assign(report, { transitionsEncoded: xf.encoded, transitionSecEncoded: xf.encodedSec });
      if (cut.sound.problems.length) report.laneProblems = cut.sound.problems;
      const durationSec = (xf ? xf.plan.totalFrames : segments.reduce((n, s) => n + s.frames, 0)) / target.fps;
      await fs.mkdir(path.dirname(listFile), { recursive: true });
      await fs.writeFile(listFile, concatList(xf ? xf.entries : entries));

      step(total + 1, 'Joining clips');
      let job;
      if (sound) {
        // Music, voice-over or crossfades: the mixed sound, made alongside the pictures.
        step(total + 1, cut.sound.lanes.length ? 'Mixing music and voice-over' : 'Mixing the crossfades');
        const flac = await sound;
        step(total + 1, 'Joining clips');
        job = stitchMixedMuxJob({ videoList: listFile, sound: { source: flac, options: [] }, soundIsFlac: true, output: tmp, durationSec });
      } else {
        // No lanes, no crossfade: the clips' own AAC frames are copied.
        const expected = { objectType: 2, sampleRateIndex: adtsSampleRateIndex(target.sampleRate), channels: target.channels };
        const loaded = await loadAudio(segments, opts.signal);
        report.audioExtracted = loaded.extracted;
        const clips = segments.map((s) => {
          if (s.audio.kind === 'silence') return undefined;
          const frames = loaded.frames.get(s.audio.file)!;
          const f = frames[0] && adtsFormat(frames[0]);
          if (f && (f.sampleRateIndex !== expected.sampleRateIndex || f.channels !== expected.channels || f.objectType !== expected.objectType)) {
            throw new StudioError('FFMPEG_FAILED', `The sound of ${path.basename(s.video)} is not in the cut's format; delete the project's cache folder and stitch again.`);
          }
          return frames;
        });
        const plan = planAudio({ videoFrames: segments.map((s) => s.frames), fps: target.fps, sampleRate: target.sampleRate });
        // Encoded silence is made (once per project) only when a clip has less sound than picture.
        const silence = needsSilence(clips, plan.frames) ? await silentFrame(dir, target, opts.signal) : undefined;
        await fs.writeFile(audioFile, assembleAudio({ clips, frames: plan.frames, silentFrame: silence }));
        job = stitchMuxJob({ videoList: listFile, audio: audioFile, output: tmp, durationSec, target });
      }
      await runFfmpeg(job, {
        signal: opts.signal,
        onProgress: (f) => opts.onProgress?.((total + 1 + f) / (total + 2), 'Joining clips'),
      });
      // Renamed over the old one, so a reader of renders/preview.mp4 always finds a whole cut.
      await fs.rename(tmp, out);
      const preview: Preview = { path: PREVIEW_FILE, playPath: await playableCopy(dir, out, key), durationSec, key, slateShotIds, slateReasons: slateReasons(report), segments: placedOf(xf?.plan.starts) };
      await replaceDerivedFile(metaFile, JSON.stringify(preview));
      opts.onProgress?.(1, 'Preview ready');
      return preview;
    } finally {
      // A sound still being made must finish (or fail) before its files are removed.
      await sound?.catch(() => undefined);
      await fs.rm(tmp, { force: true });
      await fs.rm(listFile, { force: true });
      await fs.rm(audioFile, { force: true });
    }
  } finally {
    await saveProbeCache(dir).catch(() => {
      /* only a cache: the next stitch probes again */
    });
    opts.onReport?.(report);
  }
}

/** Where each piece starts, in frames, when each overlaps the one before by `fade` frames. */
function crossfadeStarts(frames: number[], fade: number): number[] {
  let at = 0;
  return frames.map((f) => {
    const start = at;
    at += f - fade;
    return start;
  });
}

/** One reason per shot whose take could not be used (the first problem found for it). */
function slateReasons(report: StitchReport): { shotId: string; message: string }[] {
  const seen = new Set<string>();
  return report.problems.filter((p) => !seen.has(p.shotId) && seen.add(p.shotId));
}
