// Every change the renderer asks of the core goes through here: one funnel for mutation bookkeeping,
// error toasts and flushing of debounced edits.
import type { MethodInput, MethodName, MethodOutput, ProjectChange, ProjectState } from '../../../shared/api';
import type { ShotPatch } from '../../../shared/schema';
import type { TierId } from '../../../shared/capabilities';
import type { AppClient } from '../api/client';
import { needsGeneration } from '../domain/shot-status';
import { stopForDrafts } from './draft-gate';
import type { EditRegistry } from './edits';
import type { StudioStore } from './store';

/** Every method whose answer is the change it made (shared/api.ts EditReplySchema): the document edits. */
export type Mutation = {
  [M in MethodName]: MethodOutput<M> extends ProjectChange ? (ProjectChange extends MethodOutput<M> ? M : never) : never;
}[MethodName];

export interface Commands {
  /**
   * Any document edit through the funnel: mutation bookkeeping, and on failure an error toast titled
   * failTitle with the core's message (which says what was kept and what to do). Resolves undefined on
   * failure, else the state the edit led to (the core answers with the change only; the store rebuilds it).
   */
  mutate<M extends Mutation>(method: M, input: MethodInput<M>, failTitle: string): Promise<ProjectState | undefined>;
  /** Uploads (browser) or names (desktop) a file the person dropped or picked, for methods that take a path. */
  stageFile(file: File): Promise<string | undefined>;
  undo(): Promise<void>;
  redo(): Promise<void>;
  addShot(): Promise<void>;
  updateShot(id: string, patch: ShotPatch): Promise<ProjectState | undefined>;
  /** The same change on several shots (the inspector's multi-selection): one undo step, refused whole. */
  updateShots(ids: string[], patch: ShotPatch): Promise<ProjectState | undefined>;
  removeShot(id: string): Promise<void>;
  moveShot(id: string, toIndex: number): Promise<void>;
  renameProject(name: string): Promise<void>;
  /** Generates the given shots, or every shot that needs it. Sends pending edits first. */
  /** `tier`: regenerate at this tier; `expectedUsd`: the total the person confirmed (the core refuses more). */
  generate(shotIds?: string[], opts?: { tier?: TierId; variations?: number; expectedUsd?: number }): Promise<void>;
  selectAdjacentShot(step: -1 | 1): void;
  flushEdits(): Promise<void>;
  /** A clip dropped on a shot becomes a new take of it (checked, copied into the project, selected). */
  importTake(shotId: string, file: File): Promise<void>;
}

export function createCommands({ store, client, edits }: { store: StudioStore; client: AppClient; edits: EditRegistry }): Commands {
  const s = store.getState;

  /** An error toast; `topic` (the method, usually) lets a later success of the same thing take it down. */
  const fail = (title: string, err: unknown, topic?: string) => {
    s().pushToast({ kind: 'error', title, message: err instanceof Error ? err.message : String(err), ...(topic ? { topic } : {}) });
  };

  async function mutate<M extends Mutation>(method: M, input: MethodInput<M>, failTitle: string): Promise<ProjectState | undefined> {
    const seq = s().beginMutation();
    try {
      const reply = (await client.invoke(method, input)) as ProjectChange;
      // A reply that does not fit what the store holds (a push went missing) still means the edit was
      // made: the next push fetches the whole state, and meanwhile the document shown stands.
      const result = s().endMutation(seq, reply) ?? s().doc ?? undefined;
      s().clearToasts(method);
      return result;
    } catch (err) {
      s().endMutation(seq);
      fail(failTitle, err, method);
      return undefined;
    }
  }

  return {
    mutate,

    async stageFile(file) {
      try {
        return await client.stageFile(file);
      } catch (err) {
        fail(`Could not read ${file.name}`, err);
        return undefined;
      }
    },

    async undo() {
      await edits.flushAll();
      const label = s().doc?.history.undo;
      if (!label) return;
      await mutate('project.undo', {}, `Could not undo ${label}`);
    },

    async redo() {
      const label = s().doc?.history.redo;
      if (!label) return;
      await mutate('project.redo', {}, `Could not redo ${label}`);
    },

    async importTake(shotId, file) {
      let staged: string;
      try {
        staged = await client.stageFile(file);
      } catch (err) {
        fail(`Could not import ${file.name}`, err, 'takes.import');
        return;
      }
      const result = await mutate('takes.import', { shotId, path: staged }, `Could not import ${file.name}`);
      const shot = result?.project.shots.find((x) => x.id === shotId);
      if (shot) {
        s().selectShot(shotId);
        s().pushToast({ kind: 'info', title: `Imported ${file.name}`, message: `It is now take ${shot.takes.length} of “${shot.title || 'this shot'}” and is in the cut.` });
      }
    },

    async addShot() {
      const before = new Set(s().doc?.project.shots.map((x) => x.id));
      const afterId = s().selectedShotId ?? undefined;
      const result = await mutate('shots.add', afterId ? { afterId } : {}, 'Could not add a shot');
      const added = result?.project.shots.find((x) => !before.has(x.id));
      if (added) s().selectShot(added.id);
    },

    async updateShot(id, patch) {
      const shot = s().doc?.project.shots.find((x) => x.id === id);
      if (!shot) {
        fail('Could not save the shot', new Error('That shot is no longer in the project (it may have been deleted).'));
        return undefined;
      }
      return mutate('shots.update', { id, patch }, 'Could not save the shot');
    },

    async updateShots(ids, patch) {
      return mutate('shots.updateMany', { ids, patch }, `Could not change the ${ids.length} shots`);
    },

    async removeShot(id) {
      const shots = s().doc?.project.shots ?? [];
      const index = shots.findIndex((x) => x.id === id);
      const shot = shots[index];
      if (!shot) return;
      if (s().selectedShotId === id) s().selectShot((shots[index + 1] ?? shots[index - 1])?.id ?? null);
      const result = await mutate('shots.remove', { id }, 'Could not delete the shot');
      if (result && shot.takes.length > 0) {
        s().pushToast({
          kind: 'info',
          title: `Deleted “${shot.title || 'Untitled shot'}”`,
          message: `Its ${shot.takes.length === 1 ? 'take stays' : `${shot.takes.length} takes stay`} on disk in media/takes/${shot.id}/.`,
        });
      }
    },

    async moveShot(id, toIndex) {
      await mutate('shots.move', { id, toIndex }, 'Could not move the shot');
    },

    async renameProject(name) {
      await mutate('project.rename', { name }, 'Could not rename the project');
    },

    async generate(shotIds, opts = {}) {
      await edits.flushAll();
      if (stopForDrafts(store, shotIds)) return;
      const doc = s().doc;
      if (!doc) return;
      if (!shotIds && !doc.project.shots.some((shot) => needsGeneration(doc.project, shot))) {
        s().pushToast({ kind: 'info', title: 'Nothing to generate', message: 'Every shot already has a take for its current prompt and settings.' });
        return;
      }
      try {
        const { jobIds, skipped } = await client.invoke('jobs.generate', { ...(shotIds ? { shotIds } : {}), ...opts });
        s().clearToasts('jobs.generate');
        const kept = skippedForProblems(skipped);
        if (jobIds.length > 0 && kept.length > 0) {
          s().pushToast({ kind: 'info', title: `Generating the others; ${kept.length === 1 ? 'one shot' : `${kept.length} shots`} skipped`, message: `${kept.join('; ')}. Fix ${kept.length === 1 ? 'it' : 'them'} in the inspector and generate again.` });
        } else if (jobIds.length === 0 && skipped.length > 0) {
          s().pushToast({ kind: 'info', title: 'Nothing to generate', message: skipped.map((x) => x.reason).join('; ') });
        }
      } catch (err) {
        fail('Generation did not start', err, 'jobs.generate');
      }
    },

    selectAdjacentShot(step) {
      const shots = s().doc?.project.shots ?? [];
      if (shots.length === 0) return;
      const index = shots.findIndex((x) => x.id === s().selectedShotId);
      const next = index < 0 ? 0 : Math.min(shots.length - 1, Math.max(0, index + step));
      s().selectShot(shots[next].id);
    },

    flushEdits() {
      return edits.flushAll();
    },
  };
}

/** The problems that kept shots back, once each (a group's shots share one). */
export function skippedForProblems(skipped: { reason: string; problem?: boolean }[]): string[] {
  return [...new Set(skipped.filter((x) => x.problem).map((x) => x.reason))];
}
