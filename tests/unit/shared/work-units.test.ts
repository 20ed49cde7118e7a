import { describe, expect, it } from 'vitest';
import { currentHash, unitLabel, workUnits } from '../../../shared/work-units';
import { newProject, newShot } from '../../../electron/core/project/project-folder';

const make = () =>
  newProject('p', [
    newShot({ title: 'A', prompt: 'storm', durationSec: 4 }),
    newShot({ title: 'B', prompt: 'calm', durationSec: 5 }),
    newShot({ title: 'C', prompt: 'dawn', durationSec: 3 }),
  ]);

describe('work units and stale takes', () => {
  it('does not change a shot hash when shots are reordered', () => {
    const p = make();
    const before = currentHash(p, p.shots[0].id);
    const reordered = { ...p, shots: [p.shots[1], p.shots[0], p.shots[2]] };
    expect(currentHash(reordered, p.shots[0].id)).toBe(before);
  });

  it('changes the hash when anything that shapes the clip changes', () => {
    const p = make();
    const base = currentHash(p, p.shots[0].id);
    const edit = (fn: (s: (typeof p.shots)[0]) => void) => {
      const copy = structuredClone(p);
      fn(copy.shots[0]);
      return currentHash(copy, copy.shots[0].id);
    };
    expect(edit((s) => (s.prompt = 'storm at night'))).not.toBe(base);
    expect(edit((s) => (s.durationSec = 5))).not.toBe(base);
    expect(edit((s) => (s.audio.native = true))).not.toBe(base);
    expect(currentHash({ ...p, settings: { ...p.settings, aspectRatio: '9:16' } }, p.shots[0].id)).not.toBe(base);
  });

  it('counts the title only for the animatic, which draws it', () => {
    const p = make();
    const renamed = structuredClone(p);
    renamed.shots[0].title = 'Renamed';
    expect(currentHash(renamed, p.shots[0].id, 'animatic')).not.toBe(currentHash(p, p.shots[0].id, 'animatic'));
    expect(currentHash(renamed, p.shots[0].id, 'fal')).toBe(currentHash(p, p.shots[0].id, 'fal'));
  });

  it('turns a group into one multi-shot request covering its shots in order', () => {
    const p = make();
    p.groups = [{ id: 'g1', shotIds: [p.shots[1].id, p.shots[2].id], shotType: 'customize' }];
    const units = workUnits(p, 'fal');
    expect(units.map((u) => u.shotIds.length)).toEqual([1, 2]);
    const group = units[1];
    expect(group.label).toBe('group of shots 2–3');
    expect(group.spec.durationSec).toBe(8);
    expect(group.spec.prompt).toBeUndefined();
    expect(group.spec.shots!.map((s) => [s.prompt, s.durationSec])).toEqual([
      ['calm', 5],
      ['dawn', 3],
    ]);
    // Both shots of the group share the group's hash.
    expect(currentHash(p, p.shots[1].id, 'fal')).toBe(currentHash(p, p.shots[2].id, 'fal'));
  });

  it('maps project voices and elements to the provider ids', () => {
    const p = make();
    p.voices = [{ id: 'v-anna', name: 'Anna', providerIds: { fal: '8539653385', kling: 'kv-77' } }];
    p.elements = [{ id: 'e-hero', name: 'Hero', images: ['media/refs/front.png', 'media/refs/side.png'], providerIds: { kling: '123456' }, kind: 'character' }];
    p.shots[0].audio.voiceIds = ['v-anna'];
    p.shots[0].elementIds = ['e-hero'];
    expect(workUnits(p, 'fal')[0].spec.voiceIds).toEqual(['8539653385']);
    expect(workUnits(p, 'kling')[0].spec.voiceIds).toEqual(['kv-77']);
    expect(workUnits(p, 'kling')[0].spec.elements).toEqual([{ id: 'e-hero', name: 'Hero', frontal: 'media/refs/front.png', references: ['media/refs/side.png'], libraryId: '123456' }]);
  });
});

describe('request labels', () => {
  it('names shots by where they are now, and deleted ones by their title without a number', () => {
    const p = make();
    const [a, b, c] = p.shots;
    expect(unitLabel(p.shots, { shotIds: [c.id] })).toBe('shot 3 “C”');
    expect(unitLabel([c, a, b], { shotIds: [c.id] })).toBe('shot 1 “C”');
    expect(unitLabel([c, a, b], { shotIds: [a.id, b.id] })).toBe('group of shots 2–3');
    expect(unitLabel([a], { shotIds: [c.id], titles: ['C'] })).toBe('deleted shot “C”');
    expect(unitLabel([a], { shotIds: [c.id] })).toBe('a deleted shot');
    expect(unitLabel([a], { shotIds: [b.id, c.id], titles: ['B', ''] })).toBe('a deleted group of 2 shots (“B”)');
  });
});
