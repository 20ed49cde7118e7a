import { describe, expect, it } from 'vitest';
import { applyChainFrames, chainFollowUps, chainOf, chainToRegenerate, dropBrokenChains, lastPlayedFrame } from '../../../shared/chain';
import { ShotSchema, type Shot, type Take } from '../../../shared/schema';

const clip5 = { durationSec: 121 / 24, fps: 24 };

describe('lastPlayedFrame: the frame a chained shot continues from is the last one that plays', () => {
  it('a take played whole ends on its own last frame (a 5 s request delivered as 121 frames)', () => {
    expect(lastPlayedFrame({ durationSec: 5 }, clip5)).toBe(120);
  });
  it('a shot shorter than its take ends at its out point, not at the end of the take', () => {
    expect(lastPlayedFrame({ durationSec: 3 }, clip5)).toBe(3 * 24 - 1);
  });
  it('a trimmed head moves the out point with it', () => {
    expect(lastPlayedFrame({ durationSec: 3, trim: { inSec: 1 } }, clip5)).toBe(24 + 72 - 1);
  });
  it('a take shorter than the shot is held on its last frame, which is the one that continues', () => {
    expect(lastPlayedFrame({ durationSec: 8 }, clip5)).toBe(120);
  });
  it('a 30 fps take: the frame showing at the cut’s last moment', () => {
    expect(lastPlayedFrame({ durationSec: 3 }, { durationSec: 5, fps: 30 })).toBe(89);
  });
});

function shot(id: string, extra: Partial<Shot> = {}): Shot {
  return ShotSchema.parse({ id, durationSec: 5, ...extra });
}
function ready(id: string, path = `media/takes/${id}.mp4`): Take {
  return {
    estimatedUsd: 0, review: { rating: 0, flag: 'none', notes: [] },
    id, jobId: `job-${id}`, provider: 'animatic', tier: 'standard', request: { hash: 'h', params: {} }, status: 'ready', createdAt: '2025-01-01T00:00:00Z',
    media: { path, sha256: id, durationSec: 121 / 24, width: 1280, height: 720, fps: 24, hasAudio: false },
  };
}

describe('chainFollowUps: which chained frames must be extracted again', () => {
  const a = () => shot('a', { takes: [ready('t1'), ready('t2')], selectedTakeId: 't1' });
  const b = (from: Shot['startFrameFrom']) => shot('b', { startFrame: 'media/refs/x.png', startFrameFrom: from });

  it('none while the chained frame is the source’s last played frame', () => {
    expect(chainFollowUps({ shots: [a(), b({ shotId: 'a', takeId: 't1', frame: 120 })] })).toEqual([]);
  });
  it('another take chosen for the source: its last frame, from its clip', () => {
    const project = { shots: [{ ...a(), selectedTakeId: 't2' }, b({ shotId: 'a', takeId: 't1', frame: 120 })] };
    expect(chainFollowUps(project)).toEqual([{ shotId: 'b', from: { shotId: 'a', takeId: 't2', frame: 120 }, clip: 'media/takes/t2.mp4' }]);
  });
  it('the source shortened: the frame at its new out point', () => {
    const project = { shots: [{ ...a(), durationSec: 4 }, b({ shotId: 'a', takeId: 't1', frame: 120 })] };
    expect(chainFollowUps(project).map((u) => u.from.frame)).toEqual([95]);
  });
  it('a source without a ready take in the cut keeps the frame the shot has', () => {
    const project = { shots: [shot('a', { takes: [{ ...ready('t1'), status: 'running', media: undefined }], selectedTakeId: 't1' }), b({ shotId: 'a', takeId: 't0', frame: 3 })] };
    expect(chainFollowUps(project)).toEqual([]);
  });
  it('applying the frame records where it came from; a shot unchained meanwhile is left alone', () => {
    const project = { shots: [{ ...a(), selectedTakeId: 't2' }, b({ shotId: 'a', takeId: 't1', frame: 120 }), shot('c')] };
    const [up] = chainFollowUps(project);
    applyChainFrames(project, [{ followUp: up, rel: 'media/refs/new.png' }, { followUp: { ...up, shotId: 'c' }, rel: 'media/refs/no.png' }]);
    expect(project.shots[1].startFrame).toBe('media/refs/new.png');
    expect(project.shots[1].startFrameFrom).toEqual({ shotId: 'a', takeId: 't2', frame: 120 });
    expect(project.shots[2].startFrame).toBeUndefined();
    expect(chainFollowUps(project)).toEqual([]);
  });
  it('a chain to a deleted shot ends and the frame stays', () => {
    const project = { shots: [b({ shotId: 'gone', takeId: 't1', frame: 1 })] };
    dropBrokenChains(project);
    expect(project.shots[0].startFrameFrom).toBeUndefined();
    expect(project.shots[0].startFrame).toBe('media/refs/x.png');
  });
  it('chainOf lists a chain in order from any of its shots', () => {
    const shots = [shot('a'), shot('b', { startFrameFrom: { shotId: 'a', takeId: 't', frame: 0 } }), shot('c', { startFrameFrom: { shotId: 'b', takeId: 't', frame: 0 } }), shot('d')];
    expect(chainOf({ shots }, 'b')).toEqual(['a', 'b', 'c']);
    expect(chainOf({ shots }, 'd')).toEqual(['d']);
  });

  it('regenerating a chain sends only its first shot that needs a take, and nothing while an earlier one is generating', () => {
    const shots = [shot('a'), shot('b', { startFrameFrom: { shotId: 'a', takeId: 't', frame: 0 } }), shot('c', { startFrameFrom: { shotId: 'b', takeId: 't', frame: 0 } })];
    const needs = (ids: string[]) => (x: Shot) => ids.includes(x.id);
    expect(chainToRegenerate({ shots }, 'c', { needsTake: needs(['b', 'c']), generating: () => false })).toEqual({ now: 'b', after: ['c'] });
    expect(chainToRegenerate({ shots }, 'c', { needsTake: needs(['c']), generating: needs(['a']) })).toEqual({ waitingFor: 'a', after: ['b', 'c'] });
    expect(chainToRegenerate({ shots }, 'b', { needsTake: needs([]), generating: () => false })).toEqual({ after: [] });
  });
});
