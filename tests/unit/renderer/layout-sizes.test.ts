import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYOUT, fitLayout, layoutRange, LAYOUT_STORAGE_KEY, loadLayout, parseLayout, saveLayout } from '../../../renderer/src/features/layout/layout-sizes';
import { shotIndexAtCutTime } from '../../../renderer/src/features/layout/playing-shot';

describe('remembered layout', () => {
  it('uses the defaults when nothing or garbage was stored', () => {
    expect(parseLayout(null)).toEqual(DEFAULT_LAYOUT);
    expect(parseLayout('{not json')).toEqual(DEFAULT_LAYOUT);
    expect(parseLayout('42')).toEqual(DEFAULT_LAYOUT);
    expect(parseLayout('null')).toEqual(DEFAULT_LAYOUT);
  });

  it('keeps each good value and drops each bad one on its own', () => {
    expect(parseLayout(JSON.stringify({ left: 330, right: 'wide', bottom: Number.NaN }))).toEqual({ ...DEFAULT_LAYOUT, left: 330 });
  });

  it('pulls values from another build back into range', () => {
    expect(parseLayout(JSON.stringify({ left: 5, right: 99999, bottom: 20 }))).toEqual({ left: 200, right: 640, bottom: 140 });
  });

  it('round-trips through storage, and survives storage that throws', () => {
    const data = new Map<string, string>();
    const storage = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
    saveLayout({ left: 300, right: 400, bottom: 362 }, storage);
    expect(data.has(LAYOUT_STORAGE_KEY)).toBe(true);
    expect(loadLayout(storage)).toEqual({ left: 300, right: 400, bottom: 362 });
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('full');
      },
    };
    expect(loadLayout(broken)).toEqual(DEFAULT_LAYOUT);
    expect(() => saveLayout(DEFAULT_LAYOUT, broken)).not.toThrow();
  });
});

describe('fitting the layout into the window', () => {
  it('leaves the sizes alone when there is room', () => {
    expect(fitLayout({ sizes: { left: 300, right: 400, bottom: 300 }, width: 1440, height: 800 })).toEqual({ left: 300, right: 400, bottom: 300 });
  });

  it('keeps the preview at least 320 px wide: the inspector gives way first', () => {
    const fit = fitLayout({ sizes: { left: 400, right: 600, bottom: 212 }, width: 1100, height: 800 });
    expect(fit.left).toBe(400);
    expect(fit.right).toBe(1100 - 400 - 320 - 2);
    const narrow = fitLayout({ sizes: { left: 500, right: 600, bottom: 212 }, width: 960, height: 800 });
    expect(narrow.right).toBe(300);
    expect(narrow.left).toBe(960 - 300 - 320 - 2);
  });

  it('keeps the top row at least 300 px high', () => {
    expect(fitLayout({ sizes: { ...DEFAULT_LAYOUT, bottom: 700 }, width: 1440, height: 700 }).bottom).toBe(399);
  });

  it('does nothing before the grid is measured', () => {
    expect(fitLayout({ sizes: { left: 500, right: 600, bottom: 800 }, width: 0, height: 0 })).toEqual({ left: 500, right: 600, bottom: 800 });
  });

  it('gives each splitter the range the other regions leave', () => {
    expect(layoutRange({ key: 'left', sizes: { left: 280, right: 360, bottom: 212 }, width: 1440, height: 800 })).toEqual({ min: 200, max: 560 });
    expect(layoutRange({ key: 'right', sizes: { left: 280, right: 360, bottom: 212 }, width: 1000, height: 800 })).toEqual({ min: 300, max: 1000 - 280 - 320 - 2 });
    expect(layoutRange({ key: 'bottom', sizes: DEFAULT_LAYOUT, width: 1440, height: 600 })).toEqual({ min: 140, max: 299 });
  });
});

describe('the shot under the playhead', () => {
  const map = { starts: [0, 3, 9], lengths: [3, 6, 5], cutStarts: [0, 3, 3, 7], cutLengths: [3, 0, 4, 2] };

  it('maps a moment of the cut to the shot showing it', () => {
    expect(shotIndexAtCutTime(map, 0)).toBe(0);
    expect(shotIndexAtCutTime(map, 2.99)).toBe(0);
    expect(shotIndexAtCutTime(map, 6.5)).toBe(2);
    expect(shotIndexAtCutTime(map, 7)).toBe(3);
    expect(shotIndexAtCutTime(map, 99)).toBe(3);
  });

  it('skips a shot that takes no time in the cut', () => {
    expect(shotIndexAtCutTime(map, 3)).toBe(2);
  });

  it('has no shot in an empty cut', () => {
    expect(shotIndexAtCutTime({ starts: [], lengths: [], cutStarts: [], cutLengths: [] }, 1)).toBe(-1);
  });
});
