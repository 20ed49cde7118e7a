// The one HTTP layer of the cloud adapters (fal, Replicate, Lumenfall, Kling): where each provider's API
// lives, how an HTTP status becomes an error kind, how a connection that never got an answer is described,
// and one fetch with a per-request timeout that hands the engine's own abort back untouched. What a
// provider says in its body (Kling's codes, Lumenfall's error types, content-policy words, fal's
// x-fal-error-type) is read by its adapter first; the status table below decides the rest.
import type { CloudProviderId } from '../../../shared/capabilities';
import { ProviderError, retryAfterMs, type ProviderErrorKind } from './provider-error';

/** The documented bases; a configured value (Settings, STORYREEL_<PROVIDER>_URL) replaces them exactly (docs/architecture.md §6). */
export const DEFAULT_BASE_URLS: Record<CloudProviderId, string> = {
  fal: 'https://queue.fal.run',
  replicate: 'https://api.replicate.com/v1',
  lumenfall: 'https://api.lumenfall.ai/openai/v1',
  kling: 'https://api-singapore.klingai.com',
};

/** Per-request ceiling: a stalled connection becomes a retryable network error instead of a hung job. */
export const REQUEST_TIMEOUT_MS = 60_000;

/**
 * HTTP status → error kind, the same for every provider:
 *
 * | status              | kind        | what a person can do                                                        |
 * |---------------------|-------------|-----------------------------------------------------------------------------|
 * | 401, 403            | auth        | check the key (nothing was charged)                                         |
 * | 402                 | balance     | top up                                                                      |
 * | 404                 | not-found   | the provider does not know the job or model                                 |
 * | 408                 | outage      | the provider gave up waiting: retried with backoff                          |
 * | 410                 | expired     | the job or its result existed and is gone: recover it by its job id from    |
 * |                     |             | the provider's dashboard (as a result link answering 410 does)               |
 * | 429                 | rate-limit  | retried after Retry-After                                                   |
 * | 400, 422, other 4xx | validation  | the provider refused the request: change the shot                           |
 * | 5xx                 | outage      | retried with backoff                                                        |
 * | anything else       | failed      | —                                                                           |
 */
export function kindForStatus(status: number): ProviderErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'balance';
  if (status === 404) return 'not-found';
  if (status === 408) return 'outage';
  if (status === 410) return 'expired';
  if (status === 429) return 'rate-limit';
  if (status >= 400 && status < 500) return 'validation';
  if (status >= 500 && status < 600) return 'outage';
  return 'failed';
}

/** The wait a provider asked for, kept only where the engine waits and retries (rate limit, outage). */
export function retryWaitFor(kind: ProviderErrorKind, retryAfter: string | null | undefined): number | undefined {
  return kind === 'rate-limit' || kind === 'outage' ? retryAfterMs(retryAfter) : undefined;
}

/**
 * Why a request got no answer, in words. The system's code (ECONNREFUSED, ENOTFOUND…) is kept first: the
 * engine reads it to know that nothing reached the provider, so sending again cannot charge twice.
 */
export function networkReason(err: unknown, timedOut = false, timeoutMs = REQUEST_TIMEOUT_MS): string {
  if (timedOut) return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  const e = err as { message?: unknown; cause?: { code?: unknown; message?: unknown } } | undefined;
  const code = typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  const message = typeof e?.cause?.message === 'string' && e.cause.message ? e.cause.message : typeof e?.message === 'string' ? e.message : String(err);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

/** A request that never got an answer, as the error the engine retries (`scrub` removes a key that slipped into the words). */
export function networkError(init: {
  provider: CloudProviderId;
  err: unknown;
  method?: string;
  url?: string;
  timedOut?: boolean;
  timeoutMs?: number;
  jobRef?: string;
  scrub?: (text: string) => string;
}): ProviderError {
  const why = networkReason(init.err, init.timedOut, init.timeoutMs);
  const what = init.method && init.url ? `${init.method} ${new URL(init.url).pathname} failed (${why})` : why;
  return new ProviderError({ provider: init.provider, kind: 'network', providerMessage: init.scrub ? init.scrub(what) : what, jobRef: init.jobRef });
}

/** One answer, its body read (and scrubbed of the key before anything is built from it). */
export interface HttpAnswer {
  status: number;
  ok: boolean;
  headers: Headers;
  /** The body as text (scrubbed). */
  text: string;
  /** The body parsed as JSON; undefined when it is empty or not JSON (a proxy's HTML error page). */
  json: unknown;
}

/**
 * One HTTP exchange with a provider: a per-request timeout, the engine's abort handed back as it is (never
 * dressed up as a network fault), a connection failure as a `network` ProviderError. Non-2xx answers are
 * returned, not thrown: the adapter reads its provider's words from them.
 */
export async function providerFetch(opts: {
  provider: CloudProviderId;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Turns `body` into the JSON text sent (default JSON.stringify): Kling's ids are longs past JS precision. */
  serialize?: (body: unknown) => string;
  /** Sent as these bytes with this content type instead of a JSON body (a file upload). */
  bytes?: { data: Uint8Array; contentType: string };
  signal?: AbortSignal;
  jobRef?: string;
  timeoutMs?: number;
  scrub?: (text: string) => string;
  fetch?: typeof fetch;
}): Promise<HttpAnswer> {
  opts.signal?.throwIfAborted();
  const timeoutMs = opts.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const doFetch = opts.fetch ?? fetch;
  let res: Response;
  let raw: string;
  try {
    res = await doFetch(opts.url, {
      method: opts.method,
      headers: {
        accept: 'application/json',
        ...(opts.bytes ? { 'content-type': opts.bytes.contentType } : opts.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(opts.headers ?? {}),
      },
      body: opts.bytes ? new Blob([new Uint8Array(opts.bytes.data)], { type: opts.bytes.contentType }) : opts.body === undefined ? undefined : (opts.serialize ?? JSON.stringify)(opts.body),
      signal: opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout,
    });
    raw = await res.text();
  } catch (err) {
    // The engine asked to stop: hand its own reason back rather than dressing it up as a network fault.
    if (opts.signal?.aborted) throw opts.signal.reason ?? err;
    throw networkError({ provider: opts.provider, err, method: opts.method, url: opts.url, timedOut: timeout.aborted, timeoutMs, jobRef: opts.jobRef, scrub: opts.scrub });
  }
  const text = opts.scrub ? opts.scrub(raw) : raw;
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, ok: res.ok, headers: res.headers, text, json };
}
