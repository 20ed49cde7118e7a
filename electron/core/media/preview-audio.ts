// The preview's lanes (issue 12): which music and voice-over lanes the preview plays, why a lane file is
// refused, and what of them the cut's key depends on. The mix itself is film-sound.ts / mix.ts, the same one
// the export makes; only the loudness target is left to the export.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Project } from '../../../shared/schema';
import type { LaneFile } from './export-args';
import { probeCached } from './probe-cache';

/** The longest music or voice-over file a lane takes (a feature's score is well under this). */
export const MAX_LANE_SEC = 2 * 60 * 60;

/**
 * Why an audio file cannot become a lane, or undefined when it can. Said to the person as the reason the
 * lane was refused; nothing is added.
 */
export function laneAudioProblem(input: { name: string; readable?: boolean; hasAudio: boolean; durationSec: number | undefined }): string | undefined {
  if (input.readable === false) return `Nothing was added: ${input.name} could not be read as audio. Choose a WAV, MP3, AAC, FLAC or Opus file.`;
  if (!input.hasAudio) return `Nothing was added: ${input.name} has no sound in it. Choose a WAV, MP3, AAC, FLAC or Opus file.`;
  const d = input.durationSec ?? 0;
  if (!(d > 0.01)) return `Nothing was added: ${input.name} is 0 s long. Choose a file with sound in it.`;
  if (d > MAX_LANE_SEC) {
    const h = Math.floor(d / 3600);
    const m = Math.round((d % 3600) / 60);
    return `Nothing was added: ${input.name} is ${h} h ${m} min long; a lane takes at most 2 h. Cut the file down, then add it again.`;
  }
  return undefined;
}

/**
 * The lanes the preview plays: those that start before the cut ends. A lane past the end is kept on the
 * timeline and shown, and simply not heard (as in the export, where the mix ends with the film).
 */
export function heardLanes<L extends { startSec: number }>(lanes: L[], filmSec: number): L[] {
  return lanes.filter((l) => l.startSec < filmSec);
}

/** What of the lanes the preview's sound depends on (the files are named by their content). */
export function laneKey(lanes: LaneFile[], dir: string): string[] {
  return lanes.map((l) => `lane:${l.kind}:${path.relative(dir, l.source)}:${l.startSec}:${l.gainDb}:${l.duck ? 1 : 0}`);
}

/**
 * The project's lanes the preview can play, as mix inputs. A lane whose file is gone or unreadable is left
 * out of the preview's sound and reported (the export names it and stops); the rest still play.
 */
export async function previewLanes(
  dir: string,
  project: Project,
  filmSec: number,
): Promise<{ lanes: LaneFile[]; problems: { laneId: string; message: string }[] }> {
  const lanes: LaneFile[] = [];
  const problems: { laneId: string; message: string }[] = [];
  for (const lane of heardLanes(project.audioLanes, filmSec)) {
    const source = path.join(dir, lane.path);
    const what = `The ${lane.kind === 'music' ? 'music' : 'voice-over'} lane ${lane.name ?? lane.path}`;
    if (!existsSync(source)) {
      problems.push({ laneId: lane.id, message: `${what} is missing from the project folder; the preview plays without it.` });
      continue;
    }
    const info = await probeCached(source, { projectDir: dir }).catch(() => undefined);
    if (!info?.audio) {
      problems.push({ laneId: lane.id, message: `${what} has no sound ffmpeg can read; the preview plays without it.` });
      continue;
    }
    lanes.push({ source, kind: lane.kind, startSec: lane.startSec, gainDb: lane.gainDb, duck: lane.duck });
  }
  return { lanes, problems };
}
