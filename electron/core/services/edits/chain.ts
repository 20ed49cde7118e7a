// Continuity: a shot's start frame chained to the last frame that plays of the shot before it
// (shared/chain.ts decides; media/last-frame.ts extracts). The chain follows its source: an edit that moves
// the source's last played frame (another take chosen, a trim, a new length) carries the new frame in the
// same undo step, and a change that is no edit (a new take arriving in the cut, an import) is followed
// right after it. docs/architecture.md §4.
import { applyChainFrames, chainFollowUps, chainTake, lastPlayedFrame, type ChainFollowUp } from '../../../../shared/chain';
import { StudioError } from '../../../../shared/errors';
import { keepingKeyframes } from '../../../../shared/keyframe';
import type { Project } from '../../../../shared/schema';
import { shotLabel } from '../../../../shared/work-units';
import { extractFrame } from '../../media/last-frame';
import type { ProjectSession } from '../../project/session';
import type { Handlers } from '../handlers';
import { findShot } from './find';

type Extract = (opts: { projectDir: string; clip: string; frame: number; label: string }) => Promise<string>;
type Extracted = { followUp: ChainFollowUp; rel: string };

const sameFollowUp = (a: ChainFollowUp, b: ChainFollowUp) =>
  a.shotId === b.shotId && a.from.shotId === b.from.shotId && a.from.takeId === b.from.takeId && a.from.frame === b.from.frame;

/** The frames still wanted by the document as it is now (anything extracted for a state that has passed is dropped). */
function stillWanted(p: Project, frames: Extracted[]): Extracted[] {
  const now = chainFollowUps(p);
  return frames.filter((f) => now.some((u) => sameFollowUp(u, f.followUp)));
}

export class ChainKeeper {
  private running = false;
  private again = false;
  /** Follow-ups whose extraction failed, so a damaged clip is not tried on every change. */
  private readonly failed = new Set<string>();

  constructor(
    private readonly session: ProjectSession,
    private readonly extract: Extract = extractFrame,
  ) {
    session.on('changed', () => this.follow());
  }

  private async frames(p: Project, ups: ChainFollowUp[]): Promise<Extracted[]> {
    const out: Extracted[] = [];
    for (const followUp of ups) {
      const rel = await this.extract({ projectDir: this.session.dir, clip: followUp.clip, frame: followUp.from.frame, label: shotLabel(p, followUp.from.shotId) });
      out.push({ followUp, rel });
    }
    return out;
  }

  /**
   * A person's edit that may move a chain's source frame: the chained shots' new start frames are extracted
   * first, then the edit and the frames are one undo step (an undo puts both back). Refused whole when a
   * frame cannot be extracted.
   */
  async edit(label: string, recipe: (draft: Project) => void, key?: string) {
    const draft = structuredClone(this.session.current);
    recipe(draft);
    const ups = chainFollowUps(draft);
    if (!ups.length) return this.session.edit(label, recipe, key);
    const frames = await this.frames(draft, ups);
    return this.session.edit(
      label,
      (p) => {
        recipe(p);
        applyChainFrames(p, stillWanted(p, frames));
      },
      key,
    );
  }

  /** After any change: chained frames whose source moved without an edit (a new take put in the cut) follow it. */
  follow(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.followOnce()
      .catch(() => {})
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.follow();
        }
      });
  }

  private async followOnce(): Promise<void> {
    const p = this.session.current;
    const ups = chainFollowUps(p).filter((u) => !this.failed.has(keyOf(u)));
    if (!ups.length) return;
    const frames: Extracted[] = [];
    for (const u of ups) {
      try {
        frames.push(...(await this.frames(p, [u])));
      } catch {
        // The chained shot keeps the frame it has; its source take's problem is shown on that take.
        this.failed.add(keyOf(u));
      }
    }
    if (frames.length) this.session.mutate((draft) => applyChainFrames(draft, stillWanted(draft, frames)));
  }
}

const keyOf = (u: ChainFollowUp) => `${u.shotId}:${u.from.shotId}:${u.from.takeId}:${u.from.frame}`;

export function chainEdits(session: ProjectSession, keeper: ChainKeeper, extract: Extract = extractFrame) {
  return {
    'shots.chain': async ({ shotId, from }) => {
      const p = session.current;
      const shot = findShot(p, shotId);
      const label = shotLabel(p, shotId);
      if (from === null) {
        if (!shot.startFrameFrom) return session.state();
        return session.edit(`Unchain ${label}`, (d) => void delete findShot(d, shotId).startFrameFrom);
      }
      const at = p.shots.indexOf(shot);
      if (at === 0) throw new StudioError('INVALID_INPUT', `${label}: start frame: it is the first shot, so there is no shot before it to continue from. Nothing was changed.`);
      const source = p.shots[at - 1];
      const sourceLabel = shotLabel(p, source.id);
      if (p.groups.some((g) => g.shotIds.includes(shotId) && g.shotIds.includes(source.id))) {
        throw new StudioError('INVALID_INPUT', `${label}: start frame: it is in one multi-shot request with ${sourceLabel}, which already runs on from it. Nothing was changed.`);
      }
      const take = chainTake(source);
      if (!take) {
        throw new StudioError('INVALID_INPUT', `${label}: start frame: ${sourceLabel} has no ready take in the cut to continue from. Generate it first; nothing was changed.`);
      }
      const frame = lastPlayedFrame(source, take.media);
      const rel = await extract({ projectDir: session.dir, clip: take.media.path, frame, label: sourceLabel });
      // A chained start frame is no longer a shared keyframe: the link ends, the shot before keeps its end frame.
      return keeper.edit(
        `Chain ${label} to ${sourceLabel}`,
        keepingKeyframes((d) => {
          const s2 = findShot(d, shotId);
          s2.startFrame = rel;
          s2.startFrameFrom = { shotId: source.id, takeId: take.id, frame };
        }),
      );
    },
  } satisfies Partial<Handlers>;
}
