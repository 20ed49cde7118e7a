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
} from './schema';

export const ProjectStateSchema = z.object({
  project: ProjectSchema,
  /** Increments on every change the core makes; lets a client ignore stale snapshots. */
  rev: z.number().int(),
  /** Name of the project folder (never an absolute path: the renderer does not need one). */
  folderName: z.string(),
  /** Set when the project had to be opened from its backup. */
  recoveredFromBackup: z.string().optional(),
  saved: z.boolean(),
});
export type ProjectState = z.infer<typeof ProjectStateSchema>;

export const JobSchema = z.object({
  id: z.string(),
  /** The first shot of the request (the only one unless it is a multi-shot group). */
  shotId: z.string(),
  takeId: z.string(),
  /** Every shot the request covers, and the take it makes for each, in timeline order. */
  shotIds: z.array(z.string()),
  takeIds: z.array(z.string()),
  /** "shot 3 “Storm”" or "group of shots 2–4". */
  label: z.string(),
  estimatedUsd: z.number().nonnegative(),
  actualUsd: z.number().nonnegative().optional(),
  /** The provider's own job id, so a clip can be recovered by hand from its dashboard. */
  providerJobId: z.string().optional(),
  provider: ProviderIdSchema,
  status: TakeStatusSchema,
  /** 0..1 where the provider reports progress. */
  progress: z.number().min(0).max(1),
  queuePosition: z.number().int().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  error: z.string().optional(),
});
export type Job = z.infer<typeof JobSchema>;

export const PreviewSchema = z.object({
  /** Project-relative path of the stitched cut. */
  path: z.string(),
  durationSec: z.number(),
  /** Content key of the cut; changes whenever the cut changes (use it to bust caches). */
  key: z.string(),
  /** Shots filled by a slate because they have no ready take yet. */
  slateShotIds: z.array(z.string()),
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

export const ProviderStatusSchema = z.object({
  id: ProviderIdSchema,
  label: z.string(),
  available: z.boolean(),
  configured: z.boolean(),
  /** "····1234": all anyone outside the core sees of a key. */
  keyHint: z.string().optional(),
  baseUrl: z.string().optional(),
});
export type ProviderStatus = z.infer<typeof ProviderStatusSchema>;

const Empty = z.object({}).strict().default({});

const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

export const methods = {
  'app.info': method(
    Empty,
    z.object({ version: z.string(), host: z.enum(['electron', 'browser']), ffmpeg: FfmpegInfoSchema.nullable(), ffmpegError: z.string().optional() }),
  ),
  'project.get': method(Empty, ProjectStateSchema),
  'project.rename': method(z.object({ name: z.string().trim().min(1).max(120) }), ProjectStateSchema),
  'settings.update': method(z.object({ patch: SettingsPatchSchema }), ProjectStateSchema),
  'shots.add': method(
    z.object({
      afterId: z.string().optional(),
      title: z.string().max(200).optional(),
      prompt: z.string().max(2500).optional(),
      durationSec: z.number().int().min(3).max(15).optional(),
      aspectRatio: AspectRatioSchema.optional(),
    }),
    ProjectStateSchema,
  ),
  'shots.update': method(z.object({ id: z.string(), patch: ShotPatchSchema }), ProjectStateSchema),
  'shots.remove': method(z.object({ id: z.string() }), ProjectStateSchema),
  'shots.move': method(z.object({ id: z.string(), toIndex: z.number().int().min(0) }), ProjectStateSchema),
  'jobs.generate': method(
    z.object({
      /** Shots to generate; omitted = every shot without a ready take for its current parameters. */
      shotIds: z.array(z.string()).optional(),
      /** Takes per shot, each its own request (1–4). */
      variations: z.number().int().min(1).max(4).optional(),
    }),
    z.object({
      jobIds: z.array(z.string()),
      skipped: z.array(z.object({ shotId: z.string(), reason: z.string() })),
      estimatedUsd: z.number(),
    }),
  ),
  /** What "Generate" would send and cost right now, and what would stop it — nothing is sent. */
  'jobs.estimate': method(
    z.object({ shotIds: z.array(z.string()).optional(), variations: z.number().int().min(1).max(4).optional() }),
    z.object({
      provider: ProviderIdSchema,
      requests: z.number().int(),
      estimatedUsd: z.number(),
      problems: z.array(z.object({ shotId: z.string().optional(), field: z.string(), message: z.string() })),
      budget: z.object({ budgetUsd: z.number(), committedUsd: z.number(), overByUsd: z.number() }).optional(),
    }),
  ),
  'jobs.list': method(Empty, z.array(JobSchema)),
  'jobs.cancel': method(z.object({ jobId: z.string() }), JobSchema),
  /** For a job that needs attention after a crash mid-submit. */
  'jobs.resolve': method(z.object({ jobId: z.string(), action: z.enum(['submit-again', 'mark-failed']) }), JobSchema),
  /** Stores a key (desktop: in the OS keychain) and/or a base URL; null clears. Returns the list as providers.list. */
  'providers.configure': method(
    z.object({
      provider: z.enum(['fal', 'replicate', 'lumenfall', 'kling']),
      credentials: z.record(z.string(), z.string().max(4096)).nullable().optional(),
      baseUrl: z.string().max(2048).nullable().optional(),
    }),
    z.array(ProviderStatusSchema),
  ),
  'providers.list': method(Empty, z.array(ProviderStatusSchema)),
  'media.stitch': method(Empty, PreviewSchema),
  'media.preview': method(Empty, PreviewSchema.nullable()),
} as const;

export type MethodMap = typeof methods;
export type MethodName = keyof MethodMap;
export type MethodInput<M extends MethodName> = z.input<MethodMap[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<MethodMap[M]['output']>;

export const TaskProgressSchema = z.object({
  taskId: z.string(),
  kind: z.enum(['generate', 'stitch']),
  label: z.string(),
  /** 0..1, or null when the length of the work is unknown. */
  fraction: z.number().min(0).max(1).nullable(),
  done: z.boolean(),
  error: z.string().optional(),
});
export type TaskProgress = z.infer<typeof TaskProgressSchema>;

export const events = {
  'project.changed': ProjectStateSchema,
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
