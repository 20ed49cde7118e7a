// The Board's arithmetic (renderer/src/features/board/board-geometry.ts) and the remembered view choice.
import { describe, expect, it } from 'vitest';
import { columnCount, dropSpotAt, fitBox, gridStep, groupMarks, movingIdsFor, ratioOf, rowsOf, type CardRect } from '../../../renderer/src/features/board/board-geometry';
import { moveTarget } from '../../../renderer/src/features/timeline/geometry';
import { parseCentreView } from '../../../renderer/src/store/ui-slice';

/** Cards of 200 × 150 with 12 px gaps, `columns` to a row, as the grid lays them out. */
function layout(count: number, columns: number): CardRect[] {
  return Array.from({ length: count }, (_, i) => ({ left: (i % columns) * 212, top: Math.floor(i / columns) * 162, width: 200, height: 150 }));
}

describe('ratioOf and fitBox', () => {
  it('reads aspect ratios as width over height', () => {
    expect(ratioOf('16:9')).toBeCloseTo(16 / 9);
    expect(ratioOf('9:16')).toBeCloseTo(9 / 16);
    expect(ratioOf('1:1')).toBe(1);
  });

  it('pillarboxes a narrower shot and letterboxes a wider one; the same shape fills the well', () => {
    expect(fitBox({ outer: 16 / 9, inner: 16 / 9 })).toEqual({ widthPct: 100, heightPct: 100 });
    // 9:16 in 16:9: full height, (9/16)/(16/9) = 31.64 % of the width.
    expect(fitBox({ outer: 16 / 9, inner: 9 / 16 })).toEqual({ widthPct: 31.64, heightPct: 100 });
    expect(fitBox({ outer: 16 / 9, inner: 1 })).toEqual({ widthPct: 56.25, heightPct: 100 });
    // 16:9 in a 9:16 project: full width, a strip of the height.
    expect(fitBox({ outer: 9 / 16, inner: 16 / 9 })).toEqual({ widthPct: 100, heightPct: 31.64 });
    expect(fitBox({ outer: 0, inner: 1 })).toEqual({ widthPct: 100, heightPct: 100 });
  });
});

describe('rows and columns', () => {
  it('groups cards into the rows the grid wrapped them into', () => {
    expect(rowsOf(layout(7, 3))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(columnCount(layout(7, 3))).toBe(3);
    expect(columnCount(layout(2, 4))).toBe(2);
    expect(columnCount([])).toBe(1);
  });
});

describe('dropSpotAt', () => {
  const rects = layout(7, 3); // rows: 0 1 2 / 3 4 5 / 6

  it('lands before a card when the pointer is left of its middle, after it when right', () => {
    expect(dropSpotAt({ rects, x: 20, y: 60 })?.gap).toBe(0);
    expect(dropSpotAt({ rects, x: 150, y: 60 })?.gap).toBe(1);
    expect(dropSpotAt({ rects, x: 230, y: 60 })?.gap).toBe(1);
    expect(dropSpotAt({ rects, x: 330, y: 220 })?.gap).toBe(5);
  });

  it('past the middle of the last card of a row, the gap is after it, and the line is drawn on its right', () => {
    const spot = dropSpotAt({ rects, x: 560, y: 200, gapPx: 12 });
    expect(spot?.gap).toBe(6);
    expect(spot?.line).toEqual({ x: 424 + 200 + 6, top: 162, height: 150 });
    // The line for "before card 3" sits at the start of the second row, not at the end of the first.
    expect(dropSpotAt({ rects, x: 10, y: 200, gapPx: 12 })?.line).toEqual({ x: -6, top: 162, height: 150 });
  });

  it('picks the nearest row for a point in the gap between rows, above the first or below the last', () => {
    expect(dropSpotAt({ rects, x: 20, y: 155 })?.gap).toBe(0); // 5 px below row 0, 7 px above row 1
    expect(dropSpotAt({ rects, x: 20, y: 160 })?.gap).toBe(3);
    expect(dropSpotAt({ rects, x: 20, y: -80 })?.gap).toBe(0);
    expect(dropSpotAt({ rects, x: 150, y: 900 })?.gap).toBe(7); // after the very last card
    expect(dropSpotAt({ rects, x: 900, y: 400 })?.gap).toBe(7);
  });

  it('feeds the timeline’s move rule: a drop where the card already is changes nothing', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const spot = dropSpotAt({ rects, x: 150, y: 60 })!; // right half of a: gap 1, where b already is
    expect(moveTarget({ orderedIds: ids, movingIds: ['b'], gap: spot.gap })).toBeNull();
    // g dragged to the front of the board.
    const front = dropSpotAt({ rects, x: 5, y: 10 })!;
    expect(moveTarget({ orderedIds: ids, movingIds: ['g'], gap: front.gap })).toEqual({ ids: ['g'], toIndex: 0 });
  });

  it('has nowhere to drop on an empty board', () => {
    expect(dropSpotAt({ rects: [], x: 0, y: 0 })).toBeNull();
  });
});

describe('gridStep', () => {
  const step = (index: number, key: Parameters<typeof gridStep>[0]['key'], count = 10, columns = 4) => gridStep({ index, count, columns, key });

  it('←/→ follow the cut order across rows and stop at the ends', () => {
    expect(step(3, 'ArrowRight')).toBe(4);
    expect(step(4, 'ArrowLeft')).toBe(3);
    expect(step(0, 'ArrowLeft')).toBe(0);
    expect(step(9, 'ArrowRight')).toBe(9);
  });

  it('↑/↓ go a row up or down; into a short last row they land on its last card', () => {
    expect(step(1, 'ArrowDown')).toBe(5);
    expect(step(5, 'ArrowUp')).toBe(1);
    expect(step(1, 'ArrowUp')).toBe(1);
    // Rows: 0–3, 4–7, 8–9. From 7 down: no card 11, so the last card.
    expect(step(7, 'ArrowDown')).toBe(9);
    expect(step(9, 'ArrowDown')).toBe(9);
  });

  it('Home/End and PageUp/PageDown', () => {
    expect(step(6, 'Home')).toBe(0);
    expect(step(2, 'End')).toBe(9);
    expect(gridStep({ index: 1, count: 40, columns: 4, key: 'PageDown', pageRows: 3 })).toBe(13);
    expect(gridStep({ index: 13, count: 40, columns: 4, key: 'PageUp', pageRows: 3 })).toBe(1);
    expect(gridStep({ index: 6, count: 40, columns: 4, key: 'PageUp', pageRows: 3 })).toBe(2);
    expect(gridStep({ index: 38, count: 40, columns: 4, key: 'PageDown', pageRows: 3 })).toBe(39);
  });

  it('says -1 for an empty board', () => {
    expect(gridStep({ index: 0, count: 0, columns: 3, key: 'ArrowRight' })).toBe(-1);
  });
});

describe('what a drag moves', () => {
  const groups = [{ shotIds: ['b', 'c'] }];

  it('the multi-selection the card belongs to, else its group, else the card', () => {
    expect(movingIdsFor({ id: 'a', selectedIds: ['a', 'd'], groups })).toEqual(['a', 'd']);
    expect(movingIdsFor({ id: 'e', selectedIds: ['a', 'd'], groups })).toEqual(['e']);
    expect(movingIdsFor({ id: 'c', selectedIds: ['c'], groups })).toEqual(['b', 'c']);
    expect(movingIdsFor({ id: 'a', selectedIds: [], groups })).toEqual(['a']);
  });
});

describe('groupMarks', () => {
  it('numbers each grouped shot within its group, in cut order, with the group’s length and span', () => {
    const marks = groupMarks({ ids: ['a', 'b', 'c', 'd', 'e'], durations: [3, 4, 5, 3, 6], groups: [{ shotIds: ['c', 'b'] }, { shotIds: ['d', 'e'] }] });
    expect(marks.get('a')).toBeUndefined();
    expect(marks.get('b')).toEqual({ position: 1, count: 2, seconds: 9, from: 2, to: 3 });
    expect(marks.get('c')).toEqual({ position: 2, count: 2, seconds: 9, from: 2, to: 3 });
    expect(marks.get('e')).toEqual({ position: 2, count: 2, seconds: 9, from: 4, to: 5 });
  });

  it('ignores ids no longer in the project', () => {
    const marks = groupMarks({ ids: ['a', 'b'], durations: [3, 4], groups: [{ shotIds: ['a', 'gone'] }, { shotIds: ['x', 'y'] }] });
    expect(marks.get('a')).toEqual({ position: 1, count: 1, seconds: 3, from: 1, to: 1 });
    expect(marks.size).toBe(1);
  });
});

describe('the remembered centre view', () => {
  it('is the board only when the board was chosen; anything else is the preview', () => {
    expect(parseCentreView('board')).toBe('board');
    expect(parseCentreView('preview')).toBe('preview');
    expect(parseCentreView(null)).toBe('preview');
    expect(parseCentreView('Board')).toBe('preview');
    expect(parseCentreView('{"view":"board"}')).toBe('preview');
  });
});
