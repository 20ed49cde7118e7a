// The pure decisions behind "what is sent is what is on screen": which held drafts stop a generate,
// what several selected shots have in common, and why a typed duration was put back.
import { describe, expect, it } from 'vitest';
import { newShot } from '../../../electron/core/project/project-folder';
import { commonValue, selectedInOrder } from '../../../renderer/src/features/inspector/multi-edit';
import { durationRevertNote } from '../../../renderer/src/features/inspector/validation';
import { blockingDrafts, draftKey, hasHeldDraft, type HeldDraft } from '../../../renderer/src/store/drafts-slice';
import { createStudioStore } from '../../../renderer/src/store/store';

const draft = (shotId: string, field: string): HeldDraft => ({ shotId, field, label: field, text: 'x', message: 'too long', kind: 'refused' });

describe('drafts that stop generating', () => {
  const drafts = Object.fromEntries([draft('s3', 'prompt'), draft('s1', 'negativePrompt'), draft('gone', 'prompt')].map((d) => [draftKey(d.shotId, d.field), d]));
  const order = ['s1', 's2', 's3'];

  it('a generate of some shots waits only on drafts of those shots', () => {
    expect(blockingDrafts(drafts, order, ['s2'])).toEqual([]);
    expect(blockingDrafts(drafts, order, ['s2', 's3']).map((d) => d.shotId)).toEqual(['s3']);
  });

  it('"Generate all" waits on every draft of a shot still in the project, in timeline order', () => {
    expect(blockingDrafts(drafts, order).map((d) => `${d.shotId}:${d.field}`)).toEqual(['s1:negativePrompt', 's3:prompt']);
  });

  it('the store holds one draft per shot and field, replaces it, and releases it', () => {
    const store = createStudioStore();
    store.getState().holdDraft(draft('s1', 'prompt'));
    store.getState().holdDraft({ ...draft('s1', 'prompt'), text: 'y' });
    expect(Object.values(store.getState().drafts).map((d) => d.text)).toEqual(['y']);
    expect(hasHeldDraft(store.getState().drafts, 's1')).toBe(true);
    expect(hasHeldDraft(store.getState().drafts, 's2')).toBe(false);
    store.getState().releaseDraft('s1', 'prompt');
    expect(store.getState().drafts).toEqual({});
  });
});

describe('several selected shots', () => {
  const shots = [newShot({ title: 'A', prompt: '', durationSec: 5 }), newShot({ title: 'B', prompt: '', durationSec: 5 }), newShot({ title: 'C', prompt: '', durationSec: 7 })];

  it('show the value they share, or mixed', () => {
    expect(commonValue(shots.slice(0, 2), (s) => s.durationSec)).toEqual({ mixed: false, value: 5 });
    expect(commonValue(shots, (s) => s.durationSec)).toEqual({ mixed: true });
    expect(commonValue(shots, (s) => s.aspectRatio ?? 'default')).toEqual({ mixed: false, value: 'default' });
    expect(commonValue([], (s) => s.durationSec)).toEqual({ mixed: true });
  });

  it('are the ones still in the project, in timeline order', () => {
    expect(selectedInOrder(shots, [shots[2].id, 'deleted', shots[0].id]).map((s) => s.title)).toEqual(['A', 'C']);
  });
});

describe('a duration put back on leaving the field', () => {
  it('says why and what the shot keeps', () => {
    expect(durationRevertNote('20', 'the shot stays 5 s')).toBe('20 s is longer than Kling V3 makes (3–15 s); the shot stays 5 s.');
    expect(durationRevertNote('2', 'the shot stays 5 s')).toBe('2 s is shorter than Kling V3 makes (3–15 s); the shot stays 5 s.');
    expect(durationRevertNote('', 'the shot stays 5 s')).toBe('A length is a whole number of seconds from 3 to 15; the shot stays 5 s.');
    expect(durationRevertNote('5.5', 'the shot stays 5 s')).toBe('Lengths are whole seconds (5.5 is not); the shot stays 5 s.');
    expect(durationRevertNote('12', 'the shot stays 5 s', { min: 3, max: 10 })).toBe('12 s is longer than Kling V3 makes (3–10 s); the shot stays 5 s.');
  });
});
