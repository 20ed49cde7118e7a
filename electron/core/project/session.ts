// One open project: the in-memory document, its revision counter and debounced atomic saves.
// Every change goes through mutate(), so saving, change events and validation hook in once.
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { ProjectSchema, describeIssues, type Project } from '../../../shared/schema';
import type { ProjectChange, ProjectPatchEvent, ProjectState } from '../../../shared/api';
import { diffProject, isEmptyPatch, jsonEqual, type ProjectPatch } from '../../../shared/project-patch';
import { StudioError } from '../../../shared/errors';
import { openProjectFolder, saveProjectFolder } from './project-folder';
import { History, applyStep } from './history';
import { saveFailure, type SaveFailure } from './save-failure';

/** Writes the whole document to the folder (tests hand in one whose disk fills up). */
export type ProjectWriter = (dir: string, project: Project) => Promise<void>;

export interface SessionOptions {
  writer?: ProjectWriter;
}

export interface MutateOptions {
  /**
   * Says when a change is bookkeeping clients need not see at once (a take's status moving within flight,
   * which job.updated already tells): then it is saved like any change, but is no revision and is not
   * pushed; clients see it with the next revision. Their states stay whole: state() and project.get give
   * the document as of the last revision.
   */
  quiet?: (change: ProjectPatch, before: Project) => boolean;
}

export interface SessionEvents {
  /** The new state, and the same change as a patch on the revision before (what clients are sent). */
  changed: [ProjectState, ProjectPatchEvent];
  saveError: [Error];
}

export class ProjectSession extends EventEmitter<SessionEvents> {
  readonly dir: string;
  private project: Project;
  /** The document as of the last revision (what clients hold); differs from `project` only by quiet changes. */
  private announced: Project;
  private rev = 0;
  /** What the last commit changed, until the change event that announces it takes it. */
  private unannounced: { baseRev: number; patch: ProjectPatch } | undefined;
  private lastPushed: ProjectPatchEvent | undefined;
  /** The change that made the current revision (what the edit that made it answers). */
  private lastRevision: ProjectPatchEvent | undefined;
  private dirty = false;
  private saveTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  /** The save queue: one write at a time. A failed write never poisons the next one. */
  private saving: Promise<void> = Promise.resolve();
  /** When the oldest edit not yet being written was made (for the maximum wait). */
  private pendingSince: number | undefined;
  /** The last save failed and nothing has been written since: the edits are only in memory. */
  private failure: SaveFailure | undefined;
  private failedAttempts = 0;
  private readonly writer: ProjectWriter;
  readonly recoveredFromBackup?: string;
  private readonly history = new History();
  /** How long edits wait before they are written; a burst of keystrokes becomes one write. */
  saveDelayMs = 250;
  /** Edits that keep coming are still written at least this often. */
  saveMaxWaitMs = 1000;
  /** After a failed save, the first retry (doubling on each failure, up to 30 s) — no edit needed. */
  retryDelayMs = 2000;

  private constructor(dir: string, project: Project, recovered: string | undefined, opts: SessionOptions) {
    super();
    this.dir = dir;
    this.project = project;
    this.announced = project;
    this.recoveredFromBackup = recovered;
    this.writer = opts.writer ?? saveProjectFolder;
  }

  static async open(dir: string, opts: SessionOptions = {}): Promise<ProjectSession> {
    const abs = path.resolve(dir);
    const opened = await openProjectFolder(abs);
    const session = new ProjectSession(abs, opened.project, opened.recoveredFromBackup, opts);
    // A project recovered from its backup is written back at once, so the main file is whole again.
    if (opened.recoveredFromBackup) {
      session.dirty = true;
      await session.flush();
    }
    return session;
  }

  get current(): Project {
    return this.project;
  }

  state(): ProjectState {
    return {
      project: this.announced,
      rev: this.rev,
      folderName: path.basename(this.dir),
      saved: !this.dirty,
      ...(this.failure ? { saveError: { reason: this.failure.reason, message: this.failure.message } } : {}),
      history: this.history.labels(),
      ...(this.recoveredFromBackup ? { recoveredFromBackup: this.recoveredFromBackup } : {}),
    };
  }

  /**
   * Applies a change. The recipe receives a deep copy; the result is validated before it replaces the
   * document, so an invalid edit is refused whole and the document is never left half-changed.
   */
  mutate(recipe: (draft: Project) => void, opts: MutateOptions = {}): ProjectState {
    const draft = structuredClone(this.project);
    recipe(draft);
    const next = validated(draft);
    if (opts.quiet) {
      const change = diffProject(this.project, next);
      if (isEmptyPatch(change)) return this.state();
      if (opts.quiet(change, this.project)) {
        this.place(next);
        return this.state();
      }
    }
    // A change that changes nothing (bookkeeping that ends where it was) is not a revision and is not saved.
    if (!this.commit(next)) return this.state();
    return this.announce();
  }

  /**
   * A change a person made (an edit in the studio): applied like mutate() and recorded for undo. Edits
   * with the same key within a moment of each other (keystrokes in one field) are one step.
   */
  edit(label: string, recipe: (draft: Project) => void, key?: string): ProjectState {
    const before = this.project;
    const draft = structuredClone(before);
    recipe(draft);
    const next = validated(draft);
    // An edit that changes nothing (the same value typed again) is not a step and is not saved.
    if (!this.commit(next)) return this.state();
    this.history.record({ label, before, after: next, key });
    return this.announce();
  }

  /** Takes back the last edit (only what it changed); returns the state, unchanged when there is none. */
  undo(): ProjectState {
    const step = this.history.popUndo();
    if (!step) return this.state();
    try {
      this.commit(validated(applyStep(this.project, step.after, step.before)), true);
    } catch (err) {
      this.history.pushUndo(step);
      throw err;
    }
    this.history.pushRedo(step);
    return this.announce();
  }

  redo(): ProjectState {
    const step = this.history.popRedo();
    if (!step) return this.state();
    try {
      this.commit(validated(applyStep(this.project, step.before, step.after)), true);
    } catch (err) {
      this.history.pushRedo(step);
      throw err;
    }
    this.history.pushUndo(step);
    return this.announce();
  }

  /**
   * What an edit answers (shared/api.ts EditReplySchema): the change that made the current revision when
   * the edit made one since `revBefore`, an empty patch on the current revision when it changed nothing, or
   * the whole state when the revision it made is not the latest any more (an async edit overtaken by
   * another change) — the client's pushes carry every revision anyway.
   */
  replySince(revBefore: number): ProjectChange {
    const state = this.state();
    const now = { rev: state.rev, saved: state.saved, history: state.history, ...(state.saveError ? { saveError: state.saveError } : {}) };
    if (state.rev === revBefore) return { ...now, baseRev: state.rev, patch: {} };
    const made = this.lastRevision;
    if (made && made.rev === state.rev) return { ...now, baseRev: made.baseRev, patch: made.patch };
    return state;
  }

  private announce(): ProjectState {
    const state = this.state();
    this.emitChanged(state);
    return state;
  }

  /** Tells listeners the state now, with what the last commit changed (nothing when only the save status did). */
  private emitChanged(state = this.state()): void {
    const { baseRev, patch } = this.unannounced ?? { baseRev: state.rev, patch: {} };
    this.unannounced = undefined;
    const change: ProjectPatchEvent = { rev: state.rev, baseRev, patch, saved: state.saved, history: state.history };
    if (state.saveError) change.saveError = state.saveError;
    if (baseRev !== state.rev) this.lastRevision = change;
    // A save of quiet changes only tells clients what they were last told ("saved"): nothing to push.
    const last = this.lastPushed;
    if (baseRev === state.rev && last && last.rev === change.rev && last.saved === change.saved && last.saveError?.message === change.saveError?.message) return;
    this.lastPushed = change;
    this.emit('changed', state, change);
  }

  /**
   * Puts a validated document in place and schedules its save (callers announce the change). A document
   * equal to the current one changes nothing and is refused (false), unless `always` (undo and redo are
   * steps even when a take that arrived meanwhile makes them look empty).
   */
  private commit(next: Project, always = false): boolean {
    const patch = diffProject(this.announced, next);
    const quietPending = this.announced !== this.project;
    if (!always && (quietPending ? jsonEqual(next, this.project) : isEmptyPatch(patch))) return false;
    // A change that only puts back what clients already hold (quiet bookkeeping undone): no revision for them.
    if (!always && isEmptyPatch(patch)) {
      this.place(next);
      return false;
    }
    this.unannounced = { baseRev: this.rev, patch };
    this.announced = next;
    this.rev += 1;
    this.place(next);
    return true;
  }

  /** Puts a validated document in place and schedules its save. */
  private place(next: Project): void {
    this.project = next;
    this.dirty = true;
    this.pendingSince ??= Date.now();
    this.scheduleSave();
  }

  /**
   * Debounced, but never for longer than saveMaxWaitMs after the oldest unsaved edit: a steady stream of
   * edits (a drag, someone typing without pause) is still written about once a second.
   */
  private scheduleSave(): void {
    clearTimeout(this.saveTimer);
    const waited = Date.now() - (this.pendingSince ?? Date.now());
    const delay = Math.max(0, Math.min(this.saveDelayMs, this.saveMaxWaitMs - waited));
    this.saveTimer = setTimeout(() => void this.flush().catch(() => {}), delay);
  }

  /**
   * Writes pending changes now (⌘S, quit, end of a CLI command). Rejects with a sentence for a person when
   * the write fails; the edits stay in memory, the session says so in its state, and it retries by itself.
   */
  flush(): Promise<void> {
    clearTimeout(this.saveTimer);
    clearTimeout(this.retryTimer);
    const run = this.saving.then(() => (this.dirty ? this.writeOnce() : undefined));
    this.saving = run.catch(() => {});
    return run;
  }

  private async writeOnce(): Promise<void> {
    const snapshot = this.project;
    const rev = this.rev;
    this.pendingSince = undefined;
    try {
      await this.writer(this.dir, snapshot);
    } catch (err) {
      throw this.failed(err);
    }
    const recovered = this.failure !== undefined;
    this.failure = undefined;
    this.failedAttempts = 0;
    if (this.rev === rev) this.dirty = false;
    if (this.rev === rev || recovered) this.emitChanged();
  }

  private failed(err: unknown): StudioError {
    const failure = saveFailure(err, this.dir);
    const isNew = failure.message !== this.failure?.message;
    this.failure = failure;
    this.failedAttempts += 1;
    // Retry by itself, so the edits reach the disk once the cause is gone even if no one edits again.
    const delay = Math.min(30_000, this.retryDelayMs * 2 ** (this.failedAttempts - 1));
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.flush().catch(() => {}), delay);
    this.retryTimer.unref?.();
    if (isNew) {
      this.emitChanged();
      this.emit('saveError', failure.error);
    }
    return failure.error;
  }

  /** The reason edits are only in memory right now, or undefined when the last save worked. */
  get saveFailure(): SaveFailure | undefined {
    return this.failure;
  }

  /**
   * Tries once more to write unsaved edits, then stops. When that fails it rejects with where it failed
   * and what is on disk instead (the caller tells the person before the process ends).
   */
  async close(): Promise<void> {
    try {
      await this.flush().catch((err: unknown) => {
        throw saveFailure(err, this.dir, { closing: true }).error;
      });
    } finally {
      clearTimeout(this.saveTimer);
      clearTimeout(this.retryTimer);
      this.removeAllListeners();
    }
  }
}

/** The document as the schema makes it, or the change refused whole with every problem named. */
function validated(draft: Project): Project {
  const parsed = ProjectSchema.safeParse(draft);
  if (!parsed.success) {
    const details = describeIssues(parsed.error, '', draft);
    throw new StudioError('INVALID_INPUT', `That change was refused: ${details.join('; ')}`, details);
  }
  return parsed.data;
}
