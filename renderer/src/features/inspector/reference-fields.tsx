// References: the start and end frame (an image the clip starts or ends on, copied into the project)
// and the characters/props from the project's element library.
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useCommands, useServices, useStudio } from '../../app/studio-context';
import { Icon } from '../../components/icon';
import { shotAspect } from '../../../../shared/schema';
import { findShot } from '../../store/selectors';
import { FieldMessages } from './inspector-field';
import { FrameShapeWarning, type PictureSize } from './frame-fit';
import { ImageDropZone, useImageImport } from './image-drop';
import { usePendingValue } from './use-pending-value';
import { useFieldProblems, useShotCapabilities, useShotValue } from './shot-hooks';

const NO_IDS: string[] = [];

export function FrameWell({ shotId, which }: { shotId: string; which: 'start' | 'end' }) {
  const { client, commands } = useServices();
  const key = which === 'start' ? 'startFrame' : 'endFrame';
  const path = useShotValue<string | null>(shotId, (s) => s[key] ?? null, null);
  const { reason } = useShotCapabilities(shotId);
  const off = reason(key);
  const problems = useFieldProblems(key);
  const name = which === 'start' ? 'Start frame' : 'End frame';
  const image = useImageImport((p) => ({ method: 'shots.setFrame', input: { shotId, which, path: p } }), 'Could not use that image');
  // The picture's own size, read when it loads (for the shape warning); kept with the path it belongs to.
  const [loaded, setLoaded] = useState<{ path: string; size: PictureSize } | null>(null);
  const size = loaded && loaded.path === path ? loaded.size : null;
  // A filled well has the shot's shape and shows the picture the way the video will use it (filling the frame).
  const aspect = useStudio((s) => {
    const shot = findShot(s, shotId);
    return shot && s.doc ? shotAspect(s.doc.project, shot) : '16:9';
  });
  return (
    <div className={`field frame${off ? ' field--off' : ''}${problems.length ? ' field--problem' : ''}`} role="group" aria-label={name}>
      <div className="field__head">
        <span className="field__label" title={off ?? undefined}>
          {name}
        </span>
      </div>
      <ImageDropZone
        className={`frame__well${path ? ' frame__well--filled' : ''}${image.error ? ' frame__well--bad' : ''}`}
        style={path ? { aspectRatio: aspect.replace(':', ' / ') } : undefined}
        label={`${name} image file`}
        disabled={Boolean(off) || image.busy}
        onFile={(f) => void image.importFile(f)}
      >
        {({ pick, dragOver }) => (
          <>
            {path ? (
              <img
                className="frame__img"
                src={client.mediaUrl(path)}
                alt={`${name} of this shot`}
                draggable={false}
                onLoad={(e) => setLoaded({ path, size: { width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight } })}
              />
            ) : (
              <span className="frame__empty">{image.busy ? 'Checking the image…' : dragOver ? 'Drop to use it' : off ? 'Not used by this provider' : 'Drop a JPG or PNG'}</span>
            )}
            <div className="frame__bar">
              <button
                type="button"
                className="btn btn--tiny"
                onClick={pick}
                disabled={Boolean(off) || image.busy}
                title={off ?? `Pick an image for the ${which} of the clip; it is copied into the project`}
                aria-label={`Choose ${which} frame image`}
              >
                {path ? 'Replace…' : 'Choose…'}
              </button>
              {path ? (
                <button
                  type="button"
                  className="btn btn--tiny btn--quiet"
                  aria-label={`Remove ${which} frame`}
                  title="Remove the image from this shot (the file stays in media/refs/)"
                  onClick={() => {
                    image.clearError();
                    void commands.updateShot(shotId, { [key]: null });
                  }}
                >
                  Remove
                </button>
              ) : null}
            </div>
          </>
        )}
      </ImageDropZone>
      {path && !off ? <FrameShapeWarning shotId={shotId} which={which} size={size} /> : null}
      <FieldMessages error={image.error} problems={problems} disabledReason={off} />
    </div>
  );
}

export function ElementsField({ shotId }: { shotId: string }) {
  const { client, commands, store } = useServices();
  const elements = useStudio(useShallow((s) => s.doc?.project.elements ?? []));
  const [chosen, setChosen] = usePendingValue(useStudio(useShallow((s) => findShot(s, shotId)?.elementIds ?? NO_IDS)));
  const { reason, caps } = useShotCapabilities(shotId);
  const off = reason('elements');
  const problems = useFieldProblems('elements');
  const max = Math.min(4, caps.maxElements || 4);
  const toggle = (id: string) => {
    const next = chosen.includes(id) ? chosen.filter((x) => x !== id) : [...chosen, id];
    void setChosen(next, () => commands.updateShot(shotId, { elementIds: next }));
  };
  return (
    <div className={`field${off ? ' field--off' : ''}${problems.length ? ' field--problem' : ''}`} role="group" aria-label="Elements">
      <div className="field__head">
        <span className="field__label" title={off ?? undefined}>
          Elements
        </span>
        <span className="field__aside counter">{elements.length && !off ? `${chosen.length}/${max}` : null}</span>
      </div>
      {elements.length === 0 ? (
        <p className="field__hint">Characters and props you reuse across shots. Add one in the library (a name and up to four pictures), then pick it here.</p>
      ) : (
        <div className="chips">
          {elements.map((el) => {
            const on = chosen.includes(el.id);
            const full = !on && chosen.length >= max;
            const why = off ? (on ? `${off}: click to take it off this shot` : off) : full ? `${caps.label} takes at most ${max} elements per shot` : undefined;
            return (
              <button
                key={el.id}
                type="button"
                className={`chip${on ? ' chip--on' : ''}${off ? ' chip--off' : ''}`}
                aria-pressed={on}
                disabled={(Boolean(off) && !on) || full}
                title={why}
                onClick={() => toggle(el.id)}
              >
                {el.images[0] ? <img className="chip__thumb" src={client.mediaUrl(el.images[0])} alt="" /> : <span className="chip__thumb chip__thumb--none" aria-hidden="true" />}
                {el.name}
                {on ? <Icon name="check" size={12} /> : null}
              </button>
            );
          })}
        </div>
      )}
      <FieldMessages problems={problems} disabledReason={off} />
      <div>
        <button type="button" className="btn btn--tiny" onClick={() => store.getState().openDialog('library')}>
          Manage library…
        </button>
      </div>
    </div>
  );
}
