// One shot's block on the video lane, sized by its duration: its filmstrip (or start frame), number, title,
// length, in point and progress. The lane (video-lane.tsx) does all the pointer work; a block only draws.
import { memo, useEffect, useRef } from 'react';
import { useServices, useStudio } from '../../app/studio-context';
import { ALT_KEY } from '../../components/platform';
import { statusLabel } from '../../domain/shot-status';
import { selectShotFace, shotName } from '../../store/selectors';
import { useTakePictures, type TakePictures } from './pictures';

/** Space between neighbouring blocks that are not joined in a group. */
export const GAP_PX = 2;
/** Below this a block drops its padding and text, so its width stays exactly its duration. */
const NARROW_PX = 34;

/** Where a block sits in a multi-shot group: joined blocks have no gap between them. */
export type Join = 'none' | 'first' | 'middle' | 'last';

/** "2 s", "2.5 s": where a trimmed shot starts in its take. */
export const fromText = (sec: number) => `${Number.isInteger(sec) ? sec : sec.toFixed(2).replace(/0$/, '')} s`;

function blockWidth(durationSec: number, pps: number, join: Join): number {
  return Math.max(2, durationSec * pps - (join === 'first' || join === 'middle' ? 0 : GAP_PX));
}

function Filmstrip({ strip, width, url }: { strip: NonNullable<TakePictures['filmstrip']>; width: number; url: string }) {
  const height = 58;
  const frameW = (strip.frameWidth * height) / strip.frameHeight;
  const slots = Math.max(1, Math.min(strip.frames * 2, Math.round(width / frameW)));
  const slotW = width / slots;
  return (
    <span className="tl-strip" aria-hidden="true">
      {Array.from({ length: slots }, (_, j) => {
        const frame = Math.min(strip.frames - 1, Math.floor(((j + 0.5) * strip.frames) / slots));
        return (
          <span
            key={j}
            className="tl-strip__frame"
            style={{
              width: `${slotW}px`,
              backgroundImage: `url("${url}")`,
              backgroundSize: `${frameW * strip.frames}px ${height}px`,
              backgroundPosition: `${-(frame * frameW) + (slotW - frameW) / 2}px 0`,
            }}
          />
        );
      })}
    </span>
  );
}

/** A shot with no take yet: its start frame, repeated along the block the way a filmstrip runs. */
function StillStrip({ url }: { url: string }) {
  return (
    <span className="tl-strip" aria-hidden="true" data-picture="start-frame">
      <span className="tl-strip__still" style={{ backgroundImage: `url("${url}")` }} />
    </span>
  );
}

interface BlockProps {
  id: string;
  index: number;
  durationSec: number;
  pps: number;
  selected: boolean;
  /** The shot the inspector shows; it carries the lane's one tab stop. */
  primary: boolean;
  tabbable: boolean;
  join: Join;
}

export const Block = memo(function Block({ id, index, durationSec, pps, selected, primary, tabbable, join }: BlockProps) {
  const { client } = useServices();
  // One O(1) subscription whose result keeps its identity while unchanged (store/selectors).
  const {
    view: { title, takeId, startFrame, inSec },
    status,
  } = useStudio(selectShotFace(id));
  const ref = useRef<HTMLButtonElement>(null);
  const pictures = useTakePictures(takeId, ref);
  const name = shotName({ title }, index);
  const width = blockWidth(durationSec, pps, join);
  const progress = status.kind === 'generating' ? status.progress : status.kind === 'ready' ? 1 : 0;
  const label = statusLabel(status);

  useEffect(() => {
    const el = ref.current;
    if (!primary || !el) return;
    el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    // Arrow keys move the selection; when focus was on a block, it follows the selection.
    if (document.activeElement?.classList.contains('tl-block')) el.focus({ preventScroll: true });
  }, [primary]);

  return (
    <button
      ref={ref}
      type="button"
      data-shot-id={id}
      className={`tl-block tl-block--${status.kind} tl-block--join-${join}${selected ? ' tl-block--selected' : ''}${primary ? ' tl-block--primary' : ''}${width < NARROW_PX ? ' tl-block--narrow' : ''}${pictures?.filmstrip || startFrame ? ' tl-block--pictured' : ''}`}
      style={{ width: `${width}px`, marginRight: join === 'first' || join === 'middle' ? 0 : GAP_PX }}
      aria-pressed={selected}
      aria-label={`${index + 1}. ${name}, ${durationSec} seconds${inSec > 0 ? `, from ${fromText(inSec)} into its take` : ''}, ${label}`}
      title={`${name} · ${durationSec} s${inSec > 0 ? ` from ${fromText(inSec)} into its take` : ''} · ${label}\nDrag to reorder, drag the right edge to change the duration${takeId ? `, the left edge to trim the head, ${ALT_KEY}-drag inside to slip the take` : ''}.\n${ALT_KEY}← / ${ALT_KEY}→ move · [ / ] shorter / longer`}
      tabIndex={tabbable ? 0 : -1}
    >
      {pictures?.filmstrip ? (
        <Filmstrip strip={pictures.filmstrip} width={width} url={client.mediaUrl(pictures.filmstrip.path)} />
      ) : startFrame ? (
        <StillStrip url={client.mediaUrl(startFrame)} />
      ) : null}
      <span className="tl-block__top">
        <span className="tl-block__num">{index + 1}</span>
        <span className="tl-block__title">{name}</span>
      </span>
      <span className="tl-block__dur">
        {durationSec} s{inSec > 0 ? <span className="tl-block__in"> · from {fromText(inSec)}</span> : null}
      </span>
      <span className="tl-block__bar" style={{ transform: `scaleX(${progress})` }} aria-hidden="true" />
      {takeId ? <span className="tl-block__edge tl-block__edge--head" data-head-edge="" aria-hidden="true" title="Drag to trim the head of the take (whole seconds; the shot’s end stays)" /> : null}
      <span className="tl-block__edge" data-edge="" aria-hidden="true" title="Drag to change the duration (3–15 s, whole seconds)" />
    </button>
  );
});
