// What each export preset is — frame, rate, loudness, default quality — and the pure rules both the core
// (electron/core/media/export*.ts, which builds the ffmpeg jobs) and the Export dialog (which describes the
// result before anything runs) follow: the frame for an aspect ratio, what the quality number becomes, how
// a crossfade fits and how long the film is, and which file names renders/ accepts.
import type { ExportPreset } from './api';
import type { AspectRatio } from './schema';

export interface PresetSpec {
  id: ExportPreset;
  label: string;
  extension: 'mp4' | 'webm' | 'gif' | 'webp';
  /** Length of the frame's shorter side (16:9 at 1080 = 1920×1080) — or, for the previews, of its longer side. */
  size: { side: 'short' | 'long'; px: number };
  /** Frames per second; undefined = the project's rate. */
  fps?: number;
  /**
   * Integrated loudness target (LUFS) and true-peak ceiling (dBTP); undefined for silent formats.
   * −14 LUFS for the MP4 deliverables: what YouTube, Spotify and most streaming sites normalize to, so
   * the film plays at the level it was mixed. −16 LUFS for WebM: the AES TD1004 / Apple figure for web
   * players that do not normalize, leaving a little more headroom for dialogue. Both with −1 dBTP.
   */
  loudness?: { targetLufs: number; ceilingDbtp: number };
  defaultQuality: number;
}

export const PRESETS: Record<ExportPreset, PresetSpec> = {
  'h264-1080p': { id: 'h264-1080p', label: 'H.264 1080p (MP4)', extension: 'mp4', size: { side: 'short', px: 1080 }, loudness: { targetLufs: -14, ceilingDbtp: -1 }, defaultQuality: 90 },
  'h264-720p': { id: 'h264-720p', label: 'H.264 720p (MP4)', extension: 'mp4', size: { side: 'short', px: 720 }, loudness: { targetLufs: -14, ceilingDbtp: -1 }, defaultQuality: 90 },
  'webm-vp9': { id: 'webm-vp9', label: 'WebM VP9/Opus 720p', extension: 'webm', size: { side: 'short', px: 720 }, loudness: { targetLufs: -16, ceilingDbtp: -1 }, defaultQuality: 80 },
  gif: { id: 'gif', label: 'Animated GIF preview', extension: 'gif', size: { side: 'long', px: 480 }, fps: 12, defaultQuality: 80 },
  webp: { id: 'webp', label: 'Animated WebP preview', extension: 'webp', size: { side: 'long', px: 480 }, fps: 15, defaultQuality: 75 },
};

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);

/** The export frame for the project's aspect ratio. */
export function exportSize(preset: Pick<PresetSpec, 'size'>, aspect: AspectRatio): { width: number; height: number } {
  const [w, h] = aspect === '16:9' ? [16, 9] : aspect === '9:16' ? [9, 16] : [1, 1];
  const unit = preset.size.side === 'short' ? preset.size.px / Math.min(w, h) : preset.size.px / Math.max(w, h);
  return { width: even(w * unit), height: even(h * unit) };
}

/**
 * Quality 1–100 (as output_compression in the seed: higher is better) onto each encoder's own scale.
 * H.264 CRF 41 → 15 (90 = CRF 18, visually lossless for most footage); VP9 CRF 63 → 15 (80 = CRF 25);
 * WebP's own 0–100; GIF palette size 34 → 256 colours.
 */
export function qualitySettings(preset: ExportPreset, quality: number): Record<string, number> {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  switch (preset) {
    case 'h264-1080p':
    case 'h264-720p':
      return { crf: Math.round(41 - 0.26 * q) };
    case 'webm-vp9':
      return { crf: Math.min(63, Math.round(65 - 0.5 * q)) };
    case 'webp':
      return { quality: q };
    case 'gif':
      return { colors: Math.round(32 + 2.24 * q) };
  }
}

/**
 * The crossfade that fits: never longer than half the shortest clip (less 50 ms), so every clip is still
 * seen on its own for a moment; 0 for a single clip.
 */
export function fitCrossfade(lengths: readonly number[], requested: number): number {
  if (lengths.length < 2 || requested <= 0) return 0;
  return Math.max(0, Math.min(requested, Math.min(...lengths) / 2 - 0.05));
}

/** The film's length: the clips end to end, less each overlap. */
export function filmLength(lengths: readonly number[], crossfadeSec: number): number {
  return lengths.reduce((a, b) => a + b, 0) - crossfadeSec * Math.max(0, lengths.length - 1);
}

/** Extensions a typed export name may carry; the preset's own replaces it. */
export const EXPORT_EXTENSION = /\.(mp4|webm|gif|webp|mov|mkv)$/i;
/** A name renders/ accepts (before the extension): no folders, starts with a letter or digit. */
export const SAFE_EXPORT_NAME = /^[\w][\w .()+-]{0,120}$/;
