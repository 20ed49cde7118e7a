// A keyframe shared by two shots (pure; the core and the studio share it): one project image that is both
// shot N's end frame and shot N+1's start frame, so the cut passes through the same picture. The link is
// kept on the shot whose start frame it is (`startKeyframe: { shotId }` names the shot whose end frame is the
// same image). Replacing the image on either side replaces it on both; removing it on one side, chaining
// the start frame (shared/chain.ts) or deleting either shot ends the link and leaves each frame as an
// ordinary frame. docs/architecture.md §4.
import type { Project, Shot } from './schema';

/** One shared keyframe: the shot ending on it, the shot starting from it, and the image. */
export interface KeyframeLink {
  endShotId: string;
  startShotId: string;
  path: string;
}

type Shots = Pick<Project, 'shots'>;

/** Every link of the document whose two shots are both there. */
export function keyframeLinks(project: Shots): KeyframeLink[] {
  const byId = new Map(project.shots.map((s) => [s.id, s]));
  const out: KeyframeLink[] = [];
  for (const shot of project.shots) {
    const link = shot.startKeyframe;
    if (!link || !byId.has(link.shotId) || !shot.startFrame) continue;
    out.push({ endShotId: link.shotId, startShotId: shot.id, path: shot.startFrame });
  }
  return out;
}

/** The links a shot is part of: the one at its end (with the shot after it) and the one at its start. */
export function keyframesOf(project: Shots, shotId: string): { atEnd?: KeyframeLink; atStart?: KeyframeLink } {
  const links = keyframeLinks(project);
  return { atEnd: links.find((l) => l.endShotId === shotId), atStart: links.find((l) => l.startShotId === shotId) };
}

/**
 * Why a keyframe cannot be shared between this shot and the one after it (a sentence naming the field, for
 * `${label}: `), or undefined when it can: the last shot has no shot after it, and two shots in one
 * multi-shot request have no cut between them.
 */
export function shareKeyframeRefusal(project: Pick<Project, 'shots' | 'groups'>, shotId: string, nextLabel = 'the next shot'): string | undefined {
  const at = project.shots.findIndex((s) => s.id === shotId);
  if (at < 0) return undefined;
  const next = project.shots[at + 1];
  if (!next) return 'end frame: it is the last shot, so there is no shot after it to share a keyframe with';
  if (project.groups.some((g) => g.shotIds.includes(shotId) && g.shotIds.includes(next.id))) {
    return `end frame: it is in one multi-shot request with ${nextLabel}, so there is no cut between them to share a keyframe across`;
  }
  return undefined;
}

/** The shot after this one (the one a keyframe at its end is shared with). */
export function nextShot(project: Shots, shotId: string): Shot | undefined {
  const at = project.shots.findIndex((s) => s.id === shotId);
  return at < 0 ? undefined : project.shots[at + 1];
}

/**
 * Shares `rel` between `endShotId`'s end frame and the start frame of the shot after it (part of a draft;
 * refusals are checked first with shareKeyframeRefusal). A chain on that start frame ends: a start frame is
 * either chained or shared, never both.
 */
export function shareKeyframe(draft: Shots, endShotId: string, rel: string): void {
  const end = draft.shots.find((s) => s.id === endShotId);
  const start = nextShot(draft, endShotId);
  if (!end || !start) return;
  // A link this shot had at its end with another shot (the shots were reordered since) ends first.
  for (const s of draft.shots) if (s.startKeyframe?.shotId === endShotId && s.id !== start.id) delete s.startKeyframe;
  end.endFrame = rel;
  start.startFrame = rel;
  delete start.startFrameFrom;
  start.startKeyframe = { shotId: endShotId };
}

/** Ends the link at this shot's end: both shots keep the image as an ordinary frame. */
export function unlinkKeyframe(draft: Shots, endShotId: string): boolean {
  let changed = false;
  for (const s of draft.shots) {
    if (s.startKeyframe?.shotId === endShotId) {
      delete s.startKeyframe;
      changed = true;
    }
  }
  return changed;
}

/** The links as they are before an edit (their two frames), for followKeyframes after it. */
export interface KeyframeBefore {
  endShotId: string;
  startShotId: string;
  endFrame?: string;
  startFrame?: string;
}
export function keyframesBefore(project: Shots): KeyframeBefore[] {
  const byId = new Map(project.shots.map((s) => [s.id, s]));
  return project.shots
    .filter((s) => s.startKeyframe)
    .map((s) => ({ endShotId: s.startKeyframe!.shotId, startShotId: s.id, startFrame: s.startFrame, endFrame: byId.get(s.startKeyframe!.shotId)?.endFrame }));
}

/**
 * After an edit, the links follow it: an image replaced on either side is put on the other side too (one
 * undo step, since this runs inside the edit); a frame removed on either side, a start frame chained, a
 * shot deleted or both sides set to different images end the link, each shot keeping what it has.
 */
export function followKeyframes(draft: Shots, before: KeyframeBefore[]): void {
  const byId = new Map(draft.shots.map((s) => [s.id, s]));
  for (const was of before) {
    const start = byId.get(was.startShotId);
    const end = byId.get(was.endShotId);
    if (!start?.startKeyframe || start.startKeyframe.shotId !== was.endShotId) continue;
    const drop = () => void delete start.startKeyframe;
    if (!end || start.startFrameFrom || !start.startFrame || !end.endFrame) {
      drop();
      continue;
    }
    const startMoved = start.startFrame !== was.startFrame;
    const endMoved = end.endFrame !== was.endFrame;
    if (startMoved && !endMoved) end.endFrame = start.startFrame;
    else if (endMoved && !startMoved) start.startFrame = end.endFrame;
    else if (start.startFrame !== end.endFrame) drop();
  }
}

/** Wraps an edit's recipe so the keyframe links follow what it changed. */
export function keepingKeyframes<P extends Shots>(recipe: (draft: P) => void): (draft: P) => void {
  return (draft) => {
    const before = keyframesBefore(draft);
    recipe(draft);
    followKeyframes(draft, before);
  };
}
