// What the stitched preview shows, as one string: when it changes, the studio builds the preview again.
// Order, lengths, chosen takes and trims; for a shot still on its slate, what the slate shows (title, prompt,
// pictures); the aspect ratio; and the music and voice-over lanes (a lane edit re-mixes the sound only).
import type { Project } from '../../../shared/schema';
import { cutTake } from './stitch-segments';

export function previewSignature(project: Project): string {
  return JSON.stringify([
    project.settings.aspectRatio,
    project.settings.crossfadeSec ?? 0,
    project.shots.map((s) => [
      s.id,
      s.durationSec,
      s.selectedTakeId,
      s.takes.find((t) => t.id === s.selectedTakeId)?.status,
      s.trim?.inSec,
      ...(cutTake(s) ? [] : [s.title, s.prompt, s.startFrame, s.endFrame]),
    ]),
    project.audioLanes.map((l) => [l.id, l.path, l.startSec, l.gainDb, l.duck, l.kind]),
  ]);
}
