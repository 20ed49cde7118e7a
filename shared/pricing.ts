// USD per output second by provider × tier × audio × voice control, with the date and source of each
// figure (docs/providers.md §2.10, §3.7, §4.7, §5.9). Estimates only: where a provider reports the real
// cost (Lumenfall metadata.cost, Kling final_unit_deduction) the engine records that beside it.
import type { ProviderId } from './schema';
import type { TierId } from './capabilities';

export interface RateCard {
  /** USD per second without audio, with native audio, and with audio plus voice control. */
  audioOff: number;
  audioOn: number;
  voiceControl: number;
  asOf: string;
  source: string;
  /** True where no first-party price was found and the figure is a stand-in. */
  uncertain?: boolean;
}

type Table = Partial<Record<TierId, RateCard>>;

const FAL_STANDARD: RateCard = { audioOff: 0.084, audioOn: 0.126, voiceControl: 0.154, asOf: '2026-03-13', source: 'fal llms.txt for v3 standard' };
const FAL_PRO: RateCard = { audioOff: 0.112, audioOn: 0.168, voiceControl: 0.196, asOf: '2026-03-13', source: 'fal v3 pro image-to-video page' };
const FAL_4K: RateCard = { audioOff: 0.42, audioOn: 0.42, voiceControl: 0.42, asOf: '2026-03-13', source: 'fal v3 4k llms.txt (flat)' };

export const PRICING: Record<ProviderId, Table> = {
  animatic: {
    standard: { audioOff: 0, audioOn: 0, voiceControl: 0, asOf: '2026-11-23', source: 'local rendering' },
    pro: { audioOff: 0, audioOn: 0, voiceControl: 0, asOf: '2026-11-23', source: 'local rendering' },
  },
  fal: { standard: FAL_STANDARD, pro: FAL_PRO, '4k': FAL_4K },
  replicate: {
    standard: { audioOff: 0.084, audioOn: 0.126, voiceControl: 0.126, asOf: '2026-03-13', source: 'integrator table (no first-party price page)', uncertain: true },
    pro: { audioOff: 0.168, audioOn: 0.252, voiceControl: 0.252, asOf: '2026-03-13', source: 'Lumenfall catalogue, Replicate route' },
    '4k': { audioOff: 0.42, audioOn: 0.42, voiceControl: 0.42, asOf: '2026-09-01', source: 'integrator model table', uncertain: true },
  },
  lumenfall: {
    standard: { ...FAL_STANDARD, source: 'Lumenfall catalogue, fal route' },
    pro: { audioOff: 0.168, audioOn: 0.252, voiceControl: 0.252, asOf: '2026-03-13', source: 'Lumenfall catalogue, Replicate route' },
  },
  kling: {
    // Kling bills prepaid units; no USD table exists. fal's figures stand in (docs/providers.md §5.9).
    standard: { ...FAL_STANDARD, source: "fal's price as a stand-in for Kling units", uncertain: true },
    pro: { ...FAL_PRO, source: "fal's price as a stand-in for Kling units", uncertain: true },
  },
};

export interface EstimateInput {
  provider: ProviderId;
  tier: TierId;
  durationSec: number;
  audio: boolean;
  voiceControl: boolean;
}

export function rateFor(provider: ProviderId, tier: TierId): RateCard | undefined {
  return PRICING[provider][tier];
}

/** Rounds to a tenth of a cent so sums of estimates stay exact in reports. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1000) / 1000;
}

export function estimateUsd(input: EstimateInput): number {
  const card = rateFor(input.provider, input.tier);
  if (!card) throw new Error(`${input.provider} has no ${input.tier} tier`);
  const perSecond = input.voiceControl ? card.voiceControl : input.audio ? card.audioOn : card.audioOff;
  return roundUsd(perSecond * input.durationSec);
}

export function formatUsd(usd: number): string {
  return usd === 0 ? '$0.00' : usd < 0.01 ? `$${usd.toFixed(3)}` : `$${usd.toFixed(2)}`;
}
