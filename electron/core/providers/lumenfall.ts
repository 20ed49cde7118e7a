// Lumenfall's unified API (docs/providers.md §4): an OpenAI-style `/videos` resource with model "kling-v3".
// Lumenfall routes kling-v3 to fal v3 Standard (720p) by default and to Replicate's kwaivgi/kling-v3-video
// when `mode` is sent ("Only available via replicate", §4.3), so the tier chooses the route and the route
// decides which Kling options exist.
//
// How each GenerationSpec parameter reaches the wire:
//
// | Spec parameter        | Wire field                         | How                                                              |
// |-----------------------|------------------------------------|------------------------------------------------------------------|
// | (model)               | model: "kling-v3"                  | constant                                                         |
// | prompt                | prompt                             | passthrough; <<<voice_n>>> and @ElementN stay in the text        |
// | shots (customize)     | multi_prompt [{prompt, duration}]  | renamed; per-shot duration converted to a string ("4", fal's type)|
// |                       | prompt                             | emulated: Lumenfall requires `prompt`, so a group sends its shot |
// |                       |                                    | prompts joined (multi_prompt overrides it, §4.3)                 |
// | shotType              | shot_type                          | converted: customize → "customize", intelligence → "intelligent" |
// |                       |                                    | (fal's spelling, the default route); omitted on the Replicate    |
// |                       |                                    | route, which has no shot_type and only customizes                |
// | durationSec           | seconds                            | renamed + converted to a string ("7"), the OpenAI Videos type    |
// | aspectRatio           | aspect_ratio                       | passthrough ("16:9" | "9:16" | "1:1")                           |
// | tier                  | mode                               | converted: standard → (no mode: fal route, 720p);                |
// |                       |                                    | pro → mode:"pro" (Replicate route, 1080p); anything else → the   |
// |                       |                                    | nearest tier Lumenfall has (no 4K for kling-v3)                  |
// | audio                 | generate_audio                     | passthrough, always explicit (fal defaults true, Replicate false)|
// | negativePrompt        | negative_prompt                    | passthrough; omitted when empty so the route's default applies   |
// | cfgScale              | cfg_scale                          | passthrough on the fal route; the Replicate route has none, so it |
// |                       |                                    | is left out there, as the Replicate adapter does (the inspector   |
// |                       |                                    | disables the control and keeps its value for another provider)   |
// | voiceIds              | voice_ids                          | passthrough (fal route only; refused with tier pro)              |
// | elements              | elements [{frontal_image_url,      | converted from project images to data URIs (fal route only;      |
// |                       |  reference_image_urls}]            | refused with tier pro); a lone front image is also sent as the   |
// |                       |                                    | reference, as fal does; library ids are Kling-only: refused      |
// | startFrame            | input_reference [{image_url}]      | converted: project image → data URI (Lumenfall takes base64)     |
// | endFrame              | end_image_url                      | renamed, data URI; UNKNOWN on Lumenfall — sent as fal's field    |
// | (idempotency key)     | idempotency_key                    | passthrough of SubmitOptions.idempotencyKey (a body field)       |
// | extra.size            | size                               | converted by the seed's rules: size beats aspect_ratio +         |
// |                       |                                    | resolution; its ratio snaps to the nearest supported one, its    |
// |                       |                                    | dimensions clamp to the model's limits keeping the ratio          |
// | extra.aspect_ratio    | aspect_ratio                       | snapped to the nearest supported ratio                           |
// | extra.resolution      | resolution                         | matched to the nearest resolution kling-v3 lists ("1K")          |
// | extra.* (anything else)| same key                          | passthrough, verbatim; never overrides a field set above         |
//
// Transport: the official `openai` client. Create goes through `client.post('/videos', {body})` rather
// than `client.videos.create`, because this SDK always encodes videos.create as multipart/form-data,
// which turns every passthrough value into a string (generate_audio: "true", cfg_scale: "0.5") and
// flattens arrays of objects into `multi_prompt[][prompt]` keys. client.post is the same client's
// documented way to send a body it does not type (openai-node README, "Undocumented endpoints").
// Retrieve and delete use client.videos.retrieve / delete unchanged.
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { CAPABILITIES, type TierId } from '../../../shared/capabilities';
import { StudioError } from '../../../shared/errors';
import { MAX_PROMPT_CHARS } from '../../../shared/limits';
import type { GenerationSpec } from '../../../shared/generation';
import { resolveAssets } from './assets';
import type { AdapterContext, PollResult, ProviderAdapter, ResolvedAssets, SubmitOptions, WireRequest } from './provider';
import { DEFAULT_BASE_URLS, kindForStatus, networkError, retryWaitFor } from './http';
import { ProviderError, type ProviderErrorKind } from './provider-error';

export const LUMENFALL_MODEL = 'kling-v3';
export const LUMENFALL_DEFAULT_BASE_URL = DEFAULT_BASE_URLS.lumenfall;
/** The openai client's per-request timeout (a submit carries inline reference images). */
const LUMENFALL_TIMEOUT_MS = 120_000;

/** What Lumenfall's catalogue lists for kling-v3 (docs/providers.md §4.3). */
export const KLING_V3_ON_LUMENFALL = {
  aspectRatios: ['16:9', '9:16', '1:1'],
  sizes: ['1365x768', '768x1365', '1024x1024'],
  resolutions: ['1K'],
  /** The listed sizes bound every side (1365) and the pixel count (1024×1024 ≥ 1365×768). */
  sizeLimits: { maxWidth: 1365, maxHeight: 1365, maxPixels: 1024 * 1024, minWidth: 300, minHeight: 300 },
} as const;


// ---------------------------------------------------------------------------------------------------
// The seed's size rules, as pure functions.

/** Parses "16:9", "1920x1080", "1920×1080" or a number into width/height (ratio only for "W:H"). */
export function parseRatio(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*[:x×/]\s*(\d+(?:\.\d+)?)\s*$/i.exec(value);
  if (!m) return undefined;
  const w = Number(m[1]);
  const h = Number(m[2]);
  return w > 0 && h > 0 ? w / h : undefined;
}

/**
 * The supported ratio nearest to `ratio`, measured on a log scale so 9:16 and 16:9 are equally far
 * from 1:1 (7:1 against 4:1 and 8:1 gives 8:1). Returns the entry of `supported` as written.
 */
export function snapAspect(ratio: string | number, supported: readonly string[]): string {
  const want = parseRatio(ratio);
  if (want === undefined) throw new RangeError(`"${ratio}" is not an aspect ratio`);
  let best = supported[0];
  let bestDistance = Infinity;
  for (const candidate of supported) {
    const r = parseRatio(candidate);
    if (r === undefined) continue;
    const distance = Math.abs(Math.log(want) - Math.log(r));
    if (distance < bestDistance - 1e-12) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

export interface SizeLimits {
  maxWidth?: number;
  maxHeight?: number;
  maxPixels?: number;
  minWidth?: number;
  minHeight?: number;
}

/** Scales width × height into the limits, keeping the ratio (shrinking wins when both would apply). */
export function clampSize(width: number, height: number, limits: SizeLimits): { width: number; height: number } {
  let shrink = 1;
  if (limits.maxWidth) shrink = Math.min(shrink, limits.maxWidth / width);
  if (limits.maxHeight) shrink = Math.min(shrink, limits.maxHeight / height);
  if (limits.maxPixels) shrink = Math.min(shrink, Math.sqrt(limits.maxPixels / (width * height)));
  let grow = 1;
  if (limits.minWidth) grow = Math.max(grow, limits.minWidth / width);
  if (limits.minHeight) grow = Math.max(grow, limits.minHeight / height);
  const scale = shrink < 1 ? shrink : grow;
  let w = Math.round(width * scale);
  let h = Math.round(height * scale);
  // Rounding may step one pixel over a maximum: step back along the ratio.
  const over = () =>
    (limits.maxWidth !== undefined && w > limits.maxWidth) ||
    (limits.maxHeight !== undefined && h > limits.maxHeight) ||
    (limits.maxPixels !== undefined && w * h > limits.maxPixels);
  if (over()) {
    w = Math.floor(width * scale);
    h = Math.floor(height * scale);
  }
  return { width: Math.max(1, w), height: Math.max(1, h) };
}

/** Nominal vertical resolution of a tier or resolution label ("standard", "pro", "4k", "720p", "1K"). */
function nominalHeight(label: string): number | undefined {
  const l = label.trim().toLowerCase();
  const named: Record<string, number> = { standard: 720, std: 720, pro: 1080, '4k': 2160, '2k': 1440, '1k': 1080, '8k': 4320 };
  if (named[l] !== undefined) return named[l];
  const p = /^(\d{3,4})p$/.exec(l);
  if (p) return Number(p[1]);
  const k = /^(\d+(?:\.\d+)?)k$/.exec(l);
  return k ? Math.round(Number(k[1]) * 1080) : undefined;
}

/** The entry of `available` whose resolution is nearest to `want` (a tier or resolution label). */
export function nearestResolution<T extends string>(want: string, available: readonly T[]): T {
  const target = nominalHeight(want);
  if (target === undefined) throw new RangeError(`"${want}" is not a resolution or tier`);
  let best = available[0];
  let bestDistance = Infinity;
  for (const candidate of available) {
    const h = nominalHeight(candidate);
    if (h === undefined) continue;
    const distance = Math.abs(Math.log(target) - Math.log(h));
    if (distance < bestDistance - 1e-12) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `size` from spec.extra under the seed's rules: snapped ratio, clamped dimensions, "WxH". */
export function normaliseSize(size: string): string {
  const { aspectRatios, sizeLimits } = KLING_V3_ON_LUMENFALL;
  const ratio = parseRatio(size);
  if (ratio === undefined) throw new StudioError('INVALID_INPUT', `Lumenfall size "${size}" is neither WIDTHxHEIGHT nor W:H.`, [`aspect ratio: "${size}" is not a size`]);
  const snapped = parseRatio(snapAspect(ratio, aspectRatios))!;
  const dims = /^\s*(\d+)\s*[x×]\s*(\d+)\s*$/i.exec(size);
  // "W:H" gives a shape only: start from the largest size that has it.
  const area = dims ? Number(dims[1]) * Number(dims[2]) : sizeLimits.maxPixels;
  const width = Math.sqrt(area * snapped);
  const { width: w, height: h } = clampSize(width, width / snapped, sizeLimits);
  return `${w}x${h}`;
}

// ---------------------------------------------------------------------------------------------------
// Request building (pure).

type Route = 'fal' | 'replicate';

function refuse(field: string, message: string): never {
  throw new StudioError('INVALID_INPUT', `Lumenfall cannot send this request: ${field} — ${message}. Nothing was sent.`, [`${field}: ${message}`]);
}

function groupPrompt(shots: NonNullable<GenerationSpec['shots']>): string {
  const joined = shots.map((s) => s.prompt.trim()).join(' ');
  return joined.length > MAX_PROMPT_CHARS ? joined.slice(0, MAX_PROMPT_CHARS) : joined;
}

/** The JSON body for POST /videos. Pure: same spec, assets and key give the same body. */
export function buildLumenfallBody(spec: GenerationSpec, assets: ResolvedAssets, idempotencyKey: string): Record<string, unknown> {
  const tier = nearestResolution<TierId>(spec.tier, CAPABILITIES.lumenfall.tiers);
  const route: Route = tier === 'pro' ? 'replicate' : 'fal';
  const body: Record<string, unknown> = { model: LUMENFALL_MODEL };

  if (spec.shots) {
    const type = spec.shotType ?? 'customize';
    if (type === 'customize') {
      body.prompt = (spec.prompt ?? '').trim() || groupPrompt(spec.shots);
      body.multi_prompt = spec.shots.map((s) => ({ prompt: s.prompt, duration: String(s.durationSec) }));
    } else {
      if (route === 'replicate') refuse('shot type', 'the model-split ("intelligence") mode is only on the standard tier (fal route); Replicate only takes shots you give');
      body.prompt = spec.prompt ?? '';
    }
    if (route === 'fal') body.shot_type = type === 'intelligence' ? 'intelligent' : 'customize';
  } else {
    body.prompt = spec.prompt ?? '';
  }

  body.seconds = String(spec.durationSec);
  body.aspect_ratio = spec.aspectRatio;
  if (route === 'replicate') body.mode = 'pro';
  body.generate_audio = spec.audio;
  if (spec.negativePrompt.trim() !== '') body.negative_prompt = spec.negativePrompt;
  // The Replicate route cannot honour a CFG scale (capabilities: byTier.pro.cfgScale false): like the
  // Replicate adapter, it is not sent. Refusing here instead would fail a job after its estimate was
  // accepted, for a setting the inspector shows disabled and cannot be changed for this provider.
  if (route === 'fal') body.cfg_scale = spec.cfgScale;

  if (spec.voiceIds.length > 0) {
    if (route === 'replicate') refuse('voices', 'voice control is only on the standard tier (fal route)');
    body.voice_ids = [...spec.voiceIds];
  }
  if (assets.startFrame) body.input_reference = [{ image_url: assets.startFrame }];
  if (assets.endFrame) body.end_image_url = assets.endFrame;
  if (assets.elements.length > 0) {
    if (route === 'replicate') refuse('elements', 'character elements are only on the standard tier (fal route)');
    body.elements = assets.elements.map((e) => {
      // As on fal (this is its route): a lone front image also stands in as the one reference image.
      const frontal = e.frontal ?? e.references[0];
      if (!frontal || e.references.length > 3) {
        refuse('elements', `element “${e.name}” needs a front image and at most 3 reference images (Lumenfall sends images, not library ids)`);
      }
      return { frontal_image_url: frontal, reference_image_urls: e.references.length > 0 ? e.references : [frontal] };
    });
  }
  body.idempotency_key = idempotencyKey;

  const extra = { ...(spec.extra ?? {}) };
  // Size keys follow the seed's rules instead of passing through verbatim.
  if (typeof extra.size === 'string' || typeof extra.size === 'number') {
    body.size = normaliseSize(String(extra.size));
    // size beats aspect_ratio + resolution: sending both would let them disagree.
    delete body.aspect_ratio;
    delete extra.aspect_ratio;
    delete extra.resolution;
  } else if (typeof extra.aspect_ratio === 'string') {
    body.aspect_ratio = snapAspect(extra.aspect_ratio, KLING_V3_ON_LUMENFALL.aspectRatios);
  }
  delete extra.size;
  delete extra.aspect_ratio;
  if (typeof extra.resolution === 'string') {
    body.resolution = nearestResolution(extra.resolution, KLING_V3_ON_LUMENFALL.resolutions);
    delete extra.resolution;
  }
  for (const [key, value] of Object.entries(extra)) if (!(key in body)) body[key] = value;
  return body;
}

// ---------------------------------------------------------------------------------------------------
// Wire shapes (docs/providers.md §4.4) and their mapping.

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

interface Ref {
  id: string;
}

function encodeRef(id: string): string {
  return JSON.stringify({ id } satisfies Ref);
}

function decodeRef(ref: string): Ref {
  if (ref.startsWith('{')) {
    const parsed = JSON.parse(ref) as Partial<Ref>;
    if (typeof parsed.id === 'string') return { id: parsed.id };
  }
  return { id: ref };
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

// ---------------------------------------------------------------------------------------------------
// The adapter.

export interface LumenfallAdapter extends ProviderAdapter {
  /** Lumenfall's own quote for a spec (`?dryRun=true`, prices in micros): nothing is created or charged. */
  estimate(spec: GenerationSpec, ctx: AdapterContext): Promise<LumenfallEstimate>;
}

function clientFor(ctx: AdapterContext): OpenAI {
  const apiKey = ctx.config.credentials.key;
  if (!apiKey) {
    throw new ProviderError({ provider: 'lumenfall', kind: 'auth', providerMessage: 'No API key is configured.' });
  }
  return new OpenAI({
    apiKey,
    baseURL: ctx.config.baseUrl || LUMENFALL_DEFAULT_BASE_URL,
    // The engine owns retries and backoff (docs/architecture.md §5); a hidden retry here would double its waits.
    maxRetries: 0,
    timeout: LUMENFALL_TIMEOUT_MS,
    // Never forward OPENAI_ORG_ID / OPENAI_PROJECT_ID from the environment to a third party.
    organization: null,
    project: null,
  });
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

async function call<T>(ctx: AdapterContext, jobRef: string | undefined, run: (client: OpenAI) => Promise<T>): Promise<T> {
  if (ctx.signal?.aborted) throw abortReason(ctx.signal);
  try {
    return await run(clientFor(ctx));
  } catch (err) {
    if (err instanceof APIUserAbortError && ctx.signal?.aborted) throw abortReason(ctx.signal);
    throw toProviderError(err, jobRef);
  }
}

export function createLumenfallAdapter(): LumenfallAdapter {
  const build = (spec: GenerationSpec, assets: ResolvedAssets, opts: SubmitOptions & { baseUrl: string }): WireRequest => ({
    method: 'POST',
    url: `${opts.baseUrl.replace(/\/+$/, '')}/videos`,
    // The key travels in the body (§4.3); the openai client sends no Idempotency-Key header of its own.
    headers: { 'content-type': 'application/json' },
    body: buildLumenfallBody(spec, assets, opts.idempotencyKey),
  });

  /** POST /videos; without a key (a dry run) the body carries none, so nothing is remembered under it. */
  const create = async (spec: GenerationSpec, ctx: AdapterContext, idempotencyKey: string | undefined, query?: Record<string, string>) => {
    const assets = await resolveAssets(spec, ctx.projectDir, 'data-uri');
    const body = build(spec, assets, { idempotencyKey: idempotencyKey ?? '', baseUrl: ctx.config.baseUrl }).body as Record<string, unknown>;
    if (idempotencyKey === undefined) delete body.idempotency_key;
    return call(ctx, undefined, (client) =>
      client.post<Record<string, unknown>>('/videos', {
        body,
        ...(query ? { query } : {}),
        signal: ctx.signal,
      }),
    );
  };

  const submitted = (video: Record<string, unknown>): { ref: string } => {
    if (typeof video.id !== 'string' || !video.id) {
      throw new ProviderError({ provider: 'lumenfall', kind: 'failed', providerMessage: 'The answer to the submission carried no video id.' });
    }
    return { ref: encodeRef(video.id) };
  };

  return {
    id: 'lumenfall',
    pollIntervalMs: 2000,
    maxPollIntervalMs: 15_000,
    buildSubmit: build,

    async submit(spec, ctx, opts) {
      return submitted(await create(spec, ctx, opts.idempotencyKey));
    },

    async poll(ref, ctx) {
      const { id } = decodeRef(ref);
      const video = await call(ctx, id, (client) => client.videos.retrieve(id, { signal: ctx.signal }));
      return pollResultFor(video as unknown as LumenfallVideo);
    },

    async cancel(ref, ctx) {
      const { id } = decodeRef(ref);
      await call(ctx, id, (client) => client.videos.delete(id, { signal: ctx.signal }));
    },

    // Lumenfall has no lookup by key, but a create with an idempotency_key it has seen returns the
    // existing video instead of a new one (§4.3). Re-sending the identical request is therefore the
    // lookup: it finds the job if the first request arrived, and creates it exactly once if it did not.
    async reconcile(idempotencyKey, spec, ctx) {
      const video = await create(spec, ctx, idempotencyKey);
      return typeof video.id === 'string' && video.id ? submitted(video) : undefined;
    },

    async estimate(spec, ctx) {
      const raw = await create(spec, ctx, undefined, { dryRun: 'true' });
      const micros = Number(raw.total_cost_micros ?? raw.total_micros);
      const usd = Number.isFinite(micros) ? micros / 1e6 : Number(raw.total_cost ?? raw.total);
      if (!Number.isFinite(usd)) {
        throw new ProviderError({ provider: 'lumenfall', kind: 'failed', providerMessage: 'The cost estimate carried no total.' });
      }
      return { usd, raw };
    },
  };
}
