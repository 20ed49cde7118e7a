// A keyframe shared with the next shot (shared/keyframe.ts): one image that is this shot's end frame and the
// next shot's start frame, so the cut passes through the same picture. Both shots show the link; replacing
// the frame on either side replaces both; Unlink keeps both frames. When the shots' takes were made from
// another picture they are kept, and generating both again goes through the usual priced confirmation.
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { keyframesOf, nextShot, shareKeyframeRefusal } from '../../../../shared/keyframe';
import { shotLabel } from '../../../../shared/work-units';
import { useServices, useStudio } from '../../app/studio-context';
import { Icon } from '../../components/icon';
import { needsGeneration } from '../../domain/shot-status';
import type { StudioState } from '../../store/types';
import { requestGenerate } from '../toolbar/generate-flow';
import { ImageDropZone, useImageImport } from './image-drop';

/** What the field shows, as plain values (the store hands it over only when one of them changes). */
interface KeyframeView {
  /** The shot after this one ('' for the last shot) and why a keyframe cannot be shared with it ('' when it can). */
  nextId: string;
  nextLabel: string;
  refusal: string;
  /** What this shot and the next have to offer as the keyframe. */
  hasEnd: boolean;
  nextHasStart: boolean;
  /** The next shot's start frame is chained to a take (sharing ends that). */
  nextChained: boolean;
  /** The link at this shot's end (with the next) and at its start (with the one before): the other shot's label. */
  endWithId: string;
  endWithLabel: string;
  startWithId: string;
  startWithLabel: string;
  /** Shots of those links whose takes were made from another picture (kept), in timeline order. */
  staleIds: string;
}

export function keyframeView(s: StudioState, shotId: string): KeyframeView | null {
  const project = s.doc?.project;
  const shot = project?.shots.find((x) => x.id === shotId);
  if (!project || !shot) return null;
  const next = nextShot(project, shotId);
  const { atEnd, atStart } = keyframesOf(project, shotId);
  const linked = new Set([atStart?.endShotId, shotId, atEnd?.startShotId].filter((x): x is string => Boolean(x)));
  if (!atStart && !atEnd) linked.clear();
  const stale = project.shots.filter((x) => linked.has(x.id) && x.takes.some((t) => t.status === 'ready') && needsGeneration(project, x));
  return {
    nextId: next?.id ?? '',
    nextLabel: next ? shotLabel(project, next.id) : '',
    refusal: shareKeyframeRefusal(project, shotId, next ? shotLabel(project, next.id) : undefined) ?? '',
    hasEnd: Boolean(shot.endFrame),
    nextHasStart: Boolean(next?.startFrame),
    nextChained: Boolean(next?.startFrameFrom),
    endWithId: atEnd?.startShotId ?? '',
    endWithLabel: atEnd ? shotLabel(project, atEnd.startShotId) : '',
    startWithId: atStart?.endShotId ?? '',
    startWithLabel: atStart ? shotLabel(project, atStart.endShotId) : '',
    staleIds: stale.map((x) => x.id).join(','),
  };
}

function LinkBadge({ withLabel, onUnlink, side }: { withLabel: string; onUnlink: () => void; side: 'start' | 'end' }) {
  return (
    <div className="chain__row">
      <span
        className="tag tag--accent"
        data-testid="keyframe-badge"
        title={side === 'end' ? `This shot’s end frame is the start frame of ${withLabel}: replacing it on either shot replaces both` : `This shot’s start frame is the end frame of ${withLabel}: replacing it on either shot replaces both`}
      >
        <Icon name="link" size={11} /> Shared keyframe with {withLabel}
      </span>
      <button type="button" className="btn btn--tiny btn--quiet" onClick={onUnlink} title="End the link; both shots keep the picture as an ordinary frame">
        Unlink
      </button>
    </div>
  );
}

export function KeyframeField({ shotId }: { shotId: string }) {
  const services = useServices();
  const { commands } = services;
  const view = useStudio(useShallow((s): Partial<KeyframeView> => keyframeView(s, shotId) ?? {}));
  const [open, setOpen] = useState(false);
  const image = useImageImport((p) => ({ method: 'shots.shareKeyframe', input: { shotId, keyframe: { path: p } } }), 'Could not share the keyframe');
  if (view.nextId === undefined) return null;
  const v = view as KeyframeView;
  if (!v.nextId && !v.startWithId) return null;
  const unlink = (endShotId: string) => void commands.mutate('shots.shareKeyframe', { shotId: endShotId, keyframe: null }, 'Could not unlink the keyframe');
  const use = async (which: 'end' | 'next-start') => {
    if (await commands.mutate('shots.shareKeyframe', { shotId, keyframe: { use: which } }, 'Could not share the keyframe')) setOpen(false);
  };
  const stale = v.staleIds ? v.staleIds.split(',') : [];

  return (
    <div className={`field chain keyframe${v.endWithId || v.startWithId ? ' chain--on' : ''}`} role="group" aria-label="Shared keyframe">
      {v.startWithId ? <LinkBadge side="start" withLabel={v.startWithLabel} onUnlink={() => unlink(v.startWithId)} /> : null}
      {v.endWithId ? <LinkBadge side="end" withLabel={v.endWithLabel} onUnlink={() => unlink(shotId)} /> : null}
      {v.endWithId || v.startWithId ? <p className="field__hint">Replacing the shared frame on either shot replaces it on both; Unlink keeps both as they are.</p> : null}
      {v.nextId && !v.endWithId && !open ? (
        <div className="chain__row">
          <button
            type="button"
            className="btn btn--tiny"
            disabled={Boolean(v.refusal)}
            title={v.refusal ? `Not possible: ${v.refusal.replace(/^end frame: /, '')}` : `One picture as this shot’s end frame and the start frame of ${v.nextLabel}, so the cut passes through it`}
            onClick={() => setOpen(true)}
          >
            <Icon name="link" size={12} />
            Share a keyframe with the next shot…
          </button>
        </div>
      ) : null}
      {open && !v.endWithId ? (
        <div className="keyframe__pick" role="group" aria-label="Keyframe to share">
          <p className="field__hint">
            One picture becomes this shot’s end frame and the start frame of {v.nextLabel}.
            {v.nextChained ? ` The start frame of ${v.nextLabel} is chained to the shot before it: sharing a keyframe ends that chain.` : ''}
          </p>
          <ImageDropZone className="keyframe__drop" label="Keyframe image file" disabled={image.busy} onFile={(f) => void image.importFile(f).then((ok) => ok && setOpen(false))}>
            {({ pick, dragOver }) => (
              <div className="chain__row">
                <button type="button" className="btn btn--tiny btn--secondary" onClick={pick} disabled={image.busy}>
                  {image.busy ? 'Checking the image…' : dragOver ? 'Drop to use it' : 'Choose or drop an image…'}
                </button>
                {v.hasEnd ? (
                  <button type="button" className="btn btn--tiny" onClick={() => void use('end')}>
                    Use this shot’s end frame
                  </button>
                ) : null}
                {v.nextHasStart ? (
                  <button type="button" className="btn btn--tiny" onClick={() => void use('next-start')}>
                    Use the start frame of {v.nextLabel}
                  </button>
                ) : null}
                <button type="button" className="btn btn--tiny btn--quiet" onClick={() => setOpen(false)}>
                  Cancel
                </button>
              </div>
            )}
          </ImageDropZone>
          {image.error ? <p className="field__error" role="alert">{image.error}</p> : null}
        </div>
      ) : null}
      {stale.length ? (
        <div className="chain__stale" role="status" aria-label="Keyframe needs new takes">
          <p>{stale.length > 1 ? 'Both shots’ takes were' : 'A take of these shots was'} made from another keyframe: kept, and played until new ones are ready.</p>
          <button type="button" className="btn btn--tiny btn--secondary" onClick={() => void requestGenerate(services, stale)}>
            <Icon name="spark" size={12} />
            {stale.length > 1 ? 'Generate both again' : 'Generate it again'}
          </button>
        </div>
      ) : null}
    </div>
  );
}
