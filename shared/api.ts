// The StudioApi contract: every method the renderer (or any client) may call, and every event the core
// emits, each with its zod schema. Electron IPC and the browser host both dispatch through one table
// built from this map (electron/core/api.ts) and validate input against these same schemas.
// The schemas live in shared/api/, one file per method family: project.ts (the document's state and
// changes), shots.ts (shots, groups, takes), library.ts (voices, elements), jobs.ts (generation),
// media.ts (preview, export, pictures, audio lanes), app.ts (this computer: settings, providers, projects).
import { z } from 'zod';
import {
  EditReplySchema,
  ProjectChangeSchema,
  ProjectRenameInputSchema,
  ProjectStateSchema,
  SettingsUpdateInputSchema,
} from './api/project';
import {
  GroupsCreateInputSchema,
  GroupsRemoveInputSchema,
  ShotsAddInputSchema,
  ShotsChainInputSchema,
  ShotsDuplicateInputSchema,
  ShotsFitFrameInputSchema,
  ShotsMoveInputSchema,
  ShotsMoveManyInputSchema,
  ShotsRemoveInputSchema,
  ShotsSetFrameInputSchema,
  ShotsShareKeyframeInputSchema,
  ShotsUpdateInputSchema,
  ShotsUpdateManyInputSchema,
  TakesImportInputSchema,
  TakesReviewInputSchema,
} from './api/shots';
import {
  LibraryAddElementImageInputSchema,
  LibraryCreateVoiceInputSchema,
  LibraryCreateVoiceOutputSchema,
  LibraryRemoveElementImageInputSchema,
  LibraryRemoveElementInputSchema,
  LibraryRemoveVoiceInputSchema,
  LibrarySaveElementInputSchema,
  LibrarySaveVoiceInputSchema,
  LibrarySetElementVideoInputSchema,
  LibrarySetVoiceSampleInputSchema,
} from './api/library';
import {
  JobsCancelInputSchema,
  JobSchema,
  JobsEstimateInputSchema,
  JobsEstimateOutputSchema,
  JobsGenerateInputSchema,
  JobsGenerateOutputSchema,
  JobsResolveInputSchema,
  JobsRetryInputSchema,
} from './api/jobs';
import {
  AudioAddLaneInputSchema,
  AudioRemoveLaneInputSchema,
  AudioUpdateLaneInputSchema,
  ExportResultSchema,
  MediaCancelExportOutputSchema,
  MediaExportInputSchema,
  MediaPicturesInputSchema,
  PicturesSchema,
  PreviewSchema,
} from './api/media';
import {
  AppInfoOutputSchema,
  AppSettingsSchema,
  AppUpdateSettingsInputSchema,
  ProjectsCreateInputSchema,
  ProjectsOpenInputSchema,
  ProjectsRecentOutputSchema,
  ProvidersConfigureInputSchema,
  ProviderStatusSchema,
  RecentProjectSchema,
} from './api/app';

// The schemas and types callers use by name, re-exported: code imports them from shared/api, not from the
// family files (those are this contract's parts; a method's own input/output schemas are read through `methods`).
export { ProjectStateSchema, ProjectPatchEventSchema, ProjectChangeSchema, EditReplySchema } from './api/project';
export type { ProjectState, ProjectPatchEvent, ProjectChange } from './api/project';
export { JobSchema, GenerateTierSchema } from './api/jobs';
export type { Job } from './api/jobs';
export { PreviewSchema, ExportPresetSchema, ExportResultSchema, PicturesSchema } from './api/media';
export type { Preview, ExportPreset, Pictures } from './api/media';
export { FfmpegInfoSchema, ProviderStatusSchema, AppSettingsSchema, RecentProjectSchema } from './api/app';
export type { FfmpegInfo, ProviderStatus, AppSettings, RecentProject } from './api/app';

const Empty = z.object({}).strict().default({});

const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

export const methods = {
  'app.info': method(Empty, AppInfoOutputSchema),
  'project.get': method(Empty, ProjectStateSchema),
  /** Steps back through document edits (a drag or a burst of typing in one field is one step). Takes and jobs are never undone. */
  'project.undo': method(Empty, EditReplySchema),
  'project.redo': method(Empty, EditReplySchema),
  'app.settings': method(Empty, AppSettingsSchema),
  'app.updateSettings': method(AppUpdateSettingsInputSchema, AppSettingsSchema),
  'project.rename': method(ProjectRenameInputSchema, EditReplySchema),
  'settings.update': method(SettingsUpdateInputSchema, EditReplySchema),
  'shots.add': method(ShotsAddInputSchema, EditReplySchema),
  'shots.update': method(ShotsUpdateInputSchema, EditReplySchema),
  /** The same patch on several shots (a multi-selection in the inspector) as one undo step; refused whole if any shot cannot take it. */
  'shots.updateMany': method(ShotsUpdateManyInputSchema, EditReplySchema),
  /** Removes one shot (id) or several (ids) in one undo step; their takes stay on disk. */
  'shots.remove': method(ShotsRemoveInputSchema, EditReplySchema),
  'shots.move': method(ShotsMoveInputSchema, EditReplySchema),
  /** Moves several shots together (a multi-selection) so the first lands at toIndex, keeping their order. */
  'shots.moveMany': method(ShotsMoveManyInputSchema, EditReplySchema),
  /** A copy right after the original: every field, no takes. */
  'shots.duplicate': method(ShotsDuplicateInputSchema, EditReplySchema),
  /** Copies an image into media/refs/ (checked: jpg/png, ≤ 10 MB, ≥ 300 px, aspect 0.4–2.5) and sets it as the shot's start or end frame. */
  'shots.setFrame': method(ShotsSetFrameInputSchema, EditReplySchema),
  /**
   * A frame of another shape than its shot: replaces it with a copy at the shot's ratio, the whole picture
   * with black bars (pad) or its middle (crop), content-hashed in media/refs/ (the original stays there).
   */
  'shots.fitFrame': method(ShotsFitFrameInputSchema, EditReplySchema),
  /**
   * Continuity: from 'previous' sets the shot's start frame to the last frame that plays of the shot before
   * it (its selected take, extracted exactly into media/refs/) and keeps it following that take; null ends
   * the chain (the frame stays as an ordinary start frame).
   */
  'shots.chain': method(ShotsChainInputSchema, EditReplySchema),
  /**
   * A keyframe shared by two shots: one image that is this shot's end frame and the next shot's start
   * frame (shared/keyframe.ts). `keyframe` is an image to copy in (checked like shots.setFrame), or `use`
   * this shot's end frame / the next shot's start frame as it is; null unlinks (both keep the image as an
   * ordinary frame). Sharing ends a chain on the next shot's start frame. `shotId` is always the shot
   * whose end frame it is.
   */
  'shots.shareKeyframe': method(ShotsShareKeyframeInputSchema, EditReplySchema),
  /** Joins consecutive shots into one multi-shot request (2–6 shots, ≤ 15 s in all). */
  'groups.create': method(GroupsCreateInputSchema, EditReplySchema),
  'groups.remove': method(GroupsRemoveInputSchema, EditReplySchema),
  /**
   * Voice library: a name and the voice id each provider knows it by. No id = a new voice. `providerIds`
   * sets the providers it names (an empty id removes one) and keeps the others.
   */
  'library.saveVoice': method(LibrarySaveVoiceInputSchema, EditReplySchema),
  'library.removeVoice': method(LibraryRemoveVoiceInputSchema, EditReplySchema),
  /** A voice's 5–30 s sample (audio or video with sound, checked with probe; copied into media/voices/ by content hash); null removes it. */
  'library.setVoiceSample': method(LibrarySetVoiceSampleInputSchema, EditReplySchema),
  /**
   * Creates the voice on a provider from its sample (fal create-voice, Kling custom-voices) and stores the id
   * in providerIds[provider]. Waits for the provider (with a timeout); a paid call where the provider charges.
   * Kling takes the sample only by public URL: `sampleUrl` (https) is where it can fetch it.
   */
  'library.createVoice': method(LibraryCreateVoiceInputSchema, LibraryCreateVoiceOutputSchema),
  /** Element library (characters, props): a name, reference images, and ids in a provider's own library. */
  'library.saveElement': method(LibrarySaveElementInputSchema, EditReplySchema),
  /** An element's reference video (3–10.05 s, checked with probe; copied into media/refs/); null removes it. */
  'library.setElementVideo': method(LibrarySetElementVideoInputSchema, EditReplySchema),
  'library.addElementImage': method(LibraryAddElementImageInputSchema, EditReplySchema),
  'library.removeElementImage': method(LibraryRemoveElementImageInputSchema, EditReplySchema),
  'library.removeElement': method(LibraryRemoveElementInputSchema, EditReplySchema),
  /** Music or voice-over under the cut: the file is copied into media/audio/. */
  'audio.addLane': method(AudioAddLaneInputSchema, EditReplySchema),
  'audio.updateLane': method(AudioUpdateLaneInputSchema, EditReplySchema),
  'audio.removeLane': method(AudioRemoveLaneInputSchema, EditReplySchema),
  /** Review of a take: stars, a flag (circle = a keeper, reject), notes at a timecode. */
  'takes.review': method(TakesReviewInputSchema, EditReplySchema),
  /** Copies a video file (a path on this machine) into the project as a new take of the shot and selects it. */
  'takes.import': method(TakesImportInputSchema, EditReplySchema),
  'jobs.generate': method(JobsGenerateInputSchema, JobsGenerateOutputSchema),
  /** What "Generate" would send and cost right now, and what would stop it — nothing is sent. */
  'jobs.estimate': method(JobsEstimateInputSchema, JobsEstimateOutputSchema),
  'jobs.list': method(Empty, z.array(JobSchema)),
  'jobs.cancel': method(JobsCancelInputSchema, JobSchema),
  /** For a job that needs attention after a crash mid-submit. */
  /** attach: follow the provider's job with this id (from its dashboard) instead of sending again. */
  'jobs.resolve': method(JobsResolveInputSchema, JobSchema),
  /** A failed or canceled job sent again as a new job with a new take (the old take is kept). */
  'jobs.retry': method(JobsRetryInputSchema, JobSchema),
  /** Stores a key (desktop: in the OS keychain) and/or a base URL; null clears. Returns the list as providers.list. */
  'providers.configure': method(ProvidersConfigureInputSchema, z.array(ProviderStatusSchema)),
  'providers.list': method(Empty, z.array(ProviderStatusSchema)),
  'media.stitch': method(Empty, PreviewSchema),
  'media.preview': method(Empty, PreviewSchema.nullable()),
  /** Re-encodes the cut as a deliverable into renders/ (one export at a time); progress as task.progress kind 'export'. */
  'media.export': method(MediaExportInputSchema, ExportResultSchema),
  'media.cancelExport': method(Empty, MediaCancelExportOutputSchema),
  /** Poster, filmstrip and waveform images, made in the background at low priority and cached; omitted ids = all. */
  'media.pictures': method(MediaPicturesInputSchema, PicturesSchema),
  /**
   * Projects of this computer (browser host): the recent ones, and a new or another project opened in place of
   * this one. Paths are within the user's home (`~/…` is understood); after open/create the client reloads.
   */
  'projects.recent': method(Empty, ProjectsRecentOutputSchema),
  'projects.open': method(ProjectsOpenInputSchema, RecentProjectSchema),
  'projects.create': method(ProjectsCreateInputSchema, RecentProjectSchema),
} as const;

export type MethodMap = typeof methods;
export type MethodName = keyof MethodMap;
export type MethodInput<M extends MethodName> = z.input<MethodMap[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<MethodMap[M]['output']>;

export const TaskProgressSchema = z.object({
  taskId: z.string(),
  kind: z.enum(['generate', 'stitch', 'export', 'voice']),
  label: z.string(),
  /** 0..1, or null when the length of the work is unknown. */
  fraction: z.number().min(0).max(1).nullable(),
  done: z.boolean(),
  error: z.string().optional(),
});
export type TaskProgress = z.infer<typeof TaskProgressSchema>;

export const events = {
  'project.changed': ProjectChangeSchema,
  'job.updated': JobSchema,
  'task.progress': TaskProgressSchema,
  'preview.ready': PreviewSchema,
} as const;

export type EventMap = { [K in keyof typeof events]: z.output<(typeof events)[K]> };
export type EventName = keyof EventMap;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}

/** What a client sees: an object with one async function per method, plus event subscription. */
export interface StudioClient {
  invoke<M extends MethodName>(method: M, input?: MethodInput<M>): Promise<MethodOutput<M>>;
  on<E extends EventName>(event: E, cb: (payload: EventMap[E]) => void): () => void;
  /** URL the renderer can put in <video src> for a project-relative media path. */
  mediaUrl(relPath: string, cacheKey?: string): string;
}
