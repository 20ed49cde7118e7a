// Cueing the preview to a shot: the cut follows timeline order exactly, so a shot starts at the sum of
// the durations before it.
import { shotStarts } from '../../../../shared/time';
import type { StudioServices } from '../../app/studio-context';

export function cueShot({ store, player }: Pick<StudioServices, 'store' | 'player'>, shotId: string): void {
  const video = player.video;
  const shots = store.getState().doc?.project.shots ?? [];
  const index = shots.findIndex((x) => x.id === shotId);
  if (!video || index < 0 || !Number.isFinite(video.duration)) return;
  const start = shotStarts(shots.map((x) => x.durationSec))[index];
  // A hair past the cut point, so the frame shown is the shot's own first frame.
  video.currentTime = Math.min(start + 0.001, Math.max(0, video.duration - 0.05));
}
