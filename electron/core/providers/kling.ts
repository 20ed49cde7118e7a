// Kling's official API (Kuaishou) for the kling-v3 model: HS256 JWT auth, /v1/videos/text2video and
// /image2video, tasks queried by task_id or by our external_task_id. Wire details: docs/providers.md §5,
// mapping §6. There is no official JS client, so this speaks the protocol with fetch.
//
// How each GenerationSpec parameter reaches Kling (passthrough = same name and value; renamed = same
// value, other name; converted = other value; emulated = built from something Kling does not have):
//
// | Spec                     | Kling body                                   | How                                     |
// |--------------------------|----------------------------------------------|-----------------------------------------|
// | (model)                  | model_name: "kling-v3"                       | fixed — Kling's default is kling-v1!    |
// | prompt                   | prompt                                       | passthrough (voice refs <<<voice_n>>>)  |
// | negativePrompt           | negative_prompt                              | renamed; left out when empty            |
// | durationSec              | duration                                     | converted number → string "3".."15"     |
// | tier standard/pro        | mode: "std"/"pro"                            | converted; Kling has no 4K tier         |
// | aspectRatio              | aspect_ratio                                 | renamed; text2video only (I2V follows   |
// |                          |                                              | the start image, §5.4)                  |
// | audio                    | sound: "on"/"off"                            | converted boolean → string              |
// | cfgScale                 | cfg_scale                                    | renamed                                 |
// | startFrame               | image (bare base64, no data: prefix)         | converted; picks the image2video route  |
// | endFrame                 | image_tail (bare base64)                     | converted                               |
// | shots[] (customize)      | multi_shot: true, shot_type: "customize",    | converted: index from 1, duration as    |
// |                          | multi_prompt: [{index, prompt, duration}]    | string; the overall prompt is left out  |
// | shotType "intelligence"  | multi_shot: true, shot_type: "intelligence", | passthrough spelling (fal says          |
// |                          | prompt                                       | "intelligent"); no multi_prompt         |
// | voiceIds                 | voice_list: [{voice_id}]                     | converted; also on text2video as the    |
// |                          |                                              | Vercel SDK does (§5.3)                  |
// | elements[].libraryId     | element_list: [{element_id}]                 | converted; ids stay strings: they are   |
// |                          |                                              | 18-digit longs beyond JS number range   |
// | elements[] inline images | —                                            | not offered (validator refuses)         |
// | (idempotency key)        | external_task_id                             | from SubmitOptions; reconcile reads it  |
// | extra.*                  | same keys                                    | passthrough, last (may override), but   |
// |                          |                                              | never external_task_id                  |
// | (cancel)                 | —                                            | none on Kling: `cancel` is absent       |
// | (n takes, seed)          | —                                            | not offered: no seed; one video a task  |
import { SignJWT } from 'jose';
import type { GenerationSpec } from '../../../shared/generation';
import { resolveAssets } from './assets';
import type { AdapterContext, PollResult, ProviderAdapter, ResolvedAssets, SubmitOptions, WireRequest } from './provider';
import { kindForStatus, providerFetch, retryWaitFor } from './http';
import { ProviderError, type ProviderErrorKind } from './provider-error';

export const KLING_MODEL = 'kling-v3';
/** Kling deletes result videos 30 days after the task (§5.5). */
const RESULT_TTL_MS = 30 * 24 * 3600 * 1000;
/** A JWT lives 30 minutes (§5.1); a cached one is replaced 5 minutes before it runs out. */
const TOKEN_LIFETIME_SEC = 1800;
const TOKEN_RENEW_BEFORE_SEC = 300;

export type KlingTaskKind = 'text2video' | 'image2video';

/** What `submit` returns as the job reference: enough to poll without the spec. */
interface KlingRef {
  kind: KlingTaskKind;
  taskId: string;
  externalTaskId?: string;
}

interface KlingEnvelope {
  code?: number;
  message?: string;
  request_id?: string;
  data?: KlingTaskData;
}

interface KlingTaskData {
  task_id?: string;
  task_status?: 'submitted' | 'processing' | 'succeed' | 'failed';
  task_status_msg?: string;
  task_info?: { external_task_id?: string };
  task_result?: { videos?: { id?: string; url?: string; duration?: string }[] };
  final_unit_deduction?: string;
  created_at?: number;
  updated_at?: number;
}

export function klingTaskKind(spec: Pick<GenerationSpec, 'startFrame'>): KlingTaskKind {
  return spec.startFrame ? 'image2video' : 'text2video';
}

const TIER_TO_MODE = { standard: 'std', pro: 'pro' } as const;

/** The request body for a spec whose images are already bare base64. Pure. */
export function buildKlingBody(spec: GenerationSpec, assets: ResolvedAssets, externalTaskId: string): Record<string, unknown> {
  if (spec.tier === '4k') {
    throw new ProviderError({ provider: 'kling', kind: 'validation', field: 'tier', providerMessage: 'Kling’s API has no 4K mode (std or pro only).' });
  }
  const kind = klingTaskKind(spec);
  const body: Record<string, unknown> = { model_name: KLING_MODEL };
  if (spec.shots) {
    body.multi_shot = true;
    const shotType = spec.shotType ?? 'customize';
    body.shot_type = shotType;
    if (shotType === 'customize') {
      body.multi_prompt = spec.shots.map((s, i) => ({ index: i + 1, prompt: s.prompt, duration: String(s.durationSec) }));
    } else {
      body.prompt = spec.prompt ?? '';
    }
  } else {
    body.prompt = spec.prompt ?? '';
  }
  if (spec.negativePrompt) body.negative_prompt = spec.negativePrompt;
  body.mode = TIER_TO_MODE[spec.tier];
  body.sound = spec.audio ? 'on' : 'off';
  body.cfg_scale = spec.cfgScale;
  if (kind === 'text2video') body.aspect_ratio = spec.aspectRatio;
  body.duration = String(spec.durationSec);
  if (assets.startFrame) body.image = stripDataPrefix(assets.startFrame);
  if (assets.endFrame) body.image_tail = stripDataPrefix(assets.endFrame);
  const elementIds = spec.elements.map((e) => e.libraryId).filter((id): id is string => !!id);
  if (elementIds.length) body.element_list = elementIds.map((element_id) => ({ element_id }));
  if (spec.voiceIds.length) body.voice_list = spec.voiceIds.map((voice_id) => ({ voice_id }));
  Object.assign(body, spec.extra ?? {});
  // The engine's idempotency key is what reconcile looks the task up by; extra must not replace it.
  body.external_task_id = externalTaskId;
  return body;
}

/** Kling wants raw base64; a data URI (if one slips through) is reduced to its payload. */
function stripDataPrefix(image: string): string {
  const m = /^data:[^;,]+;base64,/.exec(image);
  return m ? image.slice(m[0].length) : image;
}

function parseRef(text: string): KlingRef {
  try {
    const ref = JSON.parse(text) as KlingRef;
    if ((ref.kind === 'text2video' || ref.kind === 'image2video') && typeof ref.taskId === 'string' && ref.taskId) return ref;
  } catch {
    // fall through
  }
  throw new ProviderError({ provider: 'kling', kind: 'not-found', providerMessage: `unreadable job reference ${JSON.stringify(text.slice(0, 80))}` });
}

function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}`;
}

// ——— errors ———————————————————————————————————————————————————————————————————————————————————————

/** Kling's request fields in the words the inspector uses (validate.ts field names). */
const FIELD_NAMES: Record<string, string> = {
  model_name: 'model',
  mode: 'tier',
  duration: 'duration',
  aspect_ratio: 'aspect ratio',
  cfg_scale: 'CFG scale',
  negative_prompt: 'negative prompt',
  prompt: 'prompt',
  multi_prompt: 'group',
  multi_shot: 'group',
  shot_type: 'shot type',
  sound: 'audio',
  voice_list: 'voices',
  voice_id: 'voices',
  element_list: 'elements',
  element_id: 'elements',
  image: 'start frame',
  image_tail: 'end frame',
  external_task_id: 'idempotency key',
  camera_control: 'camera control',
  callback_url: 'callback URL',
};

/**
 * The field a Kling message blames, in our words. Kling's messages name the wire field
 * ("duration …", "multi_prompt[2].prompt …"); the first field mentioned wins, and a field inside
 * a shot (multi_prompt[n].duration) maps to that field rather than to the group.
 */
export function klingFieldFromMessage(message: string): string | undefined {
  const names = Object.keys(FIELD_NAMES).sort((a, b) => b.length - a.length);
  const re = new RegExp(`(?<![A-Za-z_])(${names.join('|')})(?:\\[\\d+\\])?(?:\\.(\\w+))?(?![A-Za-z_])`);
  const m = re.exec(message);
  if (!m) return undefined;
  const inner = m[2] && FIELD_NAMES[m[2]];
  return inner || FIELD_NAMES[m[1]];
}

const POLICY_WORDS = /moderat|content (safety|security|policy)|risk control|sensitive|policy|inappropriate|violat/i;

function kindForCode(code: number | undefined, status: number): ProviderErrorKind {
  switch (code) {
    case 1000: case 1001: case 1002: case 1003: case 1004: // auth failed / empty / invalid / not yet valid / expired
    case 1100: // account exception
    case 1103: // no access to this API or model
    case 1304: // IP whitelist
      return 'auth';
    case 1101: case 1102: // arrears / resource pack used up or expired
      return 'balance';
    case 1200: case 1201:
      return 'validation';
    case 1202: case 1203:
      return 'not-found';
    case 1300: case 1301:
      return 'policy';
    case 1302: case 1303:
      return 'rate-limit';
    case 5000: case 5001: case 5002:
      return 'outage';
  }
  // A 200 that carries a non-zero code Kling does not document is still a failure.
  return status >= 200 && status < 300 ? 'failed' : kindForStatus(status);
}

/** Maps one Kling error response (any status, or 200 with a non-zero code) to a ProviderError. Pure. */
export function klingErrorFromResponse(init: { status: number; body: unknown; retryAfter?: string | null; jobRef?: string }): ProviderError {
  const env = (typeof init.body === 'object' && init.body ? init.body : {}) as KlingEnvelope;
  const code = typeof env.code === 'number' ? env.code : undefined;
  const text = typeof env.message === 'string' && env.message ? env.message : typeof init.body === 'string' ? init.body.slice(0, 300) : '';
  const kind = kindForCode(code, init.status);
  const providerMessage = [text || `HTTP ${init.status}`, code !== undefined ? `(code ${code})` : ''].filter(Boolean).join(' ');
  return new ProviderError({
    provider: 'kling',
    kind,
    providerMessage,
    field: kind === 'validation' ? klingFieldFromMessage(text) : undefined,
    status: init.status,
    retryAfterMs: retryWaitFor(kind, init.retryAfter),
    jobRef: init.jobRef,
  });
}

// ——— the adapter ——————————————————————————————————————————————————————————————————————————————————

export interface KlingAdapterOptions {
  /** Clock in ms (tests move it to produce not-yet-valid or expired tokens). */
  now?: () => number;
  /** fetch to use (tests wrap it); defaults to the global one. */
  fetch?: typeof fetch;
}

export function createKlingAdapter(options: KlingAdapterOptions = {}): ProviderAdapter {
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  let cached: { ak: string; sk: string; token: string; exp: number } | undefined;

  const token = async (ctx: AdapterContext): Promise<string> => {
    const ak = ctx.config.credentials.accessKey ?? '';
    const sk = ctx.config.credentials.secretKey ?? '';
    if (!ak || !sk) {
      throw new ProviderError({
        provider: 'kling',
        kind: 'auth',
        providerMessage: `no ${!ak ? 'access key' : 'secret key'} is configured`,
      });
    }
    const nowSec = Math.floor(now() / 1000);
    if (cached && cached.ak === ak && cached.sk === sk && cached.exp - TOKEN_RENEW_BEFORE_SEC > nowSec && cached.exp - TOKEN_LIFETIME_SEC - 5 <= nowSec) {
      return cached.token;
    }
    const exp = nowSec + TOKEN_LIFETIME_SEC;
    const jwt = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ak)
      .setExpirationTime(exp)
      .setNotBefore(nowSec - 5)
      .sign(new TextEncoder().encode(sk));
    cached = { ak, sk, token: jwt, exp };
    return jwt;
  };

  /** One authenticated JSON call; resolves with the envelope's data or throws a ProviderError. */
  const call = async (ctx: AdapterContext, method: 'GET' | 'POST', url: string, body?: unknown, jobRef?: string): Promise<KlingTaskData> => {
    const auth = await token(ctx);
    const res = await providerFetch({ provider: 'kling', method, url, headers: { authorization: `Bearer ${auth}` }, body, signal: ctx.signal, jobRef, fetch: doFetch });
    // A proxy's HTML error page is not JSON: its text is kept for the message.
    const parsed: unknown = res.json ?? (res.text || undefined);
    const env = (typeof parsed === 'object' && parsed ? parsed : {}) as KlingEnvelope;
    if (!res.ok || (typeof env.code === 'number' && env.code !== 0)) {
      throw klingErrorFromResponse({ status: res.status, body: parsed, retryAfter: res.headers.get('retry-after'), jobRef });
    }
    if (!env.data || typeof env.data !== 'object') {
      throw new ProviderError({ provider: 'kling', kind: 'outage', status: res.status, providerMessage: 'the response had no data', jobRef });
    }
    return env.data;
  };

  const taskUrl = (ctx: AdapterContext, kind: KlingTaskKind, id: string) =>
    joinUrl(ctx.config.baseUrl, `/v1/videos/${kind}/${encodeURIComponent(id)}`);

  const findByExternalId = async (ctx: AdapterContext, kind: KlingTaskKind, key: string): Promise<{ ref: string } | undefined> => {
    try {
      const data = await call(ctx, 'GET', taskUrl(ctx, kind, key));
      if (!data.task_id) return undefined;
      const ref: KlingRef = { kind, taskId: data.task_id, externalTaskId: data.task_info?.external_task_id ?? key };
      return { ref: JSON.stringify(ref) };
    } catch (err) {
      // Unknown id: Kling answers 404 (resource not found) — or, as far as the docs let us tell, a
      // 400 "invalid value" for the only parameter of this call, the id in the path.
      if (err instanceof ProviderError && (err.kind === 'not-found' || (err.kind === 'validation' && err.status === 400))) return undefined;
      throw err;
    }
  };

  const adapter: ProviderAdapter = {
    id: 'kling',
    pollIntervalMs: 2000,
    maxPollIntervalMs: 15_000,

    buildSubmit(spec, assets, opts): WireRequest {
      return {
        method: 'POST',
        url: joinUrl(opts.baseUrl, `/v1/videos/${klingTaskKind(spec)}`),
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: buildKlingBody(spec, assets, opts.idempotencyKey),
      };
    },

    async submit(spec, ctx, opts: SubmitOptions) {
      // Kling elements are library ids: inline images are never sent, so they are not read either.
      const assets = await resolveAssets({ ...spec, elements: spec.elements.map((e) => ({ name: e.name, libraryId: e.libraryId })) }, ctx.projectDir, 'base64');
      const wire = adapter.buildSubmit(spec, assets, { ...opts, baseUrl: ctx.config.baseUrl });
      const kind = klingTaskKind(spec);
      let data: KlingTaskData;
      try {
        data = await call(ctx, 'POST', wire.url, wire.body);
      } catch (err) {
        // The same key was accepted before (an earlier attempt whose answer was lost): that task is
        // this job. Looking it up instead of failing keeps the user from paying twice.
        if (err instanceof ProviderError && err.kind === 'validation' && /external_task_id/i.test(err.providerMessage) && /exist|duplicat|already/i.test(err.providerMessage)) {
          const found = await findByExternalId(ctx, kind, opts.idempotencyKey);
          if (found) return found;
        }
        throw err;
      }
      if (!data.task_id) {
        throw new ProviderError({ provider: 'kling', kind: 'outage', providerMessage: 'Kling accepted the request but returned no task id' });
      }
      const ref: KlingRef = { kind, taskId: data.task_id, externalTaskId: data.task_info?.external_task_id ?? opts.idempotencyKey };
      return { ref: JSON.stringify(ref) };
    },

    async poll(refText, ctx): Promise<PollResult> {
      const ref = parseRef(refText);
      const data = await call(ctx, 'GET', taskUrl(ctx, ref.kind, ref.taskId), undefined, ref.taskId);
      switch (data.task_status) {
        case 'submitted':
          // Kling reports no queue position.
          return { state: 'queued' };
        case 'processing':
          return { state: 'running' };
        case 'succeed': {
          const video = data.task_result?.videos?.find((v) => v.url);
          if (!video?.url) {
            return { state: 'failed', error: new ProviderError({ provider: 'kling', kind: 'failed', providerMessage: 'the task succeeded but returned no video', jobRef: ref.taskId }) };
          }
          const doneAt = typeof data.updated_at === 'number' ? data.updated_at : now();
          return {
            state: 'succeeded',
            result: { kind: 'url', url: video.url, expiresAt: new Date(doneAt + RESULT_TTL_MS).toISOString() },
            // Kling bills in resource-pack units, not dollars (§5.9).
            providerCost: data.final_unit_deduction !== undefined ? `${data.final_unit_deduction} units` : undefined,
          };
        }
        case 'failed': {
          const msg = data.task_status_msg || 'the task failed without a reason';
          return {
            state: 'failed',
            error: new ProviderError({ provider: 'kling', kind: POLICY_WORDS.test(msg) ? 'policy' : 'failed', providerMessage: msg, jobRef: ref.taskId }),
          };
        }
        default:
          // A status this adapter does not know yet: keep polling rather than give up on a paid job.
          return { state: 'running' };
      }
    },

    async reconcile(idempotencyKey, spec, ctx) {
      return findByExternalId(ctx, klingTaskKind(spec), idempotencyKey);
    },

    refForJobId(taskId, spec) {
      const ref: KlingRef = { kind: klingTaskKind(spec), taskId };
      return JSON.stringify(ref);
    },
  };
  return adapter;
}
