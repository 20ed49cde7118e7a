// Lumenfall's size rules for kling-v3 (docs/providers.md §4.3), as pure functions: a `size` or ratio snaps to
// the nearest one the catalogue lists, dimensions clamp to the model's limits keeping the ratio.
import { StudioError } from '../../../shared/errors';

/** What Lumenfall's catalogue lists for kling-v3 (docs/providers.md §4.3). */
export const KLING_V3_ON_LUMENFALL = {
  aspectRatios: ['16:9', '9:16', '1:1'],
  sizes: ['1365x768', '768x1365', '1024x1024'],
  resolutions: ['1K'],
  /** The listed sizes bound every side (1365) and the pixel count (1024×1024 ≥ 1365×768). */
  sizeLimits: { maxWidth: 1365, maxHeight: 1365, maxPixels: 1024 * 1024, minWidth: 300, minHeight: 300 },
} as const;


// ---------------------------------------------------------------------------------------------------
// The seed's size rules, as pure functions.

/** Parses "16:9", "1920x1080", "1920×1080" or a number into width/height (ratio only for "W:H"). */
export function parseRatio(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*[:x×/]\s*(\d+(?:\.\d+)?)\s*$/i.exec(value);
  if (!m) return undefined;
  const w = Number(m[1]);
  const h = Number(m[2]);
  return w > 0 && h > 0 ? w / h : undefined;
}

/**
 * The supported ratio nearest to `ratio`, measured on a log scale so 9:16 and 16:9 are equally far
 * from 1:1 (7:1 against 4:1 and 8:1 gives 8:1). Returns the entry of `supported` as written.
 */
export function snapAspect(ratio: string | number, supported: readonly string[]): string {
  const want = parseRatio(ratio);
  if (want === undefined) throw new RangeError(`"${ratio}" is not an aspect ratio`);
  let best = supported[0];
  let bestDistance = Infinity;
  for (const candidate of supported) {
    const r = parseRatio(candidate);
    if (r === undefined) continue;
    const distance = Math.abs(Math.log(want) - Math.log(r));
    if (distance < bestDistance - 1e-12) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

export interface SizeLimits {
  maxWidth?: number;
  maxHeight?: number;
  maxPixels?: number;
  minWidth?: number;
  minHeight?: number;
}

/** Scales width × height into the limits, keeping the ratio (shrinking wins when both would apply). */
export function clampSize(width: number, height: number, limits: SizeLimits): { width: number; height: number } {
  let shrink = 1;
  if (limits.maxWidth) shrink = Math.min(shrink, limits.maxWidth / width);
  if (limits.maxHeight) shrink = Math.min(shrink, limits.maxHeight / height);
  if (limits.maxPixels) shrink = Math.min(shrink, Math.sqrt(limits.maxPixels / (width * height)));
  let grow = 1;
  if (limits.minWidth) grow = Math.max(grow, limits.minWidth / width);
  if (limits.minHeight) grow = Math.max(grow, limits.minHeight / height);
  const scale = shrink < 1 ? shrink : grow;
  let w = Math.round(width * scale);
  let h = Math.round(height * scale);
  // Rounding may step one pixel over a maximum: step back along the ratio.
  const over = () =>
    (limits.maxWidth !== undefined && w > limits.maxWidth) ||
    (limits.maxHeight !== undefined && h > limits.maxHeight) ||
    (limits.maxPixels !== undefined && w * h > limits.maxPixels);
  if (over()) {
    w = Math.floor(width * scale);
    h = Math.floor(height * scale);
  }
  return { width: Math.max(1, w), height: Math.max(1, h) };
}

/** Nominal vertical resolution of a tier or resolution label ("standard", "pro", "4k", "720p", "1K"). */
function nominalHeight(label: string): number | undefined {
  const l = label.trim().toLowerCase();
  const named: Record<string, number> = { standard: 720, std: 720, pro: 1080, '4k': 2160, '2k': 1440, '1k': 1080, '8k': 4320 };
  if (named[l] !== undefined) return named[l];
  const p = /^(\d{3,4})p$/.exec(l);
  if (p) return Number(p[1]);
  const k = /^(\d+(?:\.\d+)?)k$/.exec(l);
  return k ? Math.round(Number(k[1]) * 1080) : undefined;
}

/** The entry of `available` whose resolution is nearest to `want` (a tier or resolution label). */
export function nearestResolution<T extends string>(want: string, available: readonly T[]): T {
  const target = nominalHeight(want);
  if (target === undefined) throw new RangeError(`"${want}" is not a resolution or tier`);
  let best = available[0];
  let bestDistance = Infinity;
  for (const candidate of available) {
    const h = nominalHeight(candidate);
    if (h === undefined) continue;
    const distance = Math.abs(Math.log(target) - Math.log(h));
    if (distance < bestDistance - 1e-12) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `size` from spec.extra under the seed's rules: snapped ratio, clamped dimensions, "WxH". */
export function normaliseSize(size: string): string {
  const { aspectRatios, sizeLimits } = KLING_V3_ON_LUMENFALL;
  const ratio = parseRatio(size);
  if (ratio === undefined) throw new StudioError('INVALID_INPUT', `Lumenfall size "${size}" is neither WIDTHxHEIGHT nor W:H.`, [`aspect ratio: "${size}" is not a size`]);
  const snapped = parseRatio(snapAspect(ratio, aspectRatios))!;
  const dims = /^\s*(\d+)\s*[x×]\s*(\d+)\s*$/i.exec(size);
  // "W:H" gives a shape only: start from the largest size that has it.
  const area = dims ? Number(dims[1]) * Number(dims[2]) : sizeLimits.maxPixels;
  const width = Math.sqrt(area * snapped);
  const { width: w, height: h } = clampSize(width, width / snapped, sizeLimits);
  return `${w}x${h}`;
}

