// What the shot list, timeline and toolbar say about a shot's generation state.
import type { Job } from '../../../shared/api';
import { isInFlight } from '../../../shared/job-status';
import type { Project, Shot, Take } from '../../../shared/schema';
import { shotNeed, takeFit, type ShotNeed } from '../../../shared/take-currency';
import { currentHashesOf, currentTakeTest } from './take-currency';
import { queuePlace } from '../../../shared/queue-place';

export type ShotStatus =
  | { kind: 'none' }
  | { kind: 'stale' }
  /** Its takes were made for these parameters but are shorter than the shot now: the cut holds the last frame. */
  | { kind: 'short' }
  | { kind: 'queued'; position?: number }
  | { kind: 'generating'; progress: number }
  | { kind: 'downloading' }
  /** `draft`: the only current clip is an animatic draft, which the project's cloud provider will replace. */
  | { kind: 'ready'; draft?: boolean }
  | { kind: 'failed'; message: string }
  | { kind: 'canceled' }
  | { kind: 'attention'; message: string };

function inFlightStatus(take: Take, job: Job | undefined): ShotStatus {
  const status = job?.status ?? take.status;
  if (status === 'queued') return { kind: 'queued', ...(job?.queuePosition !== undefined ? { position: job.queuePosition } : {}) };
  if (status === 'downloading') return { kind: 'downloading' };
  return { kind: 'generating', progress: job?.progress ?? 0 };
}

export function shotStatus(project: Project, shot: Shot, jobs: ReadonlyMap<string, Job>): ShotStatus {
  const isCurrent = currentTakeTest(project, shot);
  const current = shot.takes.filter(isCurrent);
  const flying = current.findLast((t) => isInFlight(t.status));
  if (flying) return inFlightStatus(flying, jobs.get(flying.jobId));
  if (current.some((t) => t.status === 'ready')) return needOf(project, shot) === 'draft-only' ? { kind: 'ready', draft: true } : { kind: 'ready' };
  const last = current.at(-1);
  if (last?.status === 'failed') return { kind: 'failed', message: last.error ?? jobs.get(last.jobId)?.error ?? 'The provider gave no reason.' };
  if (last?.status === 'canceled') return { kind: 'canceled' };
  if (last?.status === 'needs-attention') {
    return { kind: 'attention', message: last.error ?? 'The job was interrupted; check it with the provider before retrying.' };
  }
  const want = currentHashesOf(project).get(shot.id);
  if (shot.takes.some((t) => t.status === 'ready' && takeFit(t, want) === 'short')) return { kind: 'short' };
  return shot.takes.length > 0 ? { kind: 'stale' } : { kind: 'none' };
}

/** What the project's provider has to do for the shot (the engine's "generate all" rule, shared/take-currency.ts). */
export function needOf(project: Project, shot: Shot): ShotNeed {
  return shotNeed(shot, currentHashesOf(project).get(shot.id), project.settings.provider);
}

/** Same rule as the engine's "generate all": no current take that is ready or on its way (for a cloud provider, no animatic draft). */
export function needsGeneration(project: Project, shot: Shot): boolean {
  return needOf(project, shot) !== 'covered';
}

export function statusLabel(status: ShotStatus): string {
  switch (status.kind) {
    case 'none':
      return 'No take';
    case 'stale':
      return 'Changed · regenerate';
    case 'short':
      return 'Needs a longer take';
    case 'queued':
      // Providers report how many requests are ahead of this one.
      if (status.position === undefined) return 'Queued';
      return `Queued · ${queuePlace(status.position)}`;
    case 'generating':
      // Some providers (the animatic among them) report no progress: say it runs, not "0%".
      return status.progress > 0 ? `Generating ${Math.round(status.progress * 100)}%` : 'Generating…';
    case 'downloading':
      return 'Downloading';
    case 'ready':
      return status.draft ? 'Animatic draft' : 'Ready';
    case 'failed':
      return `Failed: ${status.message}`;
    case 'canceled':
      return 'Canceled';
    case 'attention':
      return `Needs attention: ${status.message}`;
  }
}
