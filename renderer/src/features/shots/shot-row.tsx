import { memo, useEffect, useRef, useState, type DragEvent, type MouseEvent, type RefObject } from 'react';
import './shots.css';
import { useCommands, useServices, useStudio } from '../../app/studio-context';
import { MOD_KEY } from '../../components/platform';
import { StatusPill } from '../../components/status-pill';
import { hasHeldDraft } from '../../store/drafts-slice';
import { selectShotIds, selectShotRow, shotName } from '../../store/selectors';
import { useTakePictures } from '../timeline/pictures';

/** The take in the cut as a small picture (its start frame until it has a take), with the shot's number on it. */
function Poster({ takeId, startFrame, number, anchor }: { takeId: string | undefined; startFrame: string | undefined; number: number; anchor: RefObject<HTMLElement | null> }) {
  const { client } = useServices();
  const pictures = useTakePictures(takeId, anchor);
  const picture = pictures?.poster ?? startFrame;
  return (
    <span className={`shot__poster${picture ? ' shot__poster--image' : ''}`} aria-hidden="true">
      {picture ? <img src={client.mediaUrl(picture)} alt="" draggable={false} decoding="async" data-picture={pictures?.poster ? 'poster' : 'start-frame'} /> : null}
      <span className="shot__num">{String(number).padStart(2, '0')}</span>
    </span>
  );
}

/** One row of the shot list. Memoised and subscribed to its own shot only, so 300 rows stay cheap. */
export const ShotRow = memo(function ShotRow({ id }: { id: string }) {
  const { store } = useServices();
  // One O(1) subscription whose result keeps its identity while nothing in it changed (store/selectors):
  // every store change runs it for every row.
  const { view, status, primary, selected, grouped } = useStudio(selectShotRow(id));
  // A field of this shot holds an edit the core did not take (store/drafts-slice): kept, and marked here.
  const drafted = useStudio((s) => hasHeldDraft(s.drafts, id));
  const { index, title, prompt, durationSec: duration, takeId, startFrame } = view;
  const ref = useRef<HTMLLIElement>(null);
  // A click focuses the row before it clicks; that focus must not collapse a ⇧/⌘ multi-selection.
  const pointerFocus = useRef(false);
  const name = shotName({ title }, index);
  const commands = useCommands();
  const [dropping, setDropping] = useState(false);
  const carriesFile = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');
  const onDragOver = (e: DragEvent<HTMLLIElement>) => {
    if (!carriesFile(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    setDropping(true);
  };
  const onDrop = (e: DragEvent<HTMLLIElement>) => {
    if (!carriesFile(e)) return;
    e.preventDefault();
    setDropping(false);
    const file = e.dataTransfer.files[0];
    if (file) void commands.importTake(id, file);
  };
  const onClick = (e: MouseEvent<HTMLLIElement>) => {
    pointerFocus.current = false;
    const state = store.getState();
    if (e.shiftKey) state.toggleShotSelection(id, 'range', selectShotIds(state));
    else if (e.metaKey || e.ctrlKey) state.toggleShotSelection(id, 'toggle', selectShotIds(state));
    else state.selectShot(id);
  };

  useEffect(() => {
    if (!primary || !ref.current) return;
    ref.current.scrollIntoView({ block: 'nearest' });
    // Arrow keys move the selection; when focus was on a row, it follows the selection.
    if (document.activeElement?.classList.contains('shot')) ref.current.focus({ preventScroll: true });
  }, [primary]);

  return (
    <li
      ref={ref}
      role="listitem"
      aria-label={name}
      aria-current={primary ? 'true' : undefined}
      tabIndex={primary ? 0 : -1}
      className={`shot${primary ? ' shot--selected' : selected ? ' shot--multi' : ''}${dropping ? ' shot--drop' : ''}`}
      title={`Drop a video file here to add it as a take · ⇧-click selects a range, ${MOD_KEY}-click adds one`}
      onDragOver={onDragOver}
      onDragLeave={() => setDropping(false)}
      onDrop={onDrop}
      onPointerDown={() => {
        pointerFocus.current = true;
      }}
      // ⇧/⌘-click picks shots: the browser must not also start a text selection from the last click.
      onMouseDown={(e) => {
        if (e.shiftKey || e.metaKey || e.ctrlKey) e.preventDefault();
      }}
      onClick={onClick}
      onFocus={() => {
        if (pointerFocus.current) return;
        if (store.getState().selectedShotId !== id) store.getState().selectShot(id);
      }}
    >
      <Poster takeId={takeId} startFrame={startFrame} number={index + 1} anchor={ref} />
      <div className="shot__body">
        <div className="shot__top">
          <span className={`shot__title${title.trim() ? '' : ' shot__title--empty'}`}>{name}</span>
          <span className="shot__dur">{duration} s</span>
        </div>
        <p className="shot__prompt">{prompt.trim() || 'No prompt yet'}</p>
        <div className="shot__foot">
          <StatusPill status={status} compact />
          {drafted ? (
            <span className="shot__draft" title="A field of this shot holds an edit that is not saved; open the shot to fix or discard it. Generating waits until then.">
              Edit not saved
            </span>
          ) : null}
          {grouped ? (
            <span className="shot__group" title="Generated together with its neighbours as one multi-shot request">
              Multi-shot
            </span>
          ) : null}
        </div>
      </div>
    </li>
  );
});
