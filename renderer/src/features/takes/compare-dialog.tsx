// Two takes side by side: one play/pause and one scrubber drive both clips, kept within 0.05 s; either can
// be put in the cut from here ("Use this take", the same edit as on its card).
import { useEffect, useRef, useState } from 'react';
import { Modal } from '../notices/modal';
import { Icon } from '../../components/icon';
import { formatTimecode, syncTarget } from './review-format';
import type { TakeView } from './takes-list';

export function CompareDialog({
  a,
  b,
  onClose,
  onUse,
  mediaUrl,
}: {
  a: TakeView;
  b: TakeView;
  onClose: () => void;
  /** Puts the take in the cut (shots.update selectedTakeId). */
  onUse: (takeId: string) => void;
  mediaUrl: (rel: string, key?: string) => string;
}) {
  const refA = useRef<HTMLVideoElement>(null);
  const refB = useRef<HTMLVideoElement>(null);
  const [playing, setPlaying] = useState(false);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(0);

  // While playing, the longer clip leads and the other follows it.
  useEffect(() => {
    if (!playing) return;
    let frame = 0;
    const tick = () => {
      const [va, vb] = [refA.current, refB.current];
      if (va && vb) {
        const [lead, follow] = (va.duration || 0) >= (vb.duration || 0) ? [va, vb] : [vb, va];
        const want = syncTarget(lead.currentTime, follow.currentTime, follow.duration);
        if (want !== undefined && !follow.seeking) follow.currentTime = want;
        setTime(lead.currentTime);
        if (lead.ended) {
          setPlaying(false);
          return;
        }
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [playing]);

  const both = (fn: (v: HTMLVideoElement) => void) => [refA.current, refB.current].forEach((v) => v && fn(v));
  const toggle = () => {
    if (playing) {
      both((v) => v.pause());
      setPlaying(false);
    } else {
      if (time >= duration - 0.05) both((v) => (v.currentTime = 0));
      both((v) => void v.play().catch(() => {}));
      setPlaying(true);
    }
  };
  const seek = (t: number) => {
    both((v) => (v.currentTime = Math.min(t, Number.isFinite(v.duration) ? v.duration : t)));
    setTime(t);
  };
  const onMeta = () => setDuration(Math.max(refA.current?.duration || 0, refB.current?.duration || 0));

  const side = (v: TakeView, ref: React.RefObject<HTMLVideoElement | null>) => (
    <figure className="compare__side">
      <video
        ref={ref}
        className="compare__video"
        src={mediaUrl(v.take.media!.path, v.take.media!.sha256)}
        preload="auto"
        muted={ref === refB}
        playsInline
        onLoadedMetadata={onMeta}
        aria-label={`Take ${v.n} clip`}
      />
      <figcaption className="compare__caption">
        <strong>Take {v.n}</strong>
        <span className={`compare__rating${v.take.review.rating > 0 ? '' : ' compare__rating--none'}`} aria-label={`${v.take.review.rating} of 5 stars`}>
          {v.take.review.rating > 0 ? '★'.repeat(v.take.review.rating) + '☆'.repeat(5 - v.take.review.rating) : 'Not rated'}
        </span>
        {v.inCut ? (
          <span className="tag tag--accent">In cut</span>
        ) : (
          <button type="button" className="btn btn--tiny btn--secondary" onClick={() => onUse(v.take.id)} title={`Put take ${v.n} in the cut`} aria-label={`Use take ${v.n}`}>
            Use this take
          </button>
        )}
        {v.take.review.flag !== 'none' ? <span className="tag tag--warn">{v.take.review.flag === 'circle' ? 'Circled' : 'Rejected'}</span> : null}
      </figcaption>
    </figure>
  );

  return (
    <Modal title={`Compare take ${a.n} and take ${b.n}`} onClose={onClose} size="wide" className="compare">
      <div
        className="compare__pair"
        onKeyDown={(e) => {
          if (e.key === ' ' && !(e.target instanceof HTMLInputElement && e.target.type !== 'range')) {
            e.preventDefault();
            toggle();
          }
        }}
      >
        {side(a, refA)}
        {side(b, refB)}
      </div>
      <div className="compare__transport">
        <button type="button" className="btn btn--tiny compare__play" onClick={toggle} aria-label={playing ? 'Pause both' : 'Play both'} data-autofocus>
          <Icon name={playing ? 'pause' : 'play'} size={13} filled />
          {playing ? 'Pause' : 'Play'}
        </button>
        <input
          type="range"
          className="compare__scrub"
          aria-label="Scrub both takes"
          min={0}
          max={duration || 0}
          step={0.01}
          value={Math.min(time, duration || 0)}
          onChange={(e) => seek(Number(e.target.value))}
        />
        <span className="compare__time">
          {formatTimecode(time)} / {formatTimecode(duration)}
        </span>
      </div>
      <p className="compare__hint">The left clip plays its sound; the right one is muted. Space plays or pauses both; Esc closes.</p>
    </Modal>
  );
}
