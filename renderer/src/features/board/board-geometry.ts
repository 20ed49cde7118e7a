// Board arithmetic as pure functions: how a shot's picture sits in its card, where a card dragged over
// the wrapping grid lands, which card an arrow key goes to, and what the multi-shot marker says. The
// component only measures the cards and calls these, so the rules are tested without a browser
// (tests/unit/renderer/board-geometry.test.ts).
import type { AspectRatio } from '../../../../shared/schema';

/** Width over height. */
export function ratioOf(aspect: AspectRatio): number {
  const [w, h] = aspect.split(':').map(Number);
  return w > 0 && h > 0 ? w / h : 16 / 9;
}

/**
 * A picture of ratio `inner` fitted into a well of ratio `outer` (both width / height), as percentages of
 * the well: a 9:16 shot in a 16:9 project's card is pillarboxed, so every card of a row is the same height
 * and the shot still shows its own shape.
 */
export function fitBox({ outer, inner }: { outer: number; inner: number }): { widthPct: number; heightPct: number } {
  if (!(outer > 0) || !(inner > 0)) return { widthPct: 100, heightPct: 100 };
  if (inner < outer) return { widthPct: round2((inner / outer) * 100), heightPct: 100 };
  return { widthPct: 100, heightPct: round2((outer / inner) * 100) };
}

const round2 = (v: number) => Math.round(v * 100) / 100;

export interface CardRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The cards of one visual row of the grid, as indexes into the ordered rects. */
export function rowsOf(rects: readonly CardRect[]): number[][] {
  const rows: number[][] = [];
  let rowTop = Number.NaN;
  rects.forEach((r, i) => {
    // A card starts a new row when it sits lower than the row's first card (half a card of slack).
    if (rows.length === 0 || r.top > rowTop + r.height / 2) {
      rows.push([i]);
      rowTop = r.top;
    } else {
      rows[rows.length - 1].push(i);
    }
  });
  return rows;
}

/** How many cards a full row holds (the first row's length). */
export function columnCount(rects: readonly CardRect[]): number {
  return Math.max(1, rowsOf(rects)[0]?.length ?? 1);
}

export interface DropSpot {
  /** The gap the dragged cards go into: 0 = before the first card, n = after the last. */
  gap: number;
  /** Where the drop line is drawn: a vertical line between two cards (same coordinates as the rects). */
  line: { x: number; top: number; height: number };
}

/**
 * The gap under a point (in the rects' coordinates). The row is the one the point is in, or the nearest
 * one; within it, a point left of a card's middle lands before that card, past the last card's middle
 * after it — so the line is always drawn where the card will go.
 */
export function dropSpotAt({ rects, x, y, gapPx = 12 }: { rects: readonly CardRect[]; x: number; y: number; gapPx?: number }): DropSpot | null {
  if (rects.length === 0) return null;
  const rows = rowsOf(rects);
  let row = rows[0];
  let best = Number.POSITIVE_INFINITY;
  for (const candidate of rows) {
    const r = rects[candidate[0]];
    const distance = y < r.top ? r.top - y : y > r.top + r.height ? y - (r.top + r.height) : 0;
    if (distance < best) {
      best = distance;
      row = candidate;
    }
  }
  const half = gapPx / 2;
  for (const i of row) {
    const r = rects[i];
    if (x < r.left + r.width / 2) return { gap: i, line: { x: r.left - half, top: r.top, height: r.height } };
  }
  const last = rects[row[row.length - 1]];
  return { gap: row[row.length - 1] + 1, line: { x: last.left + last.width + half, top: last.top, height: last.height } };
}

export type GridKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End' | 'PageUp' | 'PageDown';

/**
 * The card an arrow key goes to from `index` in a grid of `columns`: ←/→ step through the order (and wrap
 * to the next row, as reading does), ↑/↓ go a row up or down, PageUp/PageDown `pageRows` rows, Home/End
 * the first and last card. Stays put at the edges.
 */
export function gridStep({ index, count, columns, key, pageRows = 3 }: { index: number; count: number; columns: number; key: GridKey; pageRows?: number }): number {
  if (count <= 0) return -1;
  const cols = Math.max(1, columns);
  const from = Math.min(Math.max(index, 0), count - 1);
  const clamp = (v: number) => Math.min(Math.max(v, 0), count - 1);
  switch (key) {
    case 'ArrowLeft':
      return clamp(from - 1);
    case 'ArrowRight':
      return clamp(from + 1);
    case 'ArrowUp':
      return from - cols >= 0 ? from - cols : from;
    case 'ArrowDown':
      // From a full row to a shorter last row: the last card, rather than nothing.
      return from + cols < count ? from + cols : Math.floor(from / cols) < Math.floor((count - 1) / cols) ? count - 1 : from;
    case 'PageUp':
      return clamp(from - cols * pageRows < 0 ? from % cols : from - cols * pageRows);
    case 'PageDown':
      return clamp(from + cols * pageRows);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
  }
}

/** What moves with a dragged card: the multi-selection it belongs to, else its multi-shot group, else itself. */
export function movingIdsFor({ id, selectedIds, groups }: { id: string; selectedIds: readonly string[]; groups: readonly { shotIds: readonly string[] }[] }): string[] {
  if (selectedIds.length > 1 && selectedIds.includes(id)) return [...selectedIds];
  const group = groups.find((g) => g.shotIds.includes(id));
  return group ? [...group.shotIds] : [id];
}

export interface GroupMark {
  /** 1-based place of the shot in its group, in timeline order. */
  position: number;
  count: number;
  /** The group's length (the sum of its shots' durations). */
  seconds: number;
  /** Shot numbers (1-based) of the group's first and last shot. */
  from: number;
  to: number;
}

/** The multi-shot marker of every grouped shot, keyed by shot id. */
export function groupMarks({ ids, durations, groups }: { ids: readonly string[]; durations: readonly number[]; groups: readonly { shotIds: readonly string[] }[] }): Map<string, GroupMark> {
  const index = new Map(ids.map((id, i) => [id, i]));
  const marks = new Map<string, GroupMark>();
  for (const g of groups) {
    const at = g.shotIds
      .map((id) => index.get(id))
      .filter((i): i is number => i !== undefined)
      .sort((a, b) => a - b);
    if (at.length === 0) continue;
    const seconds = at.reduce((sum, i) => sum + (durations[i] ?? 0), 0);
    at.forEach((i, k) => marks.set(ids[i], { position: k + 1, count: at.length, seconds, from: at[0] + 1, to: at[at.length - 1] + 1 }));
  }
  return marks;
}
