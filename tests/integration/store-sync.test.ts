// The renderer's store follows the core through project.changed patches: a real Studio, the store wired by
// connectStore (renderer/src/store/sync.ts) through a client that hands calls and events across in
// process, as JSON (as they travel). Edits of every kind leave the store's document equal to the core's
// without fetching it again; a push that is lost makes the next patch a gap, and the store fetches the
// whole state once (project.get) instead of applying a patch to the wrong revision.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Studio } from '../../electron/core/api';
import { createProjectFolder, newProject, newShot } from '../../electron/core/project/project-folder';
import type { AppClient } from '../../renderer/src/api/client';
import { createStudioStore, type StudioStore } from '../../renderer/src/store/store';
import { connectStore } from '../../renderer/src/store/sync';
import { createCommands } from '../../renderer/src/store/commands';
import { EditRegistry } from '../../renderer/src/store/edits';
import type { EventMap, EventName, MethodName, ProjectChange } from '../../shared/api';
import { applyProjectChange } from '../../shared/project-patch';
import { tempDir } from './helpers';

let base: string;
let n = 0;
let studio: Studio;
let store: StudioStore;
let disconnect: () => void;
/** Every project.get the store made, and a switch that loses the next project.changed push. */
let gets = 0;
let loseNext = 0;
let pushes: unknown[] = [];

const wire = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

function inProcessClient(s: Studio): AppClient {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  s.on('event', (event: string, payload: unknown) => {
    if (event === 'project.changed') {
      pushes.push(payload);
      if (loseNext > 0) {
        loseNext--;
        return;
      }
    }
    const copy = wire(payload);
    // Delivered after the current call stack, as a socket would.
    queueMicrotask(() => listeners.get(event)?.forEach((cb) => cb(copy)));
  });
  return {
    invoke: (async (method: MethodName, input?: unknown) => {
      if (method === 'project.get') gets++;
      // media.stitch would encode the cut: not what this test is about.
      if (method === 'media.stitch') return new Promise(() => {});
      return wire(await s.dispatch(method, input));
    }) as AppClient['invoke'],
    on: <E extends EventName>(event: E, cb: (payload: EventMap[E]) => void) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(cb as (p: unknown) => void);
      return () => set.delete(cb as (p: unknown) => void);
    },
    mediaUrl: () => '',
    stageFile: () => Promise.reject(new Error('no files here')),
    connection: () => ({ status: 'open' }),
    onConnection: () => () => {},
  } as AppClient;
}

beforeAll(async () => {
  base = await tempDir('sr-store-sync-');
});
afterAll(() => fs.rm(base, { recursive: true, force: true }));

beforeEach(async () => {
  const dir = path.join(base, `p${++n}.storyreel`);
  const shots = ['Harbour', 'Storm', 'Keeper', 'Lamp'].map((title, i) => newShot({ title, prompt: `${title} prompt`, durationSec: 3 + i }));
  await createProjectFolder(dir, newProject('Sync', shots));
  studio = await Studio.open(dir, { host: 'cli' });
  gets = 0;
  loseNext = 0;
  pushes = [];
  store = createStudioStore();
  disconnect = connectStore({ store, client: inProcessClient(studio) });
  await vi.waitFor(() => expect(store.getState().doc?.project.shots).toHaveLength(4));
});
afterEach(async () => {
  disconnect();
  await studio.close();
});

const call = (method: string, input: unknown) => studio.dispatch(method, input);
const shotId = (title: string) => studio.session.current.shots.find((s) => s.title === title)!.id;
/** The store shows the core's document, revision and save status. */
async function inStep(): Promise<void> {
  await vi.waitFor(() => {
    const doc = store.getState().doc!;
    expect(doc.rev).toBe(studio.session.state().rev);
    expect(JSON.stringify(doc.project)).toBe(JSON.stringify(studio.session.current));
    expect(doc.history).toEqual(studio.session.state().history);
  });
}

describe('the store follows the core by patches', () => {
  it('adds, deletes, moves, retitles, settings, undo and redo: equal to the core, fetched once', async () => {
    await call('shots.update', { id: shotId('Storm'), patch: { prompt: 'A rising storm', aspectRatio: '9:16' } });
    await call('shots.add', { afterId: shotId('Harbour'), title: 'Gulls' });
    await call('shots.move', { id: shotId('Lamp'), toIndex: 0 });
    await call('shots.remove', { ids: [shotId('Keeper')] });
    await call('settings.update', { patch: { crossfadeSec: 0.5, budgetUsd: 20 } });
    await call('shots.duplicate', { id: shotId('Storm') });
    await call('project.undo', {});
    await call('project.undo', {});
    await call('project.redo', {});
    await call('project.rename', { name: 'Sync, renamed' });
    await inStep();
    expect(store.getState().doc!.project.name).toBe('Sync, renamed');
    // Only the first load fetched the whole state; every change came as a patch.
    expect(gets).toBe(1);
    expect(pushes.every((p) => typeof p === 'object' && p !== null && 'patch' in p && !('project' in p))).toBe(true);
    // A save is a push too (saved, same revision), applied without a fetch.
    await studio.session.flush();
    await vi.waitFor(() => expect(store.getState().doc!.saved).toBe(true));
    expect(gets).toBe(1);
  });

  it('edits through the store’s commands are answered with their change, and the store equals the core', async () => {
    const answers: unknown[] = [];
    const client = inProcessClient(studio);
    const invoke = client.invoke;
    client.invoke = (async (method: MethodName, input?: unknown) => {
      const answer = await (invoke as (m: MethodName, i?: unknown) => Promise<unknown>)(method, input);
      answers.push(answer);
      return answer;
    }) as AppClient['invoke'];
    const commands = createCommands({ store, client, edits: new EditRegistry() });
    store.getState().selectShot(shotId('Storm'));
    await commands.addShot();
    // The new shot is found in the state the answer stands for, and selected.
    const added = studio.session.current.shots[2];
    expect(store.getState().selectedShotId).toBe(added.id);
    expect(await commands.updateShot(added.id, { prompt: 'Gulls over the rocks' })).toMatchObject({ rev: studio.session.state().rev });
    await commands.moveShot(added.id, 0);
    await commands.undo();
    await inStep();
    expect(answers).toHaveLength(4);
    expect(answers.every((a) => typeof a === 'object' && a !== null && 'patch' in a && !('project' in a))).toBe(true);
    expect(gets).toBe(1);
  });

  it('a lost push: the next patch does not fit, so the store fetches the whole state once and is right again', async () => {
    loseNext = 1;
    await call('shots.update', { id: shotId('Storm'), patch: { title: 'Squall' } });
    await call('shots.update', { id: shotId('Lamp'), patch: { prompt: 'The lamp turns' } });
    await inStep();
    const titles = store.getState().doc!.project.shots.map((s) => s.title);
    expect(titles).toEqual(['Harbour', 'Squall', 'Keeper', 'Lamp']);
    expect(gets).toBe(2);
    // From there on, patches again.
    await call('shots.move', { id: shotId('Lamp'), toIndex: 0 });
    await inStep();
    expect(gets).toBe(2);
  });
});

describe('a keystroke costs the same in 1,000 shots as in 10', () => {
  it('the edit’s answer and its push carry the one field, whatever the project’s size', async () => {
    const sizes: Record<number, { answer: number; push: number }> = {};
    for (const count of [10, 1000]) {
      const dir = path.join(base, `size-${count}.storyreel`);
      const shots = Array.from({ length: count }, (_, i) => newShot({ title: `Shot ${i + 1}`, prompt: `prompt of shot ${i + 1}`, durationSec: 3 }));
      await createProjectFolder(dir, newProject(`Size ${count}`, shots));
      const s = await Studio.open(dir, { host: 'cli' });
      try {
        const pushed: unknown[] = [];
        s.on('event', (event, payload) => event === 'project.changed' && pushed.push(payload));
        const before = s.session.state();
        const id = before.project.shots[Math.floor(count / 2)].id;
        const answer = await s.dispatch('shots.update', { id, patch: { prompt: 'The keeper climbs' } });
        expect(pushed).toHaveLength(1);
        expect(answer).toMatchObject({ rev: before.rev + 1, baseRev: before.rev, patch: { lists: { shots: { change: [{ id, set: { prompt: 'The keeper climbs' } }] } } } });
        // Applied to the state held before, the answer gives the core's document.
        expect(JSON.stringify(applyProjectChange(before, answer as ProjectChange)?.project)).toBe(JSON.stringify(s.session.current));
        sizes[count] = { answer: JSON.stringify(answer).length, push: JSON.stringify(pushed[0]).length };
      } finally {
        await s.close();
      }
    }
    // Ids are the same length; the history label names the shot ("shot 5" vs "shot 500"): a few characters.
    expect(Math.abs(sizes[1000].answer - sizes[10].answer)).toBeLessThan(16);
    expect(Math.abs(sizes[1000].push - sizes[10].push)).toBeLessThan(16);
    expect(sizes[1000].answer).toBeLessThan(400);
  });
});
