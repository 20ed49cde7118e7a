// "Attach job id": the third way out of a submission whose fate is unknown at a provider that cannot be
// asked by key (fal, Replicate). The person finds the job on the provider's dashboard and gives its id;
// Storyreel checks with the provider that the id is a job it knows, then follows it like any other —
// polled and downloaded, charged once.
import { CAPABILITIES } from '../../../shared/capabilities';
import { StudioError } from '../../../shared/errors';
import { ProviderError } from '../providers/provider-error';
import type { AdapterContext, ProviderAdapter } from '../providers/provider';
import type { JournalEntry } from './journal';

/** What a provider job id may look like: the ids fal, Replicate and Kling hand out, nothing that could be a URL or a path. */
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{2,127}$/;

/** Checks the id and asks the provider about it once; returns the reference to follow. Throws, changing nothing, otherwise. */
export async function checkAttach(opts: { job: JournalEntry; id: string | undefined; adapter: ProviderAdapter | undefined; ctx: () => AdapterContext }): Promise<string> {
  const { job, adapter } = opts;
  const name = CAPABILITIES[job.provider].label;
  const id = (opts.id ?? '').trim();
  const unchanged = 'The job still needs your decision; nothing was sent.';
  if (!adapter?.refForJobId) throw new StudioError('INVALID_INPUT', `${name} jobs cannot be attached by id. ${unchanged}`);
  if (!ID.test(id)) {
    throw new StudioError('INVALID_INPUT', `"${id.slice(0, 60)}" is not a ${name} job id (copy the request id from ${name}'s dashboard: letters, digits, - and _). ${unchanged}`);
  }
  const ref = adapter.refForJobId(id, job.spec);
  try {
    await adapter.poll(ref, opts.ctx());
  } catch (err) {
    if (err instanceof ProviderError && err.kind === 'not-found') {
      throw new StudioError('NOT_FOUND', `${name} does not know a job ${id} (for this kind of request). Check the id on ${name}'s dashboard. ${unchanged}`);
    }
    const why = err instanceof Error ? err.message : String(err);
    throw new StudioError('PROVIDER_ERROR', `Could not check job ${id} with ${name}: ${why} ${unchanged} Try again when ${name} is reachable.`);
  }
  return ref;
}
