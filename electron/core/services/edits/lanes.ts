// Audio lanes under the video: music and voice-over.
import { newId } from '../../../../shared/ids';
import { StudioError } from '../../../../shared/errors';
import type { ProjectSession } from '../../project/session';
import type { Imports } from '../imports';
import type { Handlers } from '../handlers';

export function laneEdits(session: ProjectSession, imports: Pick<Imports, 'audio'>) {
  return {
    'audio.addLane': async ({ kind, path: file, startSec }) => {
      const { rel, name, durationSec } = await imports.audio(file);
      return session.edit(`Add ${kind === 'music' ? 'music' : 'voice-over'} ${name}`, (p) => {
        p.audioLanes.push({ id: newId('lane'), kind, path: rel, name, durationSec, startSec: startSec ?? 0, gainDb: kind === 'music' ? -6 : 0, duck: kind === 'music' });
      });
    },
    'audio.updateLane': ({ id, patch }) =>
      session.edit(
        `Edit ${Object.keys(patch).join(', ')} of audio lane`,
        (p) => {
          const lane = p.audioLanes.find((l) => l.id === id);
          if (!lane) throw new StudioError('NOT_FOUND', `There is no audio lane ${id}.`);
          Object.assign(lane, patch);
        },
        `lane:${id}:${Object.keys(patch).sort().join(',')}`,
      ),
    'audio.removeLane': ({ id }) =>
      session.edit('Remove audio lane', (p) => {
        // The file stays in media/audio/; only the lane goes.
        p.audioLanes = p.audioLanes.filter((l) => l.id !== id);
      }),
  } satisfies Partial<Handlers>;
}
