import type { Job } from '../../../../shared/api';
import { useStudio } from '../../app/studio-context';
import { ProgressBar } from '../../components/progress-bar';
import { shotName } from '../../store/selectors';

const STATUS_TEXT: Record<Job['status'], string> = {
  queued: 'Queued',
  submitting: 'Submitting',
  submitted: 'Submitted',
  running: 'Generating',
  downloading: 'Downloading',
  ready: 'Ready',
  failed: 'Failed',
  canceled: 'Canceled',
  'needs-attention': 'Needs attention',
};

const MAX_ROWS = 50;

function elapsed(job: Job): string {
  const ms = Date.parse(job.updatedAt) - Date.parse(job.createdAt);
  if (!Number.isFinite(ms) || ms < 0) return '';
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} m ${Math.round(s % 60)} s`;
}

function JobRow({ job }: { job: Job }) {
  const shotLabel = useStudio((s) => {
    const shots = s.doc?.project.shots ?? [];
    const index = shots.findIndex((x) => x.id === job.shotId);
    return index >= 0 ? shotName(shots[index], index) : 'Deleted shot';
  });
  const live = !['ready', 'failed', 'canceled', 'needs-attention'].includes(job.status);
  return (
    <tr className={`job job--${job.status}`} title={job.error}>
      <td className="job__shot">
        <span className="job__name">{shotLabel}</span>
        {live ? (
          <ProgressBar fraction={job.status === 'queued' || job.progress === 0 ? null : job.progress} label={`${shotLabel} progress`} />
        ) : job.error ? (
          <span className="job__error">{job.error}</span>
        ) : null}
      </td>
      <td className="job__status">
        <span className={`job__badge job__badge--${job.status}`}>{STATUS_TEXT[job.status]}</span>
      </td>
      <td className="job__time">{live ? (job.progress > 0 ? `${Math.round(job.progress * 100)}%` : '') : elapsed(job)}</td>
    </tr>
  );
}

export function JobsPanel() {
  const jobs = useStudio((s) => s.jobs);
  const list = [...jobs.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0)).slice(0, MAX_ROWS);
  const running = list.filter((j) => !['ready', 'failed', 'canceled', 'needs-attention'].includes(j.status)).length;
  return (
    <section className="panel jobs" aria-label="Jobs">
      <header className="panel__head">
        <h2 className="panel__title">Jobs</h2>
        <span className="panel__meta">{running > 0 ? `${running} running` : `${jobs.size}`}</span>
      </header>
      <div className="jobs__scroll">
        {list.length === 0 ? (
          <p className="empty-note">No jobs yet. Generate a shot and its job appears here.</p>
        ) : (
          <table className="jobs__table">
            {/* table-layout: fixed takes column widths from here, not from the (visually hidden) header. */}
            <colgroup>
              <col />
              <col className="jobs__col-status" />
              <col className="jobs__col-time" />
            </colgroup>
            <thead className="sr-only">
              <tr>
                <th>Shot</th>
                <th>Status</th>
                <th>Time</th>
              </tr>
            </thead>
            <tbody>
              {list.map((job) => (
                <JobRow key={job.id} job={job} />
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
