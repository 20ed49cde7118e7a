// `storyreel jobs <dir> [--json]` and `storyreel resolve <dir> <job> <action> [<id>]`: the journal, read and settled.
import { CAPABILITIES } from '../../shared/capabilities';
import { jobLine, listJobs, resolveJob } from './jobs/commands';
import { createAdapters, envConfig } from './providers/registry';

/** Prints the jobs: one line each, or `{ "jobs": [Job…] }` (the contract's Job shape) with --json. */
export async function cmdJobs(dir: string, opts: { json?: boolean }): Promise<number> {
  const jobs = await listJobs(dir);
  if (opts.json) console.log(JSON.stringify({ jobs }, null, 2));
  else for (const job of jobs) console.log(jobLine(job));
  return 0;
}

export async function cmdResolve(dir: string, rest: string[]): Promise<number> {
  const job = await resolveJob({ dir, providers: createAdapters(), resolveConfig: envConfig(), jobId: rest[0], action: rest[1], providerJobId: rest[2] });
  console.log(
    job.status === 'queued'
      ? `${job.label} will be sent again at the next render.`
      : job.status === 'failed'
        ? `${job.label} is marked failed.${job.error?.includes('stays counted') ? ' Its estimate stays counted against the budget: the provider may have charged for it.' : ''}`
        : `${job.label} now follows ${CAPABILITIES[job.provider].label} job ${job.providerJobId}; the next render downloads the clip when it is ready.`,
  );
  return 0;
}
