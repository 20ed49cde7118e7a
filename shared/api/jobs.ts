// The contract's schemas for generation: a job (one request to a provider, as the queue shows it and
// `job.updated` pushes it), what Generate would send and cost, and what it sent. What each method does is
// said at its row of the method table (shared/api.ts).
import { z } from 'zod';
import { ProviderIdSchema, RequestTierSchema, TakeStatusSchema } from '../schema';

/** A generation tier (4K where the provider offers it). */
export const GenerateTierSchema = RequestTierSchema;

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

export const JobsGenerateInputSchema = z.object({
  /** Shots to generate; omitted = every shot without a ready take for its current parameters. */
  shotIds: z.array(z.string()).optional(),
  /** Takes per shot, each its own request (1–4). */
  variations: z.number().int().min(1).max(4).optional(),
  /** Regenerate at this tier instead of each shot's own (an explicit action on selected shots, priced first). */
  tier: GenerateTierSchema.optional(),
  /** The total the person confirmed: if the batch would now cost more, nothing is sent. */
  expectedUsd: z.number().nonnegative().optional(),
});
export const JobsGenerateOutputSchema = z.object({
  jobIds: z.array(z.string()),
  /** Shots left out and why; `problem` when a problem keeps the shot back (fix it and generate again). */
  skipped: z.array(z.object({ shotId: z.string(), reason: z.string(), problem: z.boolean().optional() })),
  estimatedUsd: z.number(),
});

export const JobsEstimateInputSchema = z.object({
  shotIds: z.array(z.string()).optional(),
  variations: z.number().int().min(1).max(4).optional(),
  tier: GenerateTierSchema.optional(),
  /** Totals only, no `lines`: the toolbar's live figure, asked after every edit (a 1,000-shot plan's lines are ~100 KB). */
  summary: z.boolean().optional(),
});
export const JobsEstimateOutputSchema = z.object({
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
});

export const JobsCancelInputSchema = z.object({ jobId: z.string() });
export const JobsResolveInputSchema = z.object({
  jobId: z.string(),
  action: z.enum(['submit-again', 'mark-failed', 'attach']),
  providerJobId: z.string().max(200).optional(),
});
export const JobsRetryInputSchema = z.object({ jobId: z.string() });
