// A local Lumenfall (docs/providers.md §4, §7 "Lumenfall mock"): the OpenAI-style /videos resource for
// model kling-v3, close enough that the official `openai` client works against it unchanged.
//
//   POST   /openai/v1/videos[?dryRun=true]   (alias /v1/videos)  JSON or multipart/form-data
//   GET    /openai/v1/videos/{id}            queued → in_progress (progress) → completed | failed
//   DELETE /openai/v1/videos/{id}            405: not a documented Lumenfall call (no cancel; in the API it
//                                            imitates DELETE removes a finished video), so it is refused
//   GET    /media/videos/{id}.mp4            the clip (output.url points here), Range supported
//
// Errors use Lumenfall's envelope {error:{message, type, code}} (+ `param` naming the field, as the
// OpenAI envelope does): AUTHENTICATION_FAILED 401, INSUFFICIENT_BALANCE 402, INVALID_REQUEST 400 (not
// 422), MODEL_NOT_FOUND 404, RATE_LIMITED 429 + Retry-After, ALL_PROVIDERS_EXHAUSTED 502.
// Log stages: submit (POST /videos, dry runs included), status (GET of an unfinished video), result
// (GET of a completed one), cancel (DELETE), download (the clip).
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import {
  applyHttpFault,
  makeClip,
  newMockJob,
  serveClip,
  startMock,
  type MockContext,
  type MockJob,
  type MockState,
  type RunningMock,
} from './common';

export const LUMENFALL_MOCK_KEY = 'lmnfl_mockKey0123456789abcdef';

export interface LumenfallMock extends RunningMock {
  /** Account balance in USD; a submission that costs more is refused with 402. */
  setBalance(usd: number): void;
  balance(): number;
  /** The next `times` submissions fail with 502 ALL_PROVIDERS_EXHAUSTED. */
  exhaustProviders(times?: number): void;
  /** Lumenfall's own record of a job (route, cost, idempotency key). */
  record(id: string): JobRecord | undefined;
}

interface JobRecord {
  id: string;
  idempotencyKey?: string;
  route: 'fal' | 'replicate';
  executedModel: string;
  costUsd: number;
  size: string;
  seconds: string;
  prompt: string;
  sizeBytes?: number;
}

const MODEL_ALIASES = ['kling-v3', 'kling-3', 'kling-video-v3'];
const ASPECTS = ['16:9', '9:16', '1:1'] as const;
const SIZE_OF: Record<(typeof ASPECTS)[number], string> = { '16:9': '1365x768', '9:16': '768x1365', '1:1': '1024x1024' };
const LIMITS = { maxSide: 1365, maxPixels: 1024 * 1024, minSide: 300 };
// §4.7: fal standard (audio off / on / voice control), Replicate route (off / on).
const RATES = { fal: { off: 0.084, on: 0.126, voice: 0.154 }, replicate: { off: 0.168, on: 0.252, voice: 0.252 } };
const RESULT_TTL_SEC = 3600;

type ErrorCode = 'AUTHENTICATION_FAILED' | 'INSUFFICIENT_BALANCE' | 'INVALID_REQUEST' | 'MODEL_NOT_FOUND' | 'RATE_LIMITED' | 'ALL_PROVIDERS_EXHAUSTED' | 'UPSTREAM_ERROR' | 'NOT_FOUND' | 'INTERNAL_ERROR';
const TYPE_OF: Record<ErrorCode, string> = {
  AUTHENTICATION_FAILED: 'authentication_error',
  INSUFFICIENT_BALANCE: 'insufficient_quota',
  INVALID_REQUEST: 'invalid_request_error',
  MODEL_NOT_FOUND: 'invalid_request_error',
  NOT_FOUND: 'invalid_request_error',
  RATE_LIMITED: 'rate_limit_error',
  ALL_PROVIDERS_EXHAUSTED: 'api_error',
  UPSTREAM_ERROR: 'api_error',
  INTERNAL_ERROR: 'api_error',
};

function envelope(code: ErrorCode, message: string, param?: string, type = TYPE_OF[code]) {
  return { error: { message, type, code, ...(param ? { param } : {}) } };
}

/** The body shape applyHttpFault sends for a scripted fault, in Lumenfall's words. */
function faultShape(status: number, message: string) {
  if (status === 401) return envelope('AUTHENTICATION_FAILED', 'Invalid API key.');
  if (status === 429) return envelope('RATE_LIMITED', 'Rate limit exceeded. Please retry after the time given in Retry-After.');
  if (status === 503) return envelope('UPSTREAM_ERROR', `Upstream provider unavailable: ${message}`);
  return envelope('INTERNAL_ERROR', message);
}

// ---------------------------------------------------------------------------------------------------
// multipart/form-data, as the openai client's videos.create sends it (bracketed keys for nesting).

function parseMultipart(text: string, contentType: string): Record<string, unknown> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) return {};
  const delimiter = `--${boundary[1] ?? boundary[2]}`;
  const out: Record<string, unknown> = {};
  for (const part of text.split(delimiter).slice(1)) {
    if (part.startsWith('--')) break;
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = part.slice(0, split);
    let value = part.slice(split + 4);
    if (value.endsWith('\r\n')) value = value.slice(0, -2);
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    if (!name) continue;
    const filename = /filename="([^"]*)"/i.exec(head)?.[1];
    const type = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1];
    // A file part: the mock keeps what it is, not its bytes (they arrive through a UTF-8 decode).
    setPath(out, name, filename !== undefined ? { file: filename, content_type: type ?? 'application/octet-stream', bytes: value.length } : value);
  }
  return out;
}

/** Assigns `a[b][]`-style keys; `x[][k]` starts a new array element when the last one already has k. */
function setPath(target: Record<string, unknown>, name: string, value: unknown): void {
  const keys = [/^[^[]+/.exec(name)?.[0] ?? name, ...[...name.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1])];
  let node: Record<string, unknown> | unknown[] = target;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const last = i === keys.length - 1;
    if (Array.isArray(node)) {
      if (last) {
        node.push(value);
        return;
      }
      const nextKey = keys[i + 1];
      let element = node[node.length - 1] as Record<string, unknown> | undefined;
      if (!element || typeof element !== 'object' || (nextKey !== '' && nextKey in element && i + 1 === keys.length - 1)) {
        element = {};
        node.push(element);
      }
      node = element;
      continue;
    }
    if (last) {
      node[key] = value;
      return;
    }
    if (node[key] === undefined) node[key] = keys[i + 1] === '' ? [] : {};
    node = node[key] as Record<string, unknown> | unknown[];
  }
}

/** Form fields arrive as strings: the typed ones Lumenfall documents are read back as their types. */
function coerceForm(body: Record<string, unknown>): Record<string, unknown> {
  const out = { ...body };
  for (const key of ['generate_audio']) if (out[key] === 'true' || out[key] === 'false') out[key] = out[key] === 'true';
  for (const key of ['cfg_scale', 'n']) if (typeof out[key] === 'string' && out[key] !== '' && Number.isFinite(Number(out[key]))) out[key] = Number(out[key]);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Validation: what Lumenfall refuses with 400 INVALID_REQUEST, naming the parameter.

interface Invalid {
  param: string;
  message: string;
  status?: number;
  code?: ErrorCode;
}

const isImageUrl = (v: unknown) => typeof v === 'string' && (/^https:\/\//.test(v) || /^data:image\/(png|jpe?g|webp);base64,[A-Za-z0-9+/=]+$/.test(v));

function intIn(v: unknown, min: number, max: number): number | undefined {
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : typeof v === 'number' ? v : NaN;
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

function aspectOfSize(size: string): (typeof ASPECTS)[number] | Invalid {
  const ratio = /^(\d+):(\d+)$/.exec(size);
  const dims = /^(\d+)x(\d+)$/.exec(size);
  if (!ratio && !dims) return { param: 'size', message: `Invalid 'size': "${size}". Use WIDTHxHEIGHT (e.g. "1365x768") or an aspect ratio (e.g. "16:9").` };
  const [w, h] = (ratio ?? dims)!.slice(1).map(Number);
  const match = ASPECTS.find((a) => {
    const [aw, ah] = a.split(':').map(Number);
    return Math.abs(w / h / (aw / ah) - 1) < 0.01;
  });
  if (!match) return { param: 'size', message: `Invalid 'size': ${size} has an aspect ratio kling-v3 does not support (9:16, 1:1, 16:9).` };
  if (dims && (Math.max(w, h) > LIMITS.maxSide || w * h > LIMITS.maxPixels || Math.min(w, h) < LIMITS.minSide)) {
    return { param: 'size', message: `Invalid 'size': ${size} is outside kling-v3's limits (largest 1365x768, 768x1365, 1024x1024).` };
  }
  return match;
}

interface Checked {
  seconds: number;
  aspect: (typeof ASPECTS)[number];
  size: string;
  audio: boolean;
  route: 'fal' | 'replicate';
  voices: number;
  text: string;
}

function check(body: Record<string, unknown>): Checked | Invalid {
  if (typeof body.model !== 'string' || !body.model) return { param: 'model', message: "Missing required parameter: 'model'." };
  if (!MODEL_ALIASES.includes(body.model)) return { param: 'model', status: 404, code: 'MODEL_NOT_FOUND', message: `Model '${body.model}' not found.` };
  const falRoute = body.mode === undefined;
  // fal (the default route): "Either prompt or multi_prompt must be provided, but not both."
  if (falRoute && body.prompt !== undefined && body.multi_prompt !== undefined) {
    return { param: 'prompt', message: "Invalid request: send either 'prompt' or 'multi_prompt', not both (fal route)." };
  }
  if (!(falRoute && body.multi_prompt !== undefined) && (typeof body.prompt !== 'string' || body.prompt.trim() === '')) return { param: 'prompt', message: "Missing required parameter: 'prompt'." };
  if (typeof body.prompt === 'string' && body.prompt.length > 2500) return { param: 'prompt', message: `Invalid 'prompt': ${body.prompt.length} characters; the maximum is 2500.` };
  if (body.negative_prompt !== undefined && (typeof body.negative_prompt !== 'string' || body.negative_prompt.length > 2500)) {
    return { param: 'negative_prompt', message: "Invalid 'negative_prompt': a string of at most 2500 characters is required." };
  }

  const secondsRaw = body.seconds ?? body.duration;
  const secondsParam = body.seconds !== undefined ? 'seconds' : 'duration';
  const seconds = secondsRaw === undefined ? 5 : intIn(secondsRaw, 3, 15);
  if (seconds === undefined) return { param: secondsParam, message: `Invalid '${secondsParam}': ${JSON.stringify(secondsRaw)}. kling-v3 makes 3 to 15 seconds in whole seconds.` };
  if (body.seconds !== undefined && body.duration !== undefined && intIn(body.duration, 3, 15) !== seconds) {
    return { param: 'duration', message: "Conflicting 'seconds' and 'duration'; send one of them." };
  }

  let aspect: (typeof ASPECTS)[number] = '16:9';
  if (body.size !== undefined) {
    const a = typeof body.size === 'string' ? aspectOfSize(body.size) : { param: 'size', message: "Invalid 'size': a string is required." };
    if (typeof a !== 'string') return a;
    aspect = a;
  } else if (body.aspect_ratio !== undefined) {
    if (!ASPECTS.includes(body.aspect_ratio as never)) return { param: 'aspect_ratio', message: `Invalid 'aspect_ratio': ${JSON.stringify(body.aspect_ratio)}. Supported: 9:16, 1:1, 16:9.` };
    aspect = body.aspect_ratio as (typeof ASPECTS)[number];
  }
  if (body.resolution !== undefined && body.resolution !== '1K') return { param: 'resolution', message: `Invalid 'resolution': ${JSON.stringify(body.resolution)}. Supported: 1K.` };

  if (body.mode !== undefined && body.mode !== 'pro' && body.mode !== 'standard') return { param: 'mode', message: `Invalid 'mode': ${JSON.stringify(body.mode)}. Supported: pro, standard.` };
  const route = body.mode !== undefined ? 'replicate' : 'fal';
  if (body.generate_audio !== undefined && typeof body.generate_audio !== 'boolean') return { param: 'generate_audio', message: "Invalid 'generate_audio': a boolean is required." };
  const audio = body.generate_audio === undefined ? route === 'fal' : body.generate_audio;
  if (body.cfg_scale !== undefined) {
    if (route === 'replicate') return { param: 'cfg_scale', message: "'cfg_scale' is only available via fal; 'mode' selects the replicate route." };
    if (typeof body.cfg_scale !== 'number' || body.cfg_scale < 0 || body.cfg_scale > 1) return { param: 'cfg_scale', message: "Invalid 'cfg_scale': a number from 0 to 1 is required." };
  }

  let start: unknown;
  if (body.input_reference !== undefined) {
    const refs = Array.isArray(body.input_reference) ? body.input_reference : [body.input_reference];
    if (refs.length !== 1) return { param: 'input_reference', message: `Invalid 'input_reference': kling-v3 accepts 1 reference image, got ${refs.length}.` };
    const ref = refs[0] as Record<string, unknown>;
    start = ref?.image_url ?? (ref && 'file' in ref ? ref : undefined);
    if (!start || (typeof start === 'string' && !isImageUrl(start))) {
      return { param: 'input_reference', message: "Invalid 'input_reference': image_url must be an HTTPS URL or a base64 data URI." };
    }
  }
  if (body.end_image_url !== undefined) {
    if (!start) return { param: 'end_image_url', message: "'end_image_url' requires a start image in 'input_reference'." };
    if (!isImageUrl(body.end_image_url)) return { param: 'end_image_url', message: "Invalid 'end_image_url': an HTTPS URL or a base64 data URI is required." };
  }

  if (body.end_image !== undefined) {
    // Replicate's field (kwaivgi/kling-v3-video end_image); fal's is end_image_url.
    if (route !== 'replicate') return { param: 'end_image', message: "'end_image' is only available via replicate; the fal route takes 'end_image_url'." };
    if (!start) return { param: 'end_image', message: "'end_image' requires a start image in 'input_reference'." };
    if (!isImageUrl(body.end_image)) return { param: 'end_image', message: "Invalid 'end_image': an HTTPS URL or a base64 data URI is required." };
  }
  let text = String(body.prompt ?? '');
  if (body.multi_prompt !== undefined) {
    let shots: unknown = body.multi_prompt;
    if (route === 'replicate') {
      // Replicate: a JSON string of [{prompt, duration}] with integer durations (§3.4).
      if (typeof shots !== 'string') return { param: 'multi_prompt', message: "Invalid 'multi_prompt': the replicate route takes a JSON string." };
      try {
        shots = JSON.parse(shots);
      } catch {
        return { param: 'multi_prompt', message: "Invalid 'multi_prompt': not valid JSON." };
      }
      if (Array.isArray(shots) && shots.some((x) => !Number.isInteger((x as { duration?: unknown })?.duration))) {
        return { param: 'multi_prompt', message: "Invalid 'multi_prompt': each duration is an integer number of seconds on the replicate route." };
      }
    } else if (typeof shots === 'string') return { param: 'multi_prompt', message: "Invalid 'multi_prompt': an array of shots is required (fal route)." };
    if (!Array.isArray(shots) || shots.length < 1 || shots.length > 6) return { param: 'multi_prompt', message: "Invalid 'multi_prompt': an array of 1 to 6 shots is required." };
    if (body.end_image_url !== undefined) return { param: 'end_image_url', message: "'end_image_url' is not supported together with 'multi_prompt'." };
    // Both routes take 1 s shots (fal's KlingV3MultiPromptElement.duration "1"…"15"; Replicate ≥ 1 s).
    const min = 1;
    let sum = 0;
    for (const [i, shot] of shots.entries()) {
      const s = shot as Record<string, unknown>;
      if (typeof s?.prompt !== 'string' || s.prompt.trim() === '' || s.prompt.length > 512) {
        return { param: `multi_prompt[${i}].prompt`, message: `Invalid 'multi_prompt[${i}].prompt': a text of 1 to 512 characters is required.` };
      }
      const d = intIn(s.duration, min, 15);
      if (d === undefined) return { param: `multi_prompt[${i}].duration`, message: `Invalid 'multi_prompt[${i}].duration': ${JSON.stringify(s.duration)}; each shot lasts ${min} to 15 seconds.` };
      sum += d;
    }
    if (sum !== seconds) return { param: 'multi_prompt', message: `Invalid 'multi_prompt': the shots add up to ${sum} seconds but 'seconds' is ${seconds}.` };
    text = shots.map((s) => (s as { prompt: string }).prompt).join(' / ');
  }
  if (body.shot_type !== undefined) {
    if (route === 'replicate') return { param: 'shot_type', message: "'shot_type' is only available via fal; 'mode' selects the replicate route." };
    if (body.shot_type !== 'customize' && body.shot_type !== 'intelligent') return { param: 'shot_type', message: `Invalid 'shot_type': ${JSON.stringify(body.shot_type)}. Supported: customize, intelligent.` };
  }

  let voices = 0;
  // Neither route has a top-level voice_ids for kling-v3 (fal v3 binds voices to elements; Replicate has none).
  if (body.voice_ids !== undefined) return { param: 'voice_ids', message: "Unknown parameter: 'voice_ids'. kling-v3 binds a voice to an element (elements[].voice_id)." };
  if (body.elements !== undefined) {
    if (route === 'replicate') return { param: 'elements', message: "'elements' is only available via fal; 'mode' selects the replicate route." };
    if (!start) return { param: 'elements', message: "'elements' is only available for image-to-video (send 'input_reference')." };
    const list = body.elements;
    if (!Array.isArray(list) || list.length < 1 || list.length > 3) return { param: 'elements', message: "Invalid 'elements': 1 to 3 elements are allowed." };
    for (const [i, e] of list.entries()) {
      const el = e as Record<string, unknown>;
      const images = Array.isArray(el?.reference_image_urls) ? el.reference_image_urls : [];
      const ok = el?.video_url !== undefined ? typeof el.video_url === 'string' : isImageUrl(el?.frontal_image_url) && images.length >= 1 && images.length <= 3 && images.every(isImageUrl);
      if (!ok) return { param: `elements[${i}]`, message: `Invalid 'elements[${i}]': give frontal_image_url with 1 to 3 reference_image_urls, or a video_url.` };
      if (el.voice_id !== undefined) {
        if (el.video_url === undefined) return { param: `elements[${i}].voice_id`, message: `Invalid 'elements[${i}].voice_id': voice binding is only supported for video elements.` };
        if (!audio) return { param: `elements[${i}].voice_id`, message: "'voice_id' requires 'generate_audio' to be true." };
        voices++;
      }
    }
  }
  if (body.webhook_url !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(String(body.webhook_url));
    } catch {
      url = undefined;
    }
    const port = url?.port ? Number(url.port) : 443;
    if (!url || url.protocol !== 'https:' || ![443, 8443].includes(port) || /^(localhost|\d+\.\d+\.\d+\.\d+|\[.*\])$/.test(url.hostname)) {
      return { param: 'webhook_url', message: "Invalid 'webhook_url': an HTTPS URL on port 443 or 8443 with a public host name is required." };
    }
  }
  if (body.idempotency_key !== undefined && (typeof body.idempotency_key !== 'string' || body.idempotency_key.length > 256 || body.idempotency_key === '')) {
    return { param: 'idempotency_key', message: "Invalid 'idempotency_key': a string of 1 to 256 characters is required." };
  }
  const size = typeof body.size === 'string' && /^\d+x\d+$/.test(body.size) ? body.size : SIZE_OF[aspect];
  return { seconds, aspect, size, audio, route, voices, text };
}

// ---------------------------------------------------------------------------------------------------

function versionedPath(pathname: string): string | undefined {
  const m = /^\/(?:openai\/)?v1(\/.*)$/.exec(pathname);
  return m?.[1];
}

function stageOf(method: string, pathname: string) {
  if (method === 'GET' && /^\/media\/videos\/[^/]+\.mp4$/.test(pathname)) return 'download' as const;
  const p = versionedPath(pathname);
  if (p === '/videos' && method === 'POST') return 'submit' as const;
  if (p && /^\/videos\/[^/]+$/.test(p)) {
    if (method === 'GET') return 'status' as const;
    if (method === 'DELETE') return 'cancel' as const;
  }
  return 'other' as const;
}

/** Checks `Authorization: Bearer lmnfl_…` like Lumenfall: missing, malformed and unknown keys are 401. */
function authorize(ctx: MockContext, keys: Set<string>): boolean {
  const header = ctx.req.headers.authorization;
  let message: string | undefined;
  if (!header) message = "Missing API key. Send 'Authorization: Bearer lmnfl_…'.";
  else {
    const m = /^Bearer\s+(\S+)$/.exec(header);
    if (!m || !m[1].startsWith('lmnfl_')) message = "Malformed API key. Lumenfall keys start with 'lmnfl_' and are sent as 'Authorization: Bearer <key>'.";
    else if (!keys.has(m[1])) message = 'Invalid API key. It may have been revoked.';
  }
  if (!message) return true;
  ctx.json(401, envelope('AUTHENTICATION_FAILED', message));
  return false;
}

export async function startLumenfallMock(opts: { port?: number; apiKey?: string; balanceUsd?: number } = {}): Promise<LumenfallMock> {
  const keys = new Set([opts.apiKey ?? LUMENFALL_MOCK_KEY]);
  let balanceUsd = opts.balanceUsd ?? 1000;
  let exhausted = 0;
  const records = new Map<string, JobRecord>();
  const byKey = new Map<string, string>();
  let state: MockState | undefined;

  const clipSize = async (job: MockJob): Promise<number> => {
    const rec = records.get(job.id);
    if (rec?.sizeBytes !== undefined) return rec.sizeBytes;
    const file = await makeClip({ durationSec: job.durationSec, aspect: job.aspect, audio: job.audio, text: job.text });
    const size = (await stat(file)).size;
    if (rec) rec.sizeBytes = size;
    return size;
  };

  const completedAt = (job: MockJob, s: MockState) => job.createdAt + s.timing.queueMs + s.timing.runMs;

  const videoObject = (ctx: MockContext, job: MockJob) => {
    const rec = records.get(job.id)!;
    const s = ctx.state;
    const phase = s.phase(job);
    const status = phase === 'running' ? 'in_progress' : phase === 'canceled' ? 'cancelled' : phase;
    const done = phase === 'completed' || phase === 'failed';
    const finishedSec = Math.floor(completedAt(job, s) / 1000);
    const metadata: Record<string, unknown> = {
      model: 'kling-v3',
      executed_model: rec.executedModel,
      provider: rec.route,
      provider_name: rec.route === 'fal' ? 'fal.ai' : 'Replicate',
      cost_currency: 'USD',
      upstream_id: `up_${job.id.slice(6)}`,
      ...(phase === 'completed' ? { cost: rec.costUsd } : { cost_estimate: rec.costUsd }),
    };
    return {
      id: job.id,
      object: 'video',
      created_at: Math.floor(job.createdAt / 1000),
      completed_at: done ? finishedSec : null,
      expires_at: phase === 'completed' ? finishedSec + RESULT_TTL_SEC : null,
      status,
      model: 'kling-v3',
      prompt: rec.prompt,
      seconds: rec.seconds,
      size: rec.size,
      progress: phase === 'queued' ? 0 : phase === 'running' ? Math.round(s.progress(job) * 100) : 100,
      output:
        phase === 'completed'
          ? { url: `${ctx.baseUrl}/media/videos/${job.id}.mp4`, content_type: 'video/mp4', ...(rec.sizeBytes !== undefined ? { size_bytes: rec.sizeBytes } : {}) }
          : null,
      error:
        phase === 'failed'
          ? { code: job.failure?.kind === 'policy' ? 'content_policy_violation' : 'generation_failed', message: job.failure?.message ?? 'The generation failed.' }
          : null,
      metadata,
    };
  };

  const submit = async (ctx: MockContext): Promise<void> => {
    if (applyHttpFault(ctx, 'submit', faultShape)) return;
    if (!authorize(ctx, keys)) return;
    const contentType = String(ctx.req.headers['content-type'] ?? '');
    let body: Record<string, unknown>;
    if (contentType.startsWith('multipart/form-data')) body = coerceForm(parseMultipart(typeof ctx.body === 'string' ? ctx.body : '', contentType));
    else if (ctx.body && typeof ctx.body === 'object' && !Array.isArray(ctx.body)) body = ctx.body as Record<string, unknown>;
    else return ctx.json(400, envelope('INVALID_REQUEST', 'The request body must be a JSON object or multipart/form-data.'));
    // Keep the decoded form on the log entry, so tests read both encodings the same way.
    const entry = ctx.state.log[ctx.state.log.length - 1];
    if (entry && entry.stage === 'submit' && typeof ctx.body === 'string') entry.body = body;

    const checked = check(body);
    if ('param' in checked) return ctx.json(checked.status ?? 400, envelope(checked.code ?? 'INVALID_REQUEST', checked.message, checked.param));
    const perSecond = RATES[checked.route][checked.voices > 0 ? 'voice' : checked.audio ? 'on' : 'off'];
    const costUsd = Math.round(perSecond * checked.seconds * 1e6) / 1e6;
    const executedModel = checked.route === 'replicate' ? 'replicate/kling-v3' : body.input_reference ? 'fal/kling-v3-i2v' : 'fal/kling-v3';

    if (ctx.url.searchParams.get('dryRun') === 'true') {
      return ctx.json(200, {
        estimated: true,
        model: 'kling-v3',
        provider: checked.route,
        executed_model: executedModel,
        currency: 'USD',
        total_cost_micros: Math.round(costUsd * 1e6),
        components: [{ name: 'video_seconds', quantity: checked.seconds, unit_cost_micros: Math.round(perSecond * 1e6), cost_micros: Math.round(costUsd * 1e6) }],
      });
    }

    const key = typeof body.idempotency_key === 'string' ? body.idempotency_key : undefined;
    const existing = key ? byKey.get(key) : undefined;
    if (existing && ctx.state.jobs.has(existing)) return ctx.json(200, videoObject(ctx, ctx.state.jobs.get(existing)!));

    if (exhausted > 0) {
      exhausted -= 1;
      return ctx.json(502, envelope('ALL_PROVIDERS_EXHAUSTED', 'All providers for kling-v3 failed or are unavailable. Please retry later.'));
    }
    if (ctx.state.takeFault('submit', ['policy'])) {
      return ctx.json(400, envelope('UPSTREAM_ERROR', 'Content policy violation: the prompt was rejected by the provider’s safety system.', 'prompt', 'content_policy_violation'));
    }
    if (costUsd > balanceUsd + 1e-9) {
      return ctx.json(402, envelope('INSUFFICIENT_BALANCE', `Insufficient balance: $${costUsd.toFixed(2)} required, $${balanceUsd.toFixed(2)} available.`));
    }
    balanceUsd -= costUsd;

    const id = `video_${randomBytes(12).toString('hex')}`;
    const job = newMockJob(
      { id, input: body, durationSec: checked.seconds, aspect: checked.aspect, audio: checked.audio, text: checked.text },
      ctx.state,
    );
    records.set(id, { id, idempotencyKey: key, route: checked.route, executedModel, costUsd, size: checked.size, seconds: String(checked.seconds), prompt: checked.text });
    if (key) byKey.set(key, id);
    // Start making the clip now, as the real job would; a completed video reports its size.
    void clipSize(job).catch(() => {});
    ctx.json(202, videoObject(ctx, job));
  };

  const routes = [
    async (ctx: MockContext) => {
      const stage = stageOf(ctx.req.method ?? 'GET', ctx.url.pathname);
      const p = versionedPath(ctx.url.pathname);
      if (stage === 'submit') {
        await submit(ctx);
        return true;
      }
      if (stage === 'status' || stage === 'cancel') {
        const id = decodeURIComponent(p!.slice('/videos/'.length));
        const job = ctx.state.jobs.get(id);
        const phase = job ? ctx.state.phase(job) : undefined;
        // Reading a finished video is where its result is fetched: log and fault it as 'result'.
        const effective = stage === 'status' && phase === 'completed' ? 'result' : stage;
        const entry = ctx.state.log[ctx.state.log.length - 1];
        if (entry && entry.path.startsWith(ctx.url.pathname)) entry.stage = effective;
        if (applyHttpFault(ctx, effective, faultShape)) return true;
        if (!authorize(ctx, keys)) return true;
        if (!job) {
          ctx.json(404, envelope('NOT_FOUND', `No video found with id '${id}'.`, 'id'));
          return true;
        }
        if (stage === 'cancel') {
          // Not a documented Lumenfall call: the job is left alone (it runs, and is charged, to the end).
          ctx.json(405, envelope('INVALID_REQUEST', 'Method DELETE is not supported for /videos/{id}: Lumenfall has no cancel for video generations.'));
          return true;
        }
        if (phase === 'completed') await clipSize(job);
        ctx.json(200, videoObject(ctx, job));
        return true;
      }
      if (stage === 'download') {
        if (applyHttpFault(ctx, 'download', faultShape)) return true;
        const id = /^\/media\/videos\/([^/]+)\.mp4$/.exec(ctx.url.pathname)![1];
        const job = ctx.state.jobs.get(id);
        if (!job || ctx.state.phase(job) !== 'completed') {
          ctx.json(404, { error: 'Not found' });
          return true;
        }
        const expired = Date.now() > completedAt(job, ctx.state) + RESULT_TTL_SEC * 1000;
        const fault = expired ? 'expired' : job.downloadFault;
        // A broken transfer is a one-off, as on the other mocks (a retry or Range resume gets the rest);
        // corrupt and expired stay so.
        if (fault === 'truncate' || fault === 'drop' || fault === 'slow') job.downloadFault = undefined;
        await serveClip(ctx, job, fault);
        return true;
      }
      return false;
    },
  ];

  const running = await startMock({
    name: 'lumenfall',
    port: opts.port,
    stageOf,
    routes,
    notFound: (ctx) => ctx.json(404, envelope('NOT_FOUND', `Unknown route ${ctx.req.method} ${ctx.url.pathname}.`)),
  });
  state = running.state;
  return {
    ...running,
    setBalance: (usd) => {
      balanceUsd = usd;
    },
    balance: () => balanceUsd,
    exhaustProviders: (times = 1) => {
      exhausted += times;
    },
    record: (id) => (state?.jobs.has(id) ? records.get(id) : undefined),
  };
}
