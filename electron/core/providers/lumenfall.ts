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
// | shots (customize)     | fal route: multi_prompt            | [{prompt, duration: "4"}] and NO prompt (fal: "either prompt or  |
// |                       |   [{prompt, duration}]             | multi_prompt, not both"); per-shot durations from 1 s            |
// |                       | Replicate route: multi_prompt      | a JSON string [{prompt, duration: 4}] (integers) + prompt (the   |
// |                       |   (JSON string) + prompt           | shot prompts joined: Replicate requires prompt), §3.4            |
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
// | voiceIds (shot level) | —                                  | refused: fal binds a voice to a character (no voice_ids on v3)   |
// | element video+voiceId | elements [{video_url, voice_id}]   | converted, data URI (fal route only; refused with tier pro)      |
// | elements              | elements [{frontal_image_url,      | converted from project images to data URIs (fal route only;      |
// |                       |  reference_image_urls}]            | refused with tier pro); a lone front image is also sent as the   |
// |                       |                                    | reference, as fal does; library ids are Kling-only: refused      |
// | startFrame            | input_reference [{image_url}]      | converted: project image → data URI (Lumenfall takes base64)     |
// | endFrame              | end_image_url / end_image          | renamed, data URI: fal's field on the fal route, Replicate's     |
// |                       |                                    | end_image on the pro route (UNKNOWN on Lumenfall itself)         |
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
// Retrieve uses client.videos.retrieve unchanged. There is no cancel: Lumenfall documents none, and
// DELETE /videos/{id} deletes a finished video in the API it imitates — a stopped job is stopped here only
// (capabilities cancel 'local-only'), and the studio says the provider may still charge for it.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import OpenAI, { APIUserAbortError } from 'openai';
import { StudioError } from '../../../shared/errors';
import type { GenerationSpec } from '../../../shared/generation';
import { resolveAssets } from './assets';
import type { AdapterContext, ProviderAdapter, ResolvedAssets, SubmitOptions, WireRequest } from './provider';
import { DEFAULT_BASE_URLS } from './http';
import { ProviderError } from './provider-error';
import { buildLumenfallBody } from './lumenfall-body';
import { LUMENFALL_TIMEOUT_MS, pollResultFor, toProviderError, type LumenfallEstimate, type LumenfallVideo } from './lumenfall-status';

export { buildLumenfallBody, LUMENFALL_MODEL } from './lumenfall-body';
export { clampSize, KLING_V3_ON_LUMENFALL, nearestResolution, normaliseSize, parseRatio, snapAspect, type SizeLimits } from './lumenfall-size';
export { costFromMetadata, fieldFrom, pollResultFor, toProviderError, type LumenfallEstimate, type LumenfallVideo } from './lumenfall-status';

/** The journaled reference: the video's id (a bare id is read too, as older journals stored it). */
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

export const LUMENFALL_DEFAULT_BASE_URL = DEFAULT_BASE_URLS.lumenfall;

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

/**
 * A character given as a video with its voice (fal's elements[].video_url + voice_id): Lumenfall takes inline
 * files as base64 data URIs, so the clip goes the same way (not confirmed for videos: docs/providers.md §8.8).
 */
async function withCharacterVideos(spec: GenerationSpec, assets: ResolvedAssets, projectDir: string): Promise<ResolvedAssets> {
  if (!spec.elements.some((e) => e.video || e.voiceId)) return assets;
  const elements = await Promise.all(
    assets.elements.map(async (e, i) => {
      const source = spec.elements[i];
      if (!source?.video) return { ...e, ...(source?.voiceId ? { voiceId: source.voiceId } : {}) };
      const data = await fs.readFile(path.join(projectDir, source.video)).catch(() => undefined);
      if (!data) throw new StudioError('INVALID_INPUT', `element “${e.name}” video (${source.video}) is missing from the project folder. Nothing was sent.`, [`elements: ${source.video} is missing`]);
      return { ...e, video: `data:video/mp4;base64,${data.toString('base64')}`, ...(source.voiceId ? { voiceId: source.voiceId } : {}) };
    }),
  );
  return { ...assets, elements };
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
    const assets = await withCharacterVideos(spec, await resolveAssets(spec, ctx.projectDir, 'data-uri'), ctx.projectDir);
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

    // No cancel: Lumenfall documents none, and DELETE /videos/{id} removes a finished video in the API it
    // imitates. The engine stops the job locally and says the provider may still charge (capabilities: local-only).

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
