// The stitch's pure decisions about a clip (docs/architecture.md §7): whether its picture and sound can be
// copied into a cut of the target as they are, how many frames it has, and the concat durations that put
// every clip on its exact first frame.
import type { StitchTarget } from './ffmpeg-args';
import type { ProbeResult } from './ffmpeg';

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

/** Frames of the picture, in the target's rate. */
export function framesOf(info: ProbeResult, fps: number): number {
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
