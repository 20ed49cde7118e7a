// While the preview plays, the shot list marks the shot under the playhead and keeps it in view. The
// playhead changes 60 times a second, so it never enters React: a requestAnimationFrame loop runs only while
// the video plays, maps its time to a shot through the cut map and touches the attribute of the two rows
// that change.
import { useEffect, type RefObject } from 'react';
import './follow-playback.css';
import { useServices } from '../../app/studio-context';
import { cutMapOf } from '../player/cut-map';
import { shotIndexAtCutTime } from './playing-shot';

/** After the person scrolls the list by hand, playback leaves the scroll position alone this long. */
export const HAND_SCROLL_QUIET_MS = 2000;

/** Scrolls `row` into `scroller` when any part of it is hidden, leaving a little of the row above in view. */
function reveal(scroller: HTMLElement, row: HTMLElement): void {
  const box = scroller.getBoundingClientRect();
  const r = row.getBoundingClientRect();
  if (r.top >= box.top && r.bottom <= box.bottom) return;
  const reduced = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
  // Upcoming shots are below: the playing one goes near the top, with a peek at the one before it.
  const top = scroller.scrollTop + (r.top - box.top) - Math.min(24, Math.max(0, box.height - r.height) / 2);
  scroller.scrollTo({ top: Math.max(0, top), behavior: reduced ? 'auto' : 'smooth' });
}

export function useFollowPlayback({ scrollRef, listRef }: { scrollRef: RefObject<HTMLElement | null>; listRef: RefObject<HTMLElement | null> }): void {
  const { player, store } = useServices();

  useEffect(() => {
    let raf = 0;
    let video: HTMLVideoElement | null = null;
    let marked: Element | null = null;
    let handScrollAt = Number.NEGATIVE_INFINITY;
    let revealPending = false;

    const mark = (row: Element | null) => {
      marked?.removeAttribute('data-playing');
      marked = row;
      row?.setAttribute('data-playing', '');
    };

    const stop = () => {
      if (raf) cancelAnimationFrame(raf);
      raf = 0;
      mark(null);
    };

    const tick = () => {
      raf = 0;
      if (!video || video.paused || video.ended || player.video !== video) {
        stop();
        return;
      }
      const index = shotIndexAtCutTime(cutMapOf(store.getState()), video.currentTime);
      const row = index >= 0 ? (listRef.current?.children[index] ?? null) : null;
      if (row !== marked) {
        mark(row);
        revealPending = row !== null;
      }
      if (revealPending && performance.now() - handScrollAt >= HAND_SCROLL_QUIET_MS) {
        revealPending = false;
        const scroller = scrollRef.current;
        if (scroller && marked instanceof HTMLElement) reveal(scroller, marked);
      }
      raf = requestAnimationFrame(tick);
    };

    const start = () => {
      video = player.video;
      if (!raf && video && !video.paused) raf = requestAnimationFrame(tick);
    };

    // Media events do not bubble, but they do pass the document in the capture phase: this sees the
    // preview start playing whichever element the player has mounted.
    const onPlay = (e: Event) => {
      if (e.target === player.video) start();
    };
    const onHand = () => {
      handScrollAt = performance.now();
    };
    const scroller = scrollRef.current;
    document.addEventListener('playing', onPlay, true);
    document.addEventListener('play', onPlay, true);
    const handEvents = ['wheel', 'pointerdown', 'touchstart', 'keydown'] as const;
    for (const name of handEvents) scroller?.addEventListener(name, onHand, { passive: true });
    start();
    return () => {
      stop();
      document.removeEventListener('playing', onPlay, true);
      document.removeEventListener('play', onPlay, true);
      for (const name of handEvents) scroller?.removeEventListener(name, onHand);
    };
  }, [player, store, scrollRef, listRef]);
}
