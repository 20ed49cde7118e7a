// Messages about a job's outcome that must say exactly what happened — no "retries" for a request that was
// not sent again, no "nothing was lost" for a clip that was paid for and not downloaded. Pure.
import type { Job } from '../../../shared/api';
import { CAPABILITIES } from '../../../shared/capabilities';
import { isStopped, needsDecision } from '../../../shared/job-status';
import type { ProviderError } from '../providers/provider-error';

/** The three ways out of a submission whose fate is unknown, as the drawer and the CLI name them. */
export const DECISIONS = `choose "Submit again" or "Mark failed" — or, if the dashboard shows the job, attach its id ("Attach job id"; storyreel resolve <dir> <job> attach <id>) so Storyreel follows that one`;

/**
 * A submit answered with an outage or a dropped connection, at a provider that cannot be asked whether the
 * job was created: what happened, that it was not sent again, and what to do. (The error's own text would
 * promise a retry that does not happen.)
 */
export function outcomeUnknownMessage(err: ProviderError, name: string): string {
  const said = err.providerMessage && err.kind !== 'network' ? ` ${name} said: “${err.providerMessage}”.` : '';
  const what = err.kind === 'network' ? `The connection to ${name} failed while sending this request (${err.providerMessage}).` : `${name} answered HTTP ${err.status ?? '5xx'} while this request was being sent.${said}`;
  return `${what} The request may or may not have reached ${name}, which cannot be asked about it, so Storyreel did not send it again (that could charge twice). Check ${name}'s dashboard, then ${DECISIONS}.`;
}

/** A job the provider made (and charged for) whose clip never reached the project. */
export function paidButNotDownloaded(job: Job): boolean {
  return job.status === 'failed' && job.deliveredAt !== undefined;
}

/**
 * What `storyreel render` says about the requests that did not finish: lines for stderr. Each kind of outcome
 * is told what happens to it next; a clip that was paid for and not downloaded is named with its job id, and
 * "nothing paid for was lost" is said only when it is true.
 */
export function unfinishedLines(jobs: Job[]): string[] {
  if (!jobs.length) return [];
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const lost = jobs.filter(paidButNotDownloaded);
  const kept = jobs.filter((j) => needsDecision(j.status) && j.providerJobId);
  const waiting = jobs.filter((j) => needsDecision(j.status) && !j.providerJobId);
  const failed = jobs.filter((j) => isStopped(j.status) && !paidButNotDownloaded(j));
  const lines = [`${n(jobs.length, 'request')} did not finish; ${jobs.length === 1 ? 'its shot appears' : 'their shots appear'} as slates.`];
  for (const job of lost) {
    const name = CAPABILITIES[job.provider].label;
    lines.push(
      `  ${job.label}: ${name} made this clip and charged for it${job.providerJobId ? ` (${name} job ${job.providerJobId})` : ''}, but it could not be downloaded. ` +
        `Recover it from ${name}'s dashboard with the job id and bring it in with storyreel import-take; generating the shot again is charged again.`,
    );
  }
  if (kept.length) lines.push(`  ${n(kept.length, 'job')} kept at the provider: the next render picks ${kept.length === 1 ? 'it' : 'them'} up where ${kept.length === 1 ? 'it' : 'they'} stopped.`);
  if (waiting.length) lines.push(`  ${n(waiting.length, 'request')} wait${waiting.length === 1 ? 's' : ''} for your decision (see above); render does not send ${waiting.length === 1 ? 'it' : 'them'} again by itself.`);
  if (failed.length) lines.push(`  ${n(failed.length, 'request')} failed before a clip was delivered: the next render sends ${failed.length === 1 ? 'a new request' : 'new requests'} for ${failed.length === 1 ? 'that shot' : 'those shots'}.`);
  lines.push(lost.length ? `Paid for and not downloaded: ${n(lost.length, 'clip')} (above).` : 'Nothing paid for was lost.');
  return lines;
}
