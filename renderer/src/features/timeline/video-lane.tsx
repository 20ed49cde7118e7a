// The video lane: one block per shot, sized by duration. Pointer work happens on the lane (one set of
// handlers, not 300): a drag moves the lifted blocks with CSS transforms and a drop indicator, an edge drag
// sets the block's width directly, and only the release sends one edit (= one undo step). React state
// and the store are untouched while the pointer moves.
// Each block draws itself (video-block.tsx); the group brackets are group-brackets.tsx.
import { useRef, type KeyboardEvent, type MouseEvent, type PointerEvent, type RefObject } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { oneAfterAnother } from '../../store/one-after-another';
import { capabilitiesFor } from '../../../../shared/capabilities';
import { MIN_SHOT_SECONDS, type Group } from '../../../../shared/schema';
import { useCommands, useServices, useStudio } from '../../app/studio-context';
import { useEscapeToCancel } from '../../components/use-escape-to-cancel';
import { cueShot } from '../player/cue';
import { gapAt, headTrim, maxDurationInGroup, minDurationFor, moveTarget, nudgeTarget, retimeDuration, slipIn } from './geometry';
import { shotStarts } from '../../../../shared/time';
import { GroupBrackets } from './group-brackets';
import { Block, fromText, type Join } from './video-block';

const DRAG_THRESHOLD_PX = 4;
const NO_GROUPS: Group[] = [];

type Drag =
  | { kind: 'pending'; pointerId: number; id: string; x0: number; y0: number }
  | { kind: 'move'; pointerId: number; x0: number; els: HTMLElement[]; movingIds: string[]; gap: number }
  | { kind: 'retime'; pointerId: number; id: string; x0: number; el: HTMLElement; fromSec: number; maxSec: number; minSec: number; extraPx: number; durationSec: number }
  /** Left edge: in point and duration together (the out point stays). */
  | { kind: 'head'; pointerId: number; id: string; x0: number; el: HTMLElement; fromIn: number; fromSec: number; clipSec: number; maxSec: number; minSec: number; extraPx: number; inSec: number; durationSec: number }
  /** ⌥-drag inside: the take slides under the shot. */
  | { kind: 'slip'; pointerId: number; id: string; x0: number; el: HTMLElement; fromIn: number; durationSec: number; clipSec: number; inSec: number };

export interface VideoLaneProps {
  ids: string[];
  durations: number[];
  pps: number;
  scrollRef: RefObject<HTMLDivElement | null>;
}

export function VideoLane({ ids, durations, pps, scrollRef }: VideoLaneProps) {
  const { store, player } = useServices();
  const commands = useCommands();
  const { selectedIds, primaryId } = useStudio(useShallow((s) => ({ selectedIds: s.selectedShotIds, primaryId: s.selectedShotId })));
  const groups = useStudio((s) => s.doc?.project.groups ?? NO_GROUPS);
  const laneRef = useRef<HTMLDivElement>(null);
  const indicatorRef = useRef<HTMLDivElement>(null);
  const badgeRef = useRef<HTMLDivElement>(null);
  const drag = useRef<Drag | null>(null);
  /** ⌥← / ⌥→ nudges and [ / ] steps, one after another. */
  const nudges = useRef(oneAfterAnother());
  const suppressClick = useRef(false);
  // The handlers read the latest layout through a ref, so they never need re-binding.
  const latest = useRef({ ids, durations, pps, groups });
  latest.current = { ids, durations, pps, groups };

  const selected = new Set(selectedIds);
  const joinOf = new Map<string, Join>();
  for (const g of groups) {
    g.shotIds.forEach((id, i) => joinOf.set(id, i === 0 ? 'first' : i === g.shotIds.length - 1 ? 'last' : 'middle'));
  }
  const tabStop = primaryId && ids.includes(primaryId) ? primaryId : ids[0];

  /** What moves with a dragged shot: the multi-selection it belongs to, else its group, else itself. */
  const movingFor = (id: string): string[] => {
    const sel = store.getState().selectedShotIds;
    if (sel.length > 1 && sel.includes(id)) return sel;
    return latest.current.groups.find((g) => g.shotIds.includes(id))?.shotIds ?? [id];
  };

  const shotsForGroups = () => latest.current.ids.map((id, i) => ({ id, durationSec: latest.current.durations[i] }));
  /** The shortest the shot may be made: 3 s alone, the provider's per-shot minimum inside a group. */
  const minSecFor = (id: string): number => {
    const project = store.getState().doc?.project;
    if (!project) return MIN_SHOT_SECONDS;
    const tier = project.shots.find((s) => s.id === id)?.tier ?? project.settings.tier;
    return minDurationFor({ groups: latest.current.groups, shotId: id, caps: capabilitiesFor(project.settings.provider, tier) });
  };

  /** The shot's in point and its selected ready take's length, when it has one to trim. */
  const takeUse = (id: string): { inSec: number; clipSec: number } | undefined => {
    const shot = store.getState().doc?.project.shots.find((s) => s.id === id);
    const take = shot?.takes.find((t) => t.id === shot.selectedTakeId);
    if (!shot || take?.status !== 'ready' || !take.media) return undefined;
    return { inSec: shot.trim?.inSec ?? 0, clipSec: take.media.durationSec };
  };

  const endDrag = (d: Drag, lane: HTMLDivElement) => {
    if (lane.hasPointerCapture(d.pointerId)) lane.releasePointerCapture(d.pointerId);
    if (indicatorRef.current) indicatorRef.current.style.display = 'none';
    if (badgeRef.current) badgeRef.current.style.display = 'none';
    escape.stop();
    drag.current = null;
  };

  const resetMove = (els: HTMLElement[]) => {
    for (const el of els) {
      el.style.transform = '';
      delete el.dataset.lifted;
    }
  };

  const cancel = () => {
    const d = drag.current;
    const lane = laneRef.current;
    if (!d || !lane) return;
    if (d.kind === 'move') resetMove(d.els);
    if (d.kind === 'retime' || d.kind === 'head') d.el.style.width = `${d.fromSec * latest.current.pps + d.extraPx}px`;
    if (d.kind !== 'pending') suppressClick.current = true;
    endDrag(d, lane);
  };

  // Esc puts everything back where it was.
  const escape = useEscapeToCancel(() => drag.current !== null, cancel);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    suppressClick.current = false;
    if (e.button !== 0 || drag.current) return;
    const target = e.target as HTMLElement;
    const block = target.closest<HTMLElement>('[data-shot-id]');
    const lane = laneRef.current;
    if (!block || !lane) return;
    const id = block.dataset.shotId!;
    const use = takeUse(id);
    if (use && (target.closest('[data-head-edge]') || (e.altKey && !target.closest('[data-edge]')))) {
      e.preventDefault();
      const { ids: order, durations: durs, pps: scale, groups: gs } = latest.current;
      const fromSec = durs[order.indexOf(id)];
      lane.setPointerCapture(e.pointerId);
      escape.listen();
      if (target.closest('[data-head-edge]')) {
        const maxSec = maxDurationInGroup({ shots: shotsForGroups(), groups: gs, shotId: id });
        const extraPx = block.getBoundingClientRect().width - fromSec * scale;
        drag.current = { kind: 'head', pointerId: e.pointerId, id, x0: e.clientX, el: block, fromIn: use.inSec, fromSec, clipSec: use.clipSec, maxSec, minSec: minSecFor(id), extraPx, inSec: use.inSec, durationSec: fromSec };
      } else {
        drag.current = { kind: 'slip', pointerId: e.pointerId, id, x0: e.clientX, el: block, fromIn: use.inSec, durationSec: fromSec, clipSec: use.clipSec, inSec: use.inSec };
      }
      showBadge(block, `from ${fromText(use.inSec)}`);
      return;
    }
    if (target.closest('[data-edge]')) {
      e.preventDefault();
      const { ids: order, durations: durs, pps: scale, groups: gs } = latest.current;
      const fromSec = durs[order.indexOf(id)];
      const maxSec = maxDurationInGroup({ shots: shotsForGroups(), groups: gs, shotId: id });
      lane.setPointerCapture(e.pointerId);
      drag.current = { kind: 'retime', pointerId: e.pointerId, id, x0: e.clientX, el: block, fromSec, maxSec, minSec: minSecFor(id), extraPx: block.getBoundingClientRect().width - fromSec * scale, durationSec: fromSec };
      escape.listen();
      showBadge(block, `${fromSec} s`);
      return;
    }
    drag.current = { kind: 'pending', pointerId: e.pointerId, id, x0: e.clientX, y0: e.clientY };
  };

  const showBadge = (block: HTMLElement, text: string) => {
    const badge = badgeRef.current;
    const lane = laneRef.current;
    if (!badge || !lane) return;
    badge.textContent = text;
    badge.style.display = 'block';
    badge.style.left = `${block.offsetLeft + block.offsetWidth}px`;
  };

  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    const lane = laneRef.current;
    if (!d || !lane || e.pointerId !== d.pointerId) return;
    const { ids: order, durations: durs, pps: scale } = latest.current;
    if (d.kind === 'pending') {
      if (Math.abs(e.clientX - d.x0) < DRAG_THRESHOLD_PX && Math.abs(e.clientY - d.y0) < DRAG_THRESHOLD_PX) return;
      const movingIds = movingFor(d.id);
      const els = movingIds.map((id) => lane.querySelector<HTMLElement>(`[data-shot-id="${CSS.escape(id)}"]`)).filter((el): el is HTMLElement => el !== null);
      for (const el of els) el.dataset.lifted = '';
      lane.setPointerCapture(e.pointerId);
      escape.listen();
      drag.current = { kind: 'move', pointerId: d.pointerId, x0: d.x0, els, movingIds, gap: -1 };
    }
    const cur = drag.current!;
    if (cur.kind === 'move') {
      const dx = e.clientX - cur.x0;
      for (const el of cur.els) el.style.transform = `translateX(${dx}px)`;
      const rect = lane.getBoundingClientRect();
      const gap = gapAt(durs, (e.clientX - rect.left) / scale);
      cur.gap = gap;
      const indicator = indicatorRef.current;
      if (indicator) {
        const at = gap < durs.length ? shotStarts(durs)[gap] : durs.reduce((a, b) => a + b, 0);
        indicator.style.display = 'block';
        indicator.style.transform = `translateX(${at * scale - 1}px)`;
        indicator.dataset.noop = moveTarget({ orderedIds: order, movingIds: cur.movingIds, gap }) ? 'false' : 'true';
      }
      autoScroll(e.clientX);
    } else if (cur.kind === 'retime') {
      const next = retimeDuration({ fromSec: cur.fromSec, dxPx: e.clientX - cur.x0, pps: scale, maxSec: cur.maxSec, minSec: cur.minSec });
      if (next !== cur.durationSec) {
        cur.durationSec = next;
        cur.el.style.width = `${next * scale + cur.extraPx}px`;
      }
      const atMax = next === cur.maxSec && cur.maxSec < 15;
      showBadge(cur.el, next === cur.fromSec ? `${next} s` : `${cur.fromSec} → ${next} s${atMax ? ' (group limit)' : ''}`);
    } else if (cur.kind === 'head') {
      const next = headTrim({ fromIn: cur.fromIn, fromSec: cur.fromSec, dxPx: e.clientX - cur.x0, pps: scale, clipSec: cur.clipSec, maxSec: cur.maxSec, minSec: cur.minSec });
      cur.inSec = next.inSec;
      cur.durationSec = next.durationSec;
      cur.el.style.width = `${next.durationSec * scale + cur.extraPx}px`;
      showBadge(cur.el, `from ${fromText(next.inSec)} · ${next.durationSec} s`);
    } else if (cur.kind === 'slip') {
      cur.inSec = slipIn({ fromIn: cur.fromIn, dxPx: e.clientX - cur.x0, pps: scale, durationSec: cur.durationSec, clipSec: cur.clipSec });
      showBadge(cur.el, `from ${fromText(Math.round(cur.inSec * 100) / 100)}`);
    }
  };

  const autoScroll = (clientX: number) => {
    const scroller = scrollRef.current;
    if (!scroller) return;
    const r = scroller.getBoundingClientRect();
    if (clientX < r.left + 220) scroller.scrollLeft -= 14;
    else if (clientX > r.right - 40) scroller.scrollLeft += 14;
  };

  const onPointerUp = async (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    const lane = laneRef.current;
    if (!d || !lane || e.pointerId !== d.pointerId) return;
    endDrag(d, lane);
    if (d.kind === 'pending') return;
    suppressClick.current = true;
    if (d.kind === 'move') {
      const target = moveTarget({ orderedIds: latest.current.ids, movingIds: d.movingIds, gap: d.gap });
      if (!target) {
        resetMove(d.els);
        return;
      }
      const label = target.ids.length === 1 ? 'Could not move the shot' : `Could not move ${target.ids.length} shots`;
      await commands.mutate('shots.moveMany', target, label);
      // The store has re-rendered the new order by now; the lifted blocks drop into place.
      resetMove(d.els);
      return;
    }
    if (d.kind === 'slip') {
      if (d.inSec !== d.fromIn) await commands.updateShot(d.id, { trim: d.inSec > 0 ? { inSec: d.inSec } : null });
      return;
    }
    if (d.kind === 'head') {
      if (d.inSec === d.fromIn) return;
      const done = await commands.updateShot(d.id, { durationSec: d.durationSec, trim: d.inSec > 0 ? { inSec: d.inSec } : null });
      if (!done) d.el.style.width = `${d.fromSec * latest.current.pps + d.extraPx}px`;
      return;
    }
    if (d.durationSec === d.fromSec) return;
    const result = await commands.updateShot(d.id, { durationSec: d.durationSec });
    if (!result) d.el.style.width = `${d.fromSec * latest.current.pps + d.extraPx}px`;
  };

  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    if (suppressClick.current) {
      suppressClick.current = false;
      return;
    }
    const block = (e.target as HTMLElement).closest<HTMLElement>('[data-shot-id]');
    if (!block) return;
    const id = block.dataset.shotId!;
    const state = store.getState();
    if (e.shiftKey) state.toggleShotSelection(id, 'range', latest.current.ids);
    else if (e.metaKey || e.ctrlKey) state.toggleShotSelection(id, 'toggle', latest.current.ids);
    else {
      state.selectShot(id);
      cueShot({ store, player }, id);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const block = (e.target as HTMLElement).closest<HTMLElement>('[data-shot-id]');
    if (!block || e.metaKey || e.ctrlKey) return;
    const id = block.dataset.shotId!;
    if (e.altKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      e.preventDefault();
      const step = e.key === 'ArrowLeft' ? -1 : 1;
      // Pressed twice quickly, the second nudge starts from where the first one put the shots.
      void nudges.current(async () => {
        const ordered = store.getState().doc?.project.shots.map((x) => x.id) ?? latest.current.ids;
        const target = nudgeTarget({ orderedIds: ordered, movingIds: movingFor(id), step });
        if (target) await commands.mutate('shots.moveMany', target, 'Could not move the shot');
      }).catch(() => {});
      return;
    }
    if (!e.altKey && (e.key === '[' || e.key === ']')) {
      e.preventDefault();
      const step = e.key === '[' ? -1 : 1;
      // Pressed twice quickly, the second step starts from the length the first one gave the shot.
      void nudges.current(async () => {
        const project = store.getState().doc?.project;
        if (!project) return;
        const shots = project.shots.map((x) => ({ id: x.id, durationSec: x.durationSec }));
        const from = shots.find((x) => x.id === id)?.durationSec;
        if (from === undefined) return;
        const maxSec = maxDurationInGroup({ shots, groups: project.groups, shotId: id });
        const next = retimeDuration({ fromSec: from, dxPx: step, pps: 1, maxSec, minSec: minSecFor(id) });
        if (next !== from) await commands.updateShot(id, { durationSec: next });
      }).catch(() => {});
    }
  };

  const shotsLayout = ids.map((id, i) => ({ id, durationSec: durations[i] }));

  return (
    <div
      ref={laneRef}
      className="tl-lane"
      role="group"
      aria-label="Video lane"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={(e) => void onPointerUp(e)}
      onPointerCancel={cancel}
      onLostPointerCapture={(e) => {
        if (drag.current && drag.current.kind !== 'pending' && e.pointerId === drag.current.pointerId) cancel();
      }}
      onClick={onClick}
      onKeyDown={onKeyDown}
    >
      <GroupBrackets pps={pps} shots={shotsLayout} groups={groups} />
      <div className="tl-blocks">
        {ids.map((id, i) => (
          <Block
            key={id}
            id={id}
            index={i}
            durationSec={durations[i]}
            pps={pps}
            selected={selected.has(id)}
            primary={id === primaryId}
            tabbable={id === tabStop}
            join={joinOf.get(id) ?? 'none'}
          />
        ))}
      </div>
      <div ref={indicatorRef} className="tl-drop" aria-hidden="true" />
      <div ref={badgeRef} className="tl-badge" aria-hidden="true" />
    </div>
  );
}
