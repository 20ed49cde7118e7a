// The studio's resizable regions: the shot list's width, the inspector's width and the bottom row's height
// (timeline + jobs). Pure: parsing what was remembered, and fitting sizes into the room the window has.

export interface LayoutSizes {
  /** Width of the shot list column, px. */
  left: number;
  /** Width of the inspector / jobs column, px. */
  right: number;
  /** Height of the bottom row (timeline, jobs), px. */
  bottom: number;
}

export type LayoutKey = keyof LayoutSizes;

export const LAYOUT_STORAGE_KEY = 'storyreel.layout.v1';

export const DEFAULT_LAYOUT: LayoutSizes = { left: 280, right: 360, bottom: 212 };

/** Each region's own floor and ceiling; the window can make the ceiling lower (see fitLayout). */
export const LAYOUT_LIMITS: Record<LayoutKey, { min: number; max: number }> = {
  left: { min: 200, max: 560 },
  right: { min: 300, max: 640 },
  bottom: { min: 140, max: 900 },
};

/** The preview never gets narrower than this, and the top row never lower than this. */
export const MIN_PREVIEW_WIDTH = 320;
export const MIN_TOP_HEIGHT = 300;
/** The 1 px grid gaps between regions. */
const GAP = 1;

const clamp = (v: number, min: number, max: number) => Math.min(Math.max(v, min), Math.max(min, max));

/** What localStorage held, or the defaults: a value that is not a finite number is ignored on its own. */
export function parseLayout(raw: string | null | undefined): LayoutSizes {
  if (!raw) return { ...DEFAULT_LAYOUT };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ...DEFAULT_LAYOUT };
  }
  const out = { ...DEFAULT_LAYOUT };
  if (!data || typeof data !== 'object') return out;
  for (const key of Object.keys(DEFAULT_LAYOUT) as LayoutKey[]) {
    const v = (data as Record<string, unknown>)[key];
    if (typeof v === 'number' && Number.isFinite(v)) out[key] = Math.round(clamp(v, LAYOUT_LIMITS[key].min, LAYOUT_LIMITS[key].max));
  }
  return out;
}

/** The range a region may take in a container of this size, given the other regions' sizes. */
export function layoutRange({ key, sizes, width, height }: { key: LayoutKey; sizes: LayoutSizes; width: number; height: number }): { min: number; max: number } {
  const { min, max } = LAYOUT_LIMITS[key];
  if (key === 'bottom') return { min, max: Math.max(min, Math.min(max, height - MIN_TOP_HEIGHT - GAP)) };
  const other = key === 'left' ? sizes.right : sizes.left;
  return { min, max: Math.max(min, Math.min(max, width - other - MIN_PREVIEW_WIDTH - 2 * GAP)) };
}

/**
 * The sizes to apply in a container of this size. What was remembered stays the preference: in a narrow
 * window the inspector gives way first, then the shot list; in a low one the bottom row; a larger window
 * gives the room back.
 * A container not measured yet (0 × 0) leaves the sizes as they are.
 */
export function fitLayout({ sizes, width, height }: { sizes: LayoutSizes; width: number; height: number }): LayoutSizes {
  const out = { ...sizes };
  if (width > 0) {
    out.left = clamp(out.left, LAYOUT_LIMITS.left.min, layoutRange({ key: 'left', sizes: { ...out, right: LAYOUT_LIMITS.right.min }, width, height }).max);
    out.right = clamp(out.right, LAYOUT_LIMITS.right.min, layoutRange({ key: 'right', sizes: out, width, height }).max);
  }
  if (height > 0) out.bottom = clamp(out.bottom, LAYOUT_LIMITS.bottom.min, layoutRange({ key: 'bottom', sizes: out, width, height }).max);
  return out;
}

export function loadLayout(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): LayoutSizes {
  try {
    return parseLayout(storage?.getItem(LAYOUT_STORAGE_KEY));
  } catch {
    // Storage can be unavailable (privacy modes); the defaults are fine.
    return { ...DEFAULT_LAYOUT };
  }
}

export function saveLayout(sizes: LayoutSizes, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(LAYOUT_STORAGE_KEY, JSON.stringify(sizes));
  } catch {
    // Full or unavailable storage only means the sizes are not remembered next time.
  }
}
