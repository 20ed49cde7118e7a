import { describe, expect, it } from 'vitest';
import { planConfigure, type ConfigureContext } from '../../../electron/core/providers/base-url-change';
import { checkBaseUrl, resolverWith, type ProviderSettingsStore } from '../../../electron/core/providers/provider-settings';

const ctx = (over: Partial<ConfigureContext> = {}): ConfigureContext => ({
  host: 'electron',
  storedKey: false,
  envKey: false,
  currentBaseUrl: 'https://fal.run',
  envKeys: ['FAL_KEY'],
  ...over,
});

describe('base URL changes', () => {
  it('lets a browser page name https:// anywhere and http:// only on this computer', () => {
    expect(checkBaseUrl('https://proxy.example/', 'browser')).toBe('https://proxy.example');
    for (const ok of ['http://127.0.0.1:8080', 'http://localhost:3000/v1', 'http://[::1]:9000']) expect(() => checkBaseUrl(ok, 'browser')).not.toThrow();
    for (const bad of ['http://evil.example', 'http://192.168.1.5:8080', 'http://127.0.0.1.evil.example']) {
      expect(() => checkBaseUrl(bad, 'browser')).toThrow(/Nothing was saved/);
    }
    expect(checkBaseUrl('http://gateway.lan:8080', 'electron')).toBe('http://gateway.lan:8080');
  });

  it('drops a saved key when the address moves without it, keeps it when the key comes along or nothing moves', () => {
    expect(planConfigure({ provider: 'fal', baseUrl: 'https://proxy.example' }, ctx({ storedKey: true }))).toEqual({ baseUrl: 'https://proxy.example', credentials: null });
    expect(planConfigure({ provider: 'fal', baseUrl: 'https://proxy.example', credentials: { key: ' k-1 ' } }, ctx({ storedKey: true }))).toEqual({
      baseUrl: 'https://proxy.example',
      credentials: { key: 'k-1' },
    });
    expect(planConfigure({ provider: 'fal', baseUrl: 'https://fal.run/' }, ctx({ storedKey: true }))).toEqual({ baseUrl: 'https://fal.run' });
    expect(planConfigure({ provider: 'fal', baseUrl: null }, ctx({ storedKey: true }))).toEqual({ baseUrl: null });
    expect(planConfigure({ provider: 'fal', baseUrl: 'https://proxy.example' }, ctx())).toEqual({ baseUrl: 'https://proxy.example' });
  });

  it('refuses to point a key from the environment at an address chosen in Settings', () => {
    expect(() => planConfigure({ provider: 'fal', baseUrl: 'https://proxy.example' }, ctx({ envKey: true }))).toThrow(
      /comes from FAL_KEY in the environment.*STORYREEL_FAL_URL.*Requests still go to https:\/\/fal\.run/,
    );
  });

  it('never pairs an address saved in Settings with a key from the environment', () => {
    const store: ProviderSettingsStore = { writable: true, credentials: () => undefined, baseUrl: () => 'http://evil.example', set: () => {} };
    expect(resolverWith(store, { FAL_KEY: 'env-key-1234' })('fal')?.baseUrl).toBe('https://queue.fal.run');
  });
});
