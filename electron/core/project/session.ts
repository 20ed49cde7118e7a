// One open project: the in-memory document, its revision counter and debounced atomic saves.
// Every change goes through mutate(), so saving, change events and validation hook in once.
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { ProjectSchema, describeIssues, type Project } from '../../../shared/schema';
import type { ProjectState } from '../../../shared/api';
import { StudioError } from '../../../shared/errors';
import { openProjectFolder, saveProjectFolder } from './project-folder';
import { History, applyStep } from './history';

export interface SessionEvents {
  changed: [ProjectState];
  saveError: [Error];
}

export class ProjectSession extends EventEmitter<SessionEvents> {
  readonly dir: string;
  private project: Project;
  private rev = 0;
  private dirty = false;
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  readonly recoveredFromBackup?: string;
  private readonly history = new History();
  /** How long edits wait before they are written; a burst of keystrokes becomes one write. */
  saveDelayMs = 250;

  private constructor(dir: string, project: Project, recovered?: string) {
    super();
    this.dir = dir;
    this.project = project;
    this.recoveredFromBackup = recovered;
  }

  static async open(dir: string): Promise<ProjectSession> {
    const abs = path.resolve(dir);
    const opened = await openProjectFolder(abs);
    const session = new ProjectSession(abs, opened.project, opened.recoveredFromBackup);
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
      project: this.project,
      rev: this.rev,
      folderName: path.basename(this.dir),
      saved: !this.dirty,
      history: this.history.labels(),
      ...(this.recoveredFromBackup ? { recoveredFromBackup: this.recoveredFromBackup } : {}),
    };
  }

  /**
   * Applies a change. The recipe receives a deep copy; the result is validated before it replaces the
   * document, so an invalid edit is refused whole and the document is never left half-changed.
   */
  mutate(recipe: (draft: Project) => void): ProjectState {
    const draft = structuredClone(this.project);
    recipe(draft);
    this.commit(validated(draft));
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
    if (JSON.stringify(next) === JSON.stringify(before)) return this.state();
    this.commit(next);
    this.history.record({ label, before, after: next, key });
    return this.announce();
  }

  /** Takes back the last edit (only what it changed); returns the state, unchanged when there is none. */
  undo(): ProjectState {
    const step = this.history.popUndo();
    if (!step) return this.state();
    try {
      this.commit(validated(applyStep(this.project, step.after, step.before)));
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
      this.commit(validated(applyStep(this.project, step.before, step.after)));
    } catch (err) {
      this.history.pushRedo(step);
      throw err;
    }
    this.history.pushUndo(step);
    return this.announce();
  }

  private announce(): ProjectState {
    const state = this.state();
    this.emit('changed', state);
    return state;
  }

  /** Puts a validated document in place and schedules its save (callers announce the change). */
  private commit(next: Project): void {
    this.project = next;
    this.rev += 1;
    this.dirty = true;
    this.scheduleSave();
  }

  private scheduleSave(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.flush().catch((err: Error) => this.emit('saveError', err));
    }, this.saveDelayMs);
  }

  /** Writes pending changes now (⌘S, quit, end of a CLI command). */
  async flush(): Promise<void> {
    clearTimeout(this.saveTimer);
    this.saving = this.saving.then(async () => {
      if (!this.dirty) return;
      const snapshot = this.project;
      const rev = this.rev;
      await saveProjectFolder(this.dir, snapshot);
      if (this.rev === rev) {
        this.dirty = false;
        this.emit('changed', this.state());
      }
    });
    return this.saving;
  }

  async close(): Promise<void> {
    await this.flush();
    this.removeAllListeners();
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
