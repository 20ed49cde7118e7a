// The contract's schemas for the project's libraries: voices (a name, each provider's id, a sample, a
// voice made on a provider) and elements (characters, props, locations: images, a reference video, a
// voice). What each method does is said at its row of the method table (shared/api.ts).
import { z } from 'zod';
import { IncomingFile } from './incoming-file';

export const LibrarySaveVoiceInputSchema = z.object({
  id: z.string().optional(),
  name: z.string().trim().min(1).max(80),
  providerIds: z.record(z.string(), z.string().max(200)),
});
export const LibraryRemoveVoiceInputSchema = z.object({ id: z.string() });
export const LibrarySetVoiceSampleInputSchema = z.object({ voiceId: z.string(), path: IncomingFile.nullable() });
export const LibraryCreateVoiceInputSchema = z.object({
  voiceId: z.string(),
  provider: z.enum(['fal', 'kling']),
  sampleUrl: z.string().url().max(2000).optional(),
});
export const LibraryCreateVoiceOutputSchema = z.object({
  voiceId: z.string(),
  provider: z.enum(['fal', 'kling']),
  providerVoiceId: z.string(),
  usd: z.number().nullable(),
});

export const LibrarySaveElementInputSchema = z.object({
  id: z.string().optional(),
  name: z.string().trim().min(1).max(80),
  providerIds: z.record(z.string(), z.string().max(200)).optional(),
  /** Character (default), prop or location. */
  kind: z.enum(['character', 'prop', 'location']).optional(),
  /** One of the project's voices; null takes the voice away. */
  voiceId: z.string().nullable().optional(),
});
export const LibrarySetElementVideoInputSchema = z.object({ elementId: z.string(), path: IncomingFile.nullable() });
export const LibraryAddElementImageInputSchema = z.object({ elementId: z.string(), path: IncomingFile });
export const LibraryRemoveElementImageInputSchema = z.object({ elementId: z.string(), index: z.number().int().min(0) });
export const LibraryRemoveElementInputSchema = z.object({ id: z.string() });
