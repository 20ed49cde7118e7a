// Replicate adapter: Kling V3 through the predictions API (`kwaivgi/kling-v3-video`), docs/providers.md §3.
//
// How each GenerationSpec parameter reaches this provider (docs/architecture.md §6 vocabulary):
//
// | Spec field             | Replicate input            | How                                                           |
// |------------------------|----------------------------|---------------------------------------------------------------|
// | prompt                 | prompt                     | passthrough (required by the model)                           |
// | shots[] (customize)    | multi_prompt + prompt      | converted: JSON *string* `[{prompt, duration:int}]`; `prompt` |
// |                        |                            | is emulated as a summary of the shot prompts (still required) |
// | shotType               | —                          | not offered: only `customize` exists, there is no shot_type   |
// |                        |                            | field; `intelligence` is refused by shared/validate.ts        |
// | tier                   | mode                       | renamed: standard | pro | 4k (same values)                    |
// | durationSec            | duration                   | converted to an integer (3–15)                                |
// | aspectRatio            | aspect_ratio               | passthrough for text-to-video; left out with a start frame    |
// |                        |                            | (the model ignores it there: output follows the image)        |
// | negativePrompt         | negative_prompt            | passthrough; left out when empty (provider default "")        |
// | audio                  | generate_audio             | renamed; always sent, because the default here is *false*     |
// | startFrame / endFrame  | start_image / end_image    | renamed; an image up to 1 MB is sent as a data URI, a larger  |
// |                        |                            | one is uploaded first (Files API) and sent as its urls.get    |
// | cfgScale               | —                          | not offered (no cfg_scale on this model); never sent          |
// | voiceIds               | —                          | not offered; refused by validate, never sent                  |
// | elements               | —                          | not offered; refused by validate, never sent                  |
// | extra                  | input.*                    | passthrough: merged into `input` last, so it can also         |
// |                        |                            | override a field this adapter sets                            |
// | idempotencyKey         | —                          | Replicate has no idempotency key (capabilities: none)         |
//
// The official client (`replicate`) does the HTTP. Its own retry loop re-sends on 429 (and GET 5xx)
// and even on network errors — also for POST, which after a dropped connection could create a second
// paid prediction. The engine owns retries (with Retry-After and backoff, docs/architecture.md §5), so every
// client instance here gets a fetch that makes exactly one network attempt per call and turns every
// failure into a ProviderError that the client's replays then simply rethrow.
import Replicate, { parseProgressFromLogs, type Prediction } from 'replicate';
import type { GenerationSpec } from '../../../shared/generation';
import { MAX_PROMPT_CHARS } from '../../../shared/schema';
import { resolveAssets } from './assets';
import type { AdapterContext, PollResult, ProviderAdapter, ResolvedAssets, SubmitOptions, WireRequest } from './provider';
import { DEFAULT_BASE_URLS, kindForStatus, networkError, REQUEST_TIMEOUT_MS, retryWaitFor } from './http';
import { ProviderError, retryAfterMs, type ProviderErrorKind } from './provider-error';

export const REPLICATE_BASE_URL = DEFAULT_BASE_URLS.replicate;
export const REPLICATE_MODEL = 'kwaivgi/kling-v3-video';
/** API prediction outputs are deleted an hour after completion (docs/providers.md §3.3). */
export const REPLICATE_RESULT_TTL_MS = 60 * 60 * 1000;
/**
 * Replicate recommends a data URI "only if the file is less than 1MB" (docs: Input files); a larger
 * reference image (up to the 10 MB Kling allows) is uploaded through the Files API first, as the official
 * client does with a Blob, and the prediction gets the file's `urls.get`.
 */
export const REPLICATE_INLINE_MAX_BYTES = 1_000_000;

/** The model's input object (docs/providers.md §3.4) plus whatever `spec.extra` adds. */
export interface ReplicateKlingInput {
  prompt: string;
  negative_prompt?: string;
  mode: 'standard' | 'pro' | '4k';
  duration: number;
  aspect_ratio?: '16:9' | '9:16' | '1:1';
  generate_audio: boolean;
  start_image?: string;
  end_image?: string;
  multi_prompt?: string;
  [passthrough: string]: unknown;
}

/**
 * The `prompt` sent with a multi-shot group. The model requires one even when `multi_prompt` carries
 * the shots (§3.4); the shot prompts, numbered, give it the whole story in the ≤2500 characters allowed.
 */
export function summarizeShots(shots: NonNullable<GenerationSpec['shots']>): string {
  const sentence = (t: string) => (/[.!?…"”]$/.test(t.trim()) ? t.trim() : `${t.trim()}.`);
  const text = `${shots.length}-shot sequence. ${shots.map((s, i) => `Shot ${i + 1} (${s.durationSec} s): ${sentence(s.prompt)}`).join(' ')}`;
  return text.length <= MAX_PROMPT_CHARS ? text : `${text.slice(0, MAX_PROMPT_CHARS - 1)}…`;
}

/** Pure: the `input` object for a spec whose reference images are already encoded. */
export function replicateInput(spec: GenerationSpec, assets: ResolvedAssets): ReplicateKlingInput {
  const shots = spec.shots !== undefined && spec.shots.length > 0 ? spec.shots : undefined;
  const input: ReplicateKlingInput = {
    prompt: shots ? summarizeShots(shots) : (spec.prompt ?? ''),
    ...(spec.negativePrompt.trim() !== '' ? { negative_prompt: spec.negativePrompt } : {}),
    mode: spec.tier,
    duration: Math.round(spec.durationSec),
    // With a start image the model takes the image's shape and ignores aspect_ratio (§3.4).
    ...(assets.startFrame ? {} : { aspect_ratio: spec.aspectRatio }),
    generate_audio: spec.audio,
    ...(assets.startFrame ? { start_image: assets.startFrame } : {}),
    ...(assets.endFrame ? { end_image: assets.endFrame } : {}),
    ...(shots ? { multi_prompt: JSON.stringify(shots.map((s) => ({ prompt: s.prompt, duration: Math.round(s.durationSec) }))) } : {}),
  };
  return { ...input, ...(spec.extra ?? {}) };
}

// Replicate's field names (as `invalid_fields[].field` spells them) in the words the UI uses.
const FIELD_WORDS: Record<string, string> = {
  prompt: 'prompt',
  negative_prompt: 'negative prompt',
  duration: 'duration',
  mode: 'tier',
  aspect_ratio: 'aspect ratio',
  start_image: 'start frame',
  end_image: 'end frame',
  generate_audio: 'audio',
  multi_prompt: 'group',
  cfg_scale: 'CFG scale',
  voice_ids: 'voices',
  elements: 'elements',
  shot_type: 'shot type',
};

interface InvalidField {
  type?: string;
  field?: string;
  description?: string;
}

/** "input.duration" → "duration"; "input" + "Additional property cfg_scale is not allowed" → "CFG scale". */
export function fieldWords(f: InvalidField): string | undefined {
  let name = (f.field ?? '').replace(/^input\.?/, '');
  if (!name) name = /Additional property (\S+)/.exec(f.description ?? '')?.[1] ?? /^(\S+) is required/.exec(f.description ?? '')?.[1] ?? '';
  name = name.split('.')[0];
  return name ? (FIELD_WORDS[name] ?? name) : undefined;
}

const POLICY = /flagged as sensitive|\bE005\b|content (policy|moderation|safety)|safety (system|filter|check)|risk control|nsfw/i;

/** Maps an HTTP error answer from Replicate (§3.5) onto a ProviderError. Pure, for tests. */
export function replicateHttpError(init: { status: number; body: string; retryAfter?: string | null; jobRef?: string }): ProviderError {
  const { status, jobRef } = init;
  let parsed: { title?: string; detail?: unknown; invalid_fields?: InvalidField[] } = {};
  try {
    const json: unknown = JSON.parse(init.body);
    if (json && typeof json === 'object') parsed = json as typeof parsed;
  } catch {
    // A proxy's HTML error page: fall back to the status line below.
  }
  const detail = typeof parsed.detail === 'string' ? parsed.detail.trim() : '';
  const title = parsed.title?.trim() ?? '';
  const invalid = Array.isArray(parsed.invalid_fields) ? parsed.invalid_fields : [];
  let providerMessage = [title, detail].filter(Boolean).join(': ') || `HTTP ${status}`;
  let field: string | undefined;
  let kind: ProviderErrorKind;
  let wait: number | undefined;

  // §3.5: a token without access to the model answers 422 "Invalid version or not permitted".
  if (status === 422 && /not permitted/i.test(title)) kind = 'auth';
  else kind = kindForStatus(status);
  if (kind === 'validation' && POLICY.test(detail)) kind = 'policy';
  if (kind === 'rate-limit') {
    const m = /available in (\d+(?:\.\d+)?) seconds?|resets in ~?(\d+(?:\.\d+)?)\s*s/i.exec(detail);
    wait = retryAfterMs(init.retryAfter) ?? (m ? Number(m[1] ?? m[2]) * 1000 : undefined);
  } else wait = retryWaitFor(kind, init.retryAfter);

  if (invalid.length > 0) {
    field = fieldWords(invalid[0]);
    providerMessage = `${title || 'Input validation failed'}: ${invalid.map((f) => `${f.field}: ${f.description}`).join('; ')}`;
  }
  return new ProviderError({ provider: 'replicate', kind, providerMessage, field, status, retryAfterMs: wait, jobRef });
}

function isAbort(err: unknown, signal?: AbortSignal | null): boolean {
  return Boolean(signal?.aborted) || (err instanceof Error && err.name === 'AbortError');
}

/**
 * A fetch for one client call: one network attempt, with the shared per-request timeout; the client's
 * retries replay the same outcome.
 */
function singleAttemptFetch(jobRef?: string): (input: Request | string, init?: RequestInit) => Promise<Response> {
  let failure: unknown;
  return async (input, init) => {
    if (failure !== undefined) throw failure;
    const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    let res: Response;
    try {
      res = await fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
    } catch (err) {
      if (isAbort(err, init?.signal) && !timeout.aborted) failure = err;
      else {
        const url = typeof input === 'string' ? input : input.url;
        failure = networkError({ provider: 'replicate', err, method: init?.method ?? 'GET', url, timedOut: timeout.aborted, jobRef });
      }
      throw failure;
    }
    if (res.ok) return res;
    const body = await res.text().catch(() => '');
    failure = replicateHttpError({ status: res.status, body, retryAfter: res.headers.get('retry-after'), jobRef });
    throw failure;
  };
}

function clientFor(ctx: AdapterContext, jobRef?: string): Replicate {
  const auth = ctx.config.credentials.key ?? ctx.config.credentials.token ?? '';
  // Without a key the client would quietly fall back to REPLICATE_API_TOKEN; the engine decides where keys come from.
  if (!auth.trim()) throw new ProviderError({ provider: 'replicate', kind: 'auth', providerMessage: 'No API token is configured.', jobRef });
  return new Replicate({
    auth,
    baseUrl: ctx.config.baseUrl.replace(/\/+$/, ''),
    fetch: singleAttemptFetch(jobRef),
    useFileOutput: false,
    userAgent: 'storyreel',
  });
}

/** The bytes and type of a base64 data URI; undefined for anything else (a URL). */
function fromDataUri(value: unknown): { type: string; bytes: Buffer } | undefined {
  const m = typeof value === 'string' ? /^data:([^;,]+);base64,(.*)$/s.exec(value) : null;
  return m ? { type: m[1], bytes: Buffer.from(m[2], 'base64') } : undefined;
}

/**
 * Replaces reference images over REPLICATE_INLINE_MAX_BYTES with files uploaded through the client's
 * files.create. An upload creates no prediction, so its failure says so (nothing was charged).
 */
async function uploadLargeImages(client: Replicate, input: ReplicateKlingInput, signal?: AbortSignal): Promise<ReplicateKlingInput> {
  const out: ReplicateKlingInput = { ...input };
  for (const field of ['start_image', 'end_image'] as const) {
    const image = fromDataUri(out[field]);
    if (!image || image.bytes.length <= REPLICATE_INLINE_MAX_BYTES) continue;
    const extension = image.type === 'image/jpeg' ? 'jpg' : (image.type.split('/')[1] ?? 'bin');
    try {
      const file = await client.files.create(new File([new Uint8Array(image.bytes)], `${field}.${extension}`, { type: image.type }), { purpose: 'storyreel reference image' }, { signal });
      if (typeof file?.urls?.get !== 'string' || !file.urls.get) {
        throw new ProviderError({ provider: 'replicate', kind: 'failed', providerMessage: `Uploading the ${field.replace('_', ' ')} gave no file URL.`, nothingCreated: true });
      }
      out[field] = file.urls.get;
    } catch (err) {
      if (!(err instanceof ProviderError) || err.nothingCreated) throw err;
      throw new ProviderError({
        provider: 'replicate',
        kind: err.kind,
        providerMessage: `Uploading the ${field.replace('_', ' ')} failed: ${err.providerMessage}`,
        field: field === 'start_image' ? 'start frame' : 'end frame',
        status: err.status,
        retryAfterMs: err.retryAfterMs,
        nothingCreated: true,
      });
    }
  }
  return out;
}

function parseRef(ref: string): string {
  // The ref is the prediction id; a JSON {id} is accepted too so the format can grow.
  if (ref.startsWith('{')) return (JSON.parse(ref) as { id: string }).id;
  return ref;
}

/** Maps a prediction (§3.3) onto the engine's PollResult. Pure, for tests. */
export function pollResultOf(p: Prediction, now = Date.now()): PollResult {
  const fail = (kind: ProviderErrorKind, providerMessage: string): PollResult => ({
    state: 'failed',
    error: new ProviderError({ provider: 'replicate', kind, providerMessage, jobRef: p.id }),
  });
  switch (p.status) {
    case 'starting':
      // Replicate reports no queue position.
      return { state: 'queued' };
    case 'processing': {
      const progress = parseProgressFromLogs(p.logs ?? '');
      return progress ? { state: 'running', progress: progress.percentage } : { state: 'running' };
    }
    case 'succeeded': {
      const output: unknown = Array.isArray(p.output) ? p.output[0] : p.output;
      const completedMs = Date.parse(p.completed_at ?? '') || now;
      const expiresMs = completedMs + REPLICATE_RESULT_TTL_MS;
      if (p.data_removed || expiresMs <= now) {
        return fail('expired', 'The prediction output was removed (API outputs are kept for one hour).');
      }
      if (typeof output !== 'string' || output === '') return fail('failed', 'The prediction succeeded but returned no video URL.');
      return { state: 'succeeded', result: { kind: 'url', url: output, expiresAt: new Date(expiresMs).toISOString() } };
    }
    case 'failed': {
      const message = typeof p.error === 'string' ? p.error : p.error ? JSON.stringify(p.error) : 'The prediction failed without a message.';
      return fail(POLICY.test(message) ? 'policy' : 'failed', message);
    }
    case 'canceled':
      return fail('failed', typeof p.error === 'string' && p.error ? p.error : 'The prediction was canceled.');
    case 'aborted':
      return fail('failed', 'The prediction was aborted: its deadline passed before it started (not billed).');
    default:
      return { state: 'running' };
  }
}

export function createReplicateAdapter(): ProviderAdapter {
  return {
    id: 'replicate',
    pollIntervalMs: 2000,
    maxPollIntervalMs: 15000,

    buildSubmit(spec: GenerationSpec, assets: ResolvedAssets, opts: SubmitOptions & { baseUrl: string }): WireRequest {
      return {
        method: 'POST',
        url: `${opts.baseUrl.replace(/\/+$/, '')}/models/${REPLICATE_MODEL}/predictions`,
        headers: { 'Content-Type': 'application/json' },
        body: { input: replicateInput(spec, assets) },
      };
    },

    async submit(spec, ctx, opts) {
      ctx.signal?.throwIfAborted();
      const assets = await resolveAssets(spec, ctx.projectDir, 'data-uri');
      const wire = this.buildSubmit(spec, assets, { ...opts, baseUrl: ctx.config.baseUrl });
      const { input } = wire.body as { input: ReplicateKlingInput };
      // Each step gets its own single-attempt client: a failed upload must not be replayed as the create's outcome.
      const sent = await uploadLargeImages(clientFor(ctx), input, ctx.signal);
      const prediction = await clientFor(ctx).predictions.create({ model: REPLICATE_MODEL, input: sent, signal: ctx.signal });
      return { ref: prediction.id };
    },

    refForJobId(predictionId) {
      return predictionId;
    },

    async poll(ref, ctx) {
      const id = parseRef(ref);
      const prediction = await clientFor(ctx, id).predictions.get(id, { signal: ctx.signal });
      return pollResultOf(prediction);
    },

    async cancel(ref, ctx) {
      const id = parseRef(ref);
      // A finished prediction comes back unchanged; that is not an error.
      await clientFor(ctx, id).predictions.cancel(id, { signal: ctx.signal });
    },
  };
}
