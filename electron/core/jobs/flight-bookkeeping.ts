// Which take-mirror changes are bookkeeping the studio need not be sent as a revision: a take's status
// moving within flight (queued → submitting → submitted → running → downloading), and the provider's job id
// recorded for recovery. The studio shows a take in flight by its job (job.updated carries every status),
// so these are saved to project.json but announced only with the next real revision (session `quiet`).
// A take entering or leaving flight (added, ready with its clip, failed, canceled), an error or a cost is
// a change of the document and always a revision.
import { isInFlight } from '../../../shared/job-status';
import type { ObjectPatch, ProjectPatch } from '../../../shared/project-patch';
import type { Project, TakeStatus } from '../../../shared/schema';

const BOOKKEEPING_FIELDS = new Set(['status', 'providerJobId']);

const onlyFields = (p: ObjectPatch, allowed: Set<string>) =>
  !p.lists && Object.keys(p.set ?? {}).every((k) => allowed.has(k)) && (p.unset ?? []).every((k) => allowed.has(k));

/** True when `patch` (on `before`) only moves takes' statuses within flight or records provider job ids. */
export function isFlightBookkeeping(patch: ProjectPatch, before: Project): boolean {
  if (patch.set || patch.unset || patch.keys) return false;
  const lists = patch.lists ?? {};
  if (Object.keys(lists).some((k) => k !== 'shots')) return false;
  const shots = lists.shots;
  if (!shots || shots.remove || shots.insert || shots.order) return false;
  for (const shotChange of shots.change ?? []) {
    if (shotChange.set || shotChange.unset || shotChange.keys) return false;
    const takes = shotChange.lists?.takes;
    if (!takes || Object.keys(shotChange.lists!).length !== 1 || takes.remove || takes.insert || takes.order) return false;
    const shot = before.shots.find((s) => s.id === shotChange.id);
    for (const takeChange of takes.change ?? []) {
      const take = shot?.takes.find((t) => t.id === takeChange.id);
      if (!take || !isInFlight(take.status) || !onlyFields(takeChange, BOOKKEEPING_FIELDS)) return false;
      const status = (takeChange.set?.status as TakeStatus | undefined) ?? take.status;
      if (!isInFlight(status)) return false;
    }
  }
  return true;
}
