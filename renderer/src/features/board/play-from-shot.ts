// Double-click or Enter on a card: back to the preview, playing the cut from that shot.
import type { StudioServices } from '../../app/studio-context';
import { cueShot } from '../player/cue';

/**
 * Back to the preview, cued to the shot's first frame and playing from there (the player waits for the cut
 * if it is still loading). A refused play() (no decodable cut yet) leaves the preview cued and paused.
 */
export function playFromShot({ store, player }: Pick<StudioServices, 'store' | 'player'>, id: string): void {
  const state = store.getState();
  if (state.selectedShotId !== id || state.selectedShotIds.length > 1) state.selectShot(id);
  state.setCentreView('preview');
  const video = player.video;
  if (!video) return;
  const play = () => {
    cueShot({ store, player }, id);
    void video.play().catch(() => {});
  };
  if (video.readyState >= 1 && Number.isFinite(video.duration)) play();
  else video.addEventListener('loadedmetadata', play, { once: true });
}
