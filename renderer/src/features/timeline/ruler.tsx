// The time ruler (click or drag on it to seek the preview) and the playhead. The preview is the stitched
// cut in timeline order, so a time in the video is the same time on the timeline. The playhead follows
// video.currentTime through requestAnimationFrame and writes styles directly: it changes 60 times a
// second and never enters React state (docs/architecture.md §8).
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type RefObject } from 'react';
import { formatDuration } from '../../../../shared/time';
import { useServices } from '../../app/studio-context';
import { cutMapOf, cutToTimeline, timelineToCut, type CutMap } from '../player/cut-map';
import { rulerStep, timecode } from './geometry';

/** Ticks are drawn for the visible stretch only (in chunks, so scrolling rarely re-renders). */
const CHUNK_PX = 1200;

function useVisibleRange(scrollRef: RefObject<HTMLDivElement | null>): { fromPx: number; toPx: number } {
  const [range, setRange] = useState({ fromPx: 0, toPx: CHUNK_PX * 3 });
  useEffect(() => {
    const scroller = scrollRef.current;
    if (!scroller) return;
    const update = () => {
      const fromPx = Math.max(0, Math.floor(scroller.scrollLeft / CHUNK_PX - 1) * CHUNK_PX);
      const toPx = (Math.ceil((scroller.scrollLeft + scroller.clientWidth) / CHUNK_PX) + 1) * CHUNK_PX;
      setRange((r) => (r.fromPx === fromPx && r.toPx === toPx ? r : { fromPx, toPx }));
    };
    update();
    scroller.addEventListener('scroll', update, { passive: true });
    const ro = new ResizeObserver(update);
    ro.observe(scroller);
    return () => {
      scroller.removeEventListener('scroll', update);
      ro.disconnect();
    };
  }, [scrollRef]);
  return range;
}

export interface RulerProps {
  pps: number;
  totalSec: number;
  widthPx: number;
  scrollRef: RefObject<HTMLDivElement | null>;
  rulerRef: RefObject<HTMLDivElement | null>;
  /** The playhead's head in the ruler (the ruler stays on top when lanes scroll, so the head lives in it). */
  headRef: RefObject<HTMLSpanElement | null>;
}

export function Ruler({ pps, totalSec, widthPx, scrollRef, rulerRef, headRef }: RulerProps) {
  const { player, store } = useServices();
  const { fromPx, toPx } = useVisibleRange(scrollRef);
  const { label, minor } = rulerStep(pps);
  const ticks: number[] = [];
  const maxSec = Math.min(widthPx, toPx) / pps;
  for (let t = Math.ceil(fromPx / pps / label) * label; t <= maxSec; t += label) ticks.push(t);
  const seeking = useRef<number | null>(null);

  const seekTo = (sec: number) => {
    const video = player.video;
    if (!video) return;
    const end = Number.isFinite(video.duration) ? Math.max(0, video.duration - 0.05) : totalSec;
    video.currentTime = Math.min(end, Math.max(0, sec));
  };
  const seekAt = (clientX: number) => {
    const rect = rulerRef.current?.getBoundingClientRect();
    if (!rect) return;
    seekTo(timelineToCut(cutMapOf(store.getState()), (clientX - rect.left) / pps));
  };

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    seeking.current = e.pointerId;
    seekAt(e.clientX);
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (seeking.current === e.pointerId) seekAt(e.clientX);
  };
  const stop = () => {
    seeking.current = null;
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const video = player.video;
    if (!video || e.metaKey || e.ctrlKey || e.altKey) return;
    const step = e.shiftKey ? 5 : 1;
    const now = video.currentTime;
    const to = e.key === 'ArrowLeft' ? now - step : e.key === 'ArrowRight' ? now + step : e.key === 'Home' ? 0 : e.key === 'End' ? totalSec : null;
    if (to === null) return;
    // The studio's ←/→ select shots; on the ruler they move the playhead instead.
    e.preventDefault();
    seekTo(to);
  };

  return (
    <div
      ref={rulerRef}
      className="tl-ruler"
      role="slider"
      tabIndex={0}
      aria-label="Playhead"
      aria-valuemin={0}
      aria-valuemax={Math.round(totalSec)}
      aria-orientation="horizontal"
      title="Click or drag to move the playhead · ←/→ 1 s · ⇧←/⇧→ 5 s"
      style={{ width: `${widthPx}px`, backgroundSize: `${minor * pps}px 5px` }}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={stop}
      onPointerCancel={stop}
      onKeyDown={onKeyDown}
    >
      {ticks.map((t) => (
        <span key={t} className="tl-ruler__tick" style={{ transform: `translateX(${t * pps}px)` }}>
          {formatDuration(t)}
        </span>
      ))}
      <span ref={headRef} className="tl-ruler__head" aria-hidden="true" />
    </div>
  );
}

/**
 * Moves the playhead line, the timecode readout and the ruler's aria-valuenow from the preview's
 * currentTime on every animation frame (only when it changed).
 */
export function usePlayhead({
  pps,
  lineRef,
  headRef,
  readoutRef,
  rulerRef,
}: {
  pps: number;
  lineRef: RefObject<HTMLDivElement | null>;
  headRef: RefObject<HTMLSpanElement | null>;
  readoutRef: RefObject<HTMLElement | null>;
  rulerRef: RefObject<HTMLDivElement | null>;
}): void {
  const { player, store } = useServices();
  useEffect(() => {
    let raf = 0;
    let last = -1;
    let lastLine: HTMLDivElement | null = null;
    let lastMap: CutMap | null = null;
    const tick = () => {
      const t = player.video?.currentTime ?? 0;
      const map = cutMapOf(store.getState());
      // Also when the cut was rearranged under a paused video, or the line is new.
      if (t !== last || map !== lastMap || lineRef.current !== lastLine) {
        last = t;
        lastMap = map;
        lastLine = lineRef.current;
        const x = `translateX(${cutToTimeline(map, t) * pps}px)`;
        if (lineRef.current) lineRef.current.style.transform = x;
        if (headRef.current) headRef.current.style.transform = x;
        const code = timecode(t);
        if (readoutRef.current && readoutRef.current.textContent !== code) readoutRef.current.textContent = code;
        const ruler = rulerRef.current;
        if (ruler) {
          ruler.setAttribute('aria-valuenow', t.toFixed(1));
          ruler.setAttribute('aria-valuetext', code);
        }
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [player, store, pps, lineRef, headRef, readoutRef, rulerRef]);
}
