// The contract's schemas for this computer rather than the open project: the app and its ffmpeg, the
// settings kept in the user's config folder, provider keys, and the projects it can open. What each
// method does is said at its row of the method table (shared/api.ts).
import { z } from 'zod';
import { ProviderIdSchema } from '../schema';
import { CLOUD_PROVIDER_IDS } from '../capabilities';
import { MAX_PRICE_USD_PER_SEC } from '../limits';
import { PriceKindSchema, PriceOverridesSchema } from '../pricing';
import { GenerateTierSchema } from './jobs';

export const FfmpegInfoSchema = z.object({
  ffmpegPath: z.string(),
  ffprobePath: z.string(),
  version: z.string(),
  source: z.enum(['settings', 'env', 'ffmpeg-static', 'path']),
  features: z.object({ libx264: z.boolean(), drawtext: z.boolean(), flite: z.boolean() }),
});
export type FfmpegInfo = z.infer<typeof FfmpegInfoSchema>;

export const AppInfoOutputSchema = z.object({
  version: z.string(),
  host: z.enum(['electron', 'browser']),
  ffmpeg: FfmpegInfoSchema.nullable(),
  ffmpegError: z.string().optional(),
});

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

export const AppUpdateSettingsInputSchema = z
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
  .strict();

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

export const ProvidersConfigureInputSchema = z.object({
  provider: z.enum(CLOUD_PROVIDER_IDS),
  credentials: z.record(z.string(), z.string().max(4096)).nullable().optional(),
  baseUrl: z.string().max(2048).nullable().optional(),
});

/** A project folder as the Open… list shows it: `~/films/Lighthouse.storyreel` and the project's name. */
export const RecentProjectSchema = z.object({ path: z.string(), name: z.string() });
export type RecentProject = z.infer<typeof RecentProjectSchema>;

export const ProjectsRecentOutputSchema = z.object({ home: z.string(), current: z.string(), recent: z.array(RecentProjectSchema) });
export const ProjectsOpenInputSchema = z.object({ path: z.string().trim().min(1).max(4096) });
export const ProjectsCreateInputSchema = z.object({ name: z.string().trim().min(1).max(120), folder: z.string().trim().min(1).max(4096) });
