// A start/end frame of another shape than its shot: the video model (and the animatic) would crop it to
// the shot's ratio without a word. The studio warns and offers a choice — fit it whole with bars (pad) or
// crop it — and applies that choice by making a new reference image at the shot's ratio, so what the
// inspector shows is exactly what the animatic renders and what a cloud request sends.
import type { AspectRatio } from './schema';

export type FrameFitMode = 'pad' | 'crop';

/** Within this relative difference a picture counts as the shot's shape (1280×720 vs 1279×720, say). */
export const FRAME_RATIO_TOLERANCE = 0.02;
/** Reference images must have each side at least this long (shared with the providers' image limits). */
const MIN_SIDE = 300;
/** The longest side of a fitted picture: large enough for any provider, small enough for the 10 MB limit. */
const MAX_SIDE = 3840;

export function aspectValue(aspect: AspectRatio): number {
  const [w, h] = aspect.split(':').map(Number);
  return w > 0 && h > 0 ? w / h : 16 / 9;
}

/** True when a picture of this size would be cropped to fill a shot of `aspect`. */
export function frameMismatch(size: { width: number; height: number }, aspect: AspectRatio): boolean {
  if (!(size.width > 0 && size.height > 0)) return false;
  return Math.abs(size.width / size.height / aspectValue(aspect) - 1) > FRAME_RATIO_TOLERANCE;
}

/** "9:16", "16:9", "1:1" or "4:3"-style words for a picture's shape, for the warning. */
export function shapeName(size: { width: number; height: number }): string {
  const r = size.width / size.height;
  for (const a of ['16:9', '9:16', '1:1', '4:3', '3:4', '3:2', '2:3'] as const) {
    const [w, h] = a.split(':').map(Number);
    if (Math.abs(r / (w / h) - 1) <= FRAME_RATIO_TOLERANCE) return a;
  }
  return r > 1 ? 'landscape' : 'portrait';
}

export interface FramePlan {
  /** The whole picture scaled to this size… */
  scaleWidth: number;
  scaleHeight: number;
  /** …then padded (centred, black bars) or cropped (centred) to the output size, which has the shot's ratio. */
  width: number;
  height: number;
}

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);

/**
 * The sizes for fitting a `width`×`height` picture to `aspect`. Pad keeps every pixel and adds bars; crop
 * keeps the middle. The result keeps the picture's own resolution where it can, has each side ≥ 300 px
 * and the longest ≤ 3840 px.
 */
export function framePlan(input: { width: number; height: number; aspect: AspectRatio; mode: FrameFitMode }): FramePlan {
  const r = aspectValue(input.aspect);
  const { width: w, height: h } = input;
  // The output box at the picture's own scale.
  let outW = input.mode === 'pad' ? Math.max(w, h * r) : Math.min(w, h * r);
  let outH = outW / r;
  // Within the limits: grow to the minimum side, shrink to the maximum.
  const grow = Math.max(1, MIN_SIDE / Math.min(outW, outH));
  const shrink = Math.min(1, MAX_SIDE / Math.max(outW * grow, outH * grow));
  const k = grow * shrink;
  outW *= k;
  outH *= k;
  const width = even(outW);
  const height = even(outH);
  // The picture's scale: pad fits it inside the box, crop makes it cover the box.
  const s = input.mode === 'pad' ? Math.min(width / w, height / h) : Math.max(width / w, height / h);
  // (Even rounding keeps a fitted side within the even box, and a covering side at or past it.)
  return { scaleWidth: even(w * s), scaleHeight: even(h * s), width, height };
}
