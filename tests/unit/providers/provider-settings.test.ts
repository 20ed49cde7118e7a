import { describe, expect, it } from 'vitest';
import { resolverWith, checkCredentials, checkBaseUrl, type ProviderSettingsStore } from '../../../electron/core/providers/provider-settings';
import { envConfig, keyHint } from '../../../electron/core/providers/registry';
import { ProviderError, redact } from '../../../electron/core/providers/provider-error';

class MemoryStore implements ProviderSettingsStore {
  writable = true;
  data: Record<string, { credentials?: Record<string, string>; baseUrl?: string }> = {};
  credentials(id: string) {
    return this.data[id]?.credentials;
  }
  baseUrl(id: string) {
    return this.data[id]?.baseUrl;
  }
  set(id: string, patch: { credentials?: Record<string, string> | null; baseUrl?: string | null }) {
    const cur = (this.data[id] ??= {});
    if (patch.credentials !== undefined) cur.credentials = patch.credentials ?? undefined;
    if (patch.baseUrl !== undefined) cur.baseUrl = patch.baseUrl ?? undefined;
  }
}

describe('provider configuration', () => {
  it('reads keys and base URLs from the environment, the configured URL replacing the documented one exactly', () => {
    const resolve = envConfig({ FAL_KEY: 'fal-secret-1234', STORYREEL_FAL_URL: 'http://127.0.0.1:9999/', KLING_ACCESS_KEY: 'ak' });
    expect(resolve('fal')).toEqual({ baseUrl: 'http://127.0.0.1:9999', credentials: { key: 'fal-secret-1234' } });
    expect(resolve('replicate')).toBeUndefined();
    expect(resolve('kling')).toBeUndefined(); // needs both keys
    expect(envConfig({ REPLICATE_API_TOKEN: 'r8_x' })('replicate')?.baseUrl).toBe('https://api.replicate.com/v1');
  });

  it('prefers keys saved in Settings over the environment', () => {
    const store = new MemoryStore();
    store.set('fal', { credentials: { key: 'from-keychain-5678' } });
    const resolve = resolverWith(store, { FAL_KEY: 'from-env-1234' });
    expect(resolve('fal')?.credentials.key).toBe('from-keychain-5678');
    expect(resolve('lumenfall')).toBeUndefined();
  });

  it('shows only the last four characters of a key', () => {
    expect(keyHint({ baseUrl: 'x', credentials: { key: 'lmnfl_supersecretABCD' } })).toBe('····ABCD');
  });

  it('refuses empty keys and non-http base URLs', () => {
    expect(() => checkCredentials('kling', { accessKey: 'a', secretKey: ' ' })).toThrow(/secretKey is empty/);
    expect(() => checkBaseUrl('ftp://proxy')).toThrow(/https:\/\//);
    expect(checkBaseUrl('https://proxy.example/fal/')).toBe('https://proxy.example/fal');
  });

  it('takes Kling’s single API key beside the key pair, from the environment and from Settings', () => {
    const pair = { KLING_ACCESS_KEY: 'AK-1', KLING_SECRET_KEY: 'SK-1' };
    expect(envConfig({ KLING_API_KEY: ' kl-key-9876 ' })('kling')?.credentials).toEqual({ apiKey: 'kl-key-9876' });
    expect(envConfig(pair)('kling')?.credentials).toEqual({ accessKey: 'AK-1', secretKey: 'SK-1' });
    // Both set: the API key is the one Kling issues now, and it is used.
    expect(envConfig({ ...pair, KLING_API_KEY: 'kl-key-9876' })('kling')?.credentials).toEqual({ apiKey: 'kl-key-9876' });
    expect(envConfig({ KLING_ACCESS_KEY: 'AK-1' })('kling')).toBeUndefined();
    expect(keyHint(envConfig({ KLING_API_KEY: 'kl-key-9876' })('kling'))).toBe('····9876');
    expect(checkCredentials('kling', { apiKey: ' kl-key-9876 ', accessKey: '', secretKey: '' })).toEqual({ apiKey: 'kl-key-9876' });
    expect(checkCredentials('kling', { accessKey: 'AK', secretKey: 'SK' })).toEqual({ accessKey: 'AK', secretKey: 'SK' });
    expect(() => checkCredentials('kling', {})).toThrow('kling needs accessKey and secretKey (or apiKey); accessKey is empty. Nothing was saved.');
  });

  it('scrubs keys from provider messages before they reach a person', () => {
    expect(redact('Authorization: Bearer r8_abcdefghijklmnop was rejected')).not.toContain('abcdefghijklmnop');
    expect(redact('lmnfl_0123456789abcdef is revoked')).toBe('lmnfl_···· is revoked');
    const err = new ProviderError({ provider: 'fal', kind: 'auth', providerMessage: 'Key fal_1234567890abcdef invalid' });
    expect(err.message).not.toContain('1234567890abcdef');
    expect(err.message).toContain('fal.ai rejected the API key');
  });
});
