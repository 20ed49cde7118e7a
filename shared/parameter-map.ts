// How each Storyreel parameter reaches each provider — the one table for the whole product (the seed's
// vocabulary: passthrough = same name and value; renamed = same value, other name; converted = other
// value or shape; emulated = built from something the provider does not have; unsupported = refused by
// shared/validate.ts or never sent). Each adapter's header comment repeats its own column in more detail.
import type { CloudProviderId } from './capabilities';

export type Mapping = 'passthrough' | 'renamed' | 'converted' | 'emulated' | 'unsupported';

export interface ParameterRoute {
  how: Mapping;
  /** The wire field(s), or what happens instead. */
  wire: string;
}

export type CloudProvider = CloudProviderId;

export const PARAMETERS = [
  'prompt',
  'negativePrompt',
  'durationSec',
  'aspectRatio',
  'tier',
  'audio',
  'cfgScale',
  'startFrame',
  'endFrame',
  'multiShot',
  'shotType',
  'voices',
  'elements',
  'idempotencyKey',
  'n',
  'size',
  'extra',
] as const;
export type Parameter = (typeof PARAMETERS)[number];

const r = (how: Mapping, wire: string): ParameterRoute => ({ how, wire });

export const PARAMETER_MAP: Record<Parameter, Record<CloudProvider, ParameterRoute>> = {
  prompt: {
    fal: r('passthrough', 'prompt'),
    replicate: r('passthrough', 'prompt (required; a group sends a summary of its shots)'),
    lumenfall: r('passthrough', 'prompt (a group: none beside multi_prompt on the fal route; the shot prompts joined on the pro tier’s Replicate route)'),
    kling: r('passthrough', 'prompt'),
  },
  negativePrompt: {
    fal: r('renamed', 'negative_prompt'),
    replicate: r('renamed', 'negative_prompt'),
    lumenfall: r('renamed', 'negative_prompt'),
    kling: r('renamed', 'negative_prompt'),
  },
  durationSec: {
    fal: r('converted', 'duration: "3"…"15" (string)'),
    replicate: r('converted', 'duration: 3…15 (integer)'),
    lumenfall: r('converted', 'seconds: "3"…"15" (string)'),
    kling: r('converted', 'duration: "3"…"15" (string)'),
  },
  aspectRatio: {
    fal: r('renamed', 'aspect_ratio (text-to-video; image-to-video follows the start frame)'),
    replicate: r('renamed', 'aspect_ratio (text-to-video only)'),
    lumenfall: r('renamed', 'aspect_ratio (unsupported ratios snap to the nearest supported one)'),
    kling: r('renamed', 'aspect_ratio (text2video only)'),
  },
  tier: {
    fal: r('converted', 'endpoint fal-ai/kling-video/v3/{standard|pro|4k}/…'),
    replicate: r('renamed', 'mode: standard | pro | 4k'),
    lumenfall: r('converted', 'standard → fal route (no mode); pro → mode "pro" (Replicate route)'),
    kling: r('converted', 'mode: std | pro'),
  },
  audio: {
    fal: r('renamed', 'generate_audio'),
    replicate: r('renamed', 'generate_audio (always sent: the default is false)'),
    lumenfall: r('renamed', 'generate_audio'),
    kling: r('converted', 'sound: "on" | "off"'),
  },
  cfgScale: {
    fal: r('renamed', 'cfg_scale'),
    replicate: r('unsupported', 'no cfg_scale on kling-v3-video: never sent'),
    lumenfall: r('renamed', 'cfg_scale (fal route; the pro tier’s Replicate route has none: never sent there)'),
    kling: r('renamed', 'cfg_scale'),
  },
  startFrame: {
    fal: r('converted', 'start_image_url (uploaded to fal’s CDN first; selects …/image-to-video)'),
    replicate: r('converted', 'start_image (data URI up to 1 MB; a larger image is uploaded to the Files API and sent as its URL)'),
    lumenfall: r('converted', 'input_reference[0].image_url (data URI)'),
    kling: r('converted', 'image (bare base64; selects /image2video)'),
  },
  endFrame: {
    fal: r('converted', 'end_image_url (uploaded to fal’s CDN first)'),
    replicate: r('converted', 'end_image (as start_image)'),
    lumenfall: r('converted', 'end_image_url (fal route) / end_image (pro tier, Replicate route)'),
    kling: r('converted', 'image_tail (bare base64)'),
  },
  multiShot: {
    fal: r('converted', 'multi_prompt [{prompt, duration: "n"}]'),
    replicate: r('converted', 'multi_prompt: JSON string [{prompt, duration: n}]'),
    lumenfall: r('converted', 'multi_prompt [{prompt, duration: "n"}] (fal route) / JSON string [{prompt, duration: n}] (pro tier)'),
    kling: r('converted', 'multi_shot: true + multi_prompt [{index, prompt, duration: "n"}]'),
  },
  shotType: {
    fal: r('converted', 'shot_type: customize | intelligent'),
    replicate: r('unsupported', 'customize only; no shot_type field'),
    lumenfall: r('converted', 'shot_type: customize | intelligent (fal route)'),
    kling: r('passthrough', 'shot_type: customize | intelligence'),
  },
  voices: {
    fal: r('converted', 'elements[].voice_id on the character given as a video (no voice_ids on v3)'),
    replicate: r('unsupported', 'no voice control'),
    lumenfall: r('converted', 'elements[].voice_id on a video character (fal route only)'),
    kling: r('converted', 'voice_list [{voice_id}]'),
  },
  elements: {
    fal: r('converted', 'elements [{frontal_image_url, reference_image_urls}]'),
    replicate: r('unsupported', 'no elements'),
    lumenfall: r('converted', 'elements (fal route only)'),
    kling: r('converted', 'element_list [{element_id}] from the element library'),
  },
  idempotencyKey: {
    fal: r('unsupported', 'none: a lost submit needs a person (needs-attention)'),
    replicate: r('unsupported', 'none: a lost submit needs a person (needs-attention)'),
    lumenfall: r('renamed', 'idempotency_key'),
    kling: r('renamed', 'external_task_id (also the lookup key)'),
  },
  n: {
    fal: r('emulated', 'one request per variation, in parallel'),
    replicate: r('emulated', 'one request per variation, in parallel'),
    lumenfall: r('emulated', 'one request per variation, in parallel'),
    kling: r('emulated', 'one request per variation, in parallel'),
  },
  size: {
    fal: r('unsupported', 'tier decides resolution'),
    replicate: r('unsupported', 'tier decides resolution'),
    lumenfall: r('converted', 'size beats aspect_ratio + resolution; clamped to the model limits keeping the ratio'),
    kling: r('unsupported', 'tier decides resolution'),
  },
  extra: {
    fal: r('passthrough', 'merged into the body'),
    replicate: r('passthrough', 'merged into input'),
    lumenfall: r('passthrough', 'merged into the body'),
    kling: r('passthrough', 'merged into the body (never external_task_id)'),
  },
};
