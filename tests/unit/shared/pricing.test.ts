// Which figure an estimate uses: the published one, or the person's own price where one is set — and the
// words that say which (shown in the confirmation, the toolbar and the CLI).
import { describe, expect, it } from 'vitest';
import { effectiveRate, estimatePrice, estimateUsd, priceSourceLabel, PRICING, type PriceOverrides, usdColumn } from '../../../shared/pricing';

const mine: PriceOverrides = { fal: { pro: { audioOn: { usdPerSec: 0.2, setAt: '2026-12-02' } } } };

describe('effectiveRate', () => {
  it('without overrides is the published card, each figure naming its table and date', () => {
    const rate = effectiveRate('fal', 'standard')!;
    expect([rate.audioOff.usdPerSec, rate.audioOn.usdPerSec, rate.voiceControl.usdPerSec]).toEqual([0.084, 0.126, 0.154]);
    expect(priceSourceLabel(rate.audioOn.source)).toBe('fal.ai price list of 2026-03-13');
  });

  it('an override replaces only its own provider, tier and kind, and says "your price"', () => {
    const rate = effectiveRate('fal', 'pro', mine)!;
    expect(rate.audioOn.usdPerSec).toBe(0.2);
    expect(priceSourceLabel(rate.audioOn.source)).toBe('your price, set 2026-12-02');
    // Audio off and voices on the same tier stay published.
    expect(rate.audioOff.usdPerSec).toBe(PRICING.fal.pro!.audioOff);
    expect(priceSourceLabel(rate.voiceControl.source)).toBe('fal.ai price list of 2026-03-13');
    // Another tier, and the same tier on another provider, are untouched.
    expect(effectiveRate('fal', 'standard', mine)!.audioOn.usdPerSec).toBe(0.126);
    expect(effectiveRate('lumenfall', 'pro', mine)!.audioOn.usdPerSec).toBe(0.252);
  });

  it('is undefined for a tier the provider does not sell, and estimating one throws', () => {
    expect(effectiveRate('kling', '4k', mine)).toBeUndefined();
    expect(() => estimateUsd({ provider: 'kling', tier: '4k', durationSec: 5, audio: false, voiceControl: false })).toThrow('kling has no 4k tier');
  });

  it('a stand-in row says it is one', () => {
    expect(priceSourceLabel(effectiveRate('kling', 'pro')!.audioOff.source)).toBe("stand-in price of 2026-03-13 (fal's price as a stand-in for Kling units)");
  });
});

describe('estimates derive from the effective rate', () => {
  it('picks the figure for the audio and voices asked for, at the override where set', () => {
    const pro5 = { provider: 'fal' as const, tier: 'pro' as const, durationSec: 5 };
    expect(estimateUsd({ ...pro5, audio: true, voiceControl: false })).toBe(0.84);
    expect(estimateUsd({ ...pro5, audio: true, voiceControl: false }, mine)).toBe(1);
    expect(estimatePrice({ ...pro5, audio: true, voiceControl: false }, mine).source).toEqual({ kind: 'yours', setAt: '2026-12-02' });
    // Voices are billed at their own figure, which has no override here.
    expect(estimateUsd({ ...pro5, audio: true, voiceControl: true }, mine)).toBe(0.98);
    expect(estimateUsd({ ...pro5, audio: false, voiceControl: false }, mine)).toBe(0.56);
  });

  it('a price of 0 set by hand is used (not mistaken for "no price")', () => {
    const free: PriceOverrides = { fal: { standard: { audioOff: { usdPerSec: 0, setAt: '2026-12-02' } } } };
    expect(estimateUsd({ provider: 'fal', tier: 'standard', durationSec: 10, audio: false, voiceControl: false }, free)).toBe(0);
  });
});

describe('a column of prices adds up on screen', () => {
  it('keeps cents while the rounded lines add up to the rounded total', () => {
    const usd = usdColumn([0.252, 0.252], 0.504);
    expect([usd(0.252), usd(0.504)]).toEqual(['$0.25', '$0.50']);
  });
  it('shows tenths of a cent when cents would not add up (three takes at $0.252)', () => {
    const usd = usdColumn([0.252, 0.252, 0.252], 0.756);
    expect([usd(0.252), usd(0.756)]).toEqual(['$0.252', '$0.756']);
  });
});
