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
import { normalizeAudioJob, normalizeJob, type StitchTarget } from './ffmpeg-args';
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
  const key = cacheKey('slate-v2', t.width, t.height, shot.durationSec, content.label, content.title, content.body, content.footer, ...(frames ? [shot.startFrame!, shot.endFrame ?? ''] : []));
  const file = path.join(dir, 'cache', 'slates', `${key}.mp4`);
  if (existsSync(file)) return { file, rendered: false };
  await renderCard({ target: t, durationSec: shot.durationSec, content, style: 'slate', output: file, frames, signal: opts.signal });
  return { file, rendered: true };
}

export type AudioSource = { kind: 'frames'; file: string; extractFrom?: string } | { kind: 'silence' };

export interface Segment {
  shotId: string;
  /** The file whose picture is copied into the cut. */
  video: string;
  frames: number;
  audio: AudioSource;
  /** Where its sound comes from when the cut's sound is mixed (film-sound.ts): the take itself from its in point, or the slate. */
  sound: { file: string; startSec: number; hasAudio: boolean };
}

/** A take of a shot, probed: `copyPicture` when its picture can go into the cut as it is. */
export interface CutClip { file: string; sha256: string; info: ProbeResult; copyPicture: boolean }

/** Everything the cut needs from one shot, built (proxy, slate, converted sound) where it is missing. */
export async function segmentFor(opts: {
  dir: string;
  shot: Shot;
  target: StitchTarget;
  take?: CutClip;
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
      await writeOnce(proxy, async (tmp) => {
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
    await writeOnce(converted, (tmp) => runFfmpeg(normalizeAudioJob({ source: take.file, durationSec: clipFrames / t.fps, target: t, output: tmp }), { signal: opts.signal }));
  }
  return { shotId: shot.id, video: take.file, frames: clipFrames, audio: { kind: 'frames', file: converted }, sound };
}
