// The StudioApi contract: every method the renderer (or any client) may call, and every event the core
// emits, each with its zod schema. Electron IPC and the browser host both dispatch through one table
// built from this map (electron/core/api.ts) and validate input against these same schemas.
import { z } from 'zod';
import {
  ProjectSchema,
  ShotPatchSchema,
  SettingsPatchSchema,
  ProviderIdSchema,
  TakeStatusSchema,
  AspectRatioSchema,
  RequestTierSchema,
} from './schema';
import { CLOUD_PROVIDER_IDS } from './capabilities';
import { MAX_PRICE_USD_PER_SEC, MAX_PROMPT_CHARS, MAX_SHOT_SECONDS, MAX_TITLE_CHARS, MIN_SHOT_SECONDS } from './limits';
import { PriceKindSchema, PriceOverridesSchema } from './pricing';
import { ProjectPatchSchema } from './project-patch';

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

export const JobSchema = z.object({
  id: z.string(),
  /** The first shot of the request (the only one unless it is a multi-shot group). */
  shotId: z.string(),
  takeId: z.string(),
  /** Every shot the request covers, and the take it makes for each, in timeline order. */
  shotIds: z.array(z.string()),
  takeIds: z.array(z.string()),
  /** "shot 3 “Storm”" or "group of shots 2–4", as the shots stood when the label was made (shared/work-units unitLabel names them by their current order). */
  label: z.string(),
  /** The shots' titles when the request was made, so a job whose shots were deleted can still be named. */
  titles: z.array(z.string()).optional(),
  estimatedUsd: z.number().nonnegative(),
  actualUsd: z.number().nonnegative().optional(),
  /** The provider's own job id, so a clip can be recovered by hand from its dashboard. */
  providerJobId: z.string().optional(),
  provider: ProviderIdSchema,
  status: TakeStatusSchema,
  /** 0..1 where the provider reports progress. */
  progress: z.number().min(0).max(1),
  queuePosition: z.number().int().optional(),
  /** Seconds since the request was first sent (to the end, once finished); kept across restarts. */
  elapsedSec: z.number().nonnegative().optional(),
  /** When the request was first sent and when the job ended (ISO): elapsed time is counted from these (shared/time.ts). */
  submittedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  /** Seconds left, learned from earlier jobs of the same provider and tier; absent until it can be told. */
  etaSec: z.number().nonnegative().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  error: z.string().optional(),
  /** When the provider said the clip was made: from then on it is charged, even if it is never downloaded. */
  deliveredAt: z.string().optional(),
});
export type Job = z.infer<typeof JobSchema>;

export const PreviewSchema = z.object({
  /** Project-relative path of the stitched cut (renders/preview.mp4: always the latest). */
  path: z.string(),
  /**
   * The same file under a name of its own (cache/previews/<key>.mp4), for a player: the next cut replaces
   * `path`, never this, so a player still showing this cut keeps reading this cut's bytes.
   */
  playPath: z.string().optional(),
  durationSec: z.number(),
  /** Content key of the cut; changes whenever the cut changes (use it to bust caches). */
  key: z.string(),
  /** Shots filled by a slate because they have no ready take yet. */
  slateShotIds: z.array(z.string()),
  /** Why a shot that has a take shows a slate instead (its clip is missing or cannot be used). */
  slateReasons: z.array(z.object({ shotId: z.string(), message: z.string() })).optional(),
  /** Where each shot sits in this file, in order (exact to the frame); absent in previews made before it was recorded. */
  segments: z.array(z.object({ shotId: z.string(), startSec: z.number(), durationSec: z.number() })).optional(),
});
export type Preview = z.infer<typeof PreviewSchema>;

export const FfmpegInfoSchema = z.object({
  ffmpegPath: z.string(),
  ffprobePath: z.string(),
  version: z.string(),
  source: z.enum(['settings', 'env', 'ffmpeg-static', 'path']),
  features: z.object({ libx264: z.boolean(), drawtext: z.boolean(), flite: z.boolean() }),
});
export type FfmpegInfo = z.infer<typeof FfmpegInfoSchema>;

export const ExportPresetSchema = z.enum(['h264-1080p', 'h264-720p', 'webm-vp9', 'gif', 'webp']);
export type ExportPreset = z.infer<typeof ExportPresetSchema>;

export const ExportResultSchema = z.object({
  /** Project-relative path of the exported file (in renders/). */
  path: z.string(),
  durationSec: z.number(),
  /** Shots with no ready take, exported as slates. */
  slateShotIds: z.array(z.string()),
  /** The crossfade used (shortened where a shot was too short for the one asked for). */
  crossfadeSec: z.number(),
  /** Size of the file written, in bytes. */
  bytes: z.number().int().nonnegative(),
});

/** Project-relative paths of cached pictures (cache/pictures/); absent where one could not be made. */
export const PicturesSchema = z.object({
  takes: z.array(
    z.object({
      takeId: z.string(),
      poster: z.string().optional(),
      /** Frames side by side in one image; frame i shows the take at i × intervalSec. */
      filmstrip: z.object({ path: z.string(), frames: z.number().int(), frameWidth: z.number().int(), frameHeight: z.number().int(), intervalSec: z.number() }).optional(),
      error: z.string().optional(),
    }),
  ),
  lanes: z.array(z.object({ laneId: z.string(), waveform: z.string().optional(), error: z.string().optional() })),
});
export type Pictures = z.infer<typeof PicturesSchema>;

export const ProviderStatusSchema = z.object({
  id: ProviderIdSchema,
  label: z.string(),
  available: z.boolean(),
  configured: z.boolean(),
  /** "····1234": all anyone outside the core sees of a key. */
  keyHint: z.string().optional(),
  baseUrl: z.string().optional(),
  /** Where the key comes from: saved in Settings (a new base URL drops it) or the environment. */
  keySource: z.enum(['settings', 'environment']).optional(),
});
export type ProviderStatus = z.infer<typeof ProviderStatusSchema>;

const Empty = z.object({}).strict().default({});

/** A file to bring into the project: an absolute path (desktop drop/pick) or an upload in cache/imports/ (browser). */
const IncomingFile = z.string().min(1).max(4096);

/** Settings of this computer, not of the project: kept in the user's config folder. */
export const AppSettingsSchema = z.object({
  /** Requests in flight at once, across all providers (1–8). */
  concurrency: z.number().int().min(1).max(8),
  /** An ffmpeg binary chosen by hand; absent = found automatically. */
  ffmpegPath: z.string().max(4096).optional(),
  /** Where keys are kept: the OS keychain (desktop), a file only you can read (browser host), or nowhere (env only). */
  keyStorage: z.enum(['keychain', 'config-file', 'environment']),
  /** Prices set by hand (provider → tier → audioOff/audioOn/voiceControl → {usdPerSec, setAt}); the rest is shared/pricing.ts's table. */
  prices: PriceOverridesSchema.default({}),
});
export type AppSettings = z.infer<typeof AppSettingsSchema>;

/** A project folder as the Open… list shows it: `~/films/Lighthouse.storyreel` and the project's name. */
export const RecentProjectSchema = z.object({ path: z.string(), name: z.string() });
export type RecentProject = z.infer<typeof RecentProjectSchema>;

const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

/** A generation tier (4K where the provider offers it). */
export const GenerateTierSchema = RequestTierSchema;

export const methods = {
  'app.info': method(
    Empty,
    z.object({ version: z.string(), host: z.enum(['electron', 'browser']), ffmpeg: FfmpegInfoSchema.nullable(), ffmpegError: z.string().optional() }),
  ),
  'project.get': method(Empty, ProjectStateSchema),
  /** Steps back through document edits (a drag or a burst of typing in one field is one step). Takes and jobs are never undone. */
  'project.undo': method(Empty, EditReplySchema),
  'project.redo': method(Empty, EditReplySchema),
  'app.settings': method(Empty, AppSettingsSchema),
  'app.updateSettings': method(
    z
      .object({
        concurrency: z.number().int().min(1).max(8).optional(),
        ffmpegPath: z.string().max(4096).nullable().optional(),
        /** One price of your own, USD per output second (dated today by the core); null = back to the published price. */
        price: z
          .object({
            provider: ProviderIdSchema,
            tier: GenerateTierSchema,
            kind: PriceKindSchema,
            usdPerSec: z.number().nonnegative().max(MAX_PRICE_USD_PER_SEC).nullable(),
          })
          .strict()
          .optional(),
      })
      .strict(),
    AppSettingsSchema,
  ),
  'project.rename': method(z.object({ name: z.string().trim().min(1).max(120) }), EditReplySchema),
  'settings.update': method(z.object({ patch: SettingsPatchSchema }), EditReplySchema),
  'shots.add': method(
    z.object({
      afterId: z.string().optional(),
      title: z.string().max(MAX_TITLE_CHARS).optional(),
      prompt: z.string().max(MAX_PROMPT_CHARS).optional(),
      durationSec: z.number().int().min(MIN_SHOT_SECONDS).max(MAX_SHOT_SECONDS).optional(),
      aspectRatio: AspectRatioSchema.optional(),
    }),
    EditReplySchema,
  ),
  'shots.update': method(z.object({ id: z.string(), patch: ShotPatchSchema }), EditReplySchema),
  /** The same patch on several shots (a multi-selection in the inspector) as one undo step; refused whole if any shot cannot take it. */
  'shots.updateMany': method(z.object({ ids: z.array(z.string()).min(1).max(1000), patch: ShotPatchSchema }), EditReplySchema),
  /** Removes one shot (id) or several (ids) in one undo step; their takes stay on disk. */
  'shots.remove': method(
    z.object({ id: z.string().optional(), ids: z.array(z.string()).min(1).max(1000).optional() }).refine((v) => v.id || v.ids, 'give id or ids'),
    EditReplySchema,
  ),
  'shots.move': method(z.object({ id: z.string(), toIndex: z.number().int().min(0) }), EditReplySchema),
  /** Moves several shots together (a multi-selection) so the first lands at toIndex, keeping their order. */
  'shots.moveMany': method(z.object({ ids: z.array(z.string()).min(1).max(1000), toIndex: z.number().int().min(0) }), EditReplySchema),
  /** A copy right after the original: every field, no takes. */
  'shots.duplicate': method(z.object({ id: z.string() }), EditReplySchema),
  /** Copies an image into media/refs/ (checked: jpg/png, ≤ 10 MB, ≥ 300 px, aspect 0.4–2.5) and sets it as the shot's start or end frame. */
  'shots.setFrame': method(z.object({ shotId: z.string(), which: z.enum(['start', 'end']), path: IncomingFile }), EditReplySchema),
  /**
   * A frame of another shape than its shot: replaces it with a copy at the shot's ratio, the whole picture
   * with black bars (pad) or its middle (crop), content-hashed in media/refs/ (the original stays there).
   */
  'shots.fitFrame': method(z.object({ shotId: z.string(), which: z.enum(['start', 'end']), mode: z.enum(['pad', 'crop']) }), EditReplySchema),
  /**
   * Continuity: from 'previous' sets the shot's start frame to the last frame that plays of the shot before
   * it (its selected take, extracted exactly into media/refs/) and keeps it following that take; null ends
   * the chain (the frame stays as an ordinary start frame).
   */
  'shots.chain': method(z.object({ shotId: z.string(), from: z.enum(['previous']).nullable() }), EditReplySchema),
  /**
   * A keyframe shared by two shots: one image that is this shot's end frame and the next shot's start
   * frame (shared/keyframe.ts). `keyframe` is an image to copy in (checked like shots.setFrame), or `use`
   * this shot's end frame / the next shot's start frame as it is; null unlinks (both keep the image as an
   * ordinary frame). Sharing ends a chain on the next shot's start frame. `shotId` is always the shot
   * whose end frame it is.
   */
  'shots.shareKeyframe': method(
    z.object({
      shotId: z.string(),
      keyframe: z.union([z.object({ path: IncomingFile }).strict(), z.object({ use: z.enum(['end', 'next-start']) }).strict()]).nullable(),
    }),
    EditReplySchema,
  ),
  /** Joins consecutive shots into one multi-shot request (2–6 shots, ≤ 15 s in all). */
  'groups.create': method(z.object({ shotIds: z.array(z.string()).min(2).max(6), shotType: z.enum(['customize', 'intelligence']).optional() }), EditReplySchema),
  'groups.remove': method(z.object({ groupId: z.string() }), EditReplySchema),
  /**
   * Voice library: a name and the voice id each provider knows it by. No id = a new voice. `providerIds`
   * sets the providers it names (an empty id removes one) and keeps the others.
   */
  'library.saveVoice': method(
    z.object({ id: z.string().optional(), name: z.string().trim().min(1).max(80), providerIds: z.record(z.string(), z.string().max(200)) }),
    EditReplySchema,
  ),
  'library.removeVoice': method(z.object({ id: z.string() }), EditReplySchema),
  /** A voice's 5–30 s sample (audio or video with sound, checked with probe; copied into media/voices/ by content hash); null removes it. */
  'library.setVoiceSample': method(z.object({ voiceId: z.string(), path: IncomingFile.nullable() }), EditReplySchema),
  /**
   * Creates the voice on a provider from its sample (fal create-voice, Kling custom-voices) and stores the id
   * in providerIds[provider]. Waits for the provider (with a timeout); a paid call where the provider charges.
   * Kling takes the sample only by public URL: `sampleUrl` (https) is where it can fetch it.
   */
  'library.createVoice': method(
    z.object({ voiceId: z.string(), provider: z.enum(['fal', 'kling']), sampleUrl: z.string().url().max(2000).optional() }),
    z.object({ voiceId: z.string(), provider: z.enum(['fal', 'kling']), providerVoiceId: z.string(), usd: z.number().nullable() }),
  ),
  /** Element library (characters, props): a name, reference images, and ids in a provider's own library. */
  'library.saveElement': method(
    z.object({
      id: z.string().optional(),
      name: z.string().trim().min(1).max(80),
      providerIds: z.record(z.string(), z.string().max(200)).optional(),
      /** Character (default), prop or location. */
      kind: z.enum(['character', 'prop', 'location']).optional(),
      /** One of the project's voices; null takes the voice away. */
      voiceId: z.string().nullable().optional(),
    }),
    EditReplySchema,
  ),
  /** An element's reference video (3–10.05 s, checked with probe; copied into media/refs/); null removes it. */
  'library.setElementVideo': method(z.object({ elementId: z.string(), path: IncomingFile.nullable() }), EditReplySchema),
  'library.addElementImage': method(z.object({ elementId: z.string(), path: IncomingFile }), EditReplySchema),
  'library.removeElementImage': method(z.object({ elementId: z.string(), index: z.number().int().min(0) }), EditReplySchema),
  'library.removeElement': method(z.object({ id: z.string() }), EditReplySchema),
  /** Music or voice-over under the cut: the file is copied into media/audio/. */
  'audio.addLane': method(z.object({ kind: z.enum(['music', 'voiceover']), path: IncomingFile, startSec: z.number().min(0).optional() }), EditReplySchema),
  'audio.updateLane': method(
    z.object({ id: z.string(), patch: z.object({ startSec: z.number().min(0), gainDb: z.number().min(-60).max(12), duck: z.boolean() }).partial().strict() }),
    EditReplySchema,
  ),
  'audio.removeLane': method(z.object({ id: z.string() }), EditReplySchema),
  /** Review of a take: stars, a flag (circle = a keeper, reject), notes at a timecode. */
  'takes.review': method(
    z.object({
      shotId: z.string(),
      takeId: z.string(),
      rating: z.number().int().min(0).max(5).optional(),
      flag: z.enum(['none', 'circle', 'reject']).optional(),
      addNote: z.object({ atSec: z.number().min(0).optional(), text: z.string().trim().min(1).max(1000) }).optional(),
      removeNote: z.number().int().min(0).optional(),
    }),
    EditReplySchema,
  ),
  /** Copies a video file (a path on this machine) into the project as a new take of the shot and selects it. */
  'takes.import': method(z.object({ shotId: z.string(), path: z.string().min(1).max(4096) }), EditReplySchema),
  'jobs.generate': method(
    z.object({
      /** Shots to generate; omitted = every shot without a ready take for its current parameters. */
      shotIds: z.array(z.string()).optional(),
      /** Takes per shot, each its own request (1–4). */
      variations: z.number().int().min(1).max(4).optional(),
      /** Regenerate at this tier instead of each shot's own (an explicit action on selected shots, priced first). */
      tier: GenerateTierSchema.optional(),
      /** The total the person confirmed: if the batch would now cost more, nothing is sent. */
      expectedUsd: z.number().nonnegative().optional(),
    }),
    z.object({
      jobIds: z.array(z.string()),
      /** Shots left out and why; `problem` when a problem keeps the shot back (fix it and generate again). */
      skipped: z.array(z.object({ shotId: z.string(), reason: z.string(), problem: z.boolean().optional() })),
      estimatedUsd: z.number(),
    }),
  ),
  /** What "Generate" would send and cost right now, and what would stop it — nothing is sent. */
  'jobs.estimate': method(
    z.object({
      shotIds: z.array(z.string()).optional(),
      variations: z.number().int().min(1).max(4).optional(),
      tier: GenerateTierSchema.optional(),
      /** Totals only, no `lines`: the toolbar's live figure, asked after every edit (a 1,000-shot plan's lines are ~100 KB). */
      summary: z.boolean().optional(),
    }),
    z.object({
      provider: ProviderIdSchema,
      requests: z.number().int(),
      estimatedUsd: z.number(),
      /** Problems that keep their shots back; every other shot is still sent. */
      problems: z.array(z.object({ shotId: z.string().optional(), field: z.string(), message: z.string() })),
      /** Each request that would be sent, as the confirmation lists it. */
      lines: z
        .array(
          z.object({
            key: z.string(),
            label: z.string(),
            durationSec: z.number(),
            tier: GenerateTierSchema,
            usd: z.number(),
            /** The table the figure came from: "fal.ai price list of 2026-03-13" or "your price, set 2026-12-02". */
            priceSource: z.string().optional(),
          }),
        )
        .default([]),
      /** Every table the estimate used, once each, in the order of the lines. */
      priceSources: z.array(z.string()).default([]),
      /** Shots that would be sent although they have a current animatic draft (a cloud provider replaces drafts). */
      draftShots: z.number().int().default(0),
      budget: z.object({ budgetUsd: z.number(), committedUsd: z.number(), overByUsd: z.number() }).optional(),
    }),
  ),
  'jobs.list': method(Empty, z.array(JobSchema)),
  'jobs.cancel': method(z.object({ jobId: z.string() }), JobSchema),
  /** For a job that needs attention after a crash mid-submit. */
  /** attach: follow the provider's job with this id (from its dashboard) instead of sending again. */
  'jobs.resolve': method(z.object({ jobId: z.string(), action: z.enum(['submit-again', 'mark-failed', 'attach']), providerJobId: z.string().max(200).optional() }), JobSchema),
  /** A failed or canceled job sent again as a new job with a new take (the old take is kept). */
  'jobs.retry': method(z.object({ jobId: z.string() }), JobSchema),
  /** Stores a key (desktop: in the OS keychain) and/or a base URL; null clears. Returns the list as providers.list. */
  'providers.configure': method(
    z.object({
      provider: z.enum(CLOUD_PROVIDER_IDS),
      credentials: z.record(z.string(), z.string().max(4096)).nullable().optional(),
      baseUrl: z.string().max(2048).nullable().optional(),
    }),
    z.array(ProviderStatusSchema),
  ),
  'providers.list': method(Empty, z.array(ProviderStatusSchema)),
  'media.stitch': method(Empty, PreviewSchema),
  'media.preview': method(Empty, PreviewSchema.nullable()),
  /** Re-encodes the cut as a deliverable into renders/ (one export at a time); progress as task.progress kind 'export'. */
  'media.export': method(
    z.object({
      preset: ExportPresetSchema.default('h264-1080p'),
      /** 1–100, higher is better (lossy presets); the preset's default when absent. */
      quality: z.number().int().min(1).max(100).optional(),
      crossfadeSec: z.number().min(0).max(3).optional(),
      /** File name inside renders/ (no folders); the preset's extension is added. */
      out: z.string().min(1).max(120).optional(),
    }),
    ExportResultSchema,
  ),
  'media.cancelExport': method(Empty, z.object({ canceled: z.boolean() })),
  /** Poster, filmstrip and waveform images, made in the background at low priority and cached; omitted ids = all. */
  'media.pictures': method(
    z.object({ takeIds: z.array(z.string()).max(1000).optional(), laneIds: z.array(z.string()).max(100).optional() }),
    PicturesSchema,
  ),
  /**
   * Projects of this computer (browser host): the recent ones, and a new or another project opened in place of
   * this one. Paths are within the user's home (`~/…` is understood); after open/create the client reloads.
   */
  'projects.recent': method(Empty, z.object({ home: z.string(), current: z.string(), recent: z.array(RecentProjectSchema) })),
  'projects.open': method(z.object({ path: z.string().trim().min(1).max(4096) }), RecentProjectSchema),
  'projects.create': method(z.object({ name: z.string().trim().min(1).max(120), folder: z.string().trim().min(1).max(4096) }), RecentProjectSchema),
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
