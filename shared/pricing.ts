// USD per output second by provider × tier × audio × voice control, with the date and source of each
// figure (docs/providers.md §10, whose table a unit test holds equal to PRICING). Estimates only: where a
// provider reports the real cost (Lumenfall metadata.cost, Kling final_unit_deduction) the engine records
// that beside it. A person may set their own price for any figure (a negotiated rate, a price change):
// effectiveRate is the one place that decides which figure applies, and every estimate derives from it.
import { z } from 'zod';
import type { ProviderId } from './schema';
import { CAPABILITIES, type TierId } from './capabilities';
import { MAX_PRICE_USD_PER_SEC } from './limits';

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

/** Which of a rate card's three figures a request is billed at. */
export const PriceKindSchema = z.enum(['audioOff', 'audioOn', 'voiceControl']);
export type PriceKind = z.infer<typeof PriceKindSchema>;
export const PRICE_KINDS: readonly PriceKind[] = PriceKindSchema.options;
export const PRICE_KIND_LABELS: Record<PriceKind, string> = { audioOff: 'audio off', audioOn: 'audio on', voiceControl: 'audio + voices' };

/** A price set by hand in Settings: USD per output second, and the day it was set (YYYY-MM-DD). */
export const PriceOverrideSchema = z.object({
  usdPerSec: z.number().nonnegative().max(MAX_PRICE_USD_PER_SEC),
  setAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});
export type PriceOverride = z.infer<typeof PriceOverrideSchema>;
/** Prices set by hand, by provider → tier → kind; anything absent is the published figure. */
export const PriceOverridesSchema = z.record(z.string(), z.record(z.string(), z.record(z.string(), PriceOverrideSchema)));
export type PriceOverrides = Partial<Record<ProviderId, Partial<Record<TierId, Partial<Record<PriceKind, PriceOverride>>>>>>;

/** Where a figure comes from: the published table (with its date and source) or the person's own price. */
export type PriceSource =
  | { kind: 'published'; provider: ProviderId; asOf: string; source: string; uncertain: boolean }
  | { kind: 'yours'; setAt: string };

export interface EffectivePrice {
  usdPerSec: number;
  source: PriceSource;
}
export type EffectiveRate = Record<PriceKind, EffectivePrice>;

/**
 * The figures that apply to a provider's tier: each the person's own price where one is set, else the
 * published one. Undefined where the provider has no such tier. Every estimate derives from this.
 */
export function effectiveRate(provider: ProviderId, tier: TierId, overrides: PriceOverrides = {}): EffectiveRate | undefined {
  const card = rateFor(provider, tier);
  if (!card) return undefined;
  const mine = overrides[provider]?.[tier] ?? {};
  const published: PriceSource = { kind: 'published', provider, asOf: card.asOf, source: card.source, uncertain: Boolean(card.uncertain) };
  const pick = (kind: PriceKind): EffectivePrice => {
    const own = mine[kind];
    return own ? { usdPerSec: own.usdPerSec, source: { kind: 'yours', setAt: own.setAt } } : { usdPerSec: card[kind], source: published };
  };
  return { audioOff: pick('audioOff'), audioOn: pick('audioOn'), voiceControl: pick('voiceControl') };
}

/**
 * "fal.ai price list of 2026-03-13", "your price, set 2026-12-02", or for a stand-in figure
 * "stand-in price of 2026-03-13 (fal's price as a stand-in for Kling units)".
 */
export function priceSourceLabel(source: PriceSource): string {
  if (source.kind === 'yours') return `your price, set ${source.setAt}`;
  if (source.provider === 'animatic') return 'free (local rendering)';
  if (source.uncertain) return `stand-in price of ${source.asOf} (${source.source})`;
  return `${CAPABILITIES[source.provider].label} price list of ${source.asOf}`;
}

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

export function priceKind(input: Pick<EstimateInput, 'audio' | 'voiceControl'>): PriceKind {
  return input.voiceControl ? 'voiceControl' : input.audio ? 'audioOn' : 'audioOff';
}

/** Rounds to a tenth of a cent so sums of estimates stay exact in reports. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1000) / 1000;
}

/** One request's estimate and the figure it used (with the person's own prices, where set). */
export function estimatePrice(input: EstimateInput, overrides?: PriceOverrides): { usd: number; source: PriceSource } {
  const rate = effectiveRate(input.provider, input.tier, overrides);
  if (!rate) throw new Error(`${input.provider} has no ${input.tier} tier`);
  const price = rate[priceKind(input)];
  return { usd: roundUsd(price.usdPerSec * input.durationSec), source: price.source };
}

export function estimateUsd(input: EstimateInput, overrides?: PriceOverrides): number {
  return estimatePrice(input, overrides).usd;
}

/** Today as YYYY-MM-DD (local time): the date a price set by hand carries. */
export function priceDate(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function formatUsd(usd: number): string {
  return usd === 0 ? '$0.00' : usd < 0.01 ? `$${usd.toFixed(3)}` : `$${usd.toFixed(2)}`;
}

/**
 * A column of figures and their total, written so the lines on screen add up to the total on screen: in
 * cents, unless rounding each line to cents would not (three takes at $0.252 read $0.252 each and $0.756,
 * not $0.25 each and $0.76).
 */
export function usdColumn(lines: number[], total: number): (usd: number) => string {
  const cents = (usd: number) => Math.round(usd * 100);
  const addsUp = lines.reduce((sum, usd) => sum + cents(usd), 0) === cents(total);
  return (usd) => (addsUp || usd === 0 ? formatUsd(usd) : `$${usd.toFixed(3)}`);
}
