// An edit's answer is the change it made (shared/api.ts EditReplySchema), like the push for its revision.
// The store turns it into the state it stands for whichever comes first, the push or the answer: the
// document shown equals the core's, and only the edited shot is a new object (every other row keeps its
// shot, so memoised rows do not re-render).
import { describe, expect, it } from 'vitest';
import type { ProjectPatchEvent, ProjectState } from '../../../shared/api';
import { diffProject } from '../../../shared/project-patch';
import { ProjectSchema, type Project } from '../../../shared/schema';
import { selectShotRow } from '../../../renderer/src/store/selectors';
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

const wire = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function whole(p: Project, rev: number): ProjectState {
  return wire({ project: p, rev, folderName: 'test.storyreel', saved: true, history: {} });
}

/** The core's edit: the next document and the change it pushes and answers with (as JSON on the wire). */
function coreEdit(p: Project, rev: number, recipe: (draft: Project) => void): { next: Project; change: ProjectPatchEvent } {
  const next = structuredClone(p);
  recipe(next);
  return { next, change: wire({ rev: rev + 1, baseRev: rev, patch: diffProject(p, next), saved: false, history: { undo: 'Edit prompt' } }) };
}

describe('edit answers carry the change', () => {
  it('an answer after its push: the store shows the core’s document and only the edited row changes', () => {
    const store = createStudioStore();
    const p0 = project(1000);
    store.getState().receiveSnapshot(whole(p0, 7));
    const rowBefore = selectShotRow('shot_500')(store.getState());
    const untouched = store.getState().doc!.project.shots[501];

    const seq = store.getState().beginMutation();
    const { next, change } = coreEdit(p0, 7, (d) => (d.shots[500].prompt = 'a storm rises'));
    // The answer is one shot's field, not 1,000 shots.
    expect(JSON.stringify(change).length).toBeLessThan(300);
    expect(store.getState().receiveChange(change)).toBe(true);
    const shown = store.getState().endMutation(seq, change);

    const doc = store.getState().doc!;
    expect(doc.rev).toBe(8);
    expect(doc.history.undo).toBe('Edit prompt');
    expect(JSON.stringify(doc.project)).toBe(JSON.stringify(next));
    expect(shown?.project.shots[500].prompt).toBe('a storm rises');
    expect(doc.project.shots[501]).toBe(untouched);
    expect(selectShotRow('shot_500')(store.getState())).not.toBe(rowBefore);
    expect(selectShotRow('shot_500')(store.getState()).view.prompt).toBe('a storm rises');
  });

  it('an answer before its push (two channels): applied at once, and the late push changes nothing', () => {
    const store = createStudioStore();
    const p0 = project(20);
    store.getState().receiveSnapshot(whole(p0, 3));
    const seq = store.getState().beginMutation();
    const { next, change } = coreEdit(p0, 3, (d) => {
      d.shots[2].title = 'Lamp';
      d.shots.reverse();
    });
    store.getState().endMutation(seq, change);
    expect(store.getState().doc!.rev).toBe(4);
    expect(JSON.stringify(store.getState().doc!.project)).toBe(JSON.stringify(next));

    let calls = 0;
    const off = store.subscribe(() => calls++);
    expect(store.getState().receiveChange(change)).toBe(true);
    off();
    expect(calls).toBe(0);
    // The next edit applies on the revision the answer made.
    const again = coreEdit(next, 4, (d) => (d.shots[0].prompt = 'again'));
    expect(store.getState().receiveChange(again.change)).toBe(true);
    expect(JSON.stringify(store.getState().doc!.project)).toBe(JSON.stringify(again.next));
  });

  it('an edit that changed nothing answers an empty patch on the same revision: nothing on screen moves', () => {
    const store = createStudioStore();
    store.getState().receiveSnapshot(whole(project(5), 2));
    const doc = store.getState().doc;
    const seq = store.getState().beginMutation();
    const shown = store.getState().endMutation(seq, { rev: 2, baseRev: 2, patch: {}, saved: true, history: {} });
    expect(store.getState().doc).toBe(doc);
    expect(shown?.project).toBe(doc!.project);
  });

  it('an answer on a revision the store does not hold is not guessed at: the document shown stays', () => {
    const store = createStudioStore();
    const p0 = project(5);
    store.getState().receiveSnapshot(whole(p0, 2));
    const doc = store.getState().doc;
    const seq = store.getState().beginMutation();
    // Revision 3 was never heard of; this answer patches 3 → 4.
    const { change } = coreEdit(p0, 3, (d) => (d.shots[0].prompt = 'after a gap'));
    expect(store.getState().endMutation(seq, change)).toBeUndefined();
    expect(store.getState().doc).toBe(doc);
    expect(store.getState().pendingMutations).toBe(0);
    // The push that does not fit asks for a whole state (sync.ts fetches project.get).
    expect(store.getState().receiveChange(change)).toBe(false);
  });
});
