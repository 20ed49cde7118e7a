// Dialogue reaches the animatic through the generation spec, and changing it makes animatic takes stale
// (it is heard in the clip) but not cloud takes (cloud providers take dialogue from the prompt).
import { describe, expect, it } from 'vitest';
import { currentHash, specHash, workUnits } from '../../../shared/work-units';
import { newProject, newShot } from '../../../electron/core/project/project-folder';

const make = () =>
  newProject('p', [newShot({ title: 'A', prompt: 'storm', durationSec: 4 }), newShot({ title: 'B', prompt: 'calm', durationSec: 5 }), newShot({ title: 'C', prompt: 'dawn', durationSec: 3 })]);

describe('dialogue in the generation spec', () => {
  it('carries a shot’s lines to the animatic, and none when it has none', () => {
    const p = make();
    p.shots[1].audio.dialogue = [{ speaker: 'Keeper', text: 'Hold on!' }];
    const units = workUnits(p, 'animatic');
    expect(units[1].spec.dialogue).toEqual([{ speaker: 'Keeper', text: 'Hold on!' }]);
    expect('dialogue' in units[0].spec).toBe(false);
  });

  it('gives each shot of a group its own lines', () => {
    const p = make();
    p.shots[2].audio.dialogue = [{ speaker: '', text: 'Dawn at last.' }];
    p.groups = [{ id: 'g', shotIds: [p.shots[1].id, p.shots[2].id], shotType: 'customize' }];
    const group = workUnits(p, 'animatic')[1];
    expect(group.spec.shots?.map((s) => s.dialogue)).toEqual([undefined, [{ speaker: '', text: 'Dawn at last.' }]]);
    expect(group.spec.dialogue).toBeUndefined();
  });

  it('makes animatic takes stale when a line changes, cloud takes not, and leaves lineless hashes as they were', () => {
    const p = make();
    const before = { animatic: currentHash(p, p.shots[0].id, 'animatic'), fal: currentHash(p, p.shots[0].id, 'fal') };
    const spoken = structuredClone(p);
    spoken.shots[0].audio.dialogue = [{ speaker: 'Keeper', text: 'Hold on!' }];
    expect(currentHash(spoken, p.shots[0].id, 'animatic')).not.toBe(before.animatic);
    expect(currentHash(spoken, p.shots[0].id, 'fal')).toBe(before.fal);
    const reworded = structuredClone(spoken);
    reworded.shots[0].audio.dialogue[0].text = 'Hold fast!';
    expect(currentHash(reworded, p.shots[0].id, 'animatic')).not.toBe(currentHash(spoken, p.shots[0].id, 'animatic'));
    // No lines hash like before dialogue existed, so existing takes do not turn stale on upgrade.
    const unit = workUnits(p, 'animatic')[0];
    expect(specHash({ ...unit.spec, dialogue: [] })).toBe(unit.hash);
    expect(specHash({ ...unit.spec, dialogue: [{ speaker: '', text: 'x' }] })).not.toBe(unit.hash);
  });
});
