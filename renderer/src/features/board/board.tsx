// The Board: every shot as a card in a wrapping grid, the way a director pins boards to a wall. It reads the
// same store as the shot list and timeline (one selection, one order, one undo history): a click selects, a
// drag sends one shots.moveMany (= one undo step), a double-click or Enter plays the cut from that shot.
// Like the timeline's video lane, pointer work happens on the grid (one set of handlers, not 300): the
// grabbed card follows the pointer with a CSS transform and a drop line shows where it lands, so neither
// React nor the store is touched while the pointer moves.
// A card draws itself (board-card.tsx); the header's count and hint are board-header.tsx.
import { useEffect, useMemo, useRef, useState, type FocusEvent, type KeyboardEvent, type MouseEvent, type PointerEvent } from 'react';
import './board.css';
import type { Group } from '../../../../shared/schema';
import { useCommands, useServices, useStudio } from '../../app/studio-context';
import { Icon } from '../../components/icon';
import { useEscapeToCancel } from '../../components/use-escape-to-cancel';
import { oneAfterAnother } from '../../store/one-after-another';
import { selectShotDurations, selectShotIds } from '../../store/selectors';
import { moveTarget, nudgeTarget } from '../timeline/geometry';
import { Card } from './board-card';
import { dropSpotAt, gridStep, groupMarks, movingIdsFor, ratioOf, type CardRect, type GridKey } from './board-geometry';
import { playFromShot } from './play-from-shot';

const NO_GROUPS: Group[] = [];
const DRAG_THRESHOLD_PX = 4;
/** The grid's gap (board.css), for where the drop line is drawn between two cards. */
const GAP_PX = 14;
/** Within this distance of the board's top or bottom edge a drag scrolls it. */
const EDGE_PX = 48;
/** The picked-up card's size while it is dragged. */
const GRAB_SCALE = 0.6;
const GRID_KEYS = new Set<string>(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

type Drag =
  | { kind: 'pending'; pointerId: number; id: string; x0: number; y0: number }
  | {
      kind: 'move';
      pointerId: number;
      grabbed: HTMLElement;
      lifted: HTMLElement[];
      movingIds: string[];
      /** Where the pointer started, in the grid's own coordinates (they scroll with the cards). */
      startX: number;
      startY: number;
      rects: CardRect[];
      gap: number;
      clientX: number;
      clientY: number;
    };

/** The shots as cards. Lives in the centre region (preview-player.tsx) when the person picks Board. */
export function Board() {
  const services = useServices();
  const { store } = services;
  const commands = useCommands();
  const ids = useStudio(selectShotIds);
  const durations = useStudio(selectShotDurations);
  const groups = useStudio((s) => s.doc?.project.groups ?? NO_GROUPS);
  const projectAspect = useStudio((s) => s.doc?.project.settings.aspectRatio ?? '16:9');
  const primaryId = useStudio((s) => s.selectedShotId);
  const loaded = useStudio((s) => s.doc !== null);
  const marks = useMemo(() => groupMarks({ ids, durations, groups }), [ids, durations, groups]);
  const wellRatio = ratioOf(projectAspect);
  const tabStop = primaryId && ids.includes(primaryId) ? primaryId : ids[0];

  const scrollRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const lineRef = useRef<HTMLDivElement>(null);
  const drag = useRef<Drag | null>(null);
  const suppressClick = useRef(false);
  // A click focuses the card before it clicks; that focus must not collapse a ⇧/⌘ multi-selection.
  const pointerFocus = useRef(false);
  const scrollLoop = useRef(0);
  /** ⌥← / ⌥→ moves, one after another. */
  const [moves] = useState(oneAfterAnother);
  // The handlers read the latest order through a ref, so they never need re-binding.
  const latest = useRef({ ids, groups });
  latest.current = { ids, groups };

  const cardOf = (target: EventTarget | null) => (target instanceof Element ? target.closest<HTMLElement>('[data-board-id]') : null);

  const hideLine = () => {
    if (lineRef.current) lineRef.current.style.display = 'none';
  };

  const resetLift = (d: Extract<Drag, { kind: 'move' }>) => {
    d.grabbed.style.transform = '';
    d.grabbed.style.transformOrigin = '';
    delete d.grabbed.dataset.count;
    for (const el of d.lifted) delete el.dataset.lifted;
    delete d.grabbed.dataset.grabbed;
    gridRef.current?.classList.remove('board__grid--dragging');
  };

  const endDrag = (d: Drag) => {
    const grid = gridRef.current;
    if (grid?.hasPointerCapture(d.pointerId)) grid.releasePointerCapture(d.pointerId);
    hideLine();
    cancelAnimationFrame(scrollLoop.current);
    escape.stop();
    drag.current = null;
  };

  const cancel = () => {
    const d = drag.current;
    if (!d) return;
    if (d.kind === 'move') {
      resetLift(d);
      suppressClick.current = true;
    }
    endDrag(d);
  };
  // Esc puts the cards back.
  const escape = useEscapeToCancel(() => drag.current !== null, cancel);
  useEffect(() => () => cancelAnimationFrame(scrollLoop.current), []);

  /** Follows the pointer: the grabbed card moves with it and the drop line goes to the gap under it. */
  const track = (d: Extract<Drag, { kind: 'move' }>) => {
    const grid = gridRef.current;
    if (!grid) return;
    const g = grid.getBoundingClientRect();
    const x = d.clientX - g.left;
    const y = d.clientY - g.top;
    // Shrunk around the point where it was picked up, so it stays under the pointer and the cards it
    // passes stay readable.
    d.grabbed.style.transform = `translate(${x - d.startX}px, ${y - d.startY}px) scale(${GRAB_SCALE}) rotate(-1.5deg)`;
    const spot = dropSpotAt({ rects: d.rects, x, y, gapPx: GAP_PX });
    const line = lineRef.current;
    if (!spot || !line) return;
    d.gap = spot.gap;
    line.style.display = 'block';
    line.style.transform = `translate(${spot.line.x - 1.5}px, ${spot.line.top}px)`;
    line.style.height = `${spot.line.height}px`;
    line.dataset.noop = moveTarget({ orderedIds: latest.current.ids, movingIds: d.movingIds, gap: spot.gap }) ? 'false' : 'true';
  };

  /** While the pointer rests near the top or bottom edge, the board scrolls and the drop spot follows. */
  const autoScroll = () => {
    const d = drag.current;
    const scroller = scrollRef.current;
    if (!d || d.kind !== 'move' || !scroller) return;
    const r = scroller.getBoundingClientRect();
    const speed = d.clientY < r.top + EDGE_PX ? -Math.ceil((r.top + EDGE_PX - d.clientY) / 4) : d.clientY > r.bottom - EDGE_PX ? Math.ceil((d.clientY - (r.bottom - EDGE_PX)) / 4) : 0;
    if (speed !== 0) {
      const before = scroller.scrollTop;
      scroller.scrollTop += speed;
      if (scroller.scrollTop !== before) track(d);
    }
    scrollLoop.current = requestAnimationFrame(autoScroll);
  };

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    suppressClick.current = false;
    pointerFocus.current = true;
    if (e.button !== 0 || drag.current) return;
    const card = cardOf(e.target);
    if (!card) return;
    drag.current = { kind: 'pending', pointerId: e.pointerId, id: card.dataset.boardId!, x0: e.clientX, y0: e.clientY };
  };

  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    const grid = gridRef.current;
    if (!d || !grid || e.pointerId !== d.pointerId) return;
    if (d.kind === 'pending') {
      if (Math.abs(e.clientX - d.x0) < DRAG_THRESHOLD_PX && Math.abs(e.clientY - d.y0) < DRAG_THRESHOLD_PX) return;
      const movingIds = movingIdsFor({ id: d.id, selectedIds: store.getState().selectedShotIds, groups: latest.current.groups });
      const cards = Array.from(grid.querySelectorAll<HTMLElement>('[data-board-id]'));
      const g = grid.getBoundingClientRect();
      // Measured once: the cards do not move while the pointer does (only the grabbed one, by transform).
      const rects = cards.map((el) => {
        const r = el.getBoundingClientRect();
        return { left: r.left - g.left, top: r.top - g.top, width: r.width, height: r.height };
      });
      const grabbed = cards.find((el) => el.dataset.boardId === d.id);
      if (!grabbed) return;
      const moving = new Set(movingIds);
      const lifted = cards.filter((el) => moving.has(el.dataset.boardId!));
      for (const el of lifted) el.dataset.lifted = '';
      grabbed.dataset.grabbed = '';
      const own = grabbed.getBoundingClientRect();
      grabbed.style.transformOrigin = `${d.x0 - own.left}px ${d.y0 - own.top}px`;
      if (movingIds.length > 1) grabbed.dataset.count = `${movingIds.length} shots`;
      grid.classList.add('board__grid--dragging');
      grid.setPointerCapture(e.pointerId);
      escape.listen();
      drag.current = { kind: 'move', pointerId: d.pointerId, grabbed, lifted, movingIds, startX: d.x0 - g.left, startY: d.y0 - g.top, rects, gap: -1, clientX: e.clientX, clientY: e.clientY };
      scrollLoop.current = requestAnimationFrame(autoScroll);
    }
    const cur = drag.current;
    if (cur?.kind !== 'move') return;
    cur.clientX = e.clientX;
    cur.clientY = e.clientY;
    track(cur);
  };

  const onPointerUp = async (e: PointerEvent<HTMLDivElement>) => {
    pointerFocus.current = false;
    const d = drag.current;
    if (!d || e.pointerId !== d.pointerId) return;
    endDrag(d);
    if (d.kind === 'pending') return;
    suppressClick.current = true;
    const target = d.gap < 0 ? null : moveTarget({ orderedIds: latest.current.ids, movingIds: d.movingIds, gap: d.gap });
    if (!target) {
      resetLift(d);
      return;
    }
    // One edit, one undo step; a refusal comes back as the core's message in a toast (commands.mutate).
    await commands.mutate('shots.moveMany', target, target.ids.length === 1 ? 'Could not move the shot' : `Could not move ${target.ids.length} shots`);
    // The store has re-rendered the new order by now; the lifted cards drop into place.
    resetLift(d);
  };

  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    pointerFocus.current = false;
    if (suppressClick.current) {
      suppressClick.current = false;
      return;
    }
    const card = cardOf(e.target);
    if (!card) return;
    const id = card.dataset.boardId!;
    const state = store.getState();
    if (e.shiftKey) state.toggleShotSelection(id, 'range', latest.current.ids);
    else if (e.metaKey || e.ctrlKey) state.toggleShotSelection(id, 'toggle', latest.current.ids);
    else state.selectShot(id);
  };

  const onDoubleClick = (e: MouseEvent<HTMLDivElement>) => {
    const card = cardOf(e.target);
    if (!card || e.shiftKey || e.metaKey || e.ctrlKey) return;
    playFromShot(services, card.dataset.boardId!);
  };

  const onFocus = (e: FocusEvent<HTMLDivElement>) => {
    // Tabbing onto the board selects the card it lands on (a click selects in onClick instead).
    const card = cardOf(e.target);
    if (!card || pointerFocus.current) return;
    const id = card.dataset.boardId!;
    if (store.getState().selectedShotId !== id) store.getState().selectShot(id);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const card = cardOf(e.target);
    const grid = gridRef.current;
    if (!card || !grid || e.metaKey || e.ctrlKey) return;
    const id = card.dataset.boardId!;
    const order = latest.current.ids;
    if (e.altKey) {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      e.preventDefault();
      const step = e.key === 'ArrowLeft' ? -1 : 1;
      // Pressed twice quickly, the second move starts from where the first one put the card: each waits for
      // the one before and reads the order (and groups) the core answered with, not the order on screen now.
      void moves(async () => {
        const s = store.getState();
        const project = s.doc?.project;
        if (!project) return;
        const movingIds = movingIdsFor({ id, selectedIds: s.selectedShotIds, groups: project.groups });
        const target = nudgeTarget({ orderedIds: project.shots.map((x) => x.id), movingIds, step });
        if (!target) return;
        await commands.mutate('shots.moveMany', target, target.ids.length === 1 ? 'Could not move the shot' : `Could not move ${target.ids.length} shots`);
        // Reordering moves cards in the DOM, which can drop focus; keep it on the card that moved.
        if (document.activeElement === document.body || document.activeElement === null) {
          gridRef.current?.querySelector<HTMLElement>(`[data-board-id="${CSS.escape(id)}"]`)?.focus({ preventScroll: false });
        }
      });
      return;
    }
    if (e.key === 'Enter') {
      e.preventDefault();
      playFromShot(services, id);
      return;
    }
    if (GRID_KEYS.has(e.key) && !e.shiftKey) {
      e.preventDefault();
      // The grid's own column count, as CSS laid it out for this width.
      const columns = getComputedStyle(grid).gridTemplateColumns.split(' ').filter(Boolean).length;
      const next = gridStep({ index: order.indexOf(id), count: order.length, columns, key: e.key as GridKey });
      if (next >= 0 && order[next] !== id) store.getState().selectShot(order[next]);
    }
  };

  if (ids.length === 0) {
    return (
      <div className="board board--empty">
        <div className="player__empty">
          <Icon name="film" size={36} />
          {loaded ? (
            <>
              <p className="player__empty-title">No shots yet</p>
              <p>Each shot you add becomes a card here: its picture, title, length and status, in cut order.</p>
              <button type="button" className="btn btn--secondary board__add" onClick={() => void commands.addShot()}>
                <Icon name="plus" />
                Add shot
              </button>
            </>
          ) : (
            <p>Opening project…</p>
          )}
        </div>
      </div>
    );
  }

  return (
    <div className="board" ref={scrollRef}>
      <div
        ref={gridRef}
        className="board__grid"
        role="listbox"
        aria-label="Board"
        aria-multiselectable="true"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={(e) => void onPointerUp(e)}
        onPointerCancel={cancel}
        onLostPointerCapture={(e) => {
          if (drag.current?.kind === 'move' && e.pointerId === drag.current.pointerId) cancel();
        }}
        onClick={onClick}
        onDoubleClick={onDoubleClick}
        onFocus={onFocus}
        onKeyDown={onKeyDown}
      >
        {ids.map((id) => (
          <Card key={id} id={id} wellRatio={wellRatio} projectAspect={projectAspect} tabbable={id === tabStop} mark={marks.get(id)} />
        ))}
        <div ref={lineRef} className="board__line" aria-hidden="true" />
      </div>
    </div>
  );
}
