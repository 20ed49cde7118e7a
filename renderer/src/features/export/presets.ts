// The export presets as the dialog shows them. The facts (frame, rate, loudness, default quality) mirror
// PRESETS in electron/core/media/export-args.ts, which the renderer does not import (it never reaches into
// the core); tests/unit/renderer/export-presets.test.ts fails the moment the two disagree.
import type { ExportPreset } from '../../../../shared/api';
import type { AspectRatio } from '../../../../shared/schema';

export interface PresetFacts {
  id: ExportPreset;
  /** The card's title. */
  title: string;
  /** What it is for, in a few words. */
  purpose: string;
  extension: 'mp4' | 'webm' | 'gif' | 'webp';
  /** The frame's shorter side (deliverables) or longer side (previews), in pixels. */
  size: { side: 'short' | 'long'; px: number };
  /** Frames per second; undefined = the project's rate. */
  fps?: number;
  /** Integrated loudness target; undefined for the silent previews. */
  loudness?: { targetLufs: number; ceilingDbtp: number };
  defaultQuality: number;
}

export const EXPORT_PRESETS: readonly PresetFacts[] = [
  { id: 'h264-1080p', title: 'H.264 1080p', purpose: 'MP4 for delivery', extension: 'mp4', size: { side: 'short', px: 1080 }, loudness: { targetLufs: -14, ceilingDbtp: -1 }, defaultQuality: 90 },
  { id: 'h264-720p', title: 'H.264 720p', purpose: 'Smaller MP4 for review and sharing', extension: 'mp4', size: { side: 'short', px: 720 }, loudness: { targetLufs: -14, ceilingDbtp: -1 }, defaultQuality: 90 },
  { id: 'webm-vp9', title: 'WebM VP9/Opus', purpose: '720p for web pages and players', extension: 'webm', size: { side: 'short', px: 720 }, loudness: { targetLufs: -16, ceilingDbtp: -1 }, defaultQuality: 80 },
  { id: 'gif', title: 'GIF preview', purpose: 'Silent animated preview', extension: 'gif', size: { side: 'long', px: 480 }, fps: 12, defaultQuality: 80 },
  { id: 'webp', title: 'WebP preview', purpose: 'Silent animated preview, smaller than GIF', extension: 'webp', size: { side: 'long', px: 480 }, fps: 15, defaultQuality: 75 },
];

export function presetFacts(id: ExportPreset): PresetFacts {
  return EXPORT_PRESETS.find((p) => p.id === id) ?? EXPORT_PRESETS[0];
}

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);

/** The exported frame for the project's aspect ratio (as exportSize in the core). */
export function frameSize(preset: PresetFacts, aspect: AspectRatio): { width: number; height: number } {
  const [w, h] = aspect === '16:9' ? [16, 9] : aspect === '9:16' ? [9, 16] : [1, 1];
  const unit = preset.size.side === 'short' ? preset.size.px / Math.min(w, h) : preset.size.px / Math.max(w, h);
  return { width: even(w * unit), height: even(h * unit) };
}

/** "1920×1080 · 24 fps · AAC stereo at −14 LUFS" — the card's second line. */
export function presetDetail(preset: PresetFacts, aspect: AspectRatio, projectFps: number): string {
  const { width, height } = frameSize(preset, aspect);
  const fps = preset.fps ?? projectFps;
  const sound = preset.loudness
    ? `${preset.extension === 'webm' ? 'Opus' : 'AAC'} stereo at ${formatLufs(preset.loudness.targetLufs)} LUFS`
    : 'no sound';
  return `${width}×${height} · ${fps} fps · ${sound}`;
}

function formatLufs(n: number): string {
  return n < 0 ? `−${Math.abs(n)}` : String(n);
}

/**
 * What the quality number turns into for the preset's encoder (as qualitySettings in the core): every
 * preset uses it — a CRF for H.264 and VP9, WebP's own scale, the palette size for GIF.
 */
export function qualityMeaning(preset: ExportPreset, quality: number): string {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  switch (preset) {
    case 'h264-1080p':
    case 'h264-720p':
      return `CRF ${Math.round(41 - 0.26 * q)}`;
    case 'webm-vp9':
      return `CRF ${Math.min(63, Math.round(65 - 0.5 * q))}`;
    case 'webp':
      return `WebP quality ${q}`;
    case 'gif':
      return `${Math.round(32 + 2.24 * q)} colours`;
  }
}
