// What each provider can do with Kling V3, in one table the UI, the CLI and the engine all read.
// Sources: docs/providers.md (section numbers in the comments). Where the sources disagree the
// table follows the provider's own docs and says so in `notes`.
import type { ProviderId } from './schema';

export type TierId = 'standard' | 'pro' | '4k';

export interface ProviderCapabilities {
  id: ProviderId;
  label: string;
  /** Whether it needs an account (and so costs money). */
  paid: boolean;
  minDurationSec: number;
  maxDurationSec: number;
  aspectRatios: ('16:9' | '9:16' | '1:1')[];
  tiers: TierId[];
  textToVideo: boolean;
  imageToVideo: boolean;
  negativePrompt: boolean;
  cfgScale: boolean;
  nativeAudio: boolean;
  /** Voice ids referenced as <<<voice_1>>> in the prompt; 0 = not offered. */
  maxVoices: number;
  /** 'inline' = images sent with the request (fal); 'library' = element ids from the provider's library (Kling). */
  elements: 'none' | 'inline' | 'library';
  maxElements: number;
  startFrame: boolean;
  endFrame: boolean;
  multiShot: { maxShots: number; minShotSec: number; shotTypes: ('customize' | 'intelligence')[] } | null;
  cancel: 'provider' | 'local-only';
  /** How a lost submit can be found again without paying twice (docs/architecture.md §5). */
  idempotency: 'none' | 'idempotency-key' | 'external-task-id';
  /** Result URLs expire this many seconds after completion (null = unknown/not soon). */
  resultTtlSec: number | null;
  envKeys: string[];
  notes: string[];
  /** Where a tier is served by a different route with fewer features (Lumenfall pro → Replicate). */
  byTier?: Partial<Record<TierId, Partial<Omit<ProviderCapabilities, 'id' | 'label' | 'byTier'>>>>;
}

/** The capabilities that apply to one tier of a provider. */
export function capabilitiesFor(provider: ProviderId, tier: TierId): ProviderCapabilities {
  const base = CAPABILITIES[provider];
  return { ...base, ...(base.byTier?.[tier] ?? {}) };
}

const ALL_ASPECTS: ProviderCapabilities['aspectRatios'] = ['16:9', '9:16', '1:1'];

/** What the Kling V3 model itself offers on every route (docs/providers.md §1); each provider adds its own limits. */
const KLING_V3 = {
  minDurationSec: 3,
  maxDurationSec: 15,
  aspectRatios: ALL_ASPECTS,
  textToVideo: true,
  imageToVideo: true,
  negativePrompt: true,
  nativeAudio: true,
  startFrame: true,
  endFrame: true,
} as const satisfies Partial<ProviderCapabilities>;

export const CAPABILITIES: Record<ProviderId, ProviderCapabilities> = {
  animatic: {
    ...KLING_V3,
    id: 'animatic',
    label: 'Animatic (local)',
    paid: false,
    tiers: ['standard', 'pro'],
    cfgScale: true,
    maxVoices: 2,
    elements: 'inline',
    maxElements: 3,
    multiShot: { maxShots: 6, minShotSec: 1, shotTypes: ['customize', 'intelligence'] },
    cancel: 'provider',
    idempotency: 'none',
    resultTtlSec: null,
    envKeys: [],
    notes: ['Renders on this computer with ffmpeg; accepts every setting so a storyboard can be previewed before choosing a provider.'],
  },
  fal: {
    ...KLING_V3,
    id: 'fal',
    label: 'fal.ai',
    paid: true,
    tiers: ['standard', 'pro', '4k'],
    cfgScale: true,
    maxVoices: 2,
    elements: 'inline',
    maxElements: 3,
    // §2.5: per-shot duration enum starts at "3"; shot_type spelled `intelligent` on the wire.
    multiShot: { maxShots: 6, minShotSec: 3, shotTypes: ['customize', 'intelligence'] },
    cancel: 'provider',
    idempotency: 'none',
    resultTtlSec: null,
    envKeys: ['FAL_KEY'],
    notes: ['Tier is the endpoint (standard/pro/4k).', 'Voice ids cannot be combined with elements.'],
  },
  replicate: {
    ...KLING_V3,
    id: 'replicate',
    label: 'Replicate',
    paid: true,
    tiers: ['standard', 'pro', '4k'],
    cfgScale: false,
    maxVoices: 0,
    elements: 'none',
    maxElements: 0,
    // §3.4: multi_prompt is a JSON string, ≥1 s per shot; no shot_type field.
    multiShot: { maxShots: 6, minShotSec: 1, shotTypes: ['customize'] },
    cancel: 'provider',
    idempotency: 'none',
    resultTtlSec: 3600,
    envKeys: ['REPLICATE_API_TOKEN'],
    notes: ['kwaivgi/kling-v3-video has no cfg_scale, voice control or elements.', 'Output URLs expire after 1 hour.'],
  },
  lumenfall: {
    ...KLING_V3,
    id: 'lumenfall',
    label: 'Lumenfall',
    paid: true,
    tiers: ['standard', 'pro'],
    cfgScale: true,
    maxVoices: 2,
    elements: 'inline',
    maxElements: 3,
    // Routed to fal standard by default (§4.3), so fal's 3 s per-shot minimum applies.
    multiShot: { maxShots: 6, minShotSec: 3, shotTypes: ['customize', 'intelligence'] },
    cancel: 'provider',
    idempotency: 'idempotency-key',
    resultTtlSec: null,
    envKeys: ['LUMENFALL_API_KEY'],
    notes: ['Standard routes to fal (720p); pro routes to Replicate (mode "pro").', 'Provider-specific options pass through.'],
    // Pro goes through Replicate's kling-v3-video: no voices, elements, model-split mode or CFG; 1 s shots.
    byTier: {
      pro: { maxVoices: 0, elements: 'none', maxElements: 0, cfgScale: false, multiShot: { maxShots: 6, minShotSec: 1, shotTypes: ['customize'] } },
    },
  },
  kling: {
    ...KLING_V3,
    id: 'kling',
    label: 'Kling (official API)',
    paid: true,
    tiers: ['standard', 'pro'],
    cfgScale: true,
    // §5.4 documents voice_list; Kling's own capability map says ❌ for v3 (§8.3): offered, flagged.
    maxVoices: 2,
    elements: 'library',
    maxElements: 3,
    multiShot: { maxShots: 6, minShotSec: 1, shotTypes: ['customize', 'intelligence'] },
    cancel: 'local-only',
    idempotency: 'external-task-id',
    resultTtlSec: 30 * 24 * 3600,
    envKeys: ['KLING_ACCESS_KEY', 'KLING_SECRET_KEY'],
    notes: [
      'No cancel call: a stopped job may still be charged.',
      "Voice control is documented for image-to-video but Kling's v3 capability map marks it unsupported; test before relying on it.",
    ],
  },
};
