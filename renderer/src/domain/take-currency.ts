// Which takes still match a shot's current parameters: the same work-unit hash the engine stamps on
// every take (shared/work-units.ts), so the UI and the engine can never disagree about staleness.
import type { Project, Shot, Take } from '../../../shared/schema';
import { currentHashes } from '../../../shared/work-units';

/** A predicate that tells whether a take of this shot was made with its current parameters. */
export function currentTakeTest(project: Project, shot: Shot): (take: Take) => boolean {
  const want = currentHashes(project).get(shot.id);
  return (take) => take.request.hash === want;
}
