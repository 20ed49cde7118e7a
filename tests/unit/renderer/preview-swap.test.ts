// When a rebuilt preview replaces the one playing: where the player continues, and what the status line
// says is being rebuilt.
import { describe, expect, it } from 'vitest';
import { rebuildLine, rebuildReason } from '../../../renderer/src/features/player/rebuild-reason';
import { swapPosition } from '../../../renderer/src/features/player/swap-position';
import { newProject, newShot } from '../../../electron/core/project/project-folder';
import type { Project } from '../../../shared/schema';

const cut = (...shots: [string, number][]) => {
  let at = 0;
  return shots.map(([shotId, durationSec]) => {
    const seg = { shotId, startSec: at, durationSec };
    at += durationSec;
    return seg;
  });
};

describe('swapPosition', () => {
  const before = cut(['a', 3], ['b', 3], ['c', 3]);
  it('keeps the same shot and moment when a shot before it grows', () => {
    expect(swapPosition({ time: 7.5, from: before, to: cut(['a', 5], ['b', 3], ['c', 3]), toDurationSec: 11 })).toBeCloseTo(9.5, 6);
  });
  it('follows the shot when it moves', () => {
    expect(swapPosition({ time: 4, from: before, to: cut(['c', 3], ['a', 3], ['b', 3]), toDurationSec: 9 })).toBeCloseTo(7, 6);
  });
  it('stays inside a shot that became shorter than the moment', () => {
    const t = swapPosition({ time: 5.9, from: before, to: cut(['a', 3], ['b', 1], ['c', 3]), toDurationSec: 7 });
    expect(t).toBeGreaterThan(3);
    expect(t).toBeLessThan(4);
  });
  it('goes to the next shot still in the cut when the one playing was deleted', () => {
    expect(swapPosition({ time: 4, from: before, to: cut(['a', 3], ['c', 3]), toDurationSec: 6 })).toBe(3);
  });
  it('without segments (an older preview) keeps the time, inside the new length', () => {
    expect(swapPosition({ time: 8, toDurationSec: 6 })).toBeCloseTo(5.95, 6);
  });
});

describe('rebuildReason', () => {
  const base = (): Project => newProject('P', [newShot({ title: 'A', durationSec: 3 }), newShot({ title: 'B', durationSec: 3 })]);
  it('names the shot and what changed on its slate', () => {
    const before = base();
    const after = structuredClone(before);
    after.shots[1].title = 'Storm';
    after.shots[1].startFrame = 'media/refs/x.png';
    expect(rebuildLine(rebuildReason(before, after))).toBe('Rebuilding for shot 2 (title, start frame)…');
  });
  it('names a reorder, a retime and a music lane', () => {
    const before = base();
    const after = structuredClone(before);
    after.shots.reverse();
    after.shots[0].durationSec = 5;
    after.audioLanes.push({ id: 'l', kind: 'music', path: 'media/audio/a.wav', startSec: 0, gainDb: -6, duck: true });
    expect(rebuildReason(before, after)).toEqual(['the order', 'shot 1 (length)', 'music']);
  });
  it('says only that the cut is updating when it does not know what it was built from', () => {
    expect(rebuildLine(rebuildReason(null, base()))).toBe('Updating the cut…');
  });
});
