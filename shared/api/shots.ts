// The contract's schemas for editing the timeline: shots (fields, order, frames, chains, shared keyframes),
// multi-shot groups, and the takes a shot holds (review, import). Each is a document edit answering
// EditReplySchema; what each method does is said at its row of the method table (shared/api.ts).
import { z } from 'zod';
import { AspectRatioSchema, ShotPatchSchema } from '../schema';
import { MAX_PROMPT_CHARS, MAX_SHOT_SECONDS, MAX_TITLE_CHARS, MIN_SHOT_SECONDS } from '../limits';
import { IncomingFile } from './incoming-file';

export const ShotsAddInputSchema = z.object({
  afterId: z.string().optional(),
  title: z.string().max(MAX_TITLE_CHARS).optional(),
  prompt: z.string().max(MAX_PROMPT_CHARS).optional(),
  durationSec: z.number().int().min(MIN_SHOT_SECONDS).max(MAX_SHOT_SECONDS).optional(),
  aspectRatio: AspectRatioSchema.optional(),
});
export const ShotsUpdateInputSchema = z.object({ id: z.string(), patch: ShotPatchSchema });
export const ShotsUpdateManyInputSchema = z.object({ ids: z.array(z.string()).min(1).max(1000), patch: ShotPatchSchema });
export const ShotsRemoveInputSchema = z
  .object({ id: z.string().optional(), ids: z.array(z.string()).min(1).max(1000).optional() })
  .refine((v) => v.id || v.ids, 'give id or ids');
export const ShotsMoveInputSchema = z.object({ id: z.string(), toIndex: z.number().int().min(0) });
export const ShotsMoveManyInputSchema = z.object({ ids: z.array(z.string()).min(1).max(1000), toIndex: z.number().int().min(0) });
export const ShotsDuplicateInputSchema = z.object({ id: z.string() });
export const ShotsSetFrameInputSchema = z.object({ shotId: z.string(), which: z.enum(['start', 'end']), path: IncomingFile });
export const ShotsFitFrameInputSchema = z.object({ shotId: z.string(), which: z.enum(['start', 'end']), mode: z.enum(['pad', 'crop']) });
export const ShotsChainInputSchema = z.object({ shotId: z.string(), from: z.enum(['previous']).nullable() });
export const ShotsShareKeyframeInputSchema = z.object({
  shotId: z.string(),
  keyframe: z.union([z.object({ path: IncomingFile }).strict(), z.object({ use: z.enum(['end', 'next-start']) }).strict()]).nullable(),
});

export const GroupsCreateInputSchema = z.object({ shotIds: z.array(z.string()).min(2).max(6), shotType: z.enum(['customize', 'intelligence']).optional() });
export const GroupsRemoveInputSchema = z.object({ groupId: z.string() });

export const TakesReviewInputSchema = z.object({
  shotId: z.string(),
  takeId: z.string(),
  rating: z.number().int().min(0).max(5).optional(),
  flag: z.enum(['none', 'circle', 'reject']).optional(),
  addNote: z.object({ atSec: z.number().min(0).optional(), text: z.string().trim().min(1).max(1000) }).optional(),
  removeNote: z.number().int().min(0).optional(),
});
export const TakesImportInputSchema = z.object({ shotId: z.string(), path: z.string().min(1).max(4096) });
