// One card of the Board: the take's poster (or the shot's start frame), number, title, length, prompt,
// status and its multi-shot mark. Subscribed to its own shot only; the grid (board.tsx) does the pointer work.
import { memo, useEffect, useRef } from 'react';
import type { AspectRatio } from '../../../../shared/schema';
import { useServices, useStudio } from '../../app/studio-context';
import { ALT_KEY, MOD_KEY } from '../../components/platform';
import { StatusPill } from '../../components/status-pill';
import { statusLabel } from '../../domain/shot-status';
import { findShot, selectShotRow, shotName } from '../../store/selectors';
import { useTakePictures } from '../timeline/pictures';
import { fitBox, ratioOf, type GroupMark } from './board-geometry';

interface CardProps {
  id: string;
  /** Width / height of the card's picture well: the project's aspect ratio. */
  wellRatio: number;
  projectAspect: AspectRatio;
  /** The card that carries the board's one tab stop. */
  tabbable: boolean;
  mark: GroupMark | undefined;
}

/** One card. Memoised and subscribed to its own shot only (O(1), see store/selectors), so 300 stay cheap. */
export const Card = memo(function Card({ id, wellRatio, projectAspect, tabbable, mark }: CardProps) {
  const { client } = useServices();
  const { view, status, primary, selected } = useStudio(selectShotRow(id));
  const aspect = useStudio((s) => findShot(s, id)?.aspectRatio) ?? projectAspect;
  const { index, title, prompt, durationSec, takeId } = view;
  const ref = useRef<HTMLDivElement>(null);
  // The same poster the shot list shows, asked for once the card comes near the view.
  const pictures = useTakePictures(takeId, ref);
  // The take's poster once it has one; until then the shot's start frame, so the board is a storyboard before any money is spent.
  const poster = pictures?.poster ?? view.startFrame;
  const pictureKind = pictures?.poster ? 'poster' : view.startFrame ? 'start-frame' : undefined;
  const name = shotName({ title }, index);
  const number = String(index + 1).padStart(2, '0');
  const label = statusLabel(status);
  const box = fitBox({ outer: wellRatio, inner: ratioOf(aspect) });
  const progress = status.kind === 'generating' ? status.progress : null;

  useEffect(() => {
    const el = ref.current;
    if (!primary || !el) return;
    el.scrollIntoView({ block: 'nearest' });
    // Arrow keys move the selection; when focus was on a card, it follows the selection.
    if (document.activeElement?.classList.contains('bcard')) el.focus({ preventScroll: true });
  }, [primary]);

  return (
    <div
      ref={ref}
      role="option"
      data-board-id={id}
      aria-selected={selected}
      aria-label={`${index + 1}. ${name}, ${durationSec} seconds, ${label}${mark ? `, multi-shot ${mark.position} of ${mark.count}` : ''}`}
      aria-describedby={`bcard-prompt-${id}`}
      tabIndex={tabbable ? 0 : -1}
      className={`bcard${primary ? ' bcard--primary' : selected ? ' bcard--selected' : ''}${mark ? ' bcard--grouped' : ''}`}
      title={`${name} · ${durationSec} s · ${label}\nDouble-click or Enter plays the cut from here · drag to reorder\n⇧-click selects a range, ${MOD_KEY}-click adds one · ${ALT_KEY}← / ${ALT_KEY}→ move`}
    >
      <div className="bcard__well" style={{ aspectRatio: String(wellRatio) }}>
        <div className={`bcard__pic${poster ? ' bcard__pic--image' : ''}`} style={{ width: `${box.widthPct}%`, height: `${box.heightPct}%` }}>
          {poster ? (
            <img src={client.mediaUrl(poster)} alt="" draggable={false} decoding="async" data-picture={pictureKind} />
          ) : (
            <span className="bcard__slate" aria-hidden="true">
              {number}
            </span>
          )}
        </div>
        {poster ? (
          <span className="bcard__num" aria-hidden="true">
            {number}
          </span>
        ) : null}
        {mark ? (
          <span
            className="bcard__group"
            aria-hidden="true"
            title={`Generated with shots ${mark.from}–${mark.to} as one multi-shot request (${mark.count} shots, ${mark.seconds} s), so they share one continuous look.`}
          >
            Multi-shot {mark.position}/{mark.count}
          </span>
        ) : null}
        {aspect !== projectAspect ? (
          <span className="bcard__ratio" aria-hidden="true">
            {aspect}
          </span>
        ) : null}
        {progress !== null ? <span className="bcard__bar" style={{ transform: `scaleX(${Math.max(0.04, progress)})` }} aria-hidden="true" /> : null}
      </div>
      <div className="bcard__body">
        <div className="bcard__top">
          <span className={`bcard__title${title.trim() ? '' : ' bcard__title--empty'}`}>{name}</span>
          <span className="bcard__dur">{durationSec} s</span>
        </div>
        <p className="bcard__prompt" id={`bcard-prompt-${id}`}>
          {prompt.trim() || 'No prompt yet'}
        </p>
        <StatusPill status={status} compact />
      </div>
    </div>
  );
});
