// Multi-shot groups: neighbouring shots sent as one request.
import { newId } from '../../../../shared/ids';
import { StudioError } from '../../../../shared/errors';
import { MAX_SHOT_SECONDS } from '../../../../shared/schema';
import { shotLabel } from '../../../../shared/work-units';
import type { ProjectSession } from '../../project/session';
import type { Handlers } from '../handlers';
import { findShot } from './find';

export function groupEdits(session: ProjectSession) {
  return {
    'groups.create': ({ shotIds, shotType }) =>
      session.edit(`Group ${shotIds.length} shots`, (p) => {
        const at = shotIds.map((x) => p.shots.indexOf(findShot(p, x))).sort((a, b) => a - b);
        if (at.some((v, i) => i > 0 && v !== at[i - 1] + 1)) {
          throw new StudioError('INVALID_INPUT', 'shotIds: only shots next to each other on the timeline can be grouped. Nothing was changed.');
        }
        const ordered = at.map((i) => p.shots[i]);
        const total = ordered.reduce((sum, x) => sum + x.durationSec, 0);
        if (total > MAX_SHOT_SECONDS) {
          throw new StudioError('INVALID_INPUT', `durationSec: a multi-shot request is at most ${MAX_SHOT_SECONDS} s; these shots are ${total} s together. Shorten them or group fewer.`);
        }
        const taken = ordered.filter((x) => p.groups.some((g) => g.shotIds.includes(x.id)));
        if (taken.length) throw new StudioError('INVALID_INPUT', `shotIds: ${taken.map((x) => shotLabel(p, x.id)).join(', ')} already belongs to a group. Ungroup it first.`);
        p.groups.push({ id: newId('grp'), shotIds: ordered.map((x) => x.id), shotType: shotType ?? 'customize' });
      }),
    'groups.remove': ({ groupId }) =>
      session.edit('Ungroup shots', (p) => {
        if (!p.groups.some((g) => g.id === groupId)) throw new StudioError('NOT_FOUND', `There is no group ${groupId}.`);
        p.groups = p.groups.filter((g) => g.id !== groupId);
      }),
  } satisfies Partial<Handlers>;
}
