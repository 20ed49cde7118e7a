// Reading Lumenfall's answers (docs/providers.md §4.4): the video object's status → PollResult, its
// metadata.cost → USD, and the openai client's errors → ProviderErrors naming the field in our words.
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import type { PollResult } from './provider';
import { kindForStatus, networkError, retryWaitFor } from './http';
import { ProviderError, type ProviderErrorKind } from './provider-error';

/** The openai client's per-request timeout (a submit carries inline reference images). */
export const LUMENFALL_TIMEOUT_MS = 120_000;

export interface LumenfallVideo {
  id: string;
  object?: string;
  status: string;
  created_at?: number;
  completed_at?: number | null;
  expires_at?: number | null;
  progress?: number;
  queue_position?: number;
  seconds?: string;
  size?: string;
  output?: { url?: string; content_type?: string; size_bytes?: number } | null;
  error?: { code?: string; message?: string } | null;
  metadata?: Record<string, unknown> | null;
}

export interface LumenfallEstimate {
  usd: number;
  /** The whole answer, as Lumenfall sent it. */
  raw: Record<string, unknown>;
}

/**
 * metadata.cost → USD. The docs show `cost` with `cost_currency` beside it and quote dry-run prices in
 * micros (§4.2, §4.4) without saying which unit `cost` uses; a kling-v3 clip costs at most a few
 * dollars, so an integer of 1000 or more can only be micros.
 */
export function costFromMetadata(metadata: Record<string, unknown> | null | undefined): { actualUsd?: number; providerCost?: string } {
  if (!metadata) return {};
  const currency = typeof metadata.cost_currency === 'string' ? metadata.cost_currency : 'USD';
  const micros = Number(metadata.cost_micros);
  if (metadata.cost_micros !== undefined && Number.isFinite(micros)) {
    return { actualUsd: currency === 'USD' ? micros / 1e6 : undefined, providerCost: `${micros} ${currency} micros` };
  }
  if (metadata.cost === undefined || metadata.cost === null) return {};
  const cost = Number(metadata.cost);
  if (!Number.isFinite(cost)) return { providerCost: `${String(metadata.cost)} ${currency}` };
  const inMicros = Number.isInteger(cost) && cost >= 1000;
  const usd = inMicros ? cost / 1e6 : cost;
  return {
    actualUsd: currency.toUpperCase() === 'USD' ? Math.round(usd * 1e6) / 1e6 : undefined,
    providerCost: `${String(metadata.cost)}${inMicros ? ' micros' : ''} ${currency}`,
  };
}

/** Wire parameter names → the words the validator and the inspector use. */
const FIELD_NAMES: [string, string][] = [
  ['input_reference', 'start frame'],
  ['end_image_url', 'end frame'],
  ['negative_prompt', 'negative prompt'],
  ['multi_prompt', 'group'],
  ['generate_audio', 'audio'],
  ['aspect_ratio', 'aspect ratio'],
  ['idempotency_key', 'idempotency key'],
  ['webhook_url', 'webhook'],
  ['resolution', 'tier'],
  ['shot_type', 'shot type'],
  ['voice_ids', 'voices'],
  ['cfg_scale', 'CFG scale'],
  ['elements', 'elements'],
  ['duration', 'duration'],
  ['seconds', 'duration'],
  ['prompt', 'prompt'],
  ['model', 'model'],
  ['mode', 'tier'],
  ['size', 'aspect ratio'],
];

/** Maps the parameter Lumenfall blamed (its `param`, or a name in its message) to our vocabulary. */
export function fieldFrom(param: unknown, message: string): string | undefined {
  if (typeof param === 'string' && param) {
    const root = /^[A-Za-z_]+/.exec(param)?.[0] ?? param;
    // multi_prompt[2].duration → the shot's duration, not the group.
    const leaf = /\.([A-Za-z_]+)$|\[["']?([A-Za-z_]+)["']?\]$/.exec(param);
    const leafName = leaf?.[1] ?? leaf?.[2];
    if (root === 'multi_prompt' && leafName) return FIELD_NAMES.find(([wire]) => wire === leafName)?.[1] ?? 'group';
    const hit = FIELD_NAMES.find(([wire]) => wire === root);
    if (hit) return hit[1];
  }
  for (const [wire, ours] of FIELD_NAMES) {
    if (new RegExp(`(^|[^A-Za-z_])${wire}([^A-Za-z_]|$)`).test(message)) return ours;
  }
  return undefined;
}

const POLICY = /content[ _-]?(policy|safety|moderation|filter)|moderation|flagged|nsfw|unsafe content|sensitive content/i;

function kindFor(status: number | undefined, code: string, type: string, message: string): ProviderErrorKind {
  if (POLICY.test(code) || POLICY.test(type) || (status !== undefined && status < 500 && status !== 429 && status !== 401 && POLICY.test(message))) return 'policy';
  switch (code.toUpperCase()) {
    case 'AUTHENTICATION_FAILED':
    case 'PERMISSION_DENIED':
      return 'auth';
    case 'INSUFFICIENT_BALANCE':
      return 'balance';
    case 'INVALID_REQUEST':
      return 'validation';
    case 'MODEL_NOT_FOUND':
    case 'MODEL_DISABLED':
    case 'NOT_FOUND':
      return 'not-found';
    case 'RATE_LIMITED':
      return 'rate-limit';
    case 'ALL_PROVIDERS_EXHAUSTED':
      return 'outage';
  }
  if (type === 'insufficient_quota') return 'balance';
  if (type === 'authentication_error') return 'auth';
  if (status === undefined) return 'network';
  return kindForStatus(status);
}

/** Turns anything the openai client throws into a ProviderError (never carrying a header or key). */
export function toProviderError(err: unknown, jobRef?: string): ProviderError {
  if (err instanceof ProviderError) return err;
  if (err instanceof APIConnectionError) {
    // The client wraps fetch's own failure (whose cause carries the system's code, e.g. ECONNREFUSED).
    const cause = (err as { cause?: unknown }).cause;
    return networkError({ provider: 'lumenfall', err: cause instanceof Error ? cause : err, timedOut: err instanceof APIConnectionTimeoutError, timeoutMs: LUMENFALL_TIMEOUT_MS, jobRef });
  }
  if (err instanceof APIError) {
    const body = (err.error ?? {}) as { message?: unknown; code?: unknown; type?: unknown; param?: unknown };
    const message = typeof body.message === 'string' ? body.message : err.message;
    const code = typeof body.code === 'string' ? body.code : '';
    const type = typeof body.type === 'string' ? body.type : '';
    const kind = kindFor(err.status, code, type, message);
    const field = kind === 'validation' || kind === 'policy' ? fieldFrom(body.param, message) : undefined;
    return new ProviderError({
      provider: 'lumenfall',
      kind,
      providerMessage: code && !message.includes(code) ? `${message} (${code})` : message,
      field,
      status: err.status,
      retryAfterMs: retryWaitFor(kind, err.headers?.get('retry-after')),
      jobRef,
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ProviderError({ provider: 'lumenfall', kind: 'network', providerMessage: message, jobRef });
}

/** The failed video's error → a ProviderError: content policy where Lumenfall says so, else `failed`. */
function jobFailure(video: LumenfallVideo): ProviderError {
  const code = video.error?.code ?? '';
  const message = video.error?.message ?? (video.status === 'failed' ? 'The generation failed without a reason.' : `The job was ${video.status}.`);
  const policy = POLICY.test(code) || POLICY.test(message);
  return new ProviderError({
    provider: 'lumenfall',
    kind: policy ? 'policy' : 'failed',
    providerMessage: code && !message.includes(code) ? `${message} (${code})` : message,
    jobRef: video.id,
  });
}

export function pollResultFor(video: LumenfallVideo): PollResult {
  switch (video.status) {
    case 'queued':
      return typeof video.queue_position === 'number' ? { state: 'queued', queuePosition: video.queue_position } : { state: 'queued' };
    case 'in_progress':
      return typeof video.progress === 'number' ? { state: 'running', progress: Math.max(0, Math.min(1, video.progress / 100)) } : { state: 'running' };
    case 'completed': {
      const url = video.output?.url;
      if (!url) {
        return { state: 'failed', error: new ProviderError({ provider: 'lumenfall', kind: 'failed', providerMessage: 'The job completed without a video URL.', jobRef: video.id }) };
      }
      const cost = costFromMetadata(video.metadata);
      return {
        state: 'succeeded',
        result: {
          kind: 'url',
          url,
          ...(typeof video.expires_at === 'number' ? { expiresAt: new Date(video.expires_at * 1000).toISOString() } : {}),
          ...(typeof video.output?.size_bytes === 'number' ? { sizeBytes: video.output.size_bytes } : {}),
        },
        ...(cost.actualUsd !== undefined ? { actualUsd: cost.actualUsd } : {}),
        ...(cost.providerCost !== undefined ? { providerCost: cost.providerCost } : {}),
      };
    }
    case 'failed':
    case 'cancelled':
    case 'canceled':
      return { state: 'failed', error: jobFailure(video) };
    default:
      // A state this adapter does not know yet: keep polling rather than give up on a paid job.
      return { state: 'running' };
  }
}

