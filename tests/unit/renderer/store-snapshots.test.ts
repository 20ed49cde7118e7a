// The store's handling of document snapshots with many shots: unchanged parts keep their identity
// across saves (so per-shot rows need not re-render), the derived per-shot values stay stable, and the
// incremental take-currency hashes always equal the engine's own (shared/work-units).
import { describe, expect, it } from 'vitest';
import type { ProjectState } from '../../../shared/api';
import { ProjectSchema, type Project } from '../../../shared/schema';
import { shotHashes, type UnitHashes } from '../../../shared/work-units';
import { currentHashesOf } from '../../../renderer/src/domain/take-currency';
import { keepEqual } from '../../../renderer/src/store/share';
import { selectNeedsGenerationCount, selectSaveState, selectShotIds, selectShotStatus, selectShotView } from '../../../renderer/src/store/selectors';
import { createStudioStore } from '../../../renderer/src/store/store';

function project(count: number): Project {
  return ProjectSchema.parse({
    schemaVersion: 1,
    id: 'prj_test',
    name: 'Test',
    settings: {},
    shots: Array.from({ length: count }, (_, i) => ({ id: `shot_${i}`, title: `Shot ${i + 1}`, prompt: `prompt ${i}`, durationSec: 3 + (i % 5) })),
  });
}

let rev = 0;
/** A snapshot as the core sends it: fresh JSON every time. */
function snapshot(p: Project): ProjectState {
  return JSON.parse(JSON.stringify({ project: p, rev: ++rev, folderName: 'test.storyreel', saved: true, history: {} })) as ProjectState;
}

function edit(p: Project, change: (draft: Project) => void): Project {
  const draft = JSON.parse(JSON.stringify(p)) as Project;
  change(draft);
  return draft;
}

describe('keepEqual', () => {
  it('returns the previous value when nothing changed, and shares the unchanged parts otherwise', () => {
    const a = { list: [{ x: 1 }, { x: 2, y: [1, 2] }], s: { k: 'v' } };
    expect(keepEqual(a, JSON.parse(JSON.stringify(a)))).toBe(a);
    const b = keepEqual(a, { list: [{ x: 1 }, { x: 3, y: [1, 2] }], s: { k: 'v' } });
    expect(b).not.toBe(a);
    expect(b).toEqual({ list: [{ x: 1 }, { x: 3, y: [1, 2] }], s: { k: 'v' } });
    expect(b.list[0]).toBe(a.list[0]);
    expect(b.list[1].y).toBe(a.list[1].y);
    expect(b.s).toBe(a.s);
  });

  it('notices added and removed keys and lengths', () => {
    const a: Record<string, unknown> = { a: 1, b: undefined };
    expect(keepEqual(a, { a: 1 })).not.toBe(a);
    expect(keepEqual({ a: 1 }, { a: 1, b: undefined })).toEqual({ a: 1, b: undefined });
    expect(keepEqual([1, 2], [1, 2, 3])).toEqual([1, 2, 3]);
    expect(keepEqual([1, 2, 3], [1, 2])).toEqual([1, 2]);
  });

  it('leaves frozen input untouched', () => {
    const a = { list: [{ x: 1 }] };
    const next = Object.freeze({ list: Object.freeze([Object.freeze({ x: 1 })]), more: 1 });
    expect(keepEqual(a, next)).toEqual({ list: [{ x: 1 }], more: 1 });
  });
});

describe('document snapshots in the store', () => {
  it('keeps unchanged shots (and what rows read of them) identical after a save', () => {
    const store = createStudioStore();
    const p0 = project(300);
    store.getState().receiveSnapshot(snapshot(p0));
    const before = store.getState();
    const ids = selectShotIds(before);
    const view7 = selectShotView('shot_7')(before);
    const status7 = selectShotStatus('shot_7')(before);

    store.getState().receiveSnapshot(snapshot(edit(p0, (d) => (d.shots[3].prompt = 'a new prompt'))));
    const after = store.getState();
    expect(after.doc!.project.shots[3].prompt).toBe('a new prompt');
    expect(after.doc!.project.shots[7]).toBe(before.doc!.project.shots[7]);
    expect(after.doc!.project.shots[3]).not.toBe(before.doc!.project.shots[3]);
    expect(after.doc!.project.settings).toBe(before.doc!.project.settings);
    expect(selectShotIds(after)).toBe(ids);
    expect(selectShotView('shot_7')(after)).toBe(view7);
    expect(selectShotView('shot_3')(after).prompt).toBe('a new prompt');
    expect(selectShotStatus('shot_7')(after)).toBe(status7);
    expect(selectNeedsGenerationCount(after)).toBe(300);
  });

  it('tells no subscriber about a snapshot it does not apply', () => {
    const store = createStudioStore();
    const first = snapshot(project(5));
    store.getState().receiveSnapshot(first);
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.getState().receiveSnapshot({ ...first, rev: first.rev - 1 });
    store.getState().upsertJobs([]);
    store.getState().setPreview(null);
    store.getState().changeUnsentEdits(-1);
    off();
    expect(calls).toBe(0);
  });

  it('shows a failed save (same rev, still unsaved) and then the save that worked', () => {
    const store = createStudioStore();
    const edited = { ...snapshot(project(2)), saved: false };
    store.getState().receiveSnapshot(edited);
    const saveError = { reason: 'the disk is full', message: 'Storyreel could not write to /p/project.json: the disk is full (ENOSPC).' };
    store.getState().receiveSnapshot({ ...edited, saveError });
    expect(selectSaveState(store.getState())).toBe('failed');
    expect(store.getState().doc?.saveError?.reason).toBe('the disk is full');
    // The earlier, failure-free snapshot of the same rev arriving late does not hide the failure.
    store.getState().receiveSnapshot(edited);
    expect(selectSaveState(store.getState())).toBe('failed');
    store.getState().receiveSnapshot({ ...edited, saved: true });
    expect(selectSaveState(store.getState())).toBe('saved');
    expect(store.getState().doc?.saveError).toBeUndefined();
  });

  it('holds snapshots pushed while an edit is in flight without notifying, then shows the newest', () => {
    const store = createStudioStore();
    const p0 = project(3);
    store.getState().receiveSnapshot(snapshot(p0));
    const seq = store.getState().beginMutation();
    const answer = snapshot(edit(p0, (d) => (d.shots[0].prompt = 'typed')));
    const pushed = snapshot(edit(p0, (d) => (d.shots[0].prompt = 'typed, then saved elsewhere')));
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.getState().receiveSnapshot(pushed);
    expect(calls).toBe(0);
    expect(store.getState().doc!.project.shots[0].prompt).toBe('prompt 0');
    store.getState().endMutation(seq, answer);
    off();
    expect(store.getState().pendingMutations).toBe(0);
    expect(store.getState().doc!.project.shots[0].prompt).toBe('typed, then saved elsewhere');
    expect(store.getState().doc!.project.shots[1]).toEqual(p0.shots[1]);
  });

  it('reorders: the ids change, the shots stay the same objects', () => {
    const store = createStudioStore();
    const p0 = project(10);
    store.getState().receiveSnapshot(snapshot(p0));
    const before = store.getState();
    store.getState().receiveSnapshot(snapshot(edit(p0, (d) => d.shots.reverse())));
    const after = store.getState();
    expect(selectShotIds(after)).toEqual([...selectShotIds(before)].reverse());
    expect(after.doc!.project.shots[0]).toBe(before.doc!.project.shots[9]);
    expect(selectShotView('shot_9')(after).index).toBe(0);
  });
});

describe('incremental take-currency hashes', () => {
  it('always equal the engine’s hashes through a series of edits', () => {
    const store = createStudioStore();
    let p = project(12);
    const steps: ((d: Project) => void)[] = [
      (d) => (d.shots[2].prompt = 'changed'),
      (d) => d.shots.splice(5, 0, d.shots.splice(1, 1)[0]),
      (d) => (d.groups = [{ id: 'grp_1', shotIds: [d.shots[3].id, d.shots[4].id, d.shots[5].id], shotType: 'customize' }]),
      (d) => (d.shots[4].prompt = 'inside the group'),
      (d) => (d.shots[0].title = 'Retitled'),
      (d) => (d.settings.tier = d.settings.tier === 'pro' ? 'standard' : 'pro'),
      (d) => (d.shots[8].durationSec = 9),
      (d) => d.shots.push({ ...d.shots[0], id: 'shot_new', prompt: 'added' }),
      (d) => (d.shots[3].audio.dialogue = [{ speaker: 'A', text: 'Hello' }]),
      (d) => (d.settings.provider = 'fal'),
      (d) => (d.shots[10].prompt = 'after switching provider'),
      (d) => (d.groups = []),
    ];
    store.getState().receiveSnapshot(snapshot(p));
    for (const step of steps) {
      p = edit(p, step);
      store.getState().receiveSnapshot(snapshot(p));
      const shown = store.getState().doc!.project;
      expect(shown).toEqual(p);
      // The hashes, and for each shot (grouped or not) its length, in point and its unit's hashes with it at another length.
      const plain = (m: Map<string, UnitHashes>) =>
        new Map([...m].map(([id, h]) => [id, { draft: h.draft, clip: h.clip, fit: h.fit && { shotId: h.fit.shotId, durationSec: h.fit.durationSec, inSec: h.fit.inSec, at7: h.fit.at({ [id]: 7 }) } }]));
      expect(plain(currentHashesOf(shown))).toEqual(plain(shotHashes(p)));
    }
  });
});
