// The Export dialog describes each preset from its own copy of the facts (the renderer never imports the
// core); these tests hold that copy to PRESETS, exportSize and qualitySettings in electron/core/media.
import { describe, expect, it } from 'vitest';
import { ExportPresetSchema } from '../../../shared/api';
import { exportSize, PRESETS, qualitySettings } from '../../../electron/core/media/export-args';
import { EXPORT_PRESETS, frameSize, presetDetail, presetFacts, qualityMeaning } from '../../../renderer/src/features/export/presets';

describe('export presets in the dialog', () => {
  it('lists every preset the core has, in its order, once', () => {
    expect(EXPORT_PRESETS.map((p) => p.id)).toEqual(ExportPresetSchema.options);
  });

  it.each(ExportPresetSchema.options)('%s: extension, size, rate, loudness and default quality match the core', (id) => {
    const mine = presetFacts(id);
    const core = PRESETS[id];
    expect({ extension: mine.extension, size: mine.size, fps: mine.fps, loudness: mine.loudness, defaultQuality: mine.defaultQuality }).toEqual({
      extension: core.extension,
      size: core.size,
      fps: core.fps,
      loudness: core.loudness,
      defaultQuality: core.defaultQuality,
    });
    for (const aspect of ['16:9', '9:16', '1:1'] as const) expect(frameSize(mine, aspect)).toEqual(exportSize(core, aspect));
  });

  it('names what the quality number becomes for each encoder, as the core maps it', () => {
    for (let q = 1; q <= 100; q++) {
      const s = qualitySettings('h264-720p', q);
      expect(qualityMeaning('h264-720p', q)).toBe(`CRF ${s.crf}`);
      expect(qualityMeaning('webm-vp9', q)).toBe(`CRF ${qualitySettings('webm-vp9', q).crf}`);
      expect(qualityMeaning('gif', q)).toBe(`${qualitySettings('gif', q).colors} colours`);
      expect(qualityMeaning('webp', q)).toBe(`WebP quality ${qualitySettings('webp', q).quality}`);
    }
    expect(qualityMeaning('h264-1080p', 90)).toBe('CRF 18');
  });

  it('describes a card with the facts a person checks', () => {
    expect(presetDetail(presetFacts('h264-1080p'), '16:9', 24)).toBe('1920×1080 · 24 fps · AAC stereo at −14 LUFS');
    expect(presetDetail(presetFacts('h264-720p'), '9:16', 24)).toBe('720×1280 · 24 fps · AAC stereo at −14 LUFS');
    expect(presetDetail(presetFacts('webm-vp9'), '16:9', 24)).toBe('1280×720 · 24 fps · Opus stereo at −16 LUFS');
    expect(presetDetail(presetFacts('gif'), '16:9', 24)).toBe('480×270 · 12 fps · no sound');
    expect(presetDetail(presetFacts('webp'), '1:1', 24)).toBe('480×480 · 15 fps · no sound');
  });
});
