// Provider failures mapped to what a person can act on (issue: key rejected, balance, validation,
// content policy, rate limit, outage). Messages never contain a key: adapters build them from the
// provider's response body and status only, and `redact` scrubs anything key-shaped that slips in.
import { StudioError } from '../../../shared/errors';
import type { ProviderId } from '../../../shared/schema';
import { CAPABILITIES, credentialEnvHint } from '../../../shared/capabilities';

export type ProviderErrorKind =
  | 'auth' // key missing or rejected
  | 'balance' // out of credit
  | 'validation' // the provider refused a parameter
  | 'policy' // content moderation
  | 'rate-limit' // 429: wait and retry
  | 'outage' // 5xx / maintenance: retry with backoff
  | 'network' // connection failed or dropped
  | 'not-found' // unknown job / model
  | 'expired' // the result URL is gone
  | 'failed'; // the model ran and failed

export interface ProviderErrorInit {
  provider: ProviderId;
  kind: ProviderErrorKind;
  /** The provider's own words (already free of secrets). */
  providerMessage: string;
  /** The request field the provider blamed, in our vocabulary where known (e.g. "duration"). */
  field?: string;
  status?: number;
  retryAfterMs?: number;
  /** The provider's job id, so a person can recover a clip by hand. */
  jobRef?: string;
  /**
   * The failure came before the request that creates (and charges for) a job was sent — e.g. uploading a
   * reference image — so no job can exist and sending again cannot charge twice.
   */
  nothingCreated?: boolean;
}

const RETRYABLE: ProviderErrorKind[] = ['rate-limit', 'outage', 'network'];

export class ProviderError extends StudioError {
  readonly provider: ProviderId;
  readonly kind: ProviderErrorKind;
  readonly providerMessage: string;
  readonly field?: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly jobRef?: string;
  readonly nothingCreated: boolean;

  constructor(init: ProviderErrorInit) {
    const message = redact(describe(init));
    super('PROVIDER_ERROR', message, init.field ? [`${init.field}: ${redact(init.providerMessage)}`] : undefined);
    this.name = 'ProviderError';
    this.provider = init.provider;
    this.kind = init.kind;
    this.providerMessage = redact(init.providerMessage);
    this.field = init.field;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.jobRef = init.jobRef;
    this.nothingCreated = init.nothingCreated ?? false;
  }

  get retryable(): boolean {
    return RETRYABLE.includes(this.kind);
  }
}

function describe(e: ProviderErrorInit): string {
  const name = CAPABILITIES[e.provider].label;
  const said = e.providerMessage ? ` ${name} said: “${e.providerMessage}”.` : '';
  const ref = e.jobRef ? ` (${name} job ${e.jobRef})` : '';
  const env = credentialEnvHint(e.provider);
  switch (e.kind) {
    case 'auth':
      return `${name} rejected the API key.${said} Check the key in Settings${env ? ` or ${env}` : ''}. Nothing was charged.`;
    case 'balance':
      return `${name} says the account is out of credit.${said} Top up, then generate again. Nothing was charged.`;
    case 'validation':
      return `${name} refused the request${e.field ? ` (${e.field})` : ''}.${said} Change the shot and generate again. Nothing was charged.`;
    case 'policy':
      return `${name} declined the prompt or image under its content policy${ref}.${said} Rephrase the shot and generate again.`;
    case 'rate-limit':
      return `${name} is limiting requests${e.retryAfterMs ? `; retrying in ${Math.ceil(e.retryAfterMs / 1000)} s` : ''}.${said}`;
    case 'outage':
      return `${name} is having trouble (HTTP ${e.status ?? '5xx'})${ref}.${said} Storyreel retries with backoff; your job is kept.`;
    case 'network':
      return `Could not reach ${name}${ref}: ${e.providerMessage}. Check the connection; your job is kept and will resume.`;
    case 'not-found':
      return `${name} does not know this job${ref}.${said}`;
    case 'expired':
      return `${name}'s download link for the clip has expired${ref}. Use the job id to recover the clip from ${name}'s dashboard.`;
    case 'failed':
      return `${name} could not generate the clip${ref}.${said}`;
  }
}

/** Removes anything that looks like a credential from text that may reach a person or a log. */
export function redact(text: string): string {
  return text
    // A credential after Bearer/Key/Token has digits and length; plain words ("Key Authorization") stay.
    .replace(/\b(Bearer|Key|Token)\s+(?=[A-Za-z0-9._~+/=:-]*\d)[A-Za-z0-9._~+/=:-]{12,}/gi, '$1 ····')
    .replace(/\blmnfl_[A-Za-z0-9]+/g, 'lmnfl_····')
    .replace(/\br8_[A-Za-z0-9]{8,}/g, 'r8_····')
    .replace(/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, '····(jwt)');
}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const secs = Number(header);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
