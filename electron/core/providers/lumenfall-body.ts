// The JSON body of Lumenfall's POST /videos for a GenerationSpec (pure). The table of what goes where is at
// the top of lumenfall.ts; the route (fal for standard, Replicate for pro) decides which forms are used.
import { CAPABILITIES, type TierId } from '../../../shared/capabilities';
import { providerPrompt } from '../../../shared/character-prompt';
import { StudioError } from '../../../shared/errors';
import { MAX_PROMPT_CHARS } from '../../../shared/limits';
import type { GenerationSpec } from '../../../shared/generation';
import type { ResolvedAssets } from './provider';
import { KLING_V3_ON_LUMENFALL, nearestResolution, normaliseSize, snapAspect } from './lumenfall-size';

export const LUMENFALL_MODEL = 'kling-v3';

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
      if (route === 'replicate') {
        // Replicate's own form (kwaivgi/kling-v3-video, docs/providers.md §3.4): `prompt` is required and
        // `multi_prompt` is a JSON string of {prompt, duration} with integer durations.
        body.prompt = (spec.prompt ?? '').trim() || groupPrompt(spec.shots);
        body.multi_prompt = JSON.stringify(spec.shots.map((s) => ({ prompt: s.prompt, duration: s.durationSec })));
      } else {
        // fal: "Either prompt or multi_prompt must be provided, but not both" (fal-js KlingVideoV3Pro*Input.prompt).
        body.multi_prompt = spec.shots.map((s) => ({ prompt: providerPrompt(s.prompt, s.dialogue, spec, 'fal'), duration: String(s.durationSec) }));
      }
    } else {
      if (route === 'replicate') refuse('shot type', 'the model-split ("intelligence") mode is only on the standard tier (fal route); Replicate only takes shots you give');
      body.prompt = providerPrompt(spec.prompt ?? '', spec.shots.flatMap((s) => s.dialogue ?? []), spec, 'fal');
    }
    if (route === 'fal') body.shot_type = type === 'intelligence' ? 'intelligent' : 'customize';
  } else {
    // The fal route reads characters as fal does: `@Name` → `@Element1`… in the order of `elements`, and a
    // line said by a character appended as `@Element1 says: "…"` (shared/character-prompt.ts). The Replicate
    // route takes no elements (refused below), so its text goes as typed.
    body.prompt = route === 'fal' ? providerPrompt(spec.prompt ?? '', spec.dialogue, spec, 'fal') : (spec.prompt ?? '');
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

  // fal v3 has no top-level voice_ids: a voice binds to a character given as a video (elements[].voice_id,
  // docs/providers.md §2.6); shot-level voices are refused (shared/validate.ts, and here as a last guard).
  if (spec.voiceIds.length > 0) refuse('voices', 'Lumenfall routes kling-v3 to fal, which binds a voice to a character: add a character with this voice');
  if (assets.startFrame) body.input_reference = [{ image_url: assets.startFrame }];
  // Replicate's field is end_image (§3.4); on the fal route fal's end_image_url (not documented by Lumenfall).
  if (assets.endFrame) body[route === 'replicate' ? 'end_image' : 'end_image_url'] = assets.endFrame;
  if (assets.elements.length > 0) {
    if (route === 'replicate') refuse('elements', 'character elements are only on the standard tier (fal route)');
    body.elements = assets.elements.map((e) => {
      if (e.video) return { video_url: e.video, ...(e.voiceId ? { voice_id: e.voiceId } : {}) };
      if (e.voiceId) refuse('voices', `character “${e.name}” has a voice but no video; fal binds a voice only to a character given as a video`);
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

