import { useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatDuration } from '../../../../shared/time';
import { useServices, useStudio } from '../../app/studio-context';
import { Icon } from '../../components/icon';
import { Board } from '../board/board';
import { BoardHint, BoardMeta } from '../board/board-header';
import { ViewSwitch } from '../board/view-switch';
import type { Preview } from '../../../../shared/api';
import { cueShot } from './cue';
import { swapPosition } from './swap-position';
import { rebuildLine, rebuildReason } from './rebuild-reason';
import type { Project } from '../../../../shared/schema';
import { TaskLine } from './task-line';
import { CrossfadeControl } from './crossfade-control';

interface Cut {
  src: string;
  key: string;
  segments?: Preview['segments'];
}

/**
 * The player. A rebuilt preview is loaded into a second, hidden element while the one on screen keeps
 * playing; once the new one has its picture at the same shot and moment (swap-position.ts), the two trade
 * places — so the player is never blank and never jumps back to the start.
 */
function PreviewVideo({ cut }: { cut: Cut }) {
  const { player, store } = useServices();
  const refA = useRef<HTMLVideoElement>(null);
  const refB = useRef<HTMLVideoElement>(null);
  const refs = [refA, refB];
  const [slots, setSlots] = useState<[Cut | null, Cut | null]>([cut, null]);
  const [active, setActive] = useState(0);
  const activeRef = useRef(0);
  activeRef.current = active;
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const video = refs[active].current;
    player.video = video;
    return () => {
      if (player.video === video) player.video = null;
    };
  }, [player, active]);

  // A new cut goes into the slot that is not on screen (replacing one still loading there).
  useEffect(() => {
    setSlots((current) => {
      const shown = current[activeRef.current];
      const other = 1 - activeRef.current;
      if (shown?.src === cut.src) return current[other] ? (other === 0 ? [null, current[1]] : [current[0], null]) : current;
      if (current[other]?.src === cut.src) return current;
      return other === 0 ? [cut, current[1]] : [current[0], cut];
    });
  }, [cut]);

  // Selecting a shot (list, timeline, arrow keys) cues a paused preview to it; playback is never interrupted.
  useEffect(
    () =>
      store.subscribe((state, prev) => {
        if (state.selectedShotId && state.selectedShotId !== prev.selectedShotId && player.video?.paused) {
          cueShot({ store, player }, state.selectedShotId);
        }
      }),
    [store, player],
  );

  /** Where, in the cut loading in `slot`, the one on screen is now. */
  const targetIn = (slot: number, video: HTMLVideoElement): number => {
    const shown = refs[activeRef.current].current;
    const time = shown && shown.readyState > 0 ? shown.currentTime : 0;
    return swapPosition({ time, from: slots[activeRef.current]?.segments, to: slots[slot]?.segments, toDurationSec: video.duration });
  };
  /** Seeks made to catch up with a cut that kept playing while the new one seeked. */
  const catchUps = useRef(0);

  /** The hidden element has the new cut's length: cue it to where the one on screen is, in the new cut. */
  const onLoaded = (slot: number) => {
    const video = refs[slot].current;
    if (!video || !slots[slot]) return;
    if (slot === activeRef.current) {
      setFailed(false);
      return;
    }
    const shown = refs[activeRef.current].current;
    if (shown) {
      video.volume = shown.volume;
      video.muted = shown.muted;
      video.playbackRate = shown.playbackRate;
    }
    catchUps.current = 0;
    const to = targetIn(slot, video);
    if (Math.abs(video.currentTime - to) < 1e-3) swap(slot);
    else video.currentTime = to;
  };

  /** The new cut has its picture where it was cued; if the old one played on meanwhile, catch up once more. */
  const onSeeked = (slot: number) => {
    const video = refs[slot].current;
    if (slot === activeRef.current || !video) return;
    const to = targetIn(slot, video);
    if (Math.abs(video.currentTime - to) > 0.2 && catchUps.current < 2) {
      catchUps.current += 1;
      video.currentTime = to;
    } else swap(slot);
  };

  /** The new picture is there: it takes the screen (and the old one's playing state); the old one is let go. */
  const swap = (slot: number) => {
    if (slot === activeRef.current) return;
    const video = refs[slot].current;
    const old = refs[activeRef.current].current;
    if (!video) return;
    const playing = Boolean(old && !old.paused && !old.ended);
    player.video = video;
    activeRef.current = slot;
    setActive(slot);
    setFailed(false);
    old?.pause();
    if (playing) void video.play().catch(() => {});
    setSlots((current) => (slot === 0 ? [current[0], null] : [null, current[1]]));
  };

  const onError = (slot: number) => {
    // A rebuilt cut that cannot be read leaves the one on screen playing.
    if (slot !== activeRef.current) setSlots((current) => (slot === 0 ? [null, current[1]] : [current[0], null]));
    else setFailed(true);
  };

  return (
    <>
      {[0, 1].map((slot) => {
        const src = slots[slot]?.src;
        const onScreen = slot === active;
        // The second element exists only while a rebuilt cut loads in it.
        if (!src && !onScreen) return null;
        return (
          <video
            key={slot}
            ref={refs[slot]}
            className={`player__video${onScreen ? '' : ' player__video--next'}`}
            data-cut={src ? slots[slot]!.key : undefined}
            src={src}
            controls={onScreen}
            aria-hidden={onScreen ? undefined : true}
            tabIndex={onScreen ? undefined : -1}
            preload="auto"
            playsInline
            onLoadedMetadata={() => onLoaded(slot)}
            onSeeked={() => onSeeked(slot)}
            onError={() => src && onError(slot)}
          />
        );
      })}
      {failed ? (
        <p className="player__error" role="alert">
          The preview file could not be played. It is rebuilt after the next change; your shots and takes are not affected.
        </p>
      ) : null}
    </>
  );
}

function SlateNote({ builtFrom }: { builtFrom: Project | null }) {
  const { slates, total, hasCut, rebuilding, reasons } = useStudio(
    useShallow((s) => {
      const updating = Object.values(s.tasks).some((t) => t.kind === 'stitch');
      return {
        slates: s.preview?.slateShotIds.length ?? 0,
        // One line per shot whose take could not be used (a string, so the selector stays stable).
        reasons: (s.preview?.slateReasons ?? []).map((r) => `Shot ${(s.doc?.project.shots.findIndex((x) => x.id === r.shotId) ?? -1) + 1}: ${r.message}`).join('\n'),
        total: s.doc?.project.shots.length ?? 0,
        hasCut: (s.preview?.durationSec ?? 0) > 0,
        // While the new cut is built the one on screen keeps playing; the line says what it catches up with.
        rebuilding: updating && s.doc ? rebuildLine(rebuildReason(builtFrom, s.doc.project)) : null,
      };
    }),
  );
  if (total === 0 || !hasCut) return null;
  if (rebuilding) return <span className="player__note" data-rebuilding="">{rebuilding}</span>;
  if (slates === 0) return <span className="player__note player__note--ok">All shots have takes</span>;
  if (reasons) {
    // A take whose clip cannot be used: say so (which shots, and why on hover), not "until generated".
    const count = reasons.split('\n').length;
    return (
      <span className="player__note player__note--bad" title={reasons}>
        {slates} of {total} {total === 1 ? 'shot is a slate' : 'shots are slates'} — {count} {count === 1 ? 'clip is' : 'clips are'} missing or damaged
      </span>
    );
  }
  return (
    <span className="player__note">
      {slates} of {total} {total === 1 ? 'shot is a slate' : 'shots are slates'} until generated
    </span>
  );
}

export function PreviewPlayer() {
  const { client, player, store } = useServices();
  const { hasShots, loaded } = useStudio(useShallow((s) => ({ hasShots: (s.doc?.project.shots.length ?? 0) > 0, loaded: s.doc !== null })));
  const preview = useStudio((s) => s.preview);
  const board = useStudio((s) => s.centreView === 'board');
  const playable = hasShots && preview && preview.durationSec > 0;
  // The document the playing preview was made from (as it stood when the preview arrived).
  const [builtFrom, setBuiltFrom] = useState<Project | null>(null);
  useEffect(() => setBuiltFrom(store.getState().doc?.project ?? null), [store, preview?.key]);
  const cut = useMemo(
    () => (preview && playable ? { src: client.mediaUrl(preview.playPath ?? preview.path, preview.key), key: preview.key, segments: preview.segments } : null),
    [client, preview, playable],
  );

  // The board hides the player (it stays mounted, keeping its place in the cut): nothing plays unseen.
  useEffect(() => {
    if (board) player.video?.pause();
  }, [board, player]);

  return (
    <section className="panel player" aria-label="Preview">
      <header className="panel__head">
        <h2 className="sr-only">{board ? 'Board' : 'Preview'}</h2>
        <ViewSwitch />
        {board ? <BoardMeta /> : playable ? <span className="panel__meta">{formatDuration(preview.durationSec)}</span> : null}
        <div className="panel__grow" />
        {board ? <BoardHint /> : <SlateNote builtFrom={builtFrom} />}
        {board || !hasShots ? null : <CrossfadeControl />}
      </header>
      <div className="player__stage" hidden={board}>
        {cut ? (
          <PreviewVideo cut={cut} />
        ) : (
          <div className="player__empty">
            <Icon name="film" size={36} />
            {!loaded ? (
              <p>Opening project…</p>
            ) : hasShots ? (
              <p>Building the preview…</p>
            ) : (
              <>
                <p className="player__empty-title">No shots yet</p>
                <p>Add a shot to start the storyboard. Each shot plays as a slate until you generate it.</p>
              </>
            )}
          </div>
        )}
      </div>
      {board ? <Board /> : null}
      <TaskLine />
    </section>
  );
}

