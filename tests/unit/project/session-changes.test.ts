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
import { isFlightBookkeeping } from '../../../electron/core/jobs/flight-bookkeeping';
import { applyProjectChange } from '../../../shared/project-patch';
import type { Take } from '../../../shared/schema';

let dir: string;
let session: ProjectSession;
let changes: Array<[ProjectState, ProjectPatchEvent]>;

function queuedTake(id: string): Take {
  return { id, jobId: `job_${id}`, provider: 'fal', tier: 'standard', request: { hash: 'h', params: {} }, status: 'queued', estimatedUsd: 0.42, review: { rating: 0, flag: 'none', notes: [] }, createdAt: new Date().toISOString() };
}

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
    session.mutate((p) => void p.shots[0].takes.push(queuedTake('take_1')));
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

describe('take bookkeeping in flight (the engine mirror, quiet: isFlightBookkeeping)', () => {
  const mirror = (status: Take['status'], more: Partial<Take> = {}) =>
    session.mutate((p) => void Object.assign(p.shots[0].takes[0], { status, ...more }), { quiet: isFlightBookkeeping });

  it('a take moving within flight is saved but is no revision; entering ready is one, carrying what was held back', async () => {
    session.mutate((p) => void p.shots[0].takes.push(queuedTake('take_1')));
    await session.flush();
    const rev = session.state().rev;
    changes = [];
    mirror('submitting');
    mirror('submitted', { providerJobId: 'req_77' });
    mirror('running');
    expect(session.state().rev).toBe(rev);
    expect(changes).toEqual([]);
    // The core's own document has them (the engine, the CLI and the save read it); clients' state does not yet.
    expect(session.current.shots[0].takes[0]).toMatchObject({ status: 'running', providerJobId: 'req_77' });
    const clientState: ProjectState = JSON.parse(JSON.stringify(session.state()));
    expect(clientState.project.shots[0].takes[0].status).toBe('queued');
    await session.flush();
    expect(changes).toEqual([]);
    mirror('ready', { media: { path: 'media/takes/a.mp4', sha256: 'x', durationSec: 4, width: 1280, height: 720, fps: 24, hasAudio: false } });
    expect(session.state().rev).toBe(rev + 1);
    expect(changes).toHaveLength(1);
    const held = applyProjectChange(clientState, JSON.parse(JSON.stringify(changes[0][1])))!;
    expect(held.project.shots[0].takes[0]).toMatchObject({ status: 'ready', providerJobId: 'req_77' });
    expect(JSON.stringify(held.project)).toBe(JSON.stringify(session.current));
  });

  it('an error, a cost, or a take leaving flight is always a revision', () => {
    session.mutate((p) => void p.shots[0].takes.push(queuedTake('take_1')));
    const rev = session.state().rev;
    mirror('running', { error: 'rate limited, trying again' });
    expect(session.state().rev).toBe(rev + 1);
    mirror('running', { actualUsd: 0.4 });
    expect(session.state().rev).toBe(rev + 2);
    mirror('failed');
    expect(session.state().rev).toBe(rev + 3);
    // From failed back into flight (a retry) is a revision too.
    mirror('queued');
    expect(session.state().rev).toBe(rev + 4);
  });
});
