import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

const STEP = 10;
const BIG_STEP = 50;

export interface SplitterProps {
  /** The accessible name, e.g. "Resize timeline". */
  label: string;
  /** Tooltip: what dragging does and how to reset. */
  title: string;
  /** The separator line's own direction: "vertical" sits between columns, "horizontal" between rows. */
  orientation: 'vertical' | 'horizontal';
  /**
   * +1 when moving right/down makes the region bigger (the shot list), −1 when it makes it smaller
   * (the inspector to the right, the timeline below).
   */
  grow: 1 | -1;
  value: number;
  min: number;
  max: number;
  className: string;
  /** Shows a size while the pointer moves (writes a CSS variable; no React state per move). */
  onPreview(value: number): void;
  /** Keeps a size once the drag or key press is over. */
  onCommit(value: number): void;
  onReset(): void;
}

/**
 * A focusable separator (WAI-ARIA "window splitter"): drag it, or use the arrow keys (⇧ for bigger
 * steps, Home/End for the limits); a double-click gives the region its default size back.
 */
export function Splitter({ label, title, orientation, grow, value, min, max, className, onPreview, onCommit, onReset }: SplitterProps) {
  const ref = useRef<HTMLDivElement>(null);
  const drag = useRef<{ pointerId: number; from: number; start: number; current: number } | null>(null);
  const vertical = orientation === 'vertical';
  const clamp = (v: number) => Math.round(Math.min(Math.max(v, min), Math.max(min, max)));

  const show = (v: number) => {
    onPreview(v);
    ref.current?.setAttribute('aria-valuenow', String(v));
  };

  const end = (commit: boolean) => {
    const d = drag.current;
    drag.current = null;
    delete document.documentElement.dataset.resizing;
    if (!d) return;
    if (commit && d.current !== d.start) onCommit(d.current);
    else show(d.start);
  };

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.focus({ preventScroll: true });
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { pointerId: e.pointerId, from: vertical ? e.clientX : e.clientY, start: value, current: value };
    // Keeps the resize cursor and stops text selection while the pointer is over other regions.
    document.documentElement.dataset.resizing = orientation;
  };

  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    const next = clamp(d.start + grow * ((vertical ? e.clientX : e.clientY) - d.from));
    if (next === d.current) return;
    d.current = next;
    show(next);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (drag.current) {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        end(false);
      }
      return;
    }
    const step = e.shiftKey ? BIG_STEP : STEP;
    let next: number | null = null;
    const back = vertical ? 'ArrowLeft' : 'ArrowUp';
    const forth = vertical ? 'ArrowRight' : 'ArrowDown';
    if (e.key === back) next = value - grow * step;
    else if (e.key === forth) next = value + grow * step;
    else if (e.key === 'Home') next = min;
    else if (e.key === 'End') next = max;
    else if (e.key === 'Enter') {
      e.preventDefault();
      e.stopPropagation();
      onReset();
      return;
    }
    if (next === null) return;
    // The studio's own arrow keys (previous/next shot) must not fire as well.
    e.preventDefault();
    e.stopPropagation();
    const v = clamp(next);
    if (v !== value) onCommit(v);
  };

  return (
    <div
      ref={ref}
      role="separator"
      tabIndex={0}
      aria-label={label}
      aria-orientation={orientation}
      aria-valuenow={value}
      aria-valuemin={min}
      aria-valuemax={Math.max(min, max)}
      title={title}
      className={`splitter splitter--${orientation} ${className}`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={() => end(true)}
      onPointerCancel={() => end(false)}
      onLostPointerCapture={() => end(true)}
      onDoubleClick={onReset}
      onKeyDown={onKeyDown}
    />
  );
}
