// How a take's or job's status reads in the studio (one wording for the takes grid and the jobs drawer).
import type { TakeStatus } from '../../../shared/schema';

export const STATUS_TEXT: Record<TakeStatus, string> = {
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
