// Which takes still match a shot's current parameters: the same work-unit hashes the engine stamps on
// every take (shared/work-units.ts) and the same rule (shared/take-currency.ts), so the UI and the engine
// can never disagree about staleness.
//
// Hashing every shot's spec costs milliseconds with hundreds of shots, and the document changes on every
// save. The store keeps unchanged parts of a snapshot identical to the previous one (store/share.ts), so
// when the settings and libraries are the same objects, only the shots (or groups) whose objects changed
// are hashed again, each through the same workUnits/specHash on a project holding just that unit (the
// hash leaves the shot's position out, so it is the hash the whole project would give).
import type { Project, Shot, Take } from '../../../shared/schema';
import { isCurrentTake, takeFit, type TakeFit } from '../../../shared/take-currency';
import { shotHashes, workUnits, type UnitHashes } from '../../../shared/work-units';

const cache = new WeakMap<Project, Map<string, UnitHashes>>();
let last: { project: Project; hashes: Map<string, UnitHashes> } | null = null;

function sameContext(a: Project, b: Project): boolean {
  return a.settings === b.settings && a.voices === b.voices && a.elements === b.elements && a.groups === b.groups;
}

function hashUnit(project: Project, shots: Shot[], groups: Project['groups'], into: Map<string, UnitHashes>): void {
  for (const unit of workUnits({ ...project, shots, groups }, project.settings.provider)) unit.shotIds.forEach((id, i) => into.set(id, unit.shotHashes[i]));
}

function rehash(prev: Project, prevHashes: Map<string, UnitHashes>, project: Project): Map<string, UnitHashes> {
  const before = new Map(prev.shots.map((s) => [s.id, s]));
  const groupOf = new Map<string, Project['groups'][number]>();
  for (const g of project.groups) for (const id of g.shotIds) groupOf.set(id, g);
  const hashes = new Map<string, UnitHashes>();
  const doneGroups = new Set<string>();
  const unchanged = (shot: Shot) => before.get(shot.id) === shot && prevHashes.has(shot.id);
  for (const shot of project.shots) {
    const group = groupOf.get(shot.id);
    if (!group) {
      if (unchanged(shot)) hashes.set(shot.id, prevHashes.get(shot.id)!);
      else hashUnit(project, [shot], [], hashes);
      continue;
    }
    if (doneGroups.has(group.id)) continue;
    doneGroups.add(group.id);
    const members = project.shots.filter((s) => group.shotIds.includes(s.id));
    const membersBefore = prev.shots.filter((s) => group.shotIds.includes(s.id));
    if (members.length === membersBefore.length && members.every((m, i) => m === membersBefore[i] && unchanged(m))) {
      for (const m of members) hashes.set(m.id, prevHashes.get(m.id)!);
    } else {
      hashUnit(project, members, [group], hashes);
    }
  }
  return hashes;
}

/** shot id → the hashes its takes must carry to be current, memoized per snapshot. */
export function currentHashesOf(project: Project): Map<string, UnitHashes> {
  let hashes = cache.get(project);
  if (!hashes) {
    hashes = last && sameContext(last.project, project) ? rehash(last.project, last.hashes, project) : shotHashes(project);
    cache.set(project, hashes);
    last = { project, hashes };
  }
  return hashes;
}

/** A predicate that tells whether a take of this shot was made with its current parameters. */
export function currentTakeTest(project: Project, shot: Shot): (take: Take) => boolean {
  const want = currentHashesOf(project).get(shot.id);
  return (take) => isCurrentTake(take, want);
}

/** How each take of this shot stands against it: current, too short for it now, or stale (shared/take-currency.ts). */
export function takeFitTest(project: Project, shot: Shot): (take: Take) => TakeFit {
  const want = currentHashesOf(project).get(shot.id);
  return (take) => takeFit(take, want);
}
