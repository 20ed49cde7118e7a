// A keyframe shared by two shots: one image that is shot N's end frame and shot N+1's start frame
// (shared/keyframe.ts decides; project/refs.ts keeps the image by content hash). Sharing, replacing it on
// both sides and unlinking are each one undo step. docs/architecture.md §4.
import { StudioError } from '../../../../shared/errors';
import { keyframesOf, nextShot, shareKeyframe, shareKeyframeRefusal, unlinkKeyframe } from '../../../../shared/keyframe';
import { shotLabel } from '../../../../shared/work-units';
import type { ProjectSession } from '../../project/session';
import type { Imports } from '../imports';
import type { Handlers } from '../handlers';
import { findShot } from './find';

export function keyframeEdits(session: ProjectSession, imports: Pick<Imports, 'refImage'>) {
  return {
    'shots.shareKeyframe': async ({ shotId, keyframe }) => {
      const p = session.current;
      const shot = findShot(p, shotId);
      const label = shotLabel(p, shotId);
      if (keyframe === null) {
        const link = keyframesOf(p, shotId).atEnd;
        if (!link) return session.state();
        const other = shotLabel(p, link.startShotId);
        return session.edit(`Unlink the keyframe of ${label} and ${other}`, (d) => void unlinkKeyframe(d, shotId));
      }
      const next = nextShot(p, shotId);
      const nextLabel = next ? shotLabel(p, next.id) : '';
      const refusal = shareKeyframeRefusal(p, shotId, nextLabel);
      if (refusal || !next) throw new StudioError('INVALID_INPUT', `${label}: ${refusal}. Nothing was changed.`);
      let rel: string;
      if ('path' in keyframe) rel = await imports.refImage(keyframe.path, 'the keyframe');
      else if (keyframe.use === 'end') {
        if (!shot.endFrame) throw new StudioError('INVALID_INPUT', `${label}: end frame: there is none to share. Choose an image instead; nothing was changed.`);
        rel = shot.endFrame;
      } else {
        if (!next.startFrame) throw new StudioError('INVALID_INPUT', `${nextLabel}: start frame: there is none to share. Choose an image instead; nothing was changed.`);
        rel = next.startFrame;
      }
      // The shot was deleted or moved while the image was being copied: nothing is changed on a wrong pair.
      if (nextShot(session.current, shotId)?.id !== next.id) {
        throw new StudioError('INVALID_INPUT', `${label}: end frame: the shot after it changed while the image was being read. Nothing was changed; try again.`);
      }
      return session.edit(`Share a keyframe between ${label} and ${nextLabel}`, (d) => shareKeyframe(d, shotId, rel));
    },
  } satisfies Partial<Handlers>;
}
