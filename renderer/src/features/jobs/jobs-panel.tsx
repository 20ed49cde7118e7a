// The jobs drawer: every generation request with its provider, status, progress, queue place, time,
// cost and the actions that fit its state (cancel, retry, resolve after an interrupted submit).
import { useEffect, useRef, useState } from 'react';
import type { Job } from '../../../../shared/api';
import { isInFlight, isStopped, needsDecision } from '../../../../shared/job-status';
import { formatUsd } from '../../../../shared/pricing';
import { unitLabel } from '../../../../shared/work-units';
import { costText } from '../../domain/cost-text';
import { useServices, useStudio } from '../../app/studio-context';
import { MOD_KEY } from '../../components/platform';
import { ProgressBar } from '../../components/progress-bar';
import { PROVIDER_LABELS } from '../../domain/providers';
import { Icon } from '../../components/icon';
import { formatSeconds, jobSummary, shownElapsed, sortJobs, type ShownElapsed } from './job-format';
import './jobs.css';
import { STATUS_TEXT } from '../../domain/status-text';
import { queuePlace } from '../../../../shared/queue-place';


const MAX_ROWS = 100;

/** Re-renders once a second while something is running, so elapsed time moves between events. */
function useTick(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

function JobRow({ job, now }: { job: Job; now: number }) {
  const { client, store } = useServices();
  const [busy, setBusy] = useState(false);
  const [attaching, setAttaching] = useState(false);
  const live = isInFlight(job.status);
  // Named from the shots' current order (the job keeps only their ids), so a reorder renames it at once.
  const named = useStudio((s) => unitLabel(s.doc?.project.shots ?? [], job));
  const label = named.charAt(0).toUpperCase() + named.slice(1);
  // One topic per job: a newer word about it replaces the older, and an action that works takes its error down.
  const topic = `job:${job.id}`;
  /** Runs an action on this job; resolves with why it failed (nothing changed then), or undefined when it worked. */
  const run = async (action: () => Promise<Job>): Promise<string | undefined> => {
    setBusy(true);
    try {
      store.getState().upsertJobs([await action()]);
      store.getState().clearToasts(topic);
      return undefined;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    } finally {
      setBusy(false);
    }
  };
  const act = async (what: string, action: () => Promise<Job>) => {
    const why = await run(action);
    if (why) store.getState().pushToast({ kind: 'error', topic, title: `Could not ${what} ${named}`, message: `${why} The job and its take are unchanged; try again in a moment.` });
  };
  // A refused id is said beside the field it was typed in (a toast would cover the drawer), so it can be fixed there.
  const attach = (id: string) => run(() => client.invoke('jobs.resolve', { jobId: job.id, action: 'attach', providerJobId: id }));
  const shown = useRef<ShownElapsed | undefined>(undefined);
  shown.current = shownElapsed(job, now, shown.current);
  const elapsed = shown.current?.sec;
  const { text: cost, title: costTitle } = costText(job);
  let status = STATUS_TEXT[job.status];
  if (job.status === 'queued' && job.queuePosition !== undefined) status = `Queued · ${queuePlace(job.queuePosition)}`;
  // A submitted job waits in the provider's own queue; its place there is the provider's figure.
  if (job.status === 'submitted' && job.queuePosition !== undefined) status = `Submitted · ${queuePlace(job.queuePosition)}`;
  if (job.status === 'running' && job.progress > 0) status = `Generating ${Math.round(job.progress * 100)}%`;
  const statusTitle =
    job.status === 'submitted'
      ? `Sent to ${PROVIDER_LABELS[job.provider]}, waiting in its queue`
      : job.status === 'queued'
        ? `Waiting here for a free ${PROVIDER_LABELS[job.provider]} slot; nothing is sent or charged yet`
        : undefined;
  const hover = [job.providerJobId ? `${PROVIDER_LABELS[job.provider]} job id: ${job.providerJobId}` : `No ${PROVIDER_LABELS[job.provider]} job id yet`, job.error].filter(Boolean).join('\n');

  return (
    // A group, not a listitem: "a listitem named by its title" is how a shot is found (docs/architecture.md §8).
    <div className={`job job--${job.status}`} role="group" aria-label={`Job ${label}`} title={hover}>
      <div className="job__top">
        <span className="job__name">{label}</span>
        <span className={`job__badge job__badge--${job.status}`} title={statusTitle}>
          {status}
        </span>
      </div>
      {live ? <ProgressBar fraction={job.status === 'queued' || job.progress === 0 ? null : job.progress} label={`${label} progress`} /> : null}
      <div className="job__meta">
        <span>{PROVIDER_LABELS[job.provider].replace(' (local)', '')}</span>
        {elapsed !== undefined ? <span title="Time since the request was sent">{formatSeconds(elapsed)}</span> : null}
        {live && job.etaSec !== undefined ? <span title="Time left, learned from earlier jobs of this provider and tier">~{formatSeconds(job.etaSec)} left</span> : null}
        <span title={costTitle}>{cost}</span>
        <span className="panel__grow" />
        {live ? (
          <button type="button" className="btn btn--tiny btn--danger" disabled={busy} onClick={() => void act('cancel', () => client.invoke('jobs.cancel', { jobId: job.id }))}>
            Cancel
          </button>
        ) : null}
        {isStopped(job.status) ? (
          <button
            type="button"
            className="btn btn--tiny"
            disabled={busy}
            title="Send it again as a new take (the old one is kept)"
            onClick={() => void act('retry', () => client.invoke('jobs.retry', { jobId: job.id }))}
          >
            <Icon name="retry" size={12} />
            Retry
          </button>
        ) : null}
      </div>
      {job.error && !needsDecision(job.status) ? <p className="job__error">{job.error}</p> : null}
      {needsDecision(job.status) ? (
        <div className="job__attention" role="note">
          {/* The decision first (the drawer is short), then why it is needed. */}
          <div className="job__attention-actions">
            <p className="job__warn">
              <strong>Submitting again may charge twice.</strong>
            </p>
            <button
              type="button"
              className="btn btn--tiny btn--secondary"
              disabled={busy}
              title={`Send a new request to ${PROVIDER_LABELS[job.provider]}; if the first one arrived, both are charged`}
              onClick={() => void act('submit again', () => client.invoke('jobs.resolve', { jobId: job.id, action: 'submit-again' }))}
            >
              Submit again
            </button>
            <button
              type="button"
              className="btn btn--tiny"
              disabled={busy}
              aria-expanded={attaching}
              title={`Found the job on ${PROVIDER_LABELS[job.provider]}'s dashboard? Give its id and Storyreel downloads that clip (nothing is sent again)`}
              onClick={() => setAttaching((a) => !a)}
            >
              Attach job id…
            </button>
            <button
              type="button"
              className="btn btn--tiny"
              disabled={busy}
              title="Settle it as failed without sending anything (Retry stays possible; its estimate stays on the budget, as the provider may have charged)"
              onClick={() => void act('mark failed', () => client.invoke('jobs.resolve', { jobId: job.id, action: 'mark-failed' }))}
            >
              Mark failed
            </button>
          </div>
          {attaching ? <AttachForm job={job} busy={busy} onAttach={attach} onClose={() => setAttaching(false)} /> : null}
          <p className="job__why">
            {job.error ?? 'Storyreel stopped while sending this request, so it cannot tell whether the provider received it.'}
            {/dashboard/i.test(job.error ?? '') ? null : ` Check your ${PROVIDER_LABELS[job.provider]} dashboard${job.providerJobId ? ` for job ${job.providerJobId}` : ''} first.`}
          </p>
        </div>
      ) : null}
    </div>
  );
}

/** The id of the provider's job, typed or pasted from its dashboard; checked with the provider before it is used. */
function AttachForm({ job, busy, onAttach, onClose }: { job: Job; busy: boolean; onAttach: (id: string) => Promise<string | undefined>; onClose: () => void }) {
  const [id, setId] = useState('');
  const [refused, setRefused] = useState<string | undefined>();
  const name = PROVIDER_LABELS[job.provider];
  return (
    <form
      className="job__attach"
      aria-label={`Attach a ${name} job id`}
      onSubmit={(e) => {
        e.preventDefault();
        if (id.trim()) void onAttach(id.trim()).then(setRefused);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <input
        className="input job__attach-input"
        aria-label={`${name} job id`}
        placeholder={`${name} request id, from its dashboard`}
        value={id}
        autoFocus
        spellCheck={false}
        onChange={(e) => {
          setId(e.target.value);
          setRefused(undefined);
        }}
        aria-invalid={refused ? true : undefined}
        aria-describedby={refused ? `attach-why-${job.id}` : undefined}
      />
      <button type="submit" className="btn btn--tiny btn--secondary" disabled={busy || !id.trim()} title="Check the id with the provider, then follow that job and download its clip">
        Attach
      </button>
      {refused ? (
        <p id={`attach-why-${job.id}`} className="job__attach-why" role="alert">
          {refused}
        </p>
      ) : null}
    </form>
  );
}

export function JobsPanel() {
  const jobs = useStudio((s) => s.jobs);
  const [open, setOpen] = useState(true);
  const list = sortJobs([...jobs.values()]).slice(0, MAX_ROWS);
  const summary = jobSummary([...jobs.values()]);
  const now = useTick(summary.live > 0);
  const badge = summary.live > 0 ? `${summary.live} running` : summary.attention > 0 ? `${summary.attention} need attention` : String(jobs.size);
  return (
    <section className={`panel jobs${open ? '' : ' jobs--collapsed'}`} aria-label="Jobs">
      <header className="panel__head">
        <button type="button" className="jobs__toggle" aria-expanded={open} aria-controls="jobs-body" onClick={() => setOpen((o) => !o)} title={open ? 'Collapse the jobs drawer' : 'Show the jobs'}>
          <Icon name="chevron" size={13} className="jobs__chevron" />
          <h2 className="panel__title">Jobs</h2>
        </button>
        <span className={`panel__meta${summary.attention > 0 ? ' jobs__meta--bad' : summary.live > 0 ? ' jobs__meta--live' : ''}`} aria-label={`Jobs: ${badge}`}>
          {badge}
        </span>
        <span className="panel__grow" />
        {summary.spentUsd > 0 ? (
          <span className="jobs__spent" title="What the listed jobs cost: the provider's figure where it reported one, else the estimate">
            {formatUsd(summary.spentUsd)} spent
          </span>
        ) : null}
      </header>
      {open ? (
        <div className="jobs__scroll" id="jobs-body">
          {list.length === 0 ? (
            <p className="empty-note">No jobs yet. “Generate all” (or <kbd className="kbd">{MOD_KEY}↵</kbd> on a selected shot) sends requests; each one shows here with its progress, time and cost.</p>
          ) : (
            list.map((job) => <JobRow key={job.id} job={job} now={now} />)
          )}
        </div>
      ) : (
        <p className="jobs__folded">
          {jobs.size === 0
            ? 'No jobs yet.'
            : `${summary.live > 0 ? `${summary.live} running · ` : ''}${summary.attention > 0 ? `${summary.attention} need attention · ` : ''}${jobs.size} in all. Open the drawer to see each one.`}
        </p>
      )}
    </section>
  );
}
