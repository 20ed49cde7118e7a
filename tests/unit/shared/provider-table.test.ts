// The providers and tiers are the capability table's: the document, the contract and the engine's take all
// accept what the table lists, and only that.
import { describe, expect, it } from 'vitest';
import { methods } from '../../../shared/api';
import { CAPABILITIES, CLOUD_PROVIDER_IDS, PROVIDER_IDS, TIER_IDS } from '../../../shared/capabilities';
import { ProjectSchema, SettingsPatchSchema, TakeSchema } from '../../../shared/schema';

const take = (over: Record<string, unknown>) => ({
  id: 't1', jobId: 'j1', provider: 'fal', tier: 'standard', request: { hash: 'h', params: {} }, status: 'ready', createdAt: '2026-01-01T00:00:00Z', ...over,
});
const project = (provider: string) => ({ schemaVersion: 1, id: 'p', name: 'P', settings: { provider }, shots: [] });

describe('one table of providers', () => {
  it('a project can use every provider of the capability table, and no other', () => {
    expect(PROVIDER_IDS).toEqual(['animatic', 'fal', 'replicate', 'lumenfall', 'kling']);
    for (const id of PROVIDER_IDS) {
      expect(CAPABILITIES[id].id).toBe(id);
      expect(ProjectSchema.safeParse(project(id)).success, id).toBe(true);
    }
    expect(ProjectSchema.safeParse(project('runway')).success).toBe(false);
  });

  it('keys and base URLs are configured for the paid providers only: the local animatic is refused', () => {
    expect(CLOUD_PROVIDER_IDS).toEqual(PROVIDER_IDS.filter((id) => CAPABILITIES[id].paid));
    const configure = methods['providers.configure'].input;
    for (const id of CLOUD_PROVIDER_IDS) expect(configure.safeParse({ provider: id, baseUrl: null }).success, id).toBe(true);
    expect(configure.safeParse({ provider: 'animatic', baseUrl: null }).success).toBe(false);
  });
});

describe('one table of tiers', () => {
  it('a take keeps every tier a request can ask for, 4K included (it was refused, so the engine wrote 4K takes as pro)', () => {
    expect(TIER_IDS).toEqual(['standard', 'pro', '4k']);
    for (const tier of TIER_IDS) expect(TakeSchema.parse(take({ tier })).tier).toBe(tier);
    expect(methods['jobs.generate'].input.safeParse({ tier: '4k' }).success).toBe(true);
    expect(TakeSchema.safeParse(take({ tier: '8k' })).success).toBe(false);
  });

  it('a project or a shot still defaults to standard or pro only (4K is asked for one request at a time)', () => {
    expect(SettingsPatchSchema.safeParse({ tier: 'pro' }).success).toBe(true);
    expect(SettingsPatchSchema.safeParse({ tier: '4k' }).success).toBe(false);
  });
});
