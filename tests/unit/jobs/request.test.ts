import { describe, expect, it } from 'vitest';
import { currentHash } from '../../../electron/core/jobs/request';
import { newProject, newShot } from '../../../electron/core/project/project-folder';

describe('request hash (stale takes)', () => {
  const make = () => newProject('p', [newShot({ title: 'A', prompt: 'storm', durationSec: 4 }), newShot({ title: 'B', prompt: 'calm', durationSec: 5 })]);

  it('does not change when shots are reordered', () => {
    const p = make();
    const before = currentHash(p, p.shots[0]);
    const reordered = { ...p, shots: [p.shots[1], p.shots[0]] };
    expect(currentHash(reordered, reordered.shots[1])).toBe(before);
  });

  it('changes when anything that shapes the clip changes', () => {
    const p = make();
    const base = currentHash(p, p.shots[0]);
    expect(currentHash(p, { ...p.shots[0], prompt: 'storm at night' })).not.toBe(base);
    expect(currentHash(p, { ...p.shots[0], durationSec: 5 })).not.toBe(base);
    expect(currentHash({ ...p, settings: { ...p.settings, aspectRatio: '9:16' } }, p.shots[0])).not.toBe(base);
  });

  it('counts the title only for the animatic, which draws it', () => {
    const p = make();
    const renamed = { ...p.shots[0], title: 'Renamed' };
    expect(currentHash(p, renamed, 'animatic')).not.toBe(currentHash(p, p.shots[0], 'animatic'));
    expect(currentHash(p, renamed, 'fal')).toBe(currentHash(p, p.shots[0], 'fal'));
  });
});
