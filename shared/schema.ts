// The Storyreel document: domain types and their zod schemas.
// Shared by the core (Node) and the renderer (browser): no Node, DOM or Electron imports here.
import { z } from 'zod';
import { DEFAULT_TIER_IDS, PROVIDER_IDS, TIER_IDS } from './capabilities';
import {
  MAX_DIALOGUE_LINES,
  MAX_LINE_CHARS,
  MAX_PROMPT_CHARS,
  MAX_SHOT_SECONDS,
  MAX_SPEAKER_CHARS,
  MAX_TITLE_CHARS,
  MAX_VOICES_PER_SHOT,
  MIN_GROUP_SHOT_SECONDS,
  MIN_SHOT_SECONDS,
} from './limits';

export const SCHEMA_VERSION = 1;

/** The field limits (shared/limits.ts), under the names their callers know. */
export { MAX_PROMPT_CHARS, MAX_SHOT_SECONDS, MIN_SHOT_SECONDS };

/** The providers are the rows of the capability table (shared/capabilities.ts). */
export const ProviderIdSchema = z.enum(PROVIDER_IDS);
export type ProviderId = z.infer<typeof ProviderIdSchema>;

/** A project's or a shot's tier (what Settings and the inspector offer). */
export const TierSchema = z.enum(DEFAULT_TIER_IDS);
export type Tier = z.infer<typeof TierSchema>;
/** The tier of one request, and of the take it made: any tier of the capability table (4K included). */
export const RequestTierSchema = z.enum(TIER_IDS);

export const AspectRatioSchema = z.enum(['16:9', '9:16', '1:1']);
export type AspectRatio = z.infer<typeof AspectRatioSchema>;

/** Paths stored in the document are relative to the project folder and never escape it. */
export const RelPathSchema = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !/^[a-zA-Z]:[\\/]/.test(p) && !p.split(/[\\/]/).includes('..'), {
    message: 'must be a path inside the project folder',
  });

// Field schemas without defaults: patches are built from these, because zod applies `.default()` even
// inside `.partial()` — a patch of one field would otherwise reset every other field to its default.
const settingsFields = {
  provider: ProviderIdSchema,
  tier: TierSchema,
  aspectRatio: AspectRatioSchema,
  nativeAudio: z.boolean(),
  budgetUsd: z.number().nonnegative(),
  fps: z.literal(24),
  /** Crossfade between shots, seconds: the preview shows it and the Export dialog starts from it (0 = straight cuts). */
  crossfadeSec: z.number().min(0).max(3),
};

/** What a new shot starts with (Settings → Defaults for new shots). */
export const ShotDefaultsSchema = z.object({
  durationSec: z.number().int().min(MIN_SHOT_SECONDS).max(MAX_SHOT_SECONDS).default(5),
  cfgScale: z.number().min(0).max(1).default(0.5),
  negativePrompt: z.string().max(MAX_PROMPT_CHARS).default(''),
});
export type ShotDefaults = z.infer<typeof ShotDefaultsSchema>;

export const SettingsSchema = z.object({
  provider: settingsFields.provider.default('animatic'),
  tier: settingsFields.tier.default('standard'),
  aspectRatio: settingsFields.aspectRatio.default('16:9'),
  nativeAudio: settingsFields.nativeAudio.default(false),
  budgetUsd: settingsFields.budgetUsd.optional(),
  fps: settingsFields.fps.default(24),
  crossfadeSec: settingsFields.crossfadeSec.default(0),
  shotDefaults: ShotDefaultsSchema.default({ durationSec: 5, cfgScale: 0.5, negativePrompt: '' }),
});
/** A settings change: only the fields given change; budgetUsd null removes the budget. */
export const SettingsPatchSchema = z
  .object({
    provider: settingsFields.provider,
    tier: settingsFields.tier,
    aspectRatio: settingsFields.aspectRatio,
    nativeAudio: settingsFields.nativeAudio,
    budgetUsd: settingsFields.budgetUsd.nullable(),
    crossfadeSec: settingsFields.crossfadeSec,
    shotDefaults: z
      .object({ durationSec: z.number().int().min(MIN_SHOT_SECONDS).max(MAX_SHOT_SECONDS), cfgScale: z.number().min(0).max(1), negativePrompt: z.string().max(MAX_PROMPT_CHARS) })
      .partial()
      .strict(),
  })
  .partial()
  .strict();
export type Settings = z.infer<typeof SettingsSchema>;

export const TakeStatusSchema = z.enum([
  'queued',
  'submitting',
  'submitted',
  'running',
  'downloading',
  'ready',
  'failed',
  'canceled',
  'needs-attention',
]);
export type TakeStatus = z.infer<typeof TakeStatusSchema>;

export const MediaInfoSchema = z.object({
  path: RelPathSchema,
  sha256: z.string(),
  durationSec: z.number(),
  width: z.number().int(),
  height: z.number().int(),
  fps: z.number(),
  hasAudio: z.boolean(),
});
export type MediaInfo = z.infer<typeof MediaInfoSchema>;

export const ReviewSchema = z.object({
  rating: z.number().int().min(0).max(5).default(0),
  flag: z.enum(['none', 'circle', 'reject']).default('none'),
  notes: z.array(z.object({ atSec: z.number().optional(), text: z.string() })).default([]),
});

export const TakeSchema = z.object({
  id: z.string(),
  jobId: z.string(),
  provider: ProviderIdSchema,
  tier: RequestTierSchema,
  request: z.object({ hash: z.string(), params: z.record(z.string(), z.unknown()) }),
  status: TakeStatusSchema,
  media: MediaInfoSchema.optional(),
  estimatedUsd: z.number().nonnegative().default(0),
  actualUsd: z.number().nonnegative().optional(),
  review: ReviewSchema.default({ rating: 0, flag: 'none', notes: [] }),
  error: z.string().optional(),
  /** The provider's own job id once it is known: the job can be found again from here if jobs.json is lost. */
  providerJobId: z.string().optional(),
  createdAt: z.string(),
  /** For a take cut from a multi-shot clip: the whole clip (kept) and where this shot starts in it. */
  groupClip: z.object({ path: RelPathSchema, offsetSec: z.number().min(0) }).optional(),
});
export type Take = z.infer<typeof TakeSchema>;

/**
 * One spoken line. `characterId` attributes it to a character of the project's library (an element): the
 * line then reaches a cloud provider in the prompt, spoken with that character's voice (shared/character-prompt.ts).
 * `speaker` stays the free text a person typed (the animatic's caption); without `characterId` the line is
 * the animatic's alone, as before.
 */
export const DialogueLineSchema = z.object({ speaker: z.string().default(''), text: z.string(), characterId: z.string().optional() });

export const ShotAudioSchema = z.object({
  native: z.boolean().default(false),
  voiceIds: z.array(z.string()).max(MAX_VOICES_PER_SHOT).default([]),
  dialogue: z.array(DialogueLineSchema).default([]),
});

const shotFields = {
  title: z.string().max(MAX_TITLE_CHARS),
  prompt: z.string().max(MAX_PROMPT_CHARS, `prompt is longer than ${MAX_PROMPT_CHARS} characters`),
  negativePrompt: z.string().max(MAX_PROMPT_CHARS, `negative prompt is longer than ${MAX_PROMPT_CHARS} characters`),
  durationSec: z
    .number()
    .int('duration must be a whole number of seconds')
    // A shot inside a multi-shot group may be 1–2 s; one on its own stays ≥ MIN_SHOT_SECONDS (shot-patch and
    // shared/validate.ts refuse a short ungrouped shot, naming it).
    .min(MIN_GROUP_SHOT_SECONDS, `duration must be at least ${MIN_GROUP_SHOT_SECONDS} s (${MIN_SHOT_SECONDS} s for a shot outside a group)`)
    .max(MAX_SHOT_SECONDS, `duration must be at most ${MAX_SHOT_SECONDS} s`),
  cfgScale: z.number().min(0, 'CFG scale must be between 0 and 1').max(1, 'CFG scale must be between 0 and 1'),
  notes: z.string(),
};

export const ShotSchema = z.object({
  id: z.string().min(1),
  title: shotFields.title.default(''),
  prompt: shotFields.prompt.default(''),
  negativePrompt: shotFields.negativePrompt.default(''),
  durationSec: shotFields.durationSec,
  cfgScale: shotFields.cfgScale.default(0.5),
  aspectRatio: AspectRatioSchema.optional(),
  tier: TierSchema.optional(),
  startFrame: RelPathSchema.optional(),
  /**
   * The start frame is chained: it is the last frame that plays of another shot's selected take (the shot
   * before, when it was chained), extracted exactly. `takeId` and `frame` say which take and frame the
   * current startFrame was taken from; when they no longer match the source shot, the core extracts the
   * frame again (shared/chain.ts, docs/architecture.md §4). Optional: documents without it read as before.
   */
  startFrameFrom: z.object({ shotId: z.string(), takeId: z.string(), frame: z.number().int().min(0) }).optional(),
  /**
   * The start frame is a keyframe shared with another shot's end frame (the shot before, when it was
   * linked): the same image, so the cut passes through one picture. Replacing either side replaces both;
   * a shot is either chained (startFrameFrom) or linked here on its start, never both (shared/keyframe.ts,
   * docs/architecture.md §4). Optional: documents without it read as before.
   */
  startKeyframe: z.object({ shotId: z.string() }).optional(),
  endFrame: RelPathSchema.optional(),
  elementIds: z.array(z.string()).default([]),
  audio: ShotAudioSchema.default({ native: false, voiceIds: [], dialogue: [] }),
  notes: shotFields.notes.default(''),
  takes: z.array(TakeSchema).default([]),
  selectedTakeId: z.string().optional(),
  /** Where the shot's use of its selected take starts (seconds into the take); it plays durationSec from there. */
  trim: z.object({ inSec: z.number().min(0) }).optional(),
});
export type Shot = z.infer<typeof ShotSchema>;

export const GroupSchema = z.object({
  id: z.string(),
  shotIds: z.array(z.string()).min(2).max(6),
  shotType: z.enum(['customize', 'intelligence']).default('customize'),
});
export type Group = z.infer<typeof GroupSchema>;

/** A clip in the project folder, with the length measured (probe) when it was added. */
export const TimedClipSchema = z.object({ path: RelPathSchema, durationSec: z.number().positive() });

export const VoiceSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The voice id each provider knows it by (typed in, or created from `sample`). */
  providerIds: z.record(z.string(), z.string()).default({}),
  /** A 5–30 s clean recording of the voice (media/audio/), from which a provider can create a voice id. */
  sample: TimedClipSchema.optional(),
});
export const ElementKindSchema = z.enum(['character', 'prop', 'location']);
export const ElementSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Character (the default), prop or location: what the UI calls it. */
  kind: ElementKindSchema.default('character'),
  /** Front view first, then up to three reference views (sent inline where the provider takes images). */
  images: z.array(RelPathSchema).default([]),
  /** A 3–10.05 s reference clip: fal binds a voice only to an element given as a video (docs/providers.md §2.6). */
  video: TimedClipSchema.optional(),
  /** The character's voice: the id of one of the project's voices. */
  voiceId: z.string().optional(),
  /** Ids of this element in a provider's own library (Kling's element_list). */
  providerIds: z.record(z.string(), z.string()).default({}),
});
export type Element = z.infer<typeof ElementSchema>;
export type Voice = z.infer<typeof VoiceSchema>;
export const AudioLaneSchema = z.object({
  id: z.string(),
  kind: z.enum(['music', 'voiceover']),
  path: RelPathSchema,
  /** The file's original name, for people (the copy in media/audio/ is named by its content). */
  name: z.string().optional(),
  /** Length of the audio, measured when it was added. */
  durationSec: z.number().nonnegative().optional(),
  startSec: z.number().default(0),
  gainDb: z.number().default(0),
  duck: z.boolean().default(true),
});

export const ProjectSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  id: z.string(),
  name: z.string().min(1),
  settings: SettingsSchema,
  shots: z.array(ShotSchema),
  groups: z.array(GroupSchema).default([]),
  voices: z.array(VoiceSchema).default([]),
  elements: z.array(ElementSchema).default([]),
  audioLanes: z.array(AudioLaneSchema).default([]),
});
export type Project = z.infer<typeof ProjectSchema>;

/**
 * The fields a person edits on a shot (everything but takes and selection bookkeeping). Only the fields
 * given change; aspectRatio/tier null go back to the project's setting.
 */
export const ShotPatchSchema = z
  .object({
    ...shotFields,
    aspectRatio: AspectRatioSchema.nullable(),
    tier: TierSchema.nullable(),
    selectedTakeId: z.string(),
    /** Project-relative reference images (set by shots.setFrame, which copies the file in); null removes. */
    startFrame: RelPathSchema.nullable(),
    endFrame: RelPathSchema.nullable(),
    elementIds: z.array(z.string()).max(4),
    /** Only the audio fields given change. */
    audio: z
      .object({
        native: z.boolean(),
        voiceIds: z.array(z.string()).max(MAX_VOICES_PER_SHOT, 'at most two voices per shot'),
        dialogue: z
          .array(z.object({ speaker: z.string().max(MAX_SPEAKER_CHARS), text: z.string().max(MAX_LINE_CHARS), characterId: z.string().optional() }))
          .max(MAX_DIALOGUE_LINES),
      })
      .partial()
      .strict(),
    /** Where the cut starts in the selected take (seconds into it; it plays the shot's duration from there); null starts at 0. */
    trim: z.object({ inSec: z.number().min(0, 'trim: the in point must be 0 s or later') }).strict().nullable(),
  })
  .partial()
  .strict();
export type ShotPatch = z.infer<typeof ShotPatchSchema>;

export const RESOLUTIONS: Record<AspectRatio, { width: number; height: number }> = {
  '16:9': { width: 1280, height: 720 },
  '9:16': { width: 720, height: 1280 },
  '1:1': { width: 720, height: 720 },
};

export function shotAspect(project: Pick<Project, 'settings'>, shot: Pick<Shot, 'aspectRatio'>): AspectRatio {
  return shot.aspectRatio ?? project.settings.aspectRatio;
}

export function totalDurationSec(project: Pick<Project, 'shots'>): number {
  return project.shots.reduce((sum, s) => sum + s.durationSec, 0);
}

/** Turns a zod error into "field: message" lines a person can act on. */
export function describeIssues(error: z.ZodError, prefix = '', doc?: unknown): string[] {
  return error.issues.map((i) => {
    const where = [prefix, ...placeOf(i.path, doc)].filter(Boolean).join('.');
    return where ? `${where}: ${i.message}` : i.message;
  });
}

/** A path into a project as a person counts: `shots.0.durationSec` → `shot 1 “Harbour”.durationSec`. */
function placeOf(path: readonly PropertyKey[], doc: unknown): string[] {
  const [head, index, ...rest] = path;
  if (doc === undefined || (head !== 'shots' && head !== 'groups') || typeof index !== 'number') return path.map(String);
  const item = (doc as Record<string, unknown[] | undefined>)[head]?.[index] as { title?: unknown } | undefined;
  const title = head === 'shots' && typeof item?.title === 'string' && item.title.trim() ? ` “${item.title.trim().slice(0, 40)}”` : '';
  return [`${head === 'shots' ? 'shot' : 'group'} ${index + 1}${title}`, ...rest.map(String)];
}
