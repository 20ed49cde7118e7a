// Kling's official API (Kuaishou) for the kling-v3 model: /v1/videos/text2video and /image2video, signed
// with an API key or an access/secret key JWT (kling-auth.ts), tasks polled by task_id and found again by
// our external_task_id. Wire details: docs/providers.md §5, mapping §6. There is no official JS client,
// so this speaks the protocol with fetch.
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
// | elements[].libraryId     | element_list: [{element_id}]                 | converted; held as strings of digits,   |
// |                          |                                              | written as bare JSON numbers (longs     |
// |                          |                                              | past JS precision, kling-json.ts)       |
// | elements[] inline images | —                                            | not offered (validator refuses)         |
// | @Name in a prompt        | <<<element_n>>> in the order of element_list | converted                               |
// | line by a character      | appended: `Name <<<voice_n>>> says: "…"`     | converted (voice in voice_list)         |
// | (idempotency key)        | external_task_id                             | from SubmitOptions; reconcile reads it  |
// | extra.*                  | same keys                                    | passthrough, last (may override), but   |
// |                          |                                              | never external_task_id                  |
// | (cancel)                 | —                                            | none on Kling: `cancel` is absent       |
// | (n takes, seed)          | —                                            | not offered: no seed; one video a task  |
import { providerPrompt } from '../../../shared/character-prompt';
import type { GenerationSpec } from '../../../shared/generation';
import { resolveAssets } from './assets';
import type { AdapterContext, PollResult, ProviderAdapter, ResolvedAssets, SubmitOptions, WireRequest } from './provider';
import { providerFetch } from './http';
import { createKlingAuth, klingSecrets } from './kling-auth';
import { klingErrorFromResponse, POLICY_WORDS, type KlingErrorEnvelope } from './kling-errors';
import { KlingElementIdError, klingElementIdProblem, klingRequestJson } from './kling-json';
import { ProviderError } from './provider-error';

export { klingErrorFromResponse, klingFieldFromMessage } from './kling-errors';

export const KLING_MODEL = 'kling-v3';
/** Kling deletes result videos 30 days after the task (§5.5). */
const RESULT_TTL_MS = 30 * 24 * 3600 * 1000;

export type KlingTaskKind = 'text2video' | 'image2video';

/** What `submit` returns as the job reference: enough to poll without the spec. */
interface KlingRef {
  kind: KlingTaskKind;
  taskId: string;
  externalTaskId?: string;
}

interface KlingEnvelope extends KlingErrorEnvelope {
  /** One task; a list where the call lists tasks (or a server that ignores the external_task_id query). */
  data?: KlingTaskData | KlingTaskData[];
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
      body.multi_prompt = spec.shots.map((s, i) => ({ index: i + 1, prompt: providerPrompt(s.prompt, s.dialogue, spec, 'kling'), duration: String(s.durationSec) }));
    } else {
      body.prompt = providerPrompt(spec.prompt ?? '', spec.shots.flatMap((s) => s.dialogue ?? []), spec, 'kling');
    }
  } else {
    // `@Name` → `<<<element_1>>>`…; a voiced line → `Name <<<voice_1>>> says: "…"` (shared/character-prompt.ts).
    body.prompt = providerPrompt(spec.prompt ?? '', spec.dialogue, spec, 'kling');
  }
  if (spec.negativePrompt) body.negative_prompt = spec.negativePrompt;
  body.mode = TIER_TO_MODE[spec.tier];
  body.sound = spec.audio ? 'on' : 'off';
  body.cfg_scale = spec.cfgScale;
  if (kind === 'text2video') body.aspect_ratio = spec.aspectRatio;
  body.duration = String(spec.durationSec);
  if (assets.startFrame) body.image = stripDataPrefix(assets.startFrame);
  if (assets.endFrame) body.image_tail = stripDataPrefix(assets.endFrame);
  const elements = spec.elements.filter((e) => e.libraryId !== undefined && e.libraryId !== '');
  for (const e of elements) {
    const problem = klingElementIdProblem(e.libraryId);
    if (problem) throw new ProviderError({ provider: 'kling', kind: 'validation', field: 'elements', providerMessage: `element “${e.name}”: ${problem}. Nothing was sent.`, nothingCreated: true });
  }
  // Strings of digits here; klingRequestJson writes them as bare JSON numbers (Kling's ids are longs).
  if (elements.length) body.element_list = elements.map((e) => ({ element_id: e.libraryId }));
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
  const authorization = createKlingAuth(now);

  /** One authenticated JSON call; resolves with the envelope's data or throws a ProviderError. */
  const callRaw = async (ctx: AdapterContext, method: 'GET' | 'POST', url: string, body?: unknown, jobRef?: string): Promise<KlingTaskData | KlingTaskData[]> => {
    const auth = await authorization(ctx);
    let text: string | undefined;
    try {
      text = body === undefined ? undefined : klingRequestJson(body);
    } catch (err) {
      if (err instanceof KlingElementIdError) throw new ProviderError({ provider: 'kling', kind: 'validation', field: 'elements', providerMessage: `${err.problem}. Nothing was sent.`, nothingCreated: true });
      throw err;
    }
    const secrets = klingSecrets(ctx.config.credentials);
    const scrub = (t: string) => secrets.reduce((out, s) => out.split(s).join('····'), t);
    const res = await providerFetch({ provider: 'kling', method, url, headers: { authorization: auth }, body, serialize: () => text!, signal: ctx.signal, jobRef, scrub, fetch: doFetch });
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
  const call = async (ctx: AdapterContext, method: 'GET' | 'POST', url: string, body?: unknown, jobRef?: string): Promise<KlingTaskData> => {
    const data = await callRaw(ctx, method, url, body, jobRef);
    if (Array.isArray(data)) throw new ProviderError({ provider: 'kling', kind: 'outage', providerMessage: 'the response was a list where one task was expected', jobRef });
    return data;
  };

  const kindUrl = (ctx: AdapterContext, kind: KlingTaskKind) => joinUrl(ctx.config.baseUrl, `/v1/videos/${kind}`);
  const taskUrl = (ctx: AdapterContext, kind: KlingTaskKind, id: string) => `${kindUrl(ctx, kind)}/${encodeURIComponent(id)}`;

  /**
   * The task Kling holds under our external_task_id, looked up the documented way
   * (`GET /v1/videos/{kind}?external_task_id=…`), then in the older path form (`…/{kind}/{id}`) where the
   * query form finds nothing. Only a task that carries this very key counts: a server that ignores the
   * query and lists recent tasks instead is searched for it, never taken at its first entry.
   */
  const findByExternalId = async (ctx: AdapterContext, kind: KlingTaskKind, key: string): Promise<{ ref: string } | undefined> => {
    const asRef = (data: KlingTaskData | KlingTaskData[]): { ref: string } | undefined => {
      const list = Array.isArray(data) ? data : [data];
      const task = list.find((t) => t?.task_id && t.task_info?.external_task_id === key) ?? (!Array.isArray(data) && data.task_id && !data.task_info?.external_task_id ? data : undefined);
      if (!task?.task_id) return undefined;
      const ref: KlingRef = { kind, taskId: task.task_id, externalTaskId: key };
      return { ref: JSON.stringify(ref) };
    };
    const attempt = async (url: string) => {
      try {
        return asRef(await callRaw(ctx, 'GET', url));
      } catch (err) {
        // Unknown key: Kling answers 404 (resource not found) — or, as far as the docs let us tell, a
        // 400 "invalid value" for the only parameter of this call.
        if (err instanceof ProviderError && (err.kind === 'not-found' || (err.kind === 'validation' && err.status === 400))) return undefined;
        throw err;
      }
    };
    return (await attempt(`${kindUrl(ctx, kind)}?external_task_id=${encodeURIComponent(key)}`)) ?? (await attempt(taskUrl(ctx, kind, key)));
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
        // A refusal may be Kling saying this key was accepted before (an earlier attempt whose answer was
        // lost): that task is this job. Kling's wording for it is not documented, so every refusal of the
        // request is checked by looking the key up; only a key Kling has never seen lets the refusal stand.
        if (err instanceof ProviderError && err.kind === 'validation' && !err.nothingCreated) {
          const found = await findByExternalId(ctx, kind, opts.idempotencyKey).catch((lookup: unknown) => {
            // The lookup could not be made: the task may exist, so the refusal must not read as "nothing
            // was charged" — the engine retries a network or outage error, and looks again.
            if (lookup instanceof ProviderError && lookup.retryable) throw lookup;
            return undefined;
          });
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
