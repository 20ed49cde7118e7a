// Lookups and repairs every edit family shares.
import { StudioError } from '../../../../shared/errors';
import type { Project, Shot } from '../../../../shared/schema';

export function findShot(project: Project, id: string): Shot {
  const shot = project.shots.find((s) => s.id === id);
  if (!shot) throw new StudioError('NOT_FOUND', `There is no shot with id ${id} (it may have been deleted).`);
  return shot;
}

/** Groups whose shots are no longer consecutive (after a move or delete) are dissolved. */
export function dropBrokenGroups(p: Project): void {
  const index = new Map(p.shots.map((s, i) => [s.id, i]));
  p.groups = p.groups.filter((g) => {
    const at = g.shotIds.map((id) => index.get(id));
    if (at.some((i) => i === undefined)) return false;
    const sorted = [...(at as number[])].sort((a, b) => a - b);
    if (sorted.some((v, i) => i > 0 && v !== sorted[i - 1] + 1)) return false;
    g.shotIds = sorted.map((i) => p.shots[i].id);
    return g.shotIds.length >= 2;
  });
}
