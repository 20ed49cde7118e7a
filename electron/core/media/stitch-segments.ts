// One shot's piece of the stitched cut (docs/architecture.md §7): its take's clip as it is, a proxy of it
// (another format, or a trim), or a slate for a shot with no take — built where it is missing, in cache/,
// named by content so a reorder or a retime of other shots re-encodes nothing.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Shot } from '../../../shared/schema';
import { formatDuration } from '../../../shared/time';
import { shotCut } from '../../../shared/trim';
import { cacheKey, writeOnce } from './cache-files';
import { renderCard } from './cards';
import { encoderReference } from './encoder-reference';
import { cardFrames, normalizeAudioJob, normalizeJob, type StitchTarget } from './ffmpeg-args';
import { runFfmpeg, type ProbeResult } from './ffmpeg';
import { probeCached } from './probe-cache';
import { slateFrames } from './slate-frames';
import type { StitchReport } from './stitch';
import { audioMatchesTarget, framesOf } from './stitch-rules';
import { buildTrimmedProxy } from './trim-pieces';

/** The clip a shot contributes to the cut: its selected ready take, if the file is there. */
export function cutTake(shot: Shot) {
  const take = shot.takes.find((t) => t.id === shot.selectedTakeId);
  return take?.status === 'ready' && take.media ? take : undefined;
}

/**
 * A placeholder of the shot's length for a shot with no take. It shows what the shot is, not where it is:
 * a slate carrying its position would be re-rendered after every reorder. Named by its content.
 */
function slateOf(opts: { dir: string; shot: Shot; target: StitchTarget }) {
  const { dir, shot, target: t } = opts;
  const content = {
    label: 'NO TAKE YET',
    title: shot.title || 'Untitled shot',
    body: shot.prompt,
    footer: `${formatDuration(shot.durationSec)}  ·  slate`,
  };
  // Its pictures too (media/refs/ names them by content), so a new start frame makes a new slate.
  const frames = slateFrames(dir, shot);
  const key = cacheKey('slate-v3', t.width, t.height, shot.durationSec, content.label, content.title, content.body, content.footer, ...(frames ? [shot.startFrame!, shot.endFrame ?? ''] : []));
  return { file: path.join(dir, 'cache', 'slates', `${key}.mp4`), content, frames };
}

export type AudioSource = { kind: 'frames'; file: string; extractFrom?: string } | { kind: 'silence' };

export interface Segment {
  shotId: string;
  /** The file whose picture is copied into the cut. */
  video: string;
  frames: number;
  audio: AudioSource;
  /** Where its sound comes from when the cut's sound is mixed (film-sound.ts): the take itself from its in point, or nothing (a slate is silent). */
  sound: { file: string; startSec: number; hasAudio: boolean };
}

/**
 * A shot's piece of the cut before its files are made: the segment as it will be (its length known from the
 * cut's arithmetic, not from probing a file that does not exist yet), and how to make what is missing. The
 * stitch mixes the cut's sound from the plans while the pictures are being made.
 */
export interface SegmentPlan {
  segment: Segment;
  /** Makes the piece's missing files. */
  build?: () => Promise<void>;
}

/** A take of a shot, probed: `copyPicture` when its picture can go into the cut as it is. */
export interface CutClip { file: string; sha256: string; info: ProbeResult; copyPicture: boolean }

const audioFile = (dir: string, name: string) => path.join(dir, 'cache', 'audio', `${name}.aac`);

/** A piece file we encoded ourselves (slate, proxy), as the cut reads it. */
async function asGenerated(dir: string, shotId: string, file: string, t: StitchTarget): Promise<Segment> {
  const info = await probeCached(file, { projectDir: dir });
  return {
    shotId,
    video: file,
    frames: framesOf(info, t.fps),
    audio: info.audio ? { kind: 'frames', file: audioFile(dir, path.basename(file, '.mp4')), extractFrom: file } : { kind: 'silence' },
    sound: { file, startSec: 0, hasAudio: Boolean(info.audio) },
  };
}

/** Everything the cut needs from one shot, built (proxy, slate, converted sound) where it is missing. */
export async function segmentFor(opts: Parameters<typeof planSegment>[0]): Promise<Segment> {
  const plan = await planSegment(opts);
  await plan.build?.();
  return plan.segment;
}

/**
 * What one shot contributes to the cut. Slates and trimmed proxies that are missing are planned (made by
 * `build`); a whole-clip proxy of another format, or converted sound, is made here, as it is rare after import.
 */
export async function planSegment(opts: {
  dir: string;
  shot: Shot;
  target: StitchTarget;
  take?: CutClip;
  report: StitchReport;
  /** The cut's sound is mixed: a trimmed proxy is made without sound of its own (it would not be heard). */
  mixed?: boolean;
  signal?: AbortSignal;
}): Promise<SegmentPlan> {
  const { dir, shot, target: t, report } = opts;
  const take = opts.take;
  if (!take) {
    const slate = slateOf({ dir, shot, target: t });
    // A slate's sound is silence: the mixer is told it has none rather than decoding it.
    const silent = { file: slate.file, startSec: 0, hasAudio: false };
    if (existsSync(slate.file)) return { segment: { ...(await asGenerated(dir, shot.id, slate.file, t)), sound: silent } };
    const segment: Segment = {
      shotId: shot.id,
      video: slate.file,
      frames: cardFrames(t, shot.durationSec),
      audio: { kind: 'frames', file: audioFile(dir, path.basename(slate.file, '.mp4')), extractFrom: slate.file },
      sound: silent,
    };
    const build = async () => {
      await renderCard({ target: t, durationSec: shot.durationSec, content: slate.content, style: 'slate', output: slate.file, frames: slate.frames, signal: opts.signal });
      report.slatesRendered.push(shot.id);
    };
    return { segment, build };
  }
  const { info, sha256 } = take;
  const clipFrames = framesOf(info, t.fps);
  // The shot's part of its take (shared/trim.ts): only that piece is re-encoded, cached by the clip's content and the cut.
  const trim = shotCut(shot, clipFrames, t.fps);
  const stem = `${sha256.slice(0, 16)}-${t.width}x${t.height}-${t.fps}`;
  if (trim) {
    const startFrame = trim.startFrame;
    const frames = trim.endFrame - startFrame + trim.holdFrames;
    // With mixed sound the proxy is picture only (its own sound would be thrown away, and encoding it is most of a retime's wait).
    const name = `${stem}-t${startFrame}-${trim.endFrame}${trim.holdFrames ? `-h${trim.holdFrames}` : ''}${opts.mixed ? '-pic' : ''}`;
    const proxy = path.join(dir, 'cache', 'proxies', `${name}.mp4`);
    const hasAudio = !opts.mixed;
    const segment: Segment = {
      shotId: shot.id,
      video: proxy,
      frames,
      audio: hasAudio ? { kind: 'frames', file: audioFile(dir, name), extractFrom: proxy } : { kind: 'silence' },
      // Mixed sound comes from the take itself (as the export reads it), not from the proxy's re-encoded copy.
      sound: { file: take.file, startSec: startFrame / t.fps, hasAudio: Boolean(info.audio) },
    };
    if (existsSync(proxy)) return { segment };
    const build = async () => {
      report.proxiesBuilt.push(shot.id);
      // A trim re-encodes only the pieces off the keyframes of a picture in our encoding: the take's, or its whole-clip proxy (trim-pieces.ts).
      const ours = Boolean(take.copyPicture && info.video?.extradataHash && info.video.extradataHash === (await encoderReference(dir, t).catch(() => undefined)));
      const whole = path.join(dir, 'cache', 'proxies', `${stem}.mp4`);
      const picture = ours ? take.file : existsSync(whole) ? whole : undefined;
      await writeOnce(proxy, (tmp) =>
        buildTrimmedProxy({ dir, source: take.file, hasAudio: Boolean(info.audio), withSound: hasAudio, cut: trim, picture, target: t, output: tmp, signal: opts.signal }).then(() => {}),
      );
    };
    return { segment, build };
  }
  if (!take.copyPicture) {
    const proxy = path.join(dir, 'cache', 'proxies', `${stem}.mp4`);
    if (!existsSync(proxy)) {
      report.proxiesBuilt.push(shot.id);
      await writeOnce(proxy, (tmp) => runFfmpeg(normalizeJob({ source: take.file, hasAudio: Boolean(info.audio), durationSec: clipFrames / t.fps, target: t, output: tmp }), { signal: opts.signal }));
    }
    return { segment: { ...(await asGenerated(dir, shot.id, proxy, t)), sound: { file: take.file, startSec: 0, hasAudio: Boolean(info.audio) } } };
  }
  report.copied.push(shot.id);
  const name = sha256.slice(0, 16);
  const sound = { file: take.file, startSec: 0, hasAudio: Boolean(info.audio) };
  const copied = { shotId: shot.id, video: take.file, frames: clipFrames, sound };
  if (audioMatchesTarget(info, t)) return { segment: { ...copied, audio: { kind: 'frames', file: audioFile(dir, name), extractFrom: take.file } } };
  if (!info.audio) return { segment: { ...copied, audio: { kind: 'silence' } } };
  const converted = audioFile(dir, `${name}-${t.sampleRate}x${t.channels}`);
  if (!existsSync(converted)) {
    report.audioConverted.push(shot.id);
    await writeOnce(converted, (tmp) => runFfmpeg(normalizeAudioJob({ source: take.file, durationSec: clipFrames / t.fps, target: t, output: tmp }), { signal: opts.signal }));
  }
  return { segment: { ...copied, audio: { kind: 'frames', file: converted } } };
}
