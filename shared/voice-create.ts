// Creating a provider voice id from a voice's 5–30 s sample (docs/providers.md §2.9 fal create-voice,
// §5.11 Kling custom-voices): which providers offer it, what it costs where the price is published, and the
// name Kling is given. One source for the UI's confirmation and the core's ledger line.
import { KLING_VOICE_NAME_MAX } from './limits';

export const VOICE_CREATE_PROVIDERS = ['fal', 'kling'] as const;
export type VoiceCreateProvider = (typeof VOICE_CREATE_PROVIDERS)[number];

/**
 * USD per voice created; null where the provider publishes no price. fal: "$0.007 per generations"
 * (fal.ai/models/fal-ai/kling-video/create-voice/llms.txt). Kling bills resource-pack units and publishes
 * no price for custom-voices (§5.9).
 */
export const VOICE_CREATE_PRICE_USD: Record<VoiceCreateProvider, number | null> = { fal: 0.007, kling: null };

export const VOICE_CREATE_LABEL: Record<VoiceCreateProvider, string> = { fal: 'fal.ai', kling: 'Kling' };

/** The price as the confirmation shows it (and as the ledger's note repeats it). */
export function voiceCreatePriceText(provider: VoiceCreateProvider): string {
  const usd = VOICE_CREATE_PRICE_USD[provider];
  return usd === null ? 'price not published' : `$${usd.toFixed(3)}`;
}

/** The voice_name Kling gets: the voice's name cut to Kling's 20 characters (whole characters, not bytes). */
export function klingVoiceName(name: string): string {
  return Array.from(name.trim()).slice(0, KLING_VOICE_NAME_MAX).join('').trim();
}
