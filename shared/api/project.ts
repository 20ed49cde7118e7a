// The contract's schemas for the open document: its state, the change each revision makes (the
// `project.changed` push and every edit's answer), and the edits of the project itself (name, settings).
// The method table is shared/api.ts.
import { z } from 'zod';
import { ProjectSchema, SettingsPatchSchema } from '../schema';
import { ProjectPatchSchema } from '../project-patch';

export const ProjectStateSchema = z.object({
  project: ProjectSchema,
  /** Increments on every change the core makes; lets a client ignore stale snapshots. */
  rev: z.number().int(),
  /** Name of the project folder (never an absolute path: the renderer does not need one). */
  folderName: z.string(),
  /** Set when the project had to be opened from its backup. */
  recoveredFromBackup: z.string().optional(),
  saved: z.boolean(),
  /** The last save failed and none has worked since: the edits are only in memory (the core keeps retrying). */
  saveError: z.object({ reason: z.string(), message: z.string() }).optional(),
  /** The edit ⌘Z would take back and ⇧⌘Z would replay ("Move shot"); absent when there is none. */
  history: z.object({ undo: z.string().optional(), redo: z.string().optional() }).default({}),
});
export type ProjectState = z.infer<typeof ProjectStateSchema>;

/**
 * `project.changed` for one revision: what changed since the revision before (shared/project-patch.ts
 * applies it), with the save status and history whole. `baseRev` is the revision it applies on (equal to
 * `rev` when only the save status changed); a client that holds another revision asks `project.get`.
 */
export const ProjectPatchEventSchema = z.object({
  rev: z.number().int(),
  baseRev: z.number().int(),
  patch: ProjectPatchSchema,
  saved: z.boolean(),
  saveError: ProjectStateSchema.shape.saveError,
  history: ProjectStateSchema.shape.history,
});
export type ProjectPatchEvent = z.infer<typeof ProjectPatchEventSchema>;
/** The payload of `project.changed`: a patch per revision, or a whole state (which always has `project`). */
export const ProjectChangeSchema = z.union([ProjectPatchEventSchema, ProjectStateSchema]);
export type ProjectChange = z.infer<typeof ProjectChangeSchema>;
/**
 * What a document edit (shots.update, project.undo, …) answers: the change it made, like the
 * project.changed push for the same revision — a patch on the revision before (an empty one, baseRev =
 * rev, when the edit changed nothing), or, rarely, a whole state. Never the whole document per keystroke:
 * `project.get` is the one method that answers with it. The renderer applies it with the pushes
 * (renderer/src/store/document-slice.ts); in-process callers read `studio.session.current` or project.get.
 */
export const EditReplySchema = ProjectChangeSchema;

export const ProjectRenameInputSchema = z.object({ name: z.string().trim().min(1).max(120) });
export const SettingsUpdateInputSchema = z.object({ patch: SettingsPatchSchema });
