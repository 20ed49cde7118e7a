// The export presets as the dialog shows them: the facts (frame, rate, loudness, default quality) and the
// quality mapping are the core's own (shared/export-presets.ts); this file adds the card's words.
import type { ExportPreset } from '../../../../shared/api';
import { exportSize, PRESETS, qualitySettings, type PresetSpec } from '../../../../shared/export-presets';
import type { AspectRatio } from '../../../../shared/schema';

export interface PresetFacts extends Omit<PresetSpec, 'label'> {
  /** The card's title. */
  title: string;
  /** What it is for, in a few words. */
  purpose: string;
}

const WORDS: Record<ExportPreset, { title: string; purpose: string }> = {
  'h264-1080p': { title: 'H.264 1080p', purpose: 'MP4 for delivery' },
  'h264-720p': { title: 'H.264 720p', purpose: 'Smaller MP4 for review and sharing' },
  'webm-vp9': { title: 'WebM VP9/Opus', purpose: '720p for web pages and players' },
  gif: { title: 'GIF preview', purpose: 'Silent animated preview' },
  webp: { title: 'WebP preview', purpose: 'Silent animated preview, smaller than GIF' },
};

export const EXPORT_PRESETS: readonly PresetFacts[] = Object.values(PRESETS).map(({ label: _label, ...facts }) => ({ ...facts, ...WORDS[facts.id] }));

export function presetFacts(id: ExportPreset): PresetFacts {
  return EXPORT_PRESETS.find((p) => p.id === id) ?? EXPORT_PRESETS[0];
}

/** The exported frame for the project's aspect ratio. */
export const frameSize: (preset: PresetFacts, aspect: AspectRatio) => { width: number; height: number } = exportSize;

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
  const s = qualitySettings(preset, quality);
  switch (preset) {
    case 'h264-1080p':
    case 'h264-720p':
    case 'webm-vp9':
      return `CRF ${s.crf}`;
    case 'webp':
      return `WebP quality ${s.quality}`;
    case 'gif':
      return `${s.colors} colours`;
  }
}
