import { describe, expect, it } from 'vitest';
import { keepingKeyframes, keyframeLinks, keyframesOf, shareKeyframe, shareKeyframeRefusal, unlinkKeyframe } from '../../../shared/keyframe';
import { ShotSchema, type Project, type Shot } from '../../../shared/schema';

function shot(id: string, extra: Partial<Shot> = {}): Shot {
  return ShotSchema.parse({ id, durationSec: 5, ...extra });
}
function project(shots: Shot[], groups: Project['groups'] = []): Pick<Project, 'shots' | 'groups'> {
  return { shots, groups };
}
const K = 'media/refs/key.png';
const OTHER = 'media/refs/other.png';

describe('shareKeyframe: one image is the end of shot N and the start of shot N+1', () => {
  it('sets both frames to the same image and marks the link on the start side', () => {
    const p = project([shot('a'), shot('b'), shot('c')]);
    shareKeyframe(p, 'a', K);
    expect(p.shots[0].endFrame).toBe(K);
    expect(p.shots[1].startFrame).toBe(K);
    expect(keyframeLinks(p)).toEqual([{ endShotId: 'a', startShotId: 'b', path: K }]);
    expect(keyframesOf(p, 'a')).toEqual({ atEnd: { endShotId: 'a', startShotId: 'b', path: K }, atStart: undefined });
    expect(keyframesOf(p, 'b').atStart?.endShotId).toBe('a');
    expect(keyframesOf(p, 'c')).toEqual({ atEnd: undefined, atStart: undefined });
  });
  it('ends a chain on the next shot’s start frame: a start frame is chained or shared, not both', () => {
    const p = project([shot('a'), shot('b', { startFrame: OTHER, startFrameFrom: { shotId: 'a', takeId: 't', frame: 119 } })]);
    shareKeyframe(p, 'a', K);
    expect(p.shots[1].startFrameFrom).toBeUndefined();
    expect(p.shots[1].startFrame).toBe(K);
  });
  it('is refused on the last shot and across a multi-shot group, naming the field', () => {
    const p = project([shot('a'), shot('b'), shot('c')], [{ id: 'g', shotIds: ['a', 'b'], shotType: 'customize' }]);
    expect(shareKeyframeRefusal(p, 'c')).toMatch(/^end frame: it is the last shot/);
    expect(shareKeyframeRefusal(p, 'a', 'shot 2')).toMatch(/^end frame: it is in one multi-shot request with shot 2/);
    expect(shareKeyframeRefusal(p, 'b')).toBeUndefined();
  });
  it('unlinking keeps both images as ordinary frames', () => {
    const p = project([shot('a'), shot('b')]);
    shareKeyframe(p, 'a', K);
    expect(unlinkKeyframe(p, 'a')).toBe(true);
    expect(keyframeLinks(p)).toEqual([]);
    expect([p.shots[0].endFrame, p.shots[1].startFrame]).toEqual([K, K]);
    expect(unlinkKeyframe(p, 'a')).toBe(false);
  });
});

describe('keepingKeyframes: the link follows an edit', () => {
  const linked = () => {
    const p = project([shot('a', { startFrame: 'media/refs/a-start.png' }), shot('b'), shot('c')]);
    shareKeyframe(p, 'a', K);
    return p;
  };
  it('an image replaced on the end side is replaced on the start side too', () => {
    const p = linked();
    keepingKeyframes((d: typeof p) => void (d.shots[0].endFrame = OTHER))(p);
    expect([p.shots[0].endFrame, p.shots[1].startFrame]).toEqual([OTHER, OTHER]);
    expect(keyframeLinks(p)).toHaveLength(1);
  });
  it('an image replaced on the start side is replaced on the end side too', () => {
    const p = linked();
    keepingKeyframes((d: typeof p) => void (d.shots[1].startFrame = OTHER))(p);
    expect([p.shots[0].endFrame, p.shots[1].startFrame]).toEqual([OTHER, OTHER]);
    // The shot's own start frame is not touched.
    expect(p.shots[0].startFrame).toBe('media/refs/a-start.png');
  });
  it('a frame removed on one side ends the link; the other side keeps its image', () => {
    const p = linked();
    keepingKeyframes((d: typeof p) => void delete d.shots[1].startFrame)(p);
    expect(keyframeLinks(p)).toEqual([]);
    expect(p.shots[1].startKeyframe).toBeUndefined();
    expect(p.shots[0].endFrame).toBe(K);
  });
  it('chaining the start frame ends the link; the shot before keeps its end frame', () => {
    const p = linked();
    keepingKeyframes((d: typeof p) => {
      d.shots[1].startFrame = 'media/refs/extracted.png';
      d.shots[1].startFrameFrom = { shotId: 'a', takeId: 't', frame: 119 };
    })(p);
    expect(p.shots[1].startKeyframe).toBeUndefined();
    expect(p.shots[0].endFrame).toBe(K);
  });
  it('deleting either shot ends the link', () => {
    const p = linked();
    keepingKeyframes((d: typeof p) => void (d.shots = d.shots.filter((s) => s.id !== 'a')))(p);
    expect(p.shots[0].startKeyframe).toBeUndefined();
    expect(p.shots[0].startFrame).toBe(K);
  });
  it('both sides set to different images at once end the link rather than pick one', () => {
    const p = linked();
    keepingKeyframes((d: typeof p) => {
      d.shots[0].endFrame = OTHER;
      d.shots[1].startFrame = 'media/refs/third.png';
    })(p);
    expect(keyframeLinks(p)).toEqual([]);
    expect([p.shots[0].endFrame, p.shots[1].startFrame]).toEqual([OTHER, 'media/refs/third.png']);
  });
  it('an edit elsewhere leaves the link as it is', () => {
    const p = linked();
    keepingKeyframes((d: typeof p) => void (d.shots[2].prompt = 'x'))(p);
    expect(keyframeLinks(p)).toEqual([{ endShotId: 'a', startShotId: 'b', path: K }]);
  });
});
