// fal.ai queue adapter for Kling V3 (docs/providers.md §2). Submit → poll the returned status URL → read the
// result from the returned response URL; cancel with the returned cancel URL.
//
// How each GenerationSpec parameter reaches fal (docs/providers.md §2.5–§2.7, §6):
//
// | spec                     | fal wire                                              | how          |
// |--------------------------|-------------------------------------------------------|--------------|
// | tier standard/pro/4k     | endpoint id fal-ai/kling-video/v3/{standard|pro|4k}/… | converted    |
// | startFrame (present?)    | endpoint …/image-to-video, else …/text-to-video       | converted    |
// | startFrame               | start_image_url (fal CDN URL, uploaded first)         | renamed      |
// | endFrame                 | end_image_url (fal CDN URL, uploaded first)           | renamed      |
// | prompt                   | prompt                                                | passthrough  |
// | durationSec 3–15         | duration "3"…"15" (a STRING enum; a number is a 422)  | converted    |
// | aspectRatio (T2V)        | aspect_ratio                                          | renamed      |
// | aspectRatio (I2V)        | not sent: the clip takes the start frame's shape      | —            |
// |                          | (extra.aspect_ratio still passes through)             |              |
// | audio                    | generate_audio (always sent: fal defaults it to true) | renamed      |
// | negativePrompt           | negative_prompt (omitted when empty → fal's default)  | renamed      |
// | cfgScale 0–1             | cfg_scale                                             | renamed      |
// | voiceIds (shot level)    | refused: no v3 endpoint has voice_ids (fal-js types)  | —            |
// | element video + voiceId  | elements[{video_url, voice_id}] (one video element)   | converted    |
// | @Name in a prompt        | @Element1… in the order of the elements               | converted    |
// | line by a character      | appended: `@Element1 says: "…"`                       | converted    |
// | elements (inline images) | elements[{frontal_image_url, reference_image_urls}]   | converted    |
// |   …only a front image    | the front image is also sent as the one reference     | emulated     |
// |   …only a library id     | refused: fal has no element library                   | —            |
// | shots + 'customize'      | multi_prompt[{prompt, duration:"n"}] + shot_type      | converted    |
// |                          | "customize" + duration = the group's total            |              |
// | shots + 'intelligence'   | prompt + shot_type "intelligent" (fal's spelling);    | renamed      |
// |                          | the model cuts the shots, per-shot text is not sent   |              |
// | extra                    | merged into the body; spec-derived fields win         | passthrough  |
// | idempotencyKey           | not sent: fal has no idempotency (no reconcile)       | —            |
// | seed, card               | not sent: no such field on any v3 endpoint            | —            |
//
// Sources disagree on two I2V fields (docs/providers.md §8.7, §2.6). aspect_ratio: fal's launch-era std-I2V
// OpenAPI lists it, but fal's pro-I2V page says the aspect comes from the start image and the endpoint
// types generated into @fal-ai/client 1.10.1 (src/types/endpoints.d.ts, KlingVideoV3ProImageToVideoInput,
// which std I2V aliases) have no such field — so it is not sent. voice_ids: the same generated types lack
// it on every v3 endpoint; voices bind per element (KlingV3ComboElementInput.voice_id, video elements
// only), so a shot-level voice is refused and a character's voice goes on its element (§2.6).
// Why plain fetch and not @fal-ai/client: the client can be pointed at another base with a
// requestMiddleware that rewrites https://queue.fal.run, but (1) its queue calls hard-code their own
// retry policy (queue.js passes QUEUE_RETRY_CONFIG per call, which overrides `config.retry`), so it
// sleeps and retries 429/5xx internally for up to a minute — invisible to the engine's journaled backoff
// and to ctx.signal between attempts; (2) its ApiError keeps status and body but not the response headers,
// so Retry-After is lost; (3) status/result/cancel rebuild owner/alias URLs from the endpoint id instead of
// using the status_url/response_url/cancel_url fal returns, which docs/providers.md §2.4 says to follow. The
// integration test runs the official client against our mock to prove the two speak the same protocol.
import { providerPrompt } from '../../../shared/character-prompt';
import type { GenerationSpec } from '../../../shared/generation';
import { falUploader, uploadFalAssets } from './fal-storage';
import type { AdapterContext, PollResult, ProviderAdapter, ResolvedAssets, SubmitOptions, WireRequest } from './provider';
import { DEFAULT_BASE_URLS, kindForStatus, providerFetch, retryWaitFor, type HttpAnswer } from './http';
import { ProviderError, redact, type ProviderErrorKind } from './provider-error';

export const FAL_DOCUMENTED_BASE = DEFAULT_BASE_URLS.fal;
const APP = 'fal-ai/kling-video';
const TIER_SEGMENT = { standard: 'standard', pro: 'pro', '4k': '4k' } as const;

/** fal's body field → the word our validator and UI use for it. */
const FIELD_NAMES: Record<string, string> = {
  prompt: 'prompt',
  multi_prompt: 'group',
  duration: 'duration',
  aspect_ratio: 'aspect ratio',
  negative_prompt: 'negative prompt',
  cfg_scale: 'CFG scale',
  generate_audio: 'audio',
  voice_ids: 'voices',
  elements: 'elements',
  frontal_image_url: 'elements',
  reference_image_urls: 'elements',
  video_url: 'elements',
  shot_type: 'shot type',
  start_image_url: 'start frame',
  end_image_url: 'end frame',
};

export function falEndpoint(spec: Pick<GenerationSpec, 'tier' | 'startFrame'>): string {
  return `${APP}/v3/${TIER_SEGMENT[spec.tier]}/${spec.startFrame ? 'image-to-video' : 'text-to-video'}`;
}

function trimBase(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

type FalElement = { frontal_image_url: string; reference_image_urls: string[] } | { video_url: string; voice_id?: string };

function falElements(assets: ResolvedAssets): FalElement[] {
  return assets.elements.map((e) => {
    // KlingV3ComboElementInput: "Voice binding is only supported for video elements, and cannot be used with
    // image elements" (fal-js endpoints.ts) — a character with a voice goes as {video_url, voice_id}.
    if (e.video) return { video_url: e.video, ...(e.voiceId ? { voice_id: e.voiceId } : {}) };
    if (e.voiceId) {
      throw new ProviderError({ provider: 'fal', kind: 'validation', field: 'voices', providerMessage: `character “${e.name}” has a voice but no video; fal.ai binds a voice only to a character given as a video` });
    }
    const frontal = e.frontal ?? e.references[0];
    if (!frontal) {
      throw new ProviderError({
        provider: 'fal',
        kind: 'validation',
        field: 'elements',
        providerMessage: `element “${e.name}” has no image; fal.ai takes element images, not library ids`,
      });
    }
    // fal wants 1–3 reference images beside the front view; a lone front image stands in for both.
    // (More than 3 is refused by shared/validate.ts before anything is sent.)
    const references = e.references.length > 0 ? e.references.slice(0, 3) : [frontal];
    return { frontal_image_url: frontal, reference_image_urls: references };
  });
}

/** The model input object fal expects as the submit body (no wrapper). */
export function falBody(spec: GenerationSpec, assets: ResolvedAssets): Record<string, unknown> {
  const body: Record<string, unknown> = { ...(spec.extra ?? {}) };
  const set = (k: string, v: unknown) => {
    if (v !== undefined) body[k] = v;
    else delete body[k];
  };
  const multi = spec.shots !== undefined;
  const type = spec.shotType ?? 'customize';
  if (multi && type === 'customize') {
    set('prompt', undefined);
    set('multi_prompt', spec.shots!.map((s) => ({ prompt: providerPrompt(s.prompt, s.dialogue, spec, 'fal'), duration: String(s.durationSec) })));
    set('shot_type', 'customize');
  } else {
    // `@Name` → `@Element1`… and the lines attributed to characters (shared/character-prompt.ts).
    const lines = multi ? spec.shots!.flatMap((s) => s.dialogue ?? []) : spec.dialogue;
    set('prompt', providerPrompt(spec.prompt ?? '', lines, spec, 'fal'));
    set('multi_prompt', undefined);
    set('shot_type', multi ? 'intelligent' : undefined);
  }
  set('duration', String(spec.durationSec));
  // On I2V the spec does not decide the shape, so an aspect_ratio given in `extra` is left alone.
  if (!spec.startFrame) set('aspect_ratio', spec.aspectRatio);
  set('generate_audio', spec.audio);
  set('negative_prompt', spec.negativePrompt.trim() === '' ? undefined : spec.negativePrompt);
  set('cfg_scale', spec.cfgScale);
  // No v3 endpoint has a top-level voice_ids (fal-js endpoints.ts); shot-level voices are refused by
  // shared/validate.ts, and one that slipped through `extra` is dropped rather than sent.
  if (spec.voiceIds.length > 0) {
    throw new ProviderError({ provider: 'fal', kind: 'validation', field: 'voices', providerMessage: 'fal.ai binds a voice to a character: add a character with this voice' });
  }
  set('voice_ids', undefined);
  set('start_image_url', assets.startFrame);
  set('end_image_url', assets.endFrame);
  set('elements', spec.elements.length > 0 ? falElements(assets) : undefined);
  return body;
}

// ---------------------------------------------------------------------------------------------------
// The journaled reference: the URLs fal returned, kept relative to the base where they point at it, so a
// changed base URL (a proxy, or a mock restarted on another port) still reaches the same job.

interface FalRef {
  v: 1;
  endpoint: string;
  requestId: string;
  status: string;
  response: string;
  cancel: string;
}

function relativeTo(url: string | undefined, base: string, fallback: string): string {
  if (typeof url !== 'string' || url === '') return fallback;
  for (const b of [base, FAL_DOCUMENTED_BASE]) if (url.startsWith(`${b}/`)) return url.slice(b.length);
  return url;
}

function absolute(urlOrPath: string, ctx: AdapterContext): string {
  return urlOrPath.startsWith('/') ? `${trimBase(ctx.config.baseUrl)}${urlOrPath}` : urlOrPath;
}

export function parseFalRef(ref: string): FalRef {
  let parsed: Partial<FalRef> | undefined;
  try {
    parsed = JSON.parse(ref) as Partial<FalRef>;
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed.requestId !== 'string' || typeof parsed.endpoint !== 'string') {
    throw new ProviderError({ provider: 'fal', kind: 'not-found', providerMessage: 'the stored job reference is not a fal.ai request' });
  }
  const [owner, alias] = parsed.endpoint.split('/');
  const root = `/${owner}/${alias}/requests/${parsed.requestId}`;
  return {
    v: 1,
    endpoint: parsed.endpoint,
    requestId: parsed.requestId,
    status: parsed.status ?? `${root}/status`,
    response: parsed.response ?? root,
    cancel: parsed.cancel ?? `${root}/cancel`,
  };
}

// ---------------------------------------------------------------------------------------------------
// Errors

interface FalDetailItem {
  loc?: (string | number)[];
  msg?: string;
  type?: string;
}

function fieldOf(loc: (string | number)[] | undefined): { field?: string; shot?: number } {
  if (!Array.isArray(loc)) return {};
  const names = loc.filter((p): p is string => typeof p === 'string' && p !== 'body');
  const shotAt = loc.indexOf('multi_prompt');
  const shot = shotAt >= 0 && typeof loc[shotAt + 1] === 'number' ? (loc[shotAt + 1] as number) + 1 : undefined;
  for (let i = names.length - 1; i >= 0; i--) {
    const mapped = FIELD_NAMES[names[i]];
    if (mapped) return { field: mapped, shot };
  }
  return { field: names[0], shot };
}

/** Turns a non-2xx fal answer into a ProviderError of the right kind, in fal's own words. */
export function falHttpError(answer: { status: number; headers: Headers; body: unknown; text: string }, jobRef?: string): ProviderError {
  const { status, headers, body } = answer;
  const b = (body && typeof body === 'object' ? body : {}) as { detail?: unknown; error_type?: unknown; message?: unknown; status?: unknown };
  let message = '';
  let field: string | undefined;
  let policy = false;
  if (Array.isArray(b.detail)) {
    const items = b.detail as FalDetailItem[];
    const parts: string[] = [];
    for (const item of items) {
      const at = fieldOf(item.loc);
      field ??= at.field;
      if (item.type === 'content_policy_violation') policy = true;
      parts.push(`${at.shot ? `shot ${at.shot}: ` : ''}${item.msg ?? item.type ?? 'invalid'}`);
    }
    message = parts.join('; ');
  } else if (typeof b.detail === 'string') message = b.detail;
  else if (typeof b.message === 'string') message = b.message;
  else if (typeof b.status === 'string') message = b.status;
  else message = answer.text.slice(0, 300) || `HTTP ${status}`;

  const errorType = (typeof b.error_type === 'string' ? b.error_type : headers.get('x-fal-error-type')) ?? '';
  // fal's own words first (content policy, an out-of-credit 403, the run's own time limit), then the shared status table.
  let kind: ProviderErrorKind;
  if (policy || errorType === 'content_policy_violation') kind = 'policy';
  else if (status === 403 && /balance|billing|top up|credit/i.test(message)) kind = 'balance';
  else if (status === 504 && headers.get('x-fal-request-timeout-type') === 'user') kind = 'failed';
  else kind = kindForStatus(status);
  if (errorType && !message.includes(errorType) && kind !== 'validation' && kind !== 'policy') message = `${message} (${errorType})`;
  return new ProviderError({
    provider: 'fal',
    kind,
    providerMessage: message,
    field: kind === 'validation' || kind === 'policy' ? field : undefined,
    status,
    retryAfterMs: retryWaitFor(kind, headers.get('retry-after')),
    jobRef,
  });
}

export function falKeyOf(ctx: AdapterContext): string {
  const c = ctx.config.credentials ?? {};
  const key = c.key ?? c.FAL_KEY ?? (c.keyId && c.keySecret ? `${c.keyId}:${c.keySecret}` : '');
  if (!key) {
    throw new ProviderError({ provider: 'fal', kind: 'auth', providerMessage: 'no fal.ai key is set' });
  }
  return key;
}

/** Removes the key (and its secret half) from text, on top of provider-error's pattern-based redact. */
export function falScrub(text: string, key: string): string {
  let out = text;
  for (const secret of [key, key.split(':').slice(1).join(':')]) if (secret.length >= 6) out = out.split(secret).join('····');
  return redact(out);
}

interface FalAnswer extends HttpAnswer {
  body: unknown;
}

/** One HTTP exchange with fal (the shared HTTP layer); the body is scrubbed of the key before it is parsed. */
async function call(opts: {
  ctx: AdapterContext;
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  jobRef?: string;
}): Promise<FalAnswer> {
  const key = falKeyOf(opts.ctx);
  const answer = await providerFetch({
    provider: 'fal',
    method: opts.method,
    url: opts.url,
    headers: { ...(opts.headers ?? {}), authorization: `Key ${key}` },
    body: opts.body,
    signal: opts.ctx.signal,
    jobRef: opts.jobRef,
    scrub: (text) => falScrub(text, key),
  });
  return { ...answer, body: answer.json };
}

const fail = (answer: FalAnswer, jobRef?: string): ProviderError => falHttpError(answer, jobRef);

const ok = (status: number) => status >= 200 && status < 300;

// ---------------------------------------------------------------------------------------------------

export function createFalAdapter(): ProviderAdapter {
  const buildSubmit = (spec: GenerationSpec, assets: ResolvedAssets, opts: SubmitOptions & { baseUrl: string }): WireRequest => ({
    method: 'POST',
    url: `${trimBase(opts.baseUrl)}/${falEndpoint(spec)}`,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: falBody(spec, assets),
  });

  return {
    id: 'fal',
    pollIntervalMs: 2000,
    maxPollIntervalMs: 15000,
    buildSubmit,

    async submit(spec, ctx, opts) {
      const key = falKeyOf(ctx);
      // Reference images and element videos go to fal's CDN first; the body carries their URLs (§2.6).
      const assets = await uploadFalAssets(spec, ctx, falUploader(ctx, key, (text) => falScrub(text, key)));
      const base = trimBase(ctx.config.baseUrl);
      const wire = buildSubmit(spec, assets, { ...opts, baseUrl: base });
      const answer = await call({ ctx, method: 'POST', url: wire.url, headers: wire.headers, body: wire.body });
      if (!ok(answer.status)) throw fail(answer);
      const s = (answer.body ?? {}) as { request_id?: unknown; status_url?: string; response_url?: string; cancel_url?: string };
      if (typeof s.request_id !== 'string' || s.request_id === '') {
        throw new ProviderError({ provider: 'fal', kind: 'failed', providerMessage: `the submit answer had no request_id (HTTP ${answer.status})` });
      }
      const endpoint = falEndpoint(spec);
      const root = `/${APP}/requests/${s.request_id}`;
      const ref: FalRef = {
        v: 1,
        endpoint,
        requestId: s.request_id,
        status: relativeTo(s.status_url, base, `${root}/status`),
        response: relativeTo(s.response_url, base, root),
        cancel: relativeTo(s.cancel_url, base, `${root}/cancel`),
      };
      return { ref: JSON.stringify(ref) };
    },

    refForJobId(requestId, spec) {
      // parseFalRef derives the status, result and cancel paths from the endpoint and the request id.
      return JSON.stringify({ v: 1, endpoint: falEndpoint(spec), requestId });
    },

    async poll(refText, ctx): Promise<PollResult> {
      const ref = parseFalRef(refText);
      const statusUrl = new URL(absolute(ref.status, ctx));
      statusUrl.searchParams.set('logs', '0');
      const st = await call({ ctx, method: 'GET', url: statusUrl.toString(), jobRef: ref.requestId });
      if (!ok(st.status)) throw fail(st, ref.requestId);
      const q = (st.body ?? {}) as { status?: string; queue_position?: unknown; error?: unknown; error_type?: unknown };
      if (q.status === 'IN_QUEUE') return { state: 'queued', queuePosition: typeof q.queue_position === 'number' ? q.queue_position : undefined };
      if (q.status !== 'COMPLETED') return { state: 'running' };

      // fal has no FAILED state: a failed (or cancelled) run is COMPLETED with `error`, and the result GET
      // then answers with the error in its `detail` (§2.4) — which names the field, so prefer it.
      const failedRun = typeof q.error === 'string' && q.error !== '';
      const res = await call({ ctx, method: 'GET', url: absolute(ref.response, ctx), jobRef: ref.requestId });
      if (ok(res.status)) {
        const video = ((res.body ?? {}) as { video?: { url?: unknown; file_size?: unknown } }).video;
        if (video && typeof video.url === 'string') {
          return {
            state: 'succeeded',
            result: { kind: 'url', url: video.url, ...(typeof video.file_size === 'number' ? { sizeBytes: video.file_size } : {}) },
          };
        }
        return { state: 'failed', error: new ProviderError({ provider: 'fal', kind: 'failed', providerMessage: 'the result had no video', jobRef: ref.requestId }) };
      }
      const err = fail(res, ref.requestId);
      if (res.status === 400 && /in progress/i.test(err.providerMessage)) return { state: 'running' };
      if (failedRun) {
        if (!err.retryable && err.kind !== 'auth') return { state: 'failed', error: err };
        // The result could not be read just now, but the status already said how the run ended.
        const kind: ProviderErrorKind = q.error_type === 'content_policy_violation' ? 'policy' : 'failed';
        const why = typeof q.error_type === 'string' && q.error_type ? `${q.error} (${q.error_type})` : (q.error as string);
        return { state: 'failed', error: new ProviderError({ provider: 'fal', kind, providerMessage: falScrub(why, falKeyOf(ctx)), jobRef: ref.requestId }) };
      }
      if (err.retryable || err.kind === 'auth') throw err;
      return { state: 'failed', error: err };
    },

    async cancel(refText, ctx) {
      const ref = parseFalRef(refText);
      const res = await call({ ctx, method: 'PUT', url: absolute(ref.cancel, ctx), jobRef: ref.requestId });
      if (ok(res.status)) return;
      // Already finished: there is nothing left to stop (and fal has charged for a finished run).
      const said = (res.body as { status?: unknown } | undefined)?.status;
      if (res.status === 400 && said === 'ALREADY_COMPLETED') return;
      throw fail(res, ref.requestId);
    },
  };
}
