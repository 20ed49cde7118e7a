// The CLI's view of the journal: `storyreel jobs <dir>` lists every generation job, and
// `storyreel resolve <dir> <job> submit-again|mark-failed|attach <id>` settles one that needs a person's decision.
// Neither starts any other work: resolving only records the decision, and the next `render` (or the
// app) carries it out.
import type { Job } from '../../../shared/api';
import { CAPABILITIES } from '../../../shared/capabilities';
import { StudioError } from '../../../shared/errors';
import { needsDecision } from '../../../shared/job-status';
import { formatUsd } from '../../../shared/pricing';
import type { ProviderId } from '../../../shared/schema';
import { withProjectLock } from '../project/lock';
import { ProjectSession } from '../project/session';
import type { ProviderAdapter, ProviderConfig } from '../providers/provider';
import { Engine, toPublicJob } from './engine';
import { JOURNAL_FILE, readJournal } from './journal';
import { SlotScheduler } from './scheduler';

export function formatSeconds(sec: number): string {
  const s = Math.round(sec);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
}

/** One line per job for a terminal: status, what, where at the provider, time, cost, and what went wrong. */
export function jobLine(job: Job): string {
  const parts = [job.id, job.status.padEnd(15), `${job.provider.padEnd(9)}`, job.label];
  const extra: string[] = [];
  if (job.providerJobId) extra.push(`${CAPABILITIES[job.provider].label} job ${job.providerJobId}`);
  if (job.elapsedSec !== undefined) extra.push(`${formatSeconds(job.elapsedSec)}${job.status === 'ready' ? '' : ' elapsed'}`);
  if (job.etaSec !== undefined) extra.push(`about ${formatSeconds(job.etaSec)} left`);
  if (job.estimatedUsd > 0) extra.push(`est. ${formatUsd(job.estimatedUsd)}${job.actualUsd !== undefined ? `, charged ${formatUsd(job.actualUsd)}` : ''}`);
  return `${parts.join('  ')}${extra.length ? ` (${extra.join(', ')})` : ''}${job.error ? `\n    ${job.error}` : ''}`;
}

interface EngineAccess {
  dir: string;
  providers: Map<ProviderId, ProviderAdapter>;
  resolveConfig: (id: ProviderId) => ProviderConfig | undefined;
}

/**
 * Opens the project's journal without starting anything, runs `use`, and saves — under the project's lock:
 * a studio that has the project open would otherwise overwrite the decision with its own journal.
 */
function withIdleEngine<T>(access: EngineAccess, use: (engine: Engine) => Promise<T>): Promise<T> {
  const wording = {
    notDone: 'the job was not settled and nothing was changed',
    advice: 'Settle it in that studio instead (Jobs panel: Submit again or Mark failed), or close that studio and run this again',
  };
  return withProjectLock(access.dir, wording, () => withIdleEngineUnlocked(access, use));
}

async function withIdleEngineUnlocked<T>(access: EngineAccess, use: (engine: Engine) => Promise<T>): Promise<T> {
  const session = await ProjectSession.open(access.dir);
  // Its own scheduler: nothing this engine holds may start, and no other project's slots are touched.
  const engine = new Engine({ session, providers: access.providers, resolveConfig: access.resolveConfig, scheduler: new SlotScheduler() });
  try {
    await engine.load();
    return await use(engine);
  } finally {
    await engine.close();
    await session.close();
  }
}

/** Reads the journal only: listing never writes to the project (it may be open in the app right now). */
export async function listJobs(dir: string): Promise<Job[]> {
  const read = await readJournal(dir);
  if (read.kind === 'unreadable') throw new StudioError('PROJECT_CORRUPT', `The job journal (${JOURNAL_FILE}) in ${dir} cannot be read. Open the project in Storyreel (or run storyreel render), which keeps it aside and rebuilds it from project.json and the ledger.`);
  return read.kind === 'missing' ? [] : read.data.jobs.map((j) => toPublicJob(j, read.data.learned));
}

export function resolveJob(access: EngineAccess & { jobId: string; action: string; providerJobId?: string }): Promise<Job> {
  if (access.action !== 'submit-again' && access.action !== 'mark-failed' && access.action !== 'attach') {
    throw new StudioError(
      'INVALID_INPUT',
      `Unknown action "${access.action}": use submit-again (send it once more; the provider may charge twice if the first request did arrive), attach <id> (follow the job the provider's dashboard shows) or mark-failed.`,
    );
  }
  if (access.action === 'attach' && !access.providerJobId) throw new StudioError('INVALID_INPUT', 'attach needs the provider\'s job id: storyreel resolve <dir> <job> attach <id>. Nothing was changed.');
  if (access.action !== 'attach' && access.providerJobId) throw new StudioError('INVALID_INPUT', `Unexpected argument "${access.providerJobId}" after ${access.action}. Nothing was changed.`);
  const action = access.action;
  return withIdleEngine(access, async (engine) => {
    const matches = engine.list().filter((j) => j.id === access.jobId || j.providerJobId === access.jobId);
    if (matches.length !== 1) {
      const waiting = engine.list().filter((j) => needsDecision(j.status));
      const hint = waiting.length ? ` Jobs that need attention: ${waiting.map((j) => `${j.id} (${j.label})`).join(', ')}.` : ' No job needs attention.';
      throw new StudioError('NOT_FOUND', `There is no job ${access.jobId} in this project.${hint}`);
    }
    return engine.resolve(matches[0].id, action, access.providerJobId);
  });
}
