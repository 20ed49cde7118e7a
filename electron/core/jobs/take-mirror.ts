// Takes mirror their job in project.json: created the moment a job is queued (never deleted), their status,
// error, provider id and cost kept in line with the journal, the clip set and put in the cut once ready,
// and the whole document repaired from the journal on open (a crash between the two files loses nothing).
import { isFlightBookkeeping } from './flight-bookkeeping';
import { CAPABILITIES } from '../../../shared/capabilities';
import type { GenerationSpec } from '../../../shared/generation';
import { isTerminal } from '../../../shared/job-status';
import { roundUsd } from '../../../shared/pricing';
import type { Project, Shot, Take } from '../../../shared/schema';
import { selectTake } from '../../../shared/trim';
import { findDamagedTakes } from '../media/take-files';
import type { ProjectSession } from '../project/session';
import { JOURNAL_FILE, type JournalEntry } from './journal';
import { providerJobId } from './public-job';

export type OnShot = (shot: Shot, index: number) => void;
type DamagedTake = Awaited<ReturnType<typeof findDamagedTakes>>[number];

/**
 * Take updates applied to project.json in one batch per tick: with hundreds of jobs changing state at once,
 * one document update instead of hundreds (the journal already has them).
 */
export class TakeMirror {
  private queue: { job: JournalEntry; onShot?: OnShot }[] = [];
  private scheduled = false;
  constructor(private readonly session: ProjectSession) {}

  /** Gives each shot of the new jobs its take (status as the job's). */
  addTakes(created: JournalEntry[]): void {
    this.flush();
    this.session.mutate((draft) => {
      for (const job of created) {
        job.shotIds.forEach((shotId, i) => {
          const shot = draft.shots.find((s) => s.id === shotId);
          if (shot) shot.takes.push(takeFor(job, i, shot));
        });
      }
    });
  }

  mirror(job: JournalEntry, onShot?: OnShot): void {
    this.queue.push({ job, onShot });
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  flush(): void {
    this.scheduled = false;
    const queue = this.queue;
    if (!queue.length) return;
    this.queue = [];
    // A shot deleted meanwhile simply no longer shows its take.
    const shots = new Set(this.session.current.shots.map((s) => s.id));
    if (!queue.some(({ job }) => job.shotIds.some((id) => shots.has(id)))) return;
    this.session.mutate((draft) => {
      for (const { job, onShot } of queue) {
        job.shotIds.forEach((shotId, i) => {
          const shot = draft.shots.find((s) => s.id === shotId);
          if (!shot) return;
          const take = shot.takes.find((t) => t.id === job.takeIds[i]);
          if (take) {
            take.status = job.status;
            if (job.error) take.error = job.error;
            else delete take.error;
            if (job.providerRef && job.provider !== 'animatic') take.providerJobId = providerJobId(job.providerRef);
            else delete take.providerJobId;
            mirrorCost(job, shot, take);
          }
          onShot?.(shot, i);
        });
      }
    }, { quiet: isFlightBookkeeping });
  }

  /**
   * A ready take whose clip is missing or damaged is not the shot's take any more: marked failed with the
   * reason (the shot then needs a take, and generate offers it). Checked again at every open, so a file
   * put back makes the take ready again (repairTakes restores it from the journal).
   */
  async markDamaged(): Promise<DamagedTake[]> {
    const damaged = await findDamagedTakes(this.session.dir, this.session.current);
    if (!damaged.length) return damaged;
    this.session.mutate((draft) => {
      for (const d of damaged) {
        const take = draft.shots.find((s) => s.id === d.shotId)?.takes.find((t) => t.id === d.takeId);
        if (!take) continue;
        take.status = 'failed';
        take.error = d.message;
      }
    });
    return damaged;
  }

  /**
   * Makes project.json agree with the journal: a take the journal knows but the document lost (a crash
   * before the debounced save) is recreated with its status and clip; a take whose job the journal never
   * recorded was never sent, so it is marked failed rather than left "queued" forever.
   */
  repair(jobs: Map<string, JournalEntry>, journalFound: boolean): void {
    const repair = (project: Project) => repairTakes({ project, jobs, journalFound, takeFor });
    if (repair(structuredClone(this.session.current))) this.session.mutate((draft) => void repair(draft));
  }
}

/** The take a job gives one of its shots. */
export function takeFor(job: JournalEntry, i: number, shot: Shot): Take {
  // A group's estimate is shared across its shots by length.
  const share = job.spec.durationSec ? shot.durationSec / job.spec.durationSec : 1;
  return {
    id: job.takeIds[i],
    jobId: job.id,
    provider: job.provider,
    tier: job.spec.tier,
    request: { hash: job.hash, params: specParams(job.spec) },
    status: job.status,
    estimatedUsd: roundUsd(job.estimatedUsd * share),
    review: { rating: 0, flag: 'none', notes: [] },
    createdAt: job.createdAt,
  };
}

/** What the take records of its request: everything but display-only fields. */
function specParams(spec: GenerationSpec): Record<string, unknown> {
  const { card: _card, ...rest } = spec;
  return rest as Record<string, unknown>;
}

/** Sets a ready take's clip and puts it in the cut unless the person picked a take that is still current. */
export function applyReady(opts: { job: JournalEntry; shot: Shot; index: number }): void {
  const { job, shot, index } = opts;
  const take = shot.takes.find((t) => t.id === job.takeIds[index]);
  const clip = job.media?.[index];
  if (take && clip) {
    take.status = 'ready';
    take.media = clip.media;
    if (clip.groupClip) take.groupClip = clip.groupClip;
    mirrorCost(job, shot, take);
  }
  const selected = shot.takes.find((t) => t.id === shot.selectedTakeId);
  const selectedIsCurrent = selected?.status === 'ready' && selected.request.hash === take?.request.hash && selected.id !== take?.id;
  if (!selectedIsCurrent && take?.status === 'ready') selectTake(shot, take.id);
}

/** The ledger's actual cost of a job (a group's shared by length) on its take, once it is known. */
function mirrorCost(job: JournalEntry, shot: Shot, take: Take): boolean {
  if (job.actualUsd === undefined) return false;
  const usd = roundUsd(job.actualUsd * (job.spec.durationSec ? shot.durationSec / job.spec.durationSec : 1));
  if (take.actualUsd === usd) return false;
  take.actualUsd = usd;
  return true;
}

/** Brings a document's takes in line with the journal; true when anything changed. */
export function repairTakes(opts: {
  project: Project;
  jobs: Map<string, JournalEntry>;
  /** False when the project has no jobs.json at all (copied without it): then nothing is known of its takes' requests. */
  journalFound: boolean;
  takeFor: (job: JournalEntry, i: number, shot: Shot) => Take;
}): boolean {
  const { project, jobs } = opts;
  let changed = false;
  for (const job of jobs.values()) {
    job.shotIds.forEach((shotId, i) => {
      const shot = project.shots.find((s) => s.id === shotId);
      if (!shot) return;
      let take = shot.takes.find((t) => t.id === job.takeIds[i]);
      if (!take) {
        take = opts.takeFor(job, i, shot);
        shot.takes.push(take);
        changed = true;
      }
      if (take.status !== job.status || (take.error ?? undefined) !== (job.error ?? undefined)) {
        take.status = job.status;
        if (job.error) take.error = job.error;
        else delete take.error;
        changed = true;
      }
      if (mirrorCost(job, shot, take)) changed = true;
      if (job.status === 'ready' && job.media?.[i] && take.media?.sha256 !== job.media[i].media.sha256) {
        applyReady({ job, shot, index: i });
        changed = true;
      }
    });
  }
  for (const shot of project.shots) {
    for (const take of shot.takes) {
      if (!isTerminal(take.status) && !jobs.has(take.jobId)) {
        // The journal is written before anything is sent, so a take it never heard of was never sent —
        // unless there is no journal at all, and then nobody can say.
        take.status = 'failed';
        take.error = opts.journalFound
          ? 'Storyreel stopped before this request was recorded, so it was never sent and nothing was charged. Generate the shot again.'
          : `This project has no job journal (${JOURNAL_FILE}), so this request is no longer followed. If it was sent, ${CAPABILITIES[take.provider].label} may still have made (and charged for) the clip: check its dashboard, or generate the shot again.`;
        changed = true;
      }
    }
  }
  return changed;
}
