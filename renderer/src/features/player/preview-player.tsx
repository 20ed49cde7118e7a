import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatDuration } from '../../../../shared/time';
import { useServices, useStudio } from '../../app/studio-context';
import { Icon } from '../../components/icon';
import { Board, BoardHint, BoardMeta } from '../board/board';
import { ViewSwitch } from '../board/view-switch';
import { cueShot } from './cue';
import { TaskLine } from './task-line';

function PreviewVideo({ src }: { src: string }) {
  const { player, store } = useServices();
  const ref = useRef<HTMLVideoElement>(null);
  // When the cut changes under the player, stay at the same moment instead of jumping to 0.
  const resumeAt = useRef<{ time: number; playing: boolean } | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    player.video = ref.current;
    return () => {
      if (player.video === ref.current) player.video = null;
    };
  }, [player]);

  // Selecting a shot (list, timeline, arrow keys) cues a paused preview to it; playback is never interrupted.
  useEffect(
    () =>
      store.subscribe((state, prev) => {
        if (state.selectedShotId && state.selectedShotId !== prev.selectedShotId && ref.current?.paused) {
          cueShot({ store, player }, state.selectedShotId);
        }
      }),
    [store, player],
  );

  // Where the player is, kept as it plays and seeks: a new src resets the element to 0 and pauses it the
  // moment React sets it, before any effect runs (the media element load algorithm), so the moment to come
  // back to must be known before the change. (Events after the reset, with no media yet, are ignored.)
  const position = useRef({ time: 0, playing: false });
  const remember = () => {
    const video = ref.current;
    if (video && video.readyState > 0) position.current = { time: video.currentTime, playing: !video.paused };
  };

  useEffect(
    () => () => {
      resumeAt.current = { ...position.current };
    },
    [src],
  );

  const onLoaded = () => {
    const video = ref.current;
    const resume = resumeAt.current;
    resumeAt.current = null;
    if (!video || !resume) return;
    video.currentTime = Math.min(resume.time, Math.max(0, video.duration - 0.05));
    if (resume.playing) void video.play().catch(() => {});
  };

  return (
    <>
      <video
        ref={ref}
        className="player__video"
        src={src}
        controls
        preload="auto"
        playsInline
        onLoadedMetadata={() => {
          setFailed(false);
          onLoaded();
        }}
        onError={() => setFailed(true)}
        onTimeUpdate={remember}
        onSeeking={remember}
        onPlay={remember}
        onPause={remember}
      />
      {failed ? (
        <p className="player__error" role="alert">
          The preview file could not be played. It is rebuilt after the next change; your shots and takes are not affected.
        </p>
      ) : null}
    </>
  );
}

function SlateNote() {
  const { slates, total, hasCut, updating, reasons } = useStudio(
    useShallow((s) => ({
      slates: s.preview?.slateShotIds.length ?? 0,
      // One line per shot whose take could not be used (a string, so the selector stays stable).
      reasons: (s.preview?.slateReasons ?? []).map((r) => `Shot ${(s.doc?.project.shots.findIndex((x) => x.id === r.shotId) ?? -1) + 1}: ${r.message}`).join('\n'),
      total: s.doc?.project.shots.length ?? 0,
      hasCut: (s.preview?.durationSec ?? 0) > 0,
      updating: Object.values(s.tasks).some((t) => t.kind === 'stitch'),
    })),
  );
  if (total === 0 || !hasCut) return null;
  if (updating) return <span className="player__note">Updating the cut…</span>;
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
  const { client, player } = useServices();
  const { hasShots, loaded } = useStudio(useShallow((s) => ({ hasShots: (s.doc?.project.shots.length ?? 0) > 0, loaded: s.doc !== null })));
  const preview = useStudio(useShallow((s) => (s.preview ? { path: s.preview.path, key: s.preview.key, duration: s.preview.durationSec } : null)));
  const board = useStudio((s) => s.centreView === 'board');
  const playable = hasShots && preview && preview.duration > 0;

  // The board hides the player (it stays mounted, keeping its place in the cut): nothing plays unseen.
  useEffect(() => {
    if (board) player.video?.pause();
  }, [board, player]);

  return (
    <section className="panel player" aria-label="Preview">
      <header className="panel__head">
        <h2 className="sr-only">{board ? 'Board' : 'Preview'}</h2>
        <ViewSwitch />
        {board ? <BoardMeta /> : playable ? <span className="panel__meta">{formatDuration(preview.duration)}</span> : null}
        <div className="panel__grow" />
        {board ? <BoardHint /> : <SlateNote />}
      </header>
      <div className="player__stage" hidden={board}>
        {playable ? (
          <PreviewVideo src={client.mediaUrl(preview.path, preview.key)} />
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

