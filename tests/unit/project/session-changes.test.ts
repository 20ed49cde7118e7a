// What the session announces per revision: a patch on the revision before that turns the state before into
// the state after (edits, engine changes, undo, redo, saves), and no revision at all for a change that
// changes nothing (engine bookkeeping that ends where it was must not make the studio re-read the document).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProjectFolder, newProject, newShot } from '../../../electron/core/project/project-folder';
import { ProjectSession } from '../../../electron/core/project/session';
import type { ProjectPatchEvent, ProjectState } from '../../../shared/api';
import { applyProjectChange } from '../../../shared/project-patch';

let dir: string;
let session: ProjectSession;
let changes: Array<[ProjectState, ProjectPatchEvent]>;

beforeEach(async () => {
  dir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'sr-session-')), 'p.storyreel');
  await createProjectFolder(dir, newProject('Changes', ['Harbour', 'Storm', 'Keeper'].map((title) => newShot({ title, durationSec: 4 }))));
  session = await ProjectSession.open(dir);
  changes = [];
  session.on('changed', (state, change) => changes.push([structuredClone(state), structuredClone(change)]));
});
afterEach(async () => {
  await session.close();
  await fs.rm(path.dirname(dir), { recursive: true, force: true });
});

describe('session change events', () => {
  it('each patch turns the state before into the state announced, saves included', async () => {
    let held: ProjectState = JSON.parse(JSON.stringify(session.state()));
    session.edit('Rename shot', (p) => void (p.shots[1].title = 'Squall'));
    session.edit('Move shot', (p) => void p.shots.unshift(p.shots.pop()!));
    session.mutate((p) => void p.shots[0].takes.push({ id: 'take_1', jobId: 'job_1', provider: 'animatic', tier: 'standard', request: { hash: 'h', params: {} }, status: 'queued', estimatedUsd: 0, review: { rating: 0, flag: 'none', notes: [] }, createdAt: new Date().toISOString() }));
    session.mutate((p) => void (p.shots[0].takes[0].status = 'running'));
    session.undo();
    session.redo();
    await session.flush();
    expect(changes.length).toBe(7);
    for (const [state, change] of changes) {
      const next = applyProjectChange(held, JSON.parse(JSON.stringify(change)));
      expect(next).toEqual(JSON.parse(JSON.stringify(state)));
      held = next!;
    }
    // The last push is the save: the same revision, saved, nothing else.
    expect(changes.at(-1)![1]).toMatchObject({ rev: held.rev, baseRev: held.rev, patch: {}, saved: true });
    expect(held.project).toEqual(session.current);
  });

  it('a change that changes nothing is no revision, no push and no save', async () => {
    await session.flush();
    changes = [];
    const rev = session.state().rev;
    const state = session.mutate((p) => void (p.shots[0].title = p.shots[0].title));
    expect(state.rev).toBe(rev);
    expect(state.saved).toBe(true);
    expect(changes).toEqual([]);
  });
});
