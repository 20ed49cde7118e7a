// What the status line says while the preview is rebuilt: which edits since the playing preview it is
// catching up with ("shot 3 (title, start frame) · music lane"). Pure.
import type { Project, Shot } from '../../../../shared/schema';

function readyTake(shot: Shot) {
  const take = shot.takes.find((t) => t.id === shot.selectedTakeId);
  return take?.status === 'ready' && take.media ? take : undefined;
}

function shotChanges(before: Shot, after: Shot): string[] {
  const out: string[] = [];
  const take = readyTake(after);
  if (readyTake(before)?.id !== take?.id) out.push(take ? 'new take' : 'take');
  if (before.durationSec !== after.durationSec) out.push('length');
  if (before.trim?.inSec !== after.trim?.inSec) out.push('trim');
  // What a slate shows: only for a shot that plays its slate.
  if (!take) {
    if (before.title !== after.title) out.push('title');
    if (before.prompt !== after.prompt) out.push('prompt');
    if (before.startFrame !== after.startFrame) out.push('start frame');
    if (before.endFrame !== after.endFrame) out.push('end frame');
  }
  return out;
}

/** The changes between the project the playing preview was built from and the one being built, for people. */
export function rebuildReason(before: Project | null | undefined, after: Project): string[] {
  if (!before) return [];
  const parts: string[] = [];
  const was = new Map(before.shots.map((s) => [s.id, s]));
  const added = after.shots.filter((s) => !was.has(s.id)).length;
  const removed = before.shots.filter((s) => !after.shots.some((a) => a.id === s.id)).length;
  if (added) parts.push(added === 1 ? 'a new shot' : `${added} new shots`);
  if (removed) parts.push(removed === 1 ? 'a removed shot' : `${removed} removed shots`);
  const kept = before.shots.filter((s) => after.shots.some((a) => a.id === s.id)).map((s) => s.id);
  const order = after.shots.filter((s) => was.has(s.id)).map((s) => s.id);
  if (kept.join() !== order.join()) parts.push('the order');
  after.shots.forEach((shot, i) => {
    const prev = was.get(shot.id);
    const what = prev ? shotChanges(prev, shot) : [];
    if (what.length) parts.push(`shot ${i + 1} (${what.join(', ')})`);
  });
  if (before.settings.aspectRatio !== after.settings.aspectRatio) parts.push('the aspect ratio');
  if ((before.settings.crossfadeSec ?? 0) !== (after.settings.crossfadeSec ?? 0)) parts.push('the crossfade');
  const lanes = (p: Project, kind: 'music' | 'voiceover') => JSON.stringify(p.audioLanes.filter((l) => l.kind === kind).map((l) => [l.id, l.path, l.startSec, l.gainDb, l.duck]));
  if (lanes(before, 'music') !== lanes(after, 'music')) parts.push('music');
  if (lanes(before, 'voiceover') !== lanes(after, 'voiceover')) parts.push('voice-over');
  return parts;
}

/** The status line's words, at most three changes named. */
export function rebuildLine(parts: string[]): string {
  if (!parts.length) return 'Updating the cut…';
  const named = parts.length > 3 ? `${parts.slice(0, 3).join(' · ')} · ${parts.length - 3} more` : parts.join(' · ');
  return `Rebuilding for ${named}…`;
}
