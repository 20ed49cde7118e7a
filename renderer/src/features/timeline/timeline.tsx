// The timeline panel: toolbar (group, audio, zoom), then one scroller holding the ruler, the video lane
// and the audio lanes, each row with a header that stays put while the lanes scroll sideways, and the
// playhead across them all.
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatDuration } from '../../../../shared/time';
import { useCommands, useServices, useStudio } from '../../app/studio-context';
import { MOD_KEY } from '../../components/platform';
import type { StudioState } from '../../store/types';
import { selectShotDurations, selectShotIds } from '../../store/selectors';
import type { Group, Shot } from '../../../../shared/schema';
import { AddLaneButton, AudioLanes } from './audio-lanes';
import { fitPps, groupCheck, zoomStep, type GroupCheck } from './geometry';
import { Ruler, usePlayhead } from './ruler';
import { VideoLane } from './video-lane';
import './timeline.css';

/** Width of the sticky lane headers, and the gap before 0:00 so the playhead at the start is visible. */
const HEAD_PX = 188;
const INSET_PX = 10;
/** Where 0:00 is, in canvas pixels. */
const ORIGIN_PX = HEAD_PX + INSET_PX;
/** Room after the last shot, so the end of the cut is not flush with the edge. */
const TAIL_PX = 48;

function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => setWidth(entry.contentRect.width));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return width;
}

/** groupCheck for the last (shots, groups, selection) seen: store changes that touch none of them cost nothing. */
let lastCheck: { shots: unknown; groups: unknown; selected: unknown; result: GroupCheck } | undefined;
function memoGroupCheck(shots: Shot[], groups: Group[], selected: string[]): GroupCheck {
  if (lastCheck && lastCheck.shots === shots && lastCheck.groups === groups && lastCheck.selected === selected) return lastCheck.result;
  const result = groupCheck({ shots, groups, selectedIds: selected });
  lastCheck = { shots, groups, selected, result };
  return result;
}

/** Group/Ungroup with the selection: enabled only when the core would accept it, and saying why not. */
function GroupTools() {
  const commands = useCommands();
  // Plain values only, so the shallow compare skips re-renders when nothing relevant changed.
  const { ok, reason, idsKey, groupIdsKey } = useStudio(
    useShallow((s: StudioState) => {
      const project = s.doc?.project;
      if (!project) return { ok: false, reason: 'Open a project first.', idsKey: '', groupIdsKey: '' };
      const check: GroupCheck = memoGroupCheck(project.shots, project.groups, s.selectedShotIds);
      const chosen = new Set(s.selectedShotIds);
      const groupIdsKey = project.groups.filter((g) => g.shotIds.some((id) => chosen.has(id))).map((g) => g.id).join(' ');
      return check.ok
        ? { ok: true, reason: `Generate these ${check.ids.length} shots (${check.seconds} s) as one multi-shot request`, idsKey: check.ids.join(' '), groupIdsKey }
        : { ok: false, reason: check.reason, idsKey: '', groupIdsKey };
    }),
  );
  const ids = idsKey ? idsKey.split(' ') : [];
  const groups = groupIdsKey ? groupIdsKey.split(' ') : [];
  return (
    <div className="tl-tools" role="group" aria-label="Multi-shot">
      <button
        type="button"
        className="btn btn--tiny tl-tool"
        disabled={!ok}
        title={reason}
        onClick={() => void commands.mutate('groups.create', { shotIds: ids }, 'Could not group the shots')}
      >
        Group
      </button>
      <button
        type="button"
        className="btn btn--tiny tl-tool"
        disabled={groups.length === 0}
        title={groups.length ? 'Generate these shots separately again' : 'Select a shot in a multi-shot group to ungroup it.'}
        onClick={async () => {
          for (const groupId of groups) await commands.mutate('groups.remove', { groupId }, 'Could not ungroup the shots');
        }}
      >
        Ungroup
      </button>
    </div>
  );
}

function ZoomTools({ onZoom, onFit, fitted }: { onZoom: (dir: 1 | -1) => void; onFit: () => void; fitted: boolean }) {
  return (
    <div className="tl-tools tl-zoom" role="group" aria-label="Zoom">
      <button type="button" className="btn btn--tiny tl-tool tl-tool--icon" aria-label="Zoom out" title="Zoom out (−)" onClick={() => onZoom(-1)}>
        −
      </button>
      <button type="button" className={`btn btn--tiny tl-tool${fitted ? ' tl-tool--on' : ''}`} aria-pressed={fitted} title="Fit the whole cut (0)" onClick={onFit}>
        Fit
      </button>
      <button type="button" className="btn btn--tiny tl-tool tl-tool--icon" aria-label="Zoom in" title="Zoom in (+)" onClick={() => onZoom(1)}>
        +
      </button>
    </div>
  );
}

export function Timeline() {
  const { player } = useServices();
  const ids = useStudio(selectShotIds);
  const durations = useStudio(selectShotDurations);
  const laneEndSec = useStudio((s) => (s.doc?.project.audioLanes ?? []).reduce((end, l) => Math.max(end, l.startSec), 0));
  const loaded = useStudio((s) => s.doc !== null);
  const total = durations.reduce((a, b) => a + b, 0);

  const scrollRef = useRef<HTMLDivElement>(null);
  const rulerRef = useRef<HTMLDivElement>(null);
  const lineRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLSpanElement>(null);
  const readoutRef = useRef<HTMLSpanElement>(null);
  const viewWidth = useWidth(scrollRef);
  const [zoom, setZoom] = useState<number | null>(null);
  const fit = fitPps(Math.max(0, viewWidth - ORIGIN_PX - TAIL_PX), total);
  const pps = zoom ?? fit;
  // Audio may run past the last shot; the canvas reaches to the latest lane start plus a little.
  const contentSec = Math.max(total, laneEndSec > 0 ? laneEndSec + 10 : 0);
  const widthPx = Math.ceil(contentSec * pps) + TAIL_PX;

  usePlayhead({ pps, lineRef, headRef, readoutRef, rulerRef });

  // Zooming keeps the playhead's moment (or the view's centre) where it was on screen.
  const anchor = useRef<{ sec: number; screenX: number } | null>(null);
  const rememberAnchor = () => {
    const scroller = scrollRef.current;
    if (!scroller) return;
    const t = player.video?.currentTime ?? 0;
    const playheadX = ORIGIN_PX + t * pps - scroller.scrollLeft;
    const inView = playheadX >= HEAD_PX && playheadX <= scroller.clientWidth;
    const screenX = inView ? playheadX : HEAD_PX + (scroller.clientWidth - HEAD_PX) / 2;
    anchor.current = { sec: (scroller.scrollLeft + screenX - ORIGIN_PX) / pps, screenX };
  };
  useLayoutEffect(() => {
    const scroller = scrollRef.current;
    const a = anchor.current;
    anchor.current = null;
    if (scroller && a) scroller.scrollLeft = Math.max(0, ORIGIN_PX + a.sec * pps - a.screenX);
  }, [pps]);

  const onZoom = (dir: 1 | -1) => {
    rememberAnchor();
    setZoom(zoomStep(pps, dir));
  };
  const onFit = () => {
    rememberAnchor();
    setZoom(null);
  };

  // ⌘/Ctrl + wheel zooms the timeline (a non-passive listener, so the page itself does not zoom).
  const zoomRef = useRef(onZoom);
  zoomRef.current = onZoom;
  useEffect(() => {
    const scroller = scrollRef.current;
    if (!scroller) return;
    const onWheel = (e: WheelEvent) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      zoomRef.current(e.deltaY < 0 ? 1 : -1);
    };
    scroller.addEventListener('wheel', onWheel, { passive: false });
    return () => scroller.removeEventListener('wheel', onWheel);
  }, [loaded]);

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    const t = e.target as HTMLElement;
    if (t instanceof HTMLInputElement && t.type !== 'range') return;
    if (e.altKey) return;
    const mod = e.metaKey || e.ctrlKey;
    if (e.key === '=' || e.key === '+') {
      e.preventDefault();
      onZoom(1);
    } else if (e.key === '-' || e.key === '_') {
      e.preventDefault();
      onZoom(-1);
    } else if (e.key === '0' && !mod) {
      e.preventDefault();
      onFit();
    }
  };

  return (
    <section className="panel timeline" aria-label="Timeline" onKeyDown={onKeyDown}>
      <header className="panel__head tl-head">
        <h2 className="panel__title">Timeline</h2>
        <span className="panel__meta">{formatDuration(total)}</span>
        <div className="panel__grow" />
        <GroupTools />
        <span className="tl-sep" aria-hidden="true" />
        <div className="tl-tools" role="group" aria-label="Audio">
          <AddLaneButton kind="music" />
          <AddLaneButton kind="voiceover" />
        </div>
        <span className="tl-sep" aria-hidden="true" />
        <ZoomTools onZoom={onZoom} onFit={onFit} fitted={zoom === null} />
      </header>
      <div className="tl-scroll" ref={scrollRef} style={{ ['--tl-head' as string]: `${HEAD_PX}px`, ['--tl-inset' as string]: `${INSET_PX}px` }}>
        {!loaded ? null : (
          <div className="tl-canvas" style={{ width: `${ORIGIN_PX + widthPx}px` }}>
            <div className="tl-row tl-row--ruler">
              <div className="tl-hd tl-hd--ruler" title={`Playhead position · ${MOD_KEY}+wheel or +/− zooms, 0 fits`}>
                <span ref={readoutRef} className="tl-readout">
                  0:00.0
                </span>
              </div>
              <Ruler pps={pps} totalSec={total} widthPx={widthPx} scrollRef={scrollRef} rulerRef={rulerRef} headRef={headRef} />
            </div>
            <div className="tl-row tl-row--video">
              <div className="tl-hd tl-hd--video">
                <span className="tl-kind tl-kind--video">Video</span>
                <span className="tl-hd__meta">
                  {ids.length} {ids.length === 1 ? 'shot' : 'shots'} · {formatDuration(total)}
                </span>
              </div>
              {ids.length === 0 ? (
                <p className="tl-empty">Shots appear here in order, sized by their duration. Add a shot to start the storyboard.</p>
              ) : (
                <VideoLane ids={ids} durations={durations} pps={pps} scrollRef={scrollRef} />
              )}
            </div>
            <AudioLanes pps={pps} />
            <div className="tl-playhead-track" aria-hidden="true">
              <div ref={lineRef} className="tl-playhead" />
            </div>
          </div>
        )}
      </div>
    </section>
  );
}
