// Continuity (shared/chain.ts): start this shot from the last frame that plays of the shot before it, see
// what it is chained to, end the chain, and — when a chained shot's take was made from an older frame —
// regenerate the chain in order, through the usual priced confirmation.
import { useShallow } from 'zustand/react/shallow';
import { chainSourceNow, chainTake, chainToRegenerate } from '../../../../shared/chain';
import { shotLabel } from '../../../../shared/work-units';
import { useServices, useStudio } from '../../app/studio-context';
import { Icon } from '../../components/icon';
import { isInFlight } from '../../../../shared/job-status';
import { needsGeneration } from '../../domain/shot-status';
import type { StudioState } from '../../store/types';
import { requestGenerate } from '../toolbar/generate-flow';

/** What the field shows, as plain values (the store hands it over only when one of them changes). */
interface ChainView {
  /** The shot before (what chaining continues from), and whether it has a ready take in the cut. */
  prevLabel: string;
  prevReady: boolean;
  /** This shot's start frame is a keyframe shared with the shot before (chaining ends that link). */
  keyframeShared: boolean;
  /** What this shot is chained to ('' when it is not), the take number its frame comes from. */
  chainedLabel: string;
  takeNumber: number;
  /** The source moved and the new frame is being extracted. */
  following: boolean;
  /** This shot's take was made from another start frame (it is kept). */
  stale: boolean;
  /** Regenerating the chain: the shot sent now, or the one still being generated; how many follow. */
  nowId: string;
  nowLabel: string;
  waitingLabel: string;
  after: number;
}

export function chainView(s: StudioState, shotId: string): ChainView | null {
  const project = s.doc?.project;
  const at = project?.shots.findIndex((x) => x.id === shotId) ?? -1;
  if (!project || at < 0) return null;
  const shot = project.shots[at];
  const prev = at > 0 ? project.shots[at - 1] : undefined;
  const link = shot.startFrameFrom;
  const source = link ? project.shots.find((x) => x.id === link.shotId) : undefined;
  const now = chainSourceNow(project, shot);
  const plan = link
    ? chainToRegenerate(project, shotId, { needsTake: (x) => needsGeneration(project, x), generating: (x) => x.takes.some((t) => isInFlight(t.status)) })
    : { after: [] as string[] };
  return {
    prevLabel: prev ? shotLabel(project, prev.id) : '',
    prevReady: Boolean(prev && chainTake(prev)),
    keyframeShared: Boolean(shot.startKeyframe),
    chainedLabel: source ? shotLabel(project, source.id) : '',
    takeNumber: source && link ? source.takes.findIndex((t) => t.id === link.takeId) + 1 : 0,
    following: Boolean(link && now && (now.takeId !== link.takeId || now.frame !== link.frame)),
    stale: Boolean(link) && shot.takes.some((t) => t.status === 'ready') && needsGeneration(project, shot),
    nowId: plan.now ?? '',
    nowLabel: plan.now ? shotLabel(project, plan.now) : '',
    waitingLabel: plan.waitingFor ? shotLabel(project, plan.waitingFor) : '',
    after: plan.after.length,
  };
}

export function ChainField({ shotId }: { shotId: string }) {
  const services = useServices();
  const { commands } = services;
  const view = useStudio(useShallow((s): Partial<ChainView> => chainView(s, shotId) ?? {}));
  if (!view.prevLabel && !view.chainedLabel) return null;
  const v = view as ChainView;
  const chain = (from: 'previous' | null) =>
    void commands.mutate('shots.chain', { shotId, from }, from ? 'Could not start this shot from the end of the one before' : 'Could not unchain the shot');

  if (!v.chainedLabel) {
    return (
      <div className="field chain" role="group" aria-label="Continuity">
        <button
          type="button"
          className="btn btn--tiny"
          disabled={!v.prevReady}
          aria-keyshortcuts="C"
          title={
            v.prevReady
              ? `Use the last frame that plays of ${v.prevLabel} as this shot’s start frame, and keep it following that take (C)${v.keyframeShared ? '. This ends the shared keyframe: the shot before keeps its end frame' : ''}`
              : `${v.prevLabel} has no ready take in the cut yet: generate it first`
          }
          onClick={() => chain('previous')}
        >
          <Icon name="link" size={12} />
          Start from the end of {v.prevLabel}
        </button>
        {v.keyframeShared && v.prevReady ? <p className="field__hint">Starting from the end of {v.prevLabel} ends the shared keyframe.</p> : null}
      </div>
    );
  }
  return (
    <div className="field chain chain--on" role="group" aria-label="Continuity">
      <div className="chain__row">
        <span className="tag tag--accent" data-testid="chain-badge" title="The start frame is the last frame that plays of that shot’s take; it follows when that take, its trim or its length changes">
          <Icon name="link" size={11} /> Chained to {v.chainedLabel}
        </span>
        <button type="button" className="btn btn--tiny btn--quiet" onClick={() => chain(null)} aria-keyshortcuts="C" title="End the chain; the start frame stays as it is (C)">
          Unchain
        </button>
      </div>
      <p className="field__hint">
        {v.following ? 'Taking the new last frame…' : `Starts on the last frame that plays of ${v.chainedLabel}${v.takeNumber ? `, take ${v.takeNumber}` : ''}.`}
      </p>
      {v.stale ? (
        <div className="chain__stale" role="status" aria-label="Chain needs new takes">
          <p>
            This shot’s take was made from an older start frame: it is kept and plays until a new one is ready.
            {v.nowId
              ? ` Regenerating goes in order: ${v.nowLabel} now${v.after ? '; each shot after it follows once the take before it is in the cut (its start frame comes from that take), and is offered here again' : ''}.`
              : v.waitingLabel
                ? ` ${v.waitingLabel} is being generated; this shot is offered again once that take is in the cut.`
                : ''}
          </p>
          {v.nowId ? (
            <button type="button" className="btn btn--tiny btn--secondary" onClick={() => void requestGenerate(services, [v.nowId])}>
              <Icon name="spark" size={12} />
              Regenerate the chain
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
