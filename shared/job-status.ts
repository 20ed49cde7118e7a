// A job's (and its take's) status, as one table: the transitions between statuses (status × event → status)
// and, derived from them, the classes the engine, the drawer, the toolbar, the shot status and the CLI ask
// about (terminal, final, in flight, waiting for a decision, ended without a clip). Adding a status to
// TakeStatusSchema fails the typecheck here until its transitions are written down.
import { TakeStatusSchema, type TakeStatus } from './schema';

export type JobStatus = TakeStatus;
export const JOB_STATUSES: readonly JobStatus[] = TakeStatusSchema.options;

/**
 * What moves a job. `progress`: the engine moving a job on by itself while it runs; `outcome`: the engine
 * ending (or losing track of) a job; `decision`: a person, or a reopen of the project, moving a job that waits.
 */
export const JOB_EVENTS = {
  /** The request leaves (write-ahead: on disk before it does). */
  send: 'progress',
  /** The provider answered with its job id (or a lookup by key found it). */
  accept: 'progress',
  /** A poll says the provider has it queued. */
  'provider-queued': 'progress',
  /** A poll says the provider is working on it. */
  'provider-running': 'progress',
  /** The provider says the clip is made (and charged): it is being brought home. */
  deliver: 'progress',
  /** The clip is on disk, checked and hashed. */
  'clip-checked': 'progress',
  /** The outcome is unknown or contact was lost: kept, waiting for a person or a reopen. */
  'lose-track': 'outcome',
  fail: 'outcome',
  cancel: 'decision',
  /** A job with a provider id picked up again when the project is opened (or the id is attached by a person). */
  resume: 'decision',
  /** "Submit again": a new submission of the same job. */
  'submit-again': 'decision',
  /** "Mark failed". */
  'mark-failed': 'decision',
} as const satisfies Record<string, 'progress' | 'outcome' | 'decision'>;

export type JobEvent = keyof typeof JOB_EVENTS;

/**
 * Every move a job can make: from-status × event → to-status. Whatever is not here is refused. A status
 * patch to the status a job already has is not a move (a job may be told again what it is).
 */
export const JOB_TRANSITIONS = {
  queued: { send: 'submitting', fail: 'failed', cancel: 'canceled' },
  // `send` again: a lookup by key found nothing, so the request goes out again under the same key.
  submitting: { send: 'submitting', accept: 'submitted', 'lose-track': 'needs-attention', fail: 'failed', cancel: 'canceled' },
  submitted: { 'provider-running': 'running', deliver: 'downloading', 'lose-track': 'needs-attention', fail: 'failed', cancel: 'canceled' },
  running: { 'provider-queued': 'submitted', deliver: 'downloading', 'lose-track': 'needs-attention', fail: 'failed', cancel: 'canceled' },
  // A job resumed while downloading is polled again first, and the provider's word goes. A cancel asked
  // for before the clip was delivered may land after (the engine refuses to cancel a download it knows of).
  downloading: { 'provider-queued': 'submitted', 'provider-running': 'running', 'clip-checked': 'ready', 'lose-track': 'needs-attention', fail: 'failed', cancel: 'canceled' },
  // `fail`: a job picked up again that cannot even start (its provider is no longer configured).
  'needs-attention': { resume: 'submitted', 'submit-again': 'queued', 'mark-failed': 'failed', fail: 'failed' },
  ready: {},
  failed: {},
  canceled: {},
} as const satisfies Record<JobStatus, Partial<Record<JobEvent, JobStatus>>>;

/** The status `event` moves a job in `from` to, or undefined when the table has no such move. */
export function nextStatus(from: JobStatus, event: JobEvent): JobStatus | undefined {
  return (JOB_TRANSITIONS[from] as Partial<Record<JobEvent, JobStatus>>)[event];
}

const exits = (status: JobStatus) => Object.keys(JOB_TRANSITIONS[status]) as JobEvent[];

export interface StatusClass {
  /** Nothing moves the job out of it: a new attempt is a new job (jobs.retry). */
  final: boolean;
  /** The job does not move on by itself (final, or waiting for a person or a reopen). */
  terminal: boolean;
  /** Queued or under way: the job moves on by itself. */
  inFlight: boolean;
  /** Waiting for a person's decision (or, with a provider id, for the project to be opened again). */
  needsDecision: boolean;
  /** Ended without a clip, and can be tried again as a new job. */
  stopped: boolean;
}

/** The classes of every status, derived from the transition table. */
export const STATUS_CLASS: Readonly<Record<JobStatus, StatusClass>> = Object.fromEntries(
  JOB_STATUSES.map((status) => {
    const out = exits(status);
    const final = out.length === 0;
    const terminal = !out.some((e) => JOB_EVENTS[e] === 'progress');
    return [status, { final, terminal, inFlight: !terminal, needsDecision: !final && terminal, stopped: final && status !== 'ready' }];
  }),
) as Record<JobStatus, StatusClass>;

const having = (key: keyof StatusClass) => JOB_STATUSES.filter((s) => STATUS_CLASS[s][key]);

/** Statuses a job does not leave by itself: ready, failed, canceled, needs-attention. */
export const TERMINAL_STATUSES: readonly JobStatus[] = having('terminal');
/** Statuses nothing moves a job out of: ready, failed, canceled. */
export const FINAL_STATUSES: readonly JobStatus[] = having('final');
/** Queued or under way. */
export const IN_FLIGHT_STATUSES: readonly JobStatus[] = having('inFlight');

export const isTerminal = (s: JobStatus): boolean => STATUS_CLASS[s].terminal;
export const isFinal = (s: JobStatus): boolean => STATUS_CLASS[s].final;
export const isInFlight = (s: JobStatus): boolean => STATUS_CLASS[s].inFlight;
export const needsDecision = (s: JobStatus): boolean => STATUS_CLASS[s].needsDecision;
export const isStopped = (s: JobStatus): boolean => STATUS_CLASS[s].stopped;

/**
 * Whether opening the project picks the job up again by itself: it moves on by itself, or it waits with the
 * provider's job id (it is resumed: the provider is asked about that job, nothing is sent again). A job that
 * waits without an id waits for a person.
 */
export const resumesOnOpen = (s: JobStatus, hasProviderJob: boolean): boolean => isInFlight(s) || (needsDecision(s) && hasProviderJob);
