// The contract's schemas for the cut and what is made from it: the stitched preview, exports, the
// posters, filmstrips and waveforms the timeline draws, and the audio lanes under the cut. What each
// method does is said at its row of the method table (shared/api.ts).
import { z } from 'zod';
import { IncomingFile } from './incoming-file';

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

export const MediaExportInputSchema = z.object({
  preset: ExportPresetSchema.default('h264-1080p'),
  /** 1–100, higher is better (lossy presets); the preset's default when absent. */
  quality: z.number().int().min(1).max(100).optional(),
  crossfadeSec: z.number().min(0).max(3).optional(),
  /** File name inside renders/ (no folders); the preset's extension is added. */
  out: z.string().min(1).max(120).optional(),
});
export const MediaCancelExportOutputSchema = z.object({ canceled: z.boolean() });

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

export const MediaPicturesInputSchema = z.object({ takeIds: z.array(z.string()).max(1000).optional(), laneIds: z.array(z.string()).max(100).optional() });

export const AudioAddLaneInputSchema = z.object({ kind: z.enum(['music', 'voiceover']), path: IncomingFile, startSec: z.number().min(0).optional() });
export const AudioUpdateLaneInputSchema = z.object({
  id: z.string(),
  patch: z.object({ startSec: z.number().min(0), gainDb: z.number().min(-60).max(12), duck: z.boolean() }).partial().strict(),
});
export const AudioRemoveLaneInputSchema = z.object({ id: z.string() });
