// Rebuilding jobs.json when it cannot be read (cut short, overwritten, bit-rotten). Paid jobs must not be
// stranded: every take in project.json names its job, its request (spec and hash), its state and — once it
// was sent — the provider's job id; the ledger holds each submission's idempotency key and what was
// charged. From these the journal is rebuilt so the engine can pick every job up again: a job whose
// provider id is known is polled, one whose key can be looked up (Kling) is looked up, one that cannot be
// either needs a person's decision (submit again, attach the id from the dashboard, or mark failed), and one
// the ledger never saw was never sent. Pure: the caller reads the files and writes the result.
import { CAPABILITIES } from '../../../shared/capabilities';
import type { GenerationSpec } from '../../../shared/generation';
import { isStopped } from '../../../shared/job-status';
import { roundUsd } from '../../../shared/pricing';
import type { Project, ProviderId, Shot, Take } from '../../../shared/schema';
import { unitLabel, workUnits } from '../../../shared/work-units';
import type { JournalEntry } from './journal';
import type { LedgerEntry } from './ledger';

export interface RecoveryReport {
  /** Labels of jobs picked up by their provider job id (polled and downloaded as usual). */
  resumed: string[];
  /** Labels of jobs that will be looked up at the provider by their idempotency key. */
  lookedUp: string[];
  /** Labels of jobs that may have been sent but cannot be found again without a person's decision. */
  needDecision: string[];
  /** Labels of jobs the ledger never recorded as sent: failed, nothing charged. */
  neverSent: string[];
  /** Finished jobs (ready, failed, canceled) recorded again as they were. */
  finished: number;
  /** Ledger submissions whose takes are not in project.json either: only the provider's dashboard knows them. */
  unknown: { jobId: string; provider: ProviderId; usd: number }[];
}

export interface RebuildOptions {
  project: Project;
  ledger: LedgerEntry[];
  now: string;
  /** The adapter's refForJobId, where the provider has one. */
  refFor: (provider: ProviderId, providerJobId: string, spec: GenerationSpec) => string | undefined;
  /** Whether the provider can look a lost submission up by its key (adapter.reconcile). */
  canLookUp: (provider: ProviderId) => boolean;
}

export function rebuildJournal(opts: RebuildOptions): { jobs: JournalEntry[]; report: RecoveryReport } {
  const { project, ledger } = opts;
  const report: RecoveryReport = { resumed: [], lookedUp: [], needDecision: [], neverSent: [], finished: 0, unknown: [] };
  // Takes by job, in timeline order (a group's job covers several shots, one take each).
  const byJob = new Map<string, { shot: Shot; take: Take }[]>();
  for (const shot of project.shots) {
    for (const take of shot.takes) {
      const list = byJob.get(take.jobId) ?? [];
      list.push({ shot, take });
      byJob.set(take.jobId, list);
    }
  }
  const jobs: JournalEntry[] = [];
  for (const [jobId, takes] of byJob) {
    const first = takes[0].take;
    const spec = first.request.params as unknown as GenerationSpec;
    const unit = workUnits(project, first.provider).find((u) => u.hash === first.request.hash && u.shotIds.join() === takes.map((t) => t.shot.id).join());
    const label = unit?.label ?? unitLabel(project.shots, { shotIds: takes.map((t) => t.shot.id) });
    const estimates = ledger.filter((l): l is Extract<LedgerEntry, { kind: 'estimate' }> => l.kind === 'estimate' && l.jobId === jobId);
    const lastEstimate = estimates.at(-1);
    const key = lastEstimate?.idempotencyKey;
    const actual = ledger.find((l): l is Extract<LedgerEntry, { kind: 'actual' }> => l.kind === 'actual' && l.jobId === jobId && (l.idempotencyKey ?? undefined) === key);
    const providerJobId = first.providerJobId ?? actual?.providerJobId;
    const entry: JournalEntry = {
      id: jobId,
      unitKey: unit?.key ?? takes[0].shot.id,
      shotIds: takes.map((t) => t.shot.id),
      takeIds: takes.map((t) => t.take.id),
      label,
      provider: first.provider,
      status: first.status,
      progress: first.status === 'ready' ? 1 : 0,
      createdAt: first.createdAt,
      updatedAt: opts.now,
      spec: spec.provider ? spec : { ...spec, provider: first.provider },
      hash: first.request.hash,
      idempotencyKey: key ?? `storyreel-recovered-${jobId}`,
      estimatedUsd: lastEstimate?.usd ?? roundUsd(takes.reduce((sum, t) => sum + t.take.estimatedUsd, 0)),
      ...(actual?.usd !== undefined ? { actualUsd: actual.usd } : {}),
      ...(first.error ? { error: first.error } : {}),
    };
    // Earlier submissions of the job ("submit again") that were never settled may have been charged.
    const unsettled = estimates.filter((e) => e !== lastEstimate && !ledger.some((l) => l.kind === 'actual' && l.jobId === jobId && l.idempotencyKey === e.idempotencyKey));
    if (unsettled.length) entry.unsettledUsd = roundUsd(unsettled.reduce((sum, e) => sum + e.usd, 0));
    if (first.status === 'ready' && takes.every((t) => t.take.media)) {
      entry.media = takes.map((t) => ({ media: t.take.media!, ...(t.take.groupClip ? { groupClip: t.take.groupClip } : {}) }));
      entry.finishedAt = opts.now;
      report.finished += 1;
    } else if (isStopped(first.status)) {
      entry.finishedAt = opts.now;
      report.finished += 1;
    } else {
      recoverUnderWay({ entry, providerJobId, sent: estimates.length > 0, delivered: first.status === 'downloading' || actual !== undefined, opts, report });
    }
    jobs.push(entry);
  }
  for (const e of ledger) {
    if (e.kind !== 'estimate' || byJob.has(e.jobId) || report.unknown.some((u) => u.jobId === e.jobId)) continue;
    if (e.provider === 'animatic') continue;
    const settled = ledger.some((l) => l.kind === 'actual' && l.jobId === e.jobId && l.idempotencyKey === e.idempotencyKey);
    if (!settled) report.unknown.push({ jobId: e.jobId, provider: e.provider, usd: e.usd });
  }
  return { jobs, report };
}

/** A job that was under way (or ready without its clip) when the journal was lost: how it goes on. */
function recoverUnderWay(o: {
  entry: JournalEntry;
  providerJobId: string | undefined;
  sent: boolean;
  delivered: boolean;
  opts: RebuildOptions;
  report: RecoveryReport;
}): void {
  const { entry, opts, report } = o;
  const name = CAPABILITIES[entry.provider].label;
  entry.progress = 0;
  delete entry.error;
  if (!CAPABILITIES[entry.provider].paid) {
    // A local render costs nothing: it simply starts again.
    entry.status = 'queued';
    entry.idempotencyKey = `storyreel-recovered-${entry.id}`;
    report.resumed.push(entry.label);
    return;
  }
  const ref = o.providerJobId ? opts.refFor(entry.provider, o.providerJobId, entry.spec) : undefined;
  if (ref) {
    entry.providerRef = ref;
    entry.status = 'submitted';
    entry.submittedAt = entry.createdAt;
    if (o.delivered) entry.deliveredAt = opts.now;
    report.resumed.push(`${entry.label} (${name} job ${o.providerJobId})`);
    return;
  }
  if (!o.sent) {
    entry.status = 'failed';
    entry.finishedAt = opts.now;
    entry.error = 'The job journal was damaged and this request was never recorded as sent, so nothing was charged. Generate the shot again.';
    report.neverSent.push(entry.label);
    return;
  }
  // Sent (or on its way) with no provider id on record: looked up by its key where the provider allows.
  entry.status = 'submitting';
  entry.submittedAt = entry.createdAt;
  if (opts.canLookUp(entry.provider)) report.lookedUp.push(entry.label);
  else report.needDecision.push(entry.label);
}

/** One paragraph for a person: what was rebuilt, what goes on by itself, and what needs them. */
export function describeRecovery(report: RecoveryReport, keptAs: string | undefined): string {
  const list = (xs: string[]) => xs.join(', ');
  const parts = [`The job journal (jobs.json) could not be read${keptAs ? ` and was kept as ${keptAs}` : ''}; it was rebuilt from the takes in project.json and the ledger.`];
  if (report.finished) parts.push(`${report.finished} finished job${report.finished === 1 ? '' : 's'} recorded again.`);
  if (report.resumed.length) parts.push(`Picked up again: ${list(report.resumed)}.`);
  if (report.lookedUp.length) parts.push(`Looked up at the provider by their request keys (nothing is sent twice): ${list(report.lookedUp)}.`);
  if (report.needDecision.length) {
    parts.push(
      `Need your decision — they may have been sent and charged, and the provider cannot be asked by key: ${list(report.needDecision)}. ` +
        'Attach the job id from the provider\'s dashboard, submit again, or mark failed (storyreel jobs lists them).',
    );
  }
  if (report.neverSent.length) parts.push(`Never sent, nothing charged (marked failed): ${list(report.neverSent)}.`);
  if (report.unknown.length) {
    const usd = roundUsd(report.unknown.reduce((s, u) => s + u.usd, 0));
    parts.push(
      `${report.unknown.length} submission${report.unknown.length === 1 ? '' : 's'} on the ledger (about $${usd.toFixed(2)}) ${report.unknown.length === 1 ? 'has' : 'have'} no take in project.json, so they cannot be followed: check the provider's dashboard for ${list(report.unknown.map((u) => u.jobId))}.`,
    );
  }
  return parts.join(' ');
}
