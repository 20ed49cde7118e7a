// Cueing the preview to a shot: the cut follows timeline order, and each shot lasts its take's length in
// it (cut-map.ts), so a shot starts where the takes before it end.
import type { StudioServices } from '../../app/studio-context';
import { cutMapOf } from './cut-map';

export function cueShot({ store, player }: Pick<StudioServices, 'store' | 'player'>, shotId: string): void {
  const video = player.video;
  const state = store.getState();
  const shots = state.doc?.project.shots ?? [];
  const index = shots.findIndex((x) => x.id === shotId);
  if (!video || index < 0 || !Number.isFinite(video.duration)) return;
  const start = cutMapOf(state).cutStarts[index];
  // A hair past the cut point, so the frame shown is the shot's own first frame.
  video.currentTime = Math.min(start + 0.001, Math.max(0, video.duration - 0.05));
}
