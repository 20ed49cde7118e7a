import { describe, expect, it } from 'vitest';
import { capabilitiesFor } from '../../../shared/capabilities';
import {
  headTrim,
  slipIn,
  fitPps,
  gapAt,
  groupCheck,
  groupSpans,
  maxDurationInGroup,
  minDurationFor,
  moveTarget,
  nudgeTarget,
  retimeDuration,
  rulerStep,
  snapTenth,
  timecode,
  zoomStep,
  MAX_PPS,
  MIN_PPS,
} from '../../../renderer/src/features/timeline/geometry';

const shots = [
  { id: 'a', title: 'Harbour', durationSec: 3 },
  { id: 'b', title: 'Market', durationSec: 4 },
  { id: 'c', title: 'Lighthouse', durationSec: 5 },
  { id: 'd', title: '', durationSec: 3 },
  { id: 'e', title: 'Quay', durationSec: 3 },
  { id: 'f', title: 'Boat', durationSec: 3 },
  { id: 'g', title: 'Sea', durationSec: 3 },
];
const order = shots.map((s) => s.id);

describe('zoom', () => {
  it('steps by 1.5× and stays within bounds', () => {
    expect(zoomStep(40, 1)).toBe(60);
    expect(zoomStep(60, -1)).toBe(40);
    expect(zoomStep(MAX_PPS, 1)).toBe(MAX_PPS);
    expect(zoomStep(MIN_PPS, -1)).toBe(MIN_PPS);
  });
  it('fits the cut into the width, with a default for an empty cut', () => {
    expect(fitPps(800, 20)).toBe(40);
    expect(fitPps(800, 0)).toBe(40);
    expect(fitPps(100, 1500)).toBe(MIN_PPS);
  });
  it('spaces ruler labels at least 56 px apart', () => {
    expect(rulerStep(60).label).toBe(1);
    expect(rulerStep(40).label).toBe(2);
    expect(rulerStep(5).label).toBe(15);
    expect(rulerStep(0.5).label).toBe(120);
  });
});

describe('reorder', () => {
  it('drops into the nearest cut point', () => {
    const d = [3, 4, 5];
    expect(gapAt(d, 0.5)).toBe(0);
    expect(gapAt(d, 1.6)).toBe(1); // past the middle of the first shot
    expect(gapAt(d, 7.4)).toBe(2);
    expect(gapAt(d, 11)).toBe(3);
  });
  it('moves one shot before the first: toIndex counts the shots that stay', () => {
    expect(moveTarget({ orderedIds: ['a', 'b', 'c', 'd'], movingIds: ['c'], gap: 0 })).toEqual({ ids: ['c'], toIndex: 0 });
    expect(moveTarget({ orderedIds: ['a', 'b', 'c', 'd'], movingIds: ['a'], gap: 4 })).toEqual({ ids: ['a'], toIndex: 3 });
    expect(moveTarget({ orderedIds: ['a', 'b', 'c', 'd'], movingIds: ['a'], gap: 3 })).toEqual({ ids: ['a'], toIndex: 2 });
  });
  it('keeps a multi-selection in timeline order and ignores drops that change nothing', () => {
    expect(moveTarget({ orderedIds: ['a', 'b', 'c', 'd'], movingIds: ['d', 'b'], gap: 0 })).toEqual({ ids: ['b', 'd'], toIndex: 0 });
    expect(moveTarget({ orderedIds: ['a', 'b', 'c', 'd'], movingIds: ['b'], gap: 1 })).toBeNull();
    expect(moveTarget({ orderedIds: ['a', 'b', 'c', 'd'], movingIds: ['b'], gap: 2 })).toBeNull();
    expect(moveTarget({ orderedIds: ['a', 'b', 'c', 'd'], movingIds: ['b', 'c'], gap: 3 })).toBeNull();
  });
  it('nudges one place and stops at the ends', () => {
    expect(nudgeTarget({ orderedIds: ['a', 'b', 'c'], movingIds: ['b'], step: -1 })).toEqual({ ids: ['b'], toIndex: 0 });
    expect(nudgeTarget({ orderedIds: ['a', 'b', 'c'], movingIds: ['b'], step: 1 })).toEqual({ ids: ['b'], toIndex: 2 });
    expect(nudgeTarget({ orderedIds: ['a', 'b', 'c'], movingIds: ['a'], step: -1 })).toBeNull();
    expect(nudgeTarget({ orderedIds: ['a', 'b', 'c'], movingIds: ['b', 'c'], step: 1 })).toBeNull();
  });
});

describe('retime', () => {
  it('rounds to whole seconds within 3–15 s', () => {
    expect(retimeDuration({ fromSec: 4, dxPx: 80, pps: 40 })).toBe(6);
    expect(retimeDuration({ fromSec: 4, dxPx: 50, pps: 40 })).toBe(5);
    expect(retimeDuration({ fromSec: 4, dxPx: -400, pps: 40 })).toBe(3);
    expect(retimeDuration({ fromSec: 14, dxPx: 400, pps: 40 })).toBe(15);
  });
  it('keeps a grouped shot within what the group leaves', () => {
    const groups = [{ id: 'g1', shotIds: ['a', 'b'] }];
    expect(maxDurationInGroup({ shots, groups, shotId: 'b' })).toBe(12);
    expect(maxDurationInGroup({ shots, groups, shotId: 'c' })).toBe(15);
    expect(retimeDuration({ fromSec: 4, dxPx: 400, pps: 40, maxSec: 12 })).toBe(12);
  });
  it('lets a grouped shot go down to 1 s where the provider allows it, and keeps a shot alone at 3 s', () => {
    const groups = [{ id: 'g1', shotIds: ['a', 'b'] }];
    const fal = capabilitiesFor('fal', 'standard');
    const minA = minDurationFor({ groups, shotId: 'a', caps: fal });
    const minC = minDurationFor({ groups, shotId: 'c', caps: fal });
    expect([minA, minC]).toEqual([1, 3]);
    expect(retimeDuration({ fromSec: 3, dxPx: -400, pps: 40, minSec: minA })).toBe(1);
    expect(retimeDuration({ fromSec: 3, dxPx: -400, pps: 40, minSec: minC })).toBe(3);
    expect(headTrim({ fromIn: 0, fromSec: 3, dxPx: 80, pps: 20, clipSec: 10, minSec: minA })).toEqual({ inSec: 2, durationSec: 1 });
    expect(headTrim({ fromIn: 0, fromSec: 3, dxPx: 80, pps: 20, clipSec: 10 })).toEqual({ inSec: 0, durationSec: 3 });
  });
  it('snaps audio to tenths, never before zero', () => {
    expect(snapTenth(2.04)).toBe(2);
    expect(snapTenth(2.06)).toBe(2.1);
    expect(snapTenth(-1)).toBe(0);
  });
});

describe('groups', () => {
  it('accepts 2–6 neighbouring shots within 15 s, in timeline order', () => {
    expect(groupCheck({ shots, groups: [], selectedIds: ['b', 'a'] })).toEqual({ ok: true, ids: ['a', 'b'], seconds: 7 });
  });
  it('says why a selection cannot be grouped', () => {
    const reason = (selectedIds: string[], groups: { id: string; shotIds: string[] }[] = []) => {
      const r = groupCheck({ shots, groups, selectedIds });
      return r.ok ? 'ok' : r.reason;
    };
    expect(reason(['a'])).toMatch(/Select 2–6/);
    expect(reason(['a', 'c'])).toMatch(/next to each other/);
    expect(reason(['a', 'b', 'c', 'd', 'e'])).toMatch(/18 s together; .* at most 15 s/);
    expect(reason(['a', 'b', 'c', 'd'])).toBe('ok'); // exactly 15 s is allowed
    expect(reason(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toMatch(/at most 6 shots; 7 are selected/);
    expect(reason(['b', 'c'], [{ id: 'g1', shotIds: ['a', 'b'] }])).toMatch(/Shot 2 “Market” is already in a multi-shot group/);
  });
  it('places brackets over their shots', () => {
    expect(groupSpans({ shots, groups: [{ id: 'g1', shotIds: ['b', 'c'] }] })).toEqual([{ groupId: 'g1', startSec: 3, seconds: 9, count: 2 }]);
  });
});

it('prints the playhead as m:ss.t', () => {
  expect(timecode(4.04)).toBe('0:04.0');
  expect(timecode(75.25)).toBe('1:15.3');
  expect(timecode(59.96)).toBe('1:00.0');
});

describe('head trim and slip', () => {
  it('a left-edge drag moves the in point and the duration together by whole seconds, keeping the out point', () => {
    // A 6 s shot on a 10 s take, 20 px a second: 2 s to the right → from 2 s, 4 s long.
    expect(headTrim({ fromIn: 0, fromSec: 6, dxPx: 40, pps: 20, clipSec: 10 })).toEqual({ inSec: 2, durationSec: 4 });
    // Never shorter than 3 s, never before the take's start, never longer than the group allows.
    expect(headTrim({ fromIn: 0, fromSec: 6, dxPx: 400, pps: 20, clipSec: 10 })).toEqual({ inSec: 3, durationSec: 3 });
    expect(headTrim({ fromIn: 1, fromSec: 4, dxPx: -200, pps: 20, clipSec: 10 })).toEqual({ inSec: 0, durationSec: 5 });
    expect(headTrim({ fromIn: 3, fromSec: 4, dxPx: -60, pps: 20, clipSec: 10, maxSec: 5 })).toEqual({ inSec: 2, durationSec: 5 });
    // At least 1 s of the take stays.
    expect(headTrim({ fromIn: 5, fromSec: 6, dxPx: 200, pps: 20, clipSec: 7 }).inSec).toBe(6);
  });

  it('an ⌥-drag slips the take under the shot in frames, within the take, dragging right showing earlier frames', () => {
    expect(slipIn({ fromIn: 0, dxPx: -30, pps: 20, durationSec: 4, clipSec: 10 })).toBe(1.5);
    expect(slipIn({ fromIn: 2, dxPx: 20, pps: 20, durationSec: 4, clipSec: 10 })).toBe(1);
    expect(slipIn({ fromIn: 0, dxPx: -1000, pps: 20, durationSec: 4, clipSec: 10 })).toBe(6);
    expect(slipIn({ fromIn: 1, dxPx: 1000, pps: 20, durationSec: 4, clipSec: 10 })).toBe(0);
    // A take no longer than its shot has nothing to slip.
    expect(slipIn({ fromIn: 0, dxPx: -100, pps: 20, durationSec: 5, clipSec: 5 })).toBe(0);
    expect(slipIn({ fromIn: 0, dxPx: -1, pps: 24, durationSec: 4, clipSec: 10 })).toBeCloseTo(1 / 24, 9);
  });
});
