// Continuity between shots (pure; the core and the studio share it): a shot's start frame can be chained
// to another shot — the last frame that *plays* of that shot's selected take, so the cut continues where
// the shot before it stopped. The chain follows the source: choosing another take, trimming it or changing
// its length moves the frame that plays last, and the chained shot's start frame is extracted again (its
// own takes then become stale through the request hash, and are kept). docs/architecture.md §4.
import type { Project, Shot, Take } from './schema';
import { shotCut } from './trim';

/** The cut's frame rate (project settings.fps); trims are counted in it. */
const CUT_FPS = 24;

type SourceShot = Pick<Shot, 'durationSec' | 'trim'>;

/**
 * The index (0-based, in the clip's own frames) of the last frame of a take that plays in the cut for a
 * shot: the frame at its out point when the shot plays part of the take (a trim or a shorter length),
 * else the take's last frame. A take shorter than the shot is held on its last frame, which is that frame.
 */
export function lastPlayedFrame(shot: SourceShot, clip: { durationSec: number; fps: number }): number {
  const clipFps = clip.fps > 0 ? clip.fps : CUT_FPS;
  const clipFrames = Math.max(1, Math.round(clip.durationSec * clipFps));
  const cutFrames = Math.max(1, Math.round(clip.durationSec * CUT_FPS));
  const cut = shotCut(shot, cutFrames, CUT_FPS);
  const lastInCut = cut ? cut.endFrame - 1 : cutFrames - 1;
  if (Math.abs(clipFps - CUT_FPS) < 0.01) return Math.min(clipFrames - 1, lastInCut);
  // Another frame rate: the clip's frame showing at that moment of the cut.
  return Math.min(clipFrames - 1, Math.floor(((lastInCut + 0.5) / CUT_FPS) * clipFps));
}

/** The take a chain continues from: the source shot's selected take, when it is ready with its clip. */
export function chainTake(source: Pick<Shot, 'takes' | 'selectedTakeId'>): (Take & { media: NonNullable<Take['media']> }) | undefined {
  const take = source.takes.find((t) => t.id === source.selectedTakeId);
  return take?.status === 'ready' && take.media ? (take as Take & { media: NonNullable<Take['media']> }) : undefined;
}

/** One chained start frame to extract: from which clip, which frame, for which shot. */
export interface ChainFollowUp {
  shotId: string;
  from: { shotId: string; takeId: string; frame: number };
  /** The source take's clip (project-relative). */
  clip: string;
}

/** Where a chained frame comes from now (undefined while its source shot has no ready take in the cut, or is gone). */
export function chainSourceNow(project: Pick<Project, 'shots'>, shot: Pick<Shot, 'startFrameFrom'>): ChainFollowUp['from'] & { clip: string } | undefined {
  const link = shot.startFrameFrom;
  if (!link) return undefined;
  const source = project.shots.find((s) => s.id === link.shotId);
  const take = source && chainTake(source);
  if (!source || !take) return undefined;
  return { shotId: source.id, takeId: take.id, frame: lastPlayedFrame(source, take.media), clip: take.media.path };
}

/**
 * The chained shots whose start frame no longer is the last frame that plays of their source: each with
 * the frame to extract. A chain whose source has no ready take keeps the frame it has.
 */
export function chainFollowUps(project: Pick<Project, 'shots'>): ChainFollowUp[] {
  const out: ChainFollowUp[] = [];
  for (const shot of project.shots) {
    const now = chainSourceNow(project, shot);
    const had = shot.startFrameFrom;
    if (!now || !had) continue;
    if (had.takeId === now.takeId && had.frame === now.frame && shot.startFrame) continue;
    out.push({ shotId: shot.id, from: { shotId: now.shotId, takeId: now.takeId, frame: now.frame }, clip: now.clip });
  }
  return out;
}

/** Puts extracted frames on their shots (part of a draft), where the shot still chains to that source. */
export function applyChainFrames(project: Pick<Project, 'shots'>, frames: { followUp: ChainFollowUp; rel: string }[]): void {
  for (const { followUp, rel } of frames) {
    const shot = project.shots.find((s) => s.id === followUp.shotId);
    if (!shot?.startFrameFrom || shot.startFrameFrom.shotId !== followUp.from.shotId) continue;
    shot.startFrame = rel;
    shot.startFrameFrom = { ...followUp.from };
  }
}

/** Chains whose source shot was deleted end: the shot keeps the frame it has, as an ordinary start frame. */
export function dropBrokenChains(project: Pick<Project, 'shots'>): void {
  const ids = new Set(project.shots.map((s) => s.id));
  for (const shot of project.shots) if (shot.startFrameFrom && !ids.has(shot.startFrameFrom.shotId)) delete shot.startFrameFrom;
}

/**
 * The chain a shot belongs to, in order: the shots it continues from (back to the first) and the shots
 * that continue from it, each chained to the one before it in the list.
 */
export function chainOf(project: Pick<Project, 'shots'>, shotId: string): string[] {
  const byId = new Map(project.shots.map((s) => [s.id, s]));
  const back: string[] = [];
  const seen = new Set<string>();
  let at = byId.get(shotId);
  while (at && !seen.has(at.id)) {
    seen.add(at.id);
    back.unshift(at.id);
    at = at.startFrameFrom ? byId.get(at.startFrameFrom.shotId) : undefined;
  }
  const chain = [...back];
  let tail = shotId;
  for (;;) {
    const next = project.shots.find((s) => s.startFrameFrom?.shotId === tail && !seen.has(s.id));
    if (!next) break;
    seen.add(next.id);
    chain.push(next.id);
    tail = next.id;
  }
  return chain;
}

/**
 * "Regenerate the chain", in order: a chained shot needs its source's new take first (its start frame is
 * that take's last frame), so only the first shot of the chain that needs a take is sent now; the ones
 * after it follow once that take is in the cut (their frames are extracted again, and they are offered
 * again). Nothing is sent while an earlier shot of the chain is still being generated.
 */
export function chainToRegenerate(
  project: Pick<Project, 'shots'>,
  shotId: string,
  is: { needsTake: (shot: Shot) => boolean; generating: (shot: Shot) => boolean },
): { now?: string; waitingFor?: string; after: string[] } {
  const ids = chainOf(project, shotId);
  const byId = new Map(project.shots.map((s) => [s.id, s]));
  for (let i = 0; i < ids.length; i++) {
    const shot = byId.get(ids[i])!;
    if (is.generating(shot)) return { waitingFor: shot.id, after: ids.slice(i + 1) };
    if (is.needsTake(shot)) return { now: shot.id, after: ids.slice(i + 1) };
  }
  return { after: [] };
}
