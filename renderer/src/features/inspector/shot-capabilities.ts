// What the project's provider can do for one shot, turned into the inspector's words: which controls are
// offered and, for the ones that are not, a reason naming the provider (shown as the control's tooltip).
// Disabled controls keep their value, so switching back to a provider that honours them loses nothing.
import { capabilitiesFor, CAPABILITIES, shotDurationRange, type ProviderCapabilities } from '../../../../shared/capabilities';
import type { AspectRatio, ProviderId, Tier } from '../../../../shared/schema';

export type Feature = 'negativePrompt' | 'cfgScale' | 'nativeAudio' | 'voices' | 'elements' | 'startFrame' | 'endFrame';

const FEATURE_WORDS: Record<Feature, string> = {
  negativePrompt: 'a negative prompt',
  cfgScale: 'a CFG scale',
  nativeAudio: 'native audio',
  voices: 'voices',
  elements: 'elements',
  startFrame: 'a start frame',
  endFrame: 'an end frame',
};

export interface ShotCapabilities {
  caps: ProviderCapabilities;
  /** "Replicate", or "Lumenfall (Pro tier)" where the tier takes a route with fewer features. */
  providerName: string;
  /** Why a feature is not offered, or null when it is. */
  reason: (feature: Feature) => string | null;
  aspectReason: (ratio: AspectRatio) => string | null;
  tierReason: (tier: Tier) => string | null;
  durationRange: { min: number; max: number };
}

function offers(caps: ProviderCapabilities, feature: Feature): boolean {
  switch (feature) {
    case 'voices':
      return caps.maxVoices > 0;
    case 'elements':
      return caps.elements !== 'none' && caps.maxElements > 0;
    default:
      return caps[feature];
  }
}

/** The capabilities of `provider` at `tier`, with reasons worded for a person. */
export function shotCapabilities(provider: ProviderId, tier: Tier, grouped = false): ShotCapabilities {
  const caps = capabilitiesFor(provider, tier);
  const base = CAPABILITIES[provider];
  const tierName = tier === 'pro' ? 'Pro' : 'Standard';
  // Name the tier only when it is the tier that takes the feature away (Lumenfall Pro goes through Replicate).
  const nameFor = (feature: Feature) => (offers(base, feature) ? `${caps.label} (${tierName} tier)` : caps.label);
  return {
    caps,
    providerName: caps.label,
    reason: (feature) => (offers(caps, feature) ? null : `${nameFor(feature)} does not take ${FEATURE_WORDS[feature]} for Kling V3`),
    aspectReason: (ratio) => (caps.aspectRatios.includes(ratio) ? null : `${caps.label} cannot make ${ratio} with Kling V3`),
    tierReason: (t) => (caps.tiers.includes(t) ? null : `${caps.label} has no ${t === 'pro' ? 'Pro' : 'Standard'} tier for Kling V3`),
    // A shot inside a multi-shot group may be as short as the provider's per-shot minimum.
    durationRange: shotDurationRange(caps, grouped),
  };
}
