// What each provider can do with Kling V3, in one table the UI, the CLI and the engine all read.
// Sources: docs/providers.md (section numbers in the comments). Where the sources disagree the
// table follows the provider's own docs and says so in `notes`. The list of providers is this table's keys
// (PROVIDER_IDS; shared/schema.ts's ProviderIdSchema is built from it), and the cloud ones are its paid rows.
import { MAX_SHOT_SECONDS, MIN_GROUP_SHOT_SECONDS, MIN_SHOT_SECONDS } from './limits';

/** Every tier a request can ask for (the CLI's --tier, the confirmation's tier menu); a take records the one it was made at. */
export const TIER_IDS = ['standard', 'pro', '4k'] as const;
export type TierId = (typeof TIER_IDS)[number];
/** The tiers a project or a shot can default to (Settings, the inspector); 4K is asked for one request at a time. */
export const DEFAULT_TIER_IDS = ['standard', 'pro'] as const satisfies readonly TierId[];

/**
 * One secret a provider needs: its name in the core's config (and the Settings form), the form's label for it,
 * and the environment variable it is read from when it is not stored in the keychain.
 */
export interface CredentialField {
  name: string;
  label: string;
  env: string;
}

/** One provider's row of the table (its id is the row's key). */
export interface ProviderFacts {
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
  /**
   * How a voice reaches the provider: 'request' = a list of voice ids beside the prompt (Kling's voice_list);
   * 'element' = bound to one character element (fal v3: elements[].voice_id, only on an element given as a
   * video). Absent = 'request'.
   */
  voiceBinding?: 'request' | 'element';
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
  /** What the account's key is made of (none for a local provider). */
  credentials: CredentialField[];
  /** Another complete sign-in, used instead of `credentials` when it is set (Kling's single API key). */
  altCredentials?: CredentialField[];
  notes: string[];
  /** Where a tier is served by a different route with fewer features (Lumenfall pro → Replicate). */
  byTier?: Partial<Record<TierId, Partial<Omit<ProviderFacts, 'label' | 'byTier' | 'credentials' | 'altCredentials'>>>>;
}

export interface ProviderCapabilities extends ProviderFacts {
  id: ProviderId;
  /** The environment variables of `credentials`, in order (what an error or the CLI tells a person to set). */
  envKeys: string[];
  /** The environment variables of `altCredentials`, when the provider has another sign-in. */
  altEnvKeys?: string[];
}

const ALL_ASPECTS: ProviderCapabilities['aspectRatios'] = ['16:9', '9:16', '1:1'];

/** What the Kling V3 model itself offers on every route (docs/providers.md §1); each provider adds its own limits. */
const KLING_V3 = {
  minDurationSec: MIN_SHOT_SECONDS,
  maxDurationSec: MAX_SHOT_SECONDS,
  aspectRatios: ALL_ASPECTS,
  textToVideo: true,
  imageToVideo: true,
  negativePrompt: true,
  nativeAudio: true,
  startFrame: true,
  endFrame: true,
} as const satisfies Partial<ProviderFacts>;

const TABLE = {
  animatic: {
    ...KLING_V3,
    label: 'Animatic (local)',
    paid: false,
    tiers: ['standard', 'pro'],
    cfgScale: true,
    maxVoices: 2,
    elements: 'inline',
    maxElements: 3,
    multiShot: { maxShots: 6, minShotSec: MIN_GROUP_SHOT_SECONDS, shotTypes: ['customize', 'intelligence'] },
    cancel: 'provider',
    idempotency: 'none',
    resultTtlSec: null,
    credentials: [],
    notes: ['Renders on this computer with ffmpeg; accepts every setting so a storyboard can be previewed before choosing a provider.'],
  },
  fal: {
    ...KLING_V3,
    label: 'fal.ai',
    paid: true,
    tiers: ['standard', 'pro', '4k'],
    cfgScale: true,
    // §2.6: no top-level voice_ids on any v3 endpoint; a voice binds to the one element given as a video.
    maxVoices: 1,
    voiceBinding: 'element',
    elements: 'inline',
    maxElements: 3,
    // §2.5: per-shot duration enum "1"…"15"; shot_type spelled `intelligent` on the wire.
    multiShot: { maxShots: 6, minShotSec: MIN_GROUP_SHOT_SECONDS, shotTypes: ['customize', 'intelligence'] },
    cancel: 'provider',
    idempotency: 'none',
    resultTtlSec: null,
    credentials: [{ name: 'key', label: 'API key', env: 'FAL_KEY' }],
    notes: ['Tier is the endpoint (standard/pro/4k).', 'A voice is bound to a character element given as a video (elements[].voice_id), not listed beside the prompt.'],
  },
  replicate: {
    ...KLING_V3,
    label: 'Replicate',
    paid: true,
    tiers: ['standard', 'pro', '4k'],
    cfgScale: false,
    maxVoices: 0,
    elements: 'none',
    maxElements: 0,
    // §3.4: multi_prompt is a JSON string, ≥1 s per shot; no shot_type field.
    multiShot: { maxShots: 6, minShotSec: MIN_GROUP_SHOT_SECONDS, shotTypes: ['customize'] },
    cancel: 'provider',
    idempotency: 'none',
    resultTtlSec: 3600,
    credentials: [{ name: 'key', label: 'API key', env: 'REPLICATE_API_TOKEN' }],
    notes: ['kwaivgi/kling-v3-video has no cfg_scale, voice control or elements.', 'Output URLs expire after 1 hour.'],
  },
  lumenfall: {
    ...KLING_V3,
    label: 'Lumenfall',
    paid: true,
    tiers: ['standard', 'pro'],
    cfgScale: true,
    // Routed to fal standard by default (§4.3): fal's element-bound voices and 1 s per-shot minimum apply.
    maxVoices: 1,
    voiceBinding: 'element',
    elements: 'inline',
    maxElements: 3,
    multiShot: { maxShots: 6, minShotSec: MIN_GROUP_SHOT_SECONDS, shotTypes: ['customize', 'intelligence'] },
    // DELETE /videos/{id} is not a documented cancel (in the API it imitates it deletes a finished video): stop locally.
    cancel: 'local-only',
    idempotency: 'idempotency-key',
    resultTtlSec: null,
    credentials: [{ name: 'key', label: 'API key', env: 'LUMENFALL_API_KEY' }],
    notes: [
      'Standard routes to fal (720p); pro routes to Replicate (mode "pro").',
      'Provider-specific options pass through.',
      'No documented cancel: a stopped job may still be charged.',
    ],
    // Pro goes through Replicate's kling-v3-video: no voices, elements, model-split mode or CFG; 1 s shots.
    byTier: {
      pro: { maxVoices: 0, elements: 'none', maxElements: 0, cfgScale: false, multiShot: { maxShots: 6, minShotSec: MIN_GROUP_SHOT_SECONDS, shotTypes: ['customize'] } },
    },
  },
  kling: {
    ...KLING_V3,
    label: 'Kling (official API)',
    paid: true,
    tiers: ['standard', 'pro'],
    cfgScale: true,
    // §5.4 documents voice_list; Kling's own capability map says ❌ for v3 (§8.3): offered, flagged.
    maxVoices: 2,
    elements: 'library',
    maxElements: 3,
    multiShot: { maxShots: 6, minShotSec: MIN_GROUP_SHOT_SECONDS, shotTypes: ['customize', 'intelligence'] },
    cancel: 'local-only',
    idempotency: 'external-task-id',
    resultTtlSec: 30 * 24 * 3600,
    credentials: [
      { name: 'accessKey', label: 'Access key', env: 'KLING_ACCESS_KEY' },
      { name: 'secretKey', label: 'Secret key', env: 'KLING_SECRET_KEY' },
    ],
    // Accounts may now have a single API key, sent as a Bearer token (docs/providers.md §5, S30).
    altCredentials: [{ name: 'apiKey', label: 'API key', env: 'KLING_API_KEY' }],
    notes: [
      'No cancel call: a stopped job may still be charged.',
      "Voice control is documented for image-to-video but Kling's v3 capability map marks it unsupported; test before relying on it.",
    ],
  },
} satisfies Record<string, ProviderFacts>;

export type ProviderId = keyof typeof TABLE;
/** Every provider, in the table's order (menus, the CLI's list, the schema's enum). */
export const PROVIDER_IDS = Object.keys(TABLE) as [ProviderId, ...ProviderId[]];

export const CAPABILITIES = Object.fromEntries(
  PROVIDER_IDS.map((id) => {
    const row: ProviderFacts = TABLE[id];
    return [id, { id, ...row, envKeys: row.credentials.map((c) => c.env), ...(row.altCredentials ? { altEnvKeys: row.altCredentials.map((c) => c.env) } : {}) }];
  }),
) as Record<ProviderId, ProviderCapabilities>;

/** The providers that run in someone's cloud: they need an account and cost money (the table's paid rows). */
export type CloudProviderId = { [K in ProviderId]: (typeof TABLE)[K]['paid'] extends true ? K : never }[ProviderId];
export const CLOUD_PROVIDER_IDS = PROVIDER_IDS.filter((id): id is CloudProviderId => CAPABILITIES[id].paid) as [CloudProviderId, ...CloudProviderId[]];

/** The capabilities that apply to one tier of a provider. */
export function capabilitiesFor(provider: ProviderId, tier: TierId): ProviderCapabilities {
  const base = CAPABILITIES[provider];
  return { ...base, ...(base.byTier?.[tier] ?? {}) };
}

/** The environment variables that sign a provider in, as a person reads them: "KLING_API_KEY, or KLING_ACCESS_KEY and KLING_SECRET_KEY". */
export function credentialEnvHint(id: ProviderId): string {
  const caps = CAPABILITIES[id];
  return [...(caps.altEnvKeys ? [caps.altEnvKeys.join(' and ')] : []), caps.envKeys.join(' and ')].join(', or ');
}

/**
 * The lengths one shot may have on a provider at a tier: a shot on its own follows the request's range
 * (3–15 s); a shot inside a multi-shot group may go down to the provider's per-shot minimum. The inspector,
 * the validator, the CSV import and the shot commands all ask here.
 */
export function shotDurationRange(caps: Pick<ProviderFacts, 'minDurationSec' | 'maxDurationSec' | 'multiShot'>, grouped: boolean): { min: number; max: number } {
  const min = grouped && caps.multiShot ? caps.multiShot.minShotSec : caps.minDurationSec;
  return { min, max: caps.maxDurationSec };
}
