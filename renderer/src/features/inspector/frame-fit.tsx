// The warning under a start/end frame whose shape is not the shot's: as it is, the video model (and the
// animatic) would crop it to fill the frame. Fit keeps the whole picture with bars; Crop keeps its middle.
// Either makes a new reference at the shot's ratio (shots.fitFrame), so the well shows what is sent.
import { useState } from 'react';
import { frameMismatch, shapeName, type FrameFitMode } from '../../../../shared/frame-fit';
import { shotAspect } from '../../../../shared/schema';
import { useServices, useStudio } from '../../app/studio-context';
import { Icon } from '../../components/icon';
import { findShot } from '../../store/selectors';

export interface PictureSize {
  width: number;
  height: number;
}

export function FrameShapeWarning({ shotId, which, size }: { shotId: string; which: 'start' | 'end'; size: PictureSize | null }) {
  const { commands } = useServices();
  const aspect = useStudio((s) => {
    const shot = findShot(s, shotId);
    return shot && s.doc ? shotAspect(s.doc.project, shot) : null;
  });
  const [busy, setBusy] = useState<FrameFitMode | null>(null);
  if (!size || !aspect || !frameMismatch(size, aspect)) return null;
  const shape = shapeName(size);
  const fit = async (mode: FrameFitMode) => {
    setBusy(mode);
    try {
      await commands.mutate('shots.fitFrame', { shotId, which, mode }, `Could not ${mode === 'pad' ? 'fit' : 'crop'} the ${which} frame`);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="frame-fit" role="group" aria-label={`Shape of the ${which} image`}>
      <p className="frame-fit__text" title={`The picture is ${size.width}×${size.height}. Fit keeps all of it with black bars; Crop keeps the middle. Either way the original stays in media/refs/.`}>
        <Icon name="alert" size={13} />
        <span>
          A {shape} picture on a {aspect} shot: the video crops it to fill the frame, as shown.
        </span>
      </p>
      <div className="frame-fit__actions">
        <button
          type="button"
          className="btn btn--tiny"
          disabled={busy !== null}
          title={`Keep the whole picture, with black bars, in a ${aspect} copy (the original stays in media/refs/)`}
          onClick={() => void fit('pad')}
        >
          {busy === 'pad' ? 'Fitting…' : 'Fit (pad)'}
        </button>
        <button
          type="button"
          className="btn btn--tiny"
          disabled={busy !== null}
          title={`Keep the middle of the picture, cropped to ${aspect} (the original stays in media/refs/)`}
          onClick={() => void fit('crop')}
        >
          {busy === 'crop' ? 'Cropping…' : 'Crop'}
        </button>
      </div>
    </div>
  );
}
