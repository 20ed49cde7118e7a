// What an export will contain, worked out from the document before anything is sent: the film's length
// after the crossfades, the shots that will be slates, the audio lanes mixed in; and the file name check.
// Pure functions (tests/unit/renderer/export-plan.test.ts); the crossfade and file-name rules are the
// core's own (shared/export-presets.ts), so the summary shows the length the core will write.
import type { ExportPreset } from '../../../../shared/api';
import type { Project, Shot } from '../../../../shared/schema';
import { EXPORT_EXTENSION, filmLength, fitCrossfade, SAFE_EXPORT_NAME } from '../../../../shared/export-presets';
import { buildCutMap } from '../player/cut-map';
import { presetFacts } from './presets';

export const CROSSFADE_MAX_SEC = 3;
export const CROSSFADE_STEP_SEC = 0.25;

export { filmLength, fitCrossfade };

function hasReadyTake(shot: Shot): boolean {
  const take = shot.takes.find((t) => t.id === shot.selectedTakeId);
  return take?.status === 'ready' && Boolean(take.media);
}

export interface ExportSummary {
  shotCount: number;
  /** Each shot's length in the cut (its take with trims, or the shot's own length for a slate). */
  lengths: number[];
  /** The crossfade the core will use (shortened to fit the shortest shot). */
  crossfadeSec: number;
  /** The exported film's length. */
  lengthSec: number;
  /** Shots without a ready take: they are exported as slates. */
  slateCount: number;
  music: number;
  voiceover: number;
  /** Whether the preset carries sound at all (the previews are silent). */
  withSound: boolean;
}

export function summarizeExport(project: Pick<Project, 'shots' | 'audioLanes'>, opts: { preset: ExportPreset; crossfadeSec: number }): ExportSummary {
  const lengths = buildCutMap(project.shots).cutLengths;
  const crossfadeSec = fitCrossfade(lengths, opts.crossfadeSec);
  return {
    shotCount: project.shots.length,
    lengths,
    crossfadeSec,
    lengthSec: filmLength(lengths, crossfadeSec),
    slateCount: project.shots.filter((s) => !hasReadyTake(s)).length,
    music: project.audioLanes.filter((l) => l.kind === 'music').length,
    voiceover: project.audioLanes.filter((l) => l.kind === 'voiceover').length,
    withSound: Boolean(presetFacts(opts.preset).loudness),
  };
}

/** "2 shots have no take yet and will be slates." */
export function slateWarning(count: number): string | undefined {
  if (count === 0) return undefined;
  return count === 1 ? '1 shot has no take yet and will be a slate.' : `${count} shots have no take yet and will be slates.`;
}

/** "2 audio lanes mixed (music ducked under dialogue)", or what is heard instead. */
export function soundLine(summary: ExportSummary): string {
  if (!summary.withSound) return 'No sound: previews are silent.';
  const lanes = summary.music + summary.voiceover;
  if (lanes === 0) return 'Sound: the shots’ own audio, no audio lanes.';
  const what = lanes === 1 ? '1 audio lane mixed' : `${lanes} audio lanes mixed`;
  return summary.music > 0 ? `${what} with the shots’ sound (music ducked under dialogue).` : `${what} with the shots’ sound.`;
}


/**
 * Why a file name cannot be used, or undefined when it can. Checked before anything is sent, with the
 * same rule the core applies; the extension is the preset's and is added by the core.
 */
export function fileNameProblem(name: string): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) return 'Give the file a name.';
  if (/[\\/]/.test(trimmed) || trimmed.includes('..')) return 'Just a file name, without folders: the export always goes into renders/.';
  const base = trimmed.replace(EXPORT_EXTENSION, '');
  if (!base) return 'Give the file a name before its extension.';
  if (base.length > 121) return 'Keep the name under 120 characters.';
  if (!SAFE_EXPORT_NAME.test(base)) return 'Use letters, digits, spaces, dots, dashes, underscores or brackets, starting with a letter or digit.';
  return undefined;
}

/** The name sent to the core: trimmed, any extension dropped (the preset's is added). */
export function exportBaseName(name: string): string {
  return name.trim().replace(EXPORT_EXTENSION, '');
}

/** "Harbour film" + 720p → "harbour-film-720p": a name the core accepts, from the project's name. */
export function defaultFileName(projectName: string, preset: ExportPreset): string {
  const slug = projectName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  const suffix = { 'h264-1080p': '1080p', 'h264-720p': '720p', 'webm-vp9': 'vp9', gif: 'preview', webp: 'preview' }[preset];
  return slug ? `${slug}-${suffix}` : `export-${suffix}`;
}

/** The file as the dialog names it: "harbour-720p.mp4". */
export function fileNameWithExtension(name: string, preset: ExportPreset): string {
  return `${exportBaseName(name)}.${presetFacts(preset).extension}`;
}

/** "12.4 MB" */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

/** "0:08 (8.00 s)" — the precise figure matters to an editor checking a crossfaded cut. */
export function formatLength(sec: number): string {
  const m = Math.floor(sec / 60);
  const s = sec - m * 60;
  return `${m}:${s.toFixed(2).padStart(5, '0')}`;
}
