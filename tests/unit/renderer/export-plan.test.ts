// What the Export dialog says before anything is sent: the film's length after crossfades (as the core
// computes it), slates, audio lanes, and whether a file name is one the core accepts.
import { describe, expect, it } from 'vitest';
import type { Project, Shot } from '../../../shared/schema';
import { filmLength as coreFilmLength, fitCrossfade as coreFit } from '../../../electron/core/media/export-args';
import { exportFileName } from '../../../electron/core/media/export';
import {
  defaultFileName,
  exportBaseName,
  fileNameProblem,
  fileNameWithExtension,
  filmLength,
  fitCrossfade,
  formatBytes,
  formatLength,
  slateWarning,
  soundLine,
  summarizeExport,
} from '../../../renderer/src/features/export/export-plan';

function shot(id: string, durationSec: number, take?: { seconds: number; trim?: { inSec: number } }): Shot {
  const takes = take ? [{ id: `${id}-t`, status: 'ready', media: { path: 'm.mp4', durationSec: take.seconds } }] : [];
  return { id, title: id, durationSec, takes, ...(take ? { selectedTakeId: `${id}-t` } : {}), ...(take?.trim ? { trim: take.trim } : {}) } as unknown as Shot;
}

const lane = (kind: 'music' | 'voiceover') => ({ id: kind, kind, path: `media/audio/${kind}.wav`, startSec: 0, gainDb: 0, duck: true });

describe('crossfades, as the core fits them', () => {
  it('matches fitCrossfade and filmLength for a spread of cuts and requests', () => {
    const cuts = [[3], [3, 3, 3], [10, 10, 10, 10, 10, 10], [4, 1.2, 6], [0.3, 5]];
    for (const lengths of cuts) {
      for (let r = 0; r <= 3; r += 0.25) {
        expect(fitCrossfade(lengths, r)).toBeCloseTo(coreFit(lengths, r), 9);
        expect(filmLength(lengths, fitCrossfade(lengths, r))).toBeCloseTo(coreFilmLength(lengths, coreFit(lengths, r)), 9);
      }
    }
  });

  it('three 3 s shots with 0.5 s crossfades make an 8 s film; 3 s is shortened to fit', () => {
    const project = { shots: [shot('a', 3, { seconds: 3 }), shot('b', 3, { seconds: 3 }), shot('c', 3, { seconds: 3 })], audioLanes: [] } as unknown as Project;
    expect(summarizeExport(project, { preset: 'h264-720p', crossfadeSec: 0.5 })).toMatchObject({ shotCount: 3, lengthSec: 8, crossfadeSec: 0.5, slateCount: 0 });
    const long = summarizeExport(project, { preset: 'h264-720p', crossfadeSec: 3 });
    expect(long.crossfadeSec).toBeCloseTo(1.45, 9);
    expect(long.lengthSec).toBeCloseTo(9 - 2 * 1.45, 9);
  });
});

describe('export summary', () => {
  const project = {
    shots: [shot('a', 3), shot('b', 6, { seconds: 4 }), shot('c', 2, { seconds: 5, trim: { inSec: 1 } }), shot('d', 4)],
    audioLanes: [lane('music'), lane('voiceover')],
  } as unknown as Project;

  it('counts takes with trims, slates at the shot’s length, and the lanes that are mixed', () => {
    const s = summarizeExport(project, { preset: 'h264-1080p', crossfadeSec: 0 });
    expect(s).toMatchObject({ shotCount: 4, lengths: [3, 6, 2, 4], lengthSec: 15, slateCount: 2, music: 1, voiceover: 1, withSound: true });
    expect(slateWarning(s.slateCount)).toBe('2 shots have no take yet and will be slates.');
    expect(soundLine(s)).toBe('2 audio lanes mixed with the shots’ sound (music ducked under dialogue).');
  });

  it('says the previews are silent, and words one slate or none', () => {
    expect(soundLine(summarizeExport(project, { preset: 'gif', crossfadeSec: 0 }))).toBe('No sound: previews are silent.');
    expect(slateWarning(1)).toBe('1 shot has no take yet and will be a slate.');
    expect(slateWarning(0)).toBeUndefined();
  });
});

describe('file name', () => {
  it('refuses what the core refuses (empty, folders, odd characters) with a reason', () => {
    for (const bad of ['', '   ', '../film', 'renders/film', 'a\\b', '-film', '.hidden', 'film?', 'x'.repeat(130)]) {
      expect(fileNameProblem(bad), bad).toBeTruthy();
    }
    expect(fileNameProblem('')).toBe('Give the file a name.');
    expect(fileNameProblem('renders/film')).toMatch(/without folders/);
  });

  it('accepts what the core accepts, and the core turns it into the same file', () => {
    for (const good of ['film', 'Harbour cut (v2)', 'harbour_final-720p', 'film.mp4', 'a+b 1.0']) {
      expect(fileNameProblem(good), good).toBeUndefined();
      expect(fileNameWithExtension(good, 'h264-720p')).toBe(exportFileName('h264-720p', exportBaseName(good)));
    }
    expect(fileNameWithExtension('film.mov', 'webm-vp9')).toBe('film.webm');
  });

  it('prefills a name the core accepts from the project name and the preset', () => {
    expect(defaultFileName('Harbour at Dawn', 'h264-720p')).toBe('harbour-at-dawn-720p');
    expect(defaultFileName('Café — Noël!', 'gif')).toBe('cafe-noel-preview');
    expect(defaultFileName('日本', 'h264-1080p')).toBe('export-1080p');
    for (const name of ['Harbour at Dawn', 'Café — Noël!', '日本', 'x'.repeat(200)]) {
      const out = defaultFileName(name, 'webp');
      expect(fileNameProblem(out)).toBeUndefined();
      expect(() => exportFileName('webp', out)).not.toThrow();
    }
  });

  it('formats sizes and lengths', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('2 KB');
    expect(formatBytes(12.4 * 1024 * 1024)).toBe('12.4 MB');
    expect(formatLength(8)).toBe('0:08.00');
    expect(formatLength(61.5)).toBe('1:01.50');
  });
});
