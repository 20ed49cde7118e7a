import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppSettingsFile, DEFAULT_CONCURRENCY } from '../../../electron/core/app-settings';

let dir: string;
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

describe('the settings file of this computer', () => {
  it('keeps keys and choices across restarts in a file only its owner can read', async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sr-settings-'));
    const first = new AppSettingsFile(dir);
    first.update({ concurrency: 3 });
    first.providerStore().set('fal', { credentials: { key: 'fal-secret-9876' }, baseUrl: 'http://127.0.0.1:4701' });
    expect((await fs.stat(first.file)).mode & 0o777).toBe(0o600);

    const again = new AppSettingsFile(dir);
    expect(again.concurrency).toBe(3);
    expect(again.providerStore().credentials('fal')).toEqual({ key: 'fal-secret-9876' });
    expect(again.providerStore().baseUrl('fal')).toBe('http://127.0.0.1:4701');
  });

  it('a damaged file starts from defaults and stays as it was until the next change replaces it', async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sr-settings-'));
    const file = path.join(dir, 'settings.json');
    await fs.writeFile(file, '{"concurrency": 3, "credentials": {"fal": {"key": "x"}', { mode: 0o600 });
    const settings = new AppSettingsFile(dir);
    expect(settings.concurrency).toBe(DEFAULT_CONCURRENCY);
    expect(await fs.readFile(file, 'utf8')).toContain('"concurrency": 3');

    settings.update({ concurrency: 4 });
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toMatchObject({ concurrency: 4 });
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
  });

  it('keeps prices set by hand across restarts; a damaged price entry drops the prices only, never the keys', async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sr-settings-'));
    const first = new AppSettingsFile(dir);
    first.setPrice({ provider: 'fal', tier: 'pro', kind: 'audioOn' }, { usdPerSec: 0.15, setAt: '2026-12-02' });
    expect(new AppSettingsFile(dir).prices).toEqual({ fal: { pro: { audioOn: { usdPerSec: 0.15, setAt: '2026-12-02' } } } });
    first.setPrice({ provider: 'fal', tier: 'pro', kind: 'audioOn' }, null);
    expect(new AppSettingsFile(dir).prices).toEqual({});

    const file = path.join(dir, 'settings.json');
    await fs.writeFile(file, JSON.stringify({ concurrency: 3, credentials: { fal: { key: 'fal-secret-9876' } }, prices: { fal: { pro: { audioOn: { usdPerSec: 'cheap' } } } } }), { mode: 0o600 });
    const damaged = new AppSettingsFile(dir);
    expect(damaged.prices).toEqual({});
    expect(damaged.concurrency).toBe(3);
    expect(damaged.providerStore().credentials('fal')).toEqual({ key: 'fal-secret-9876' });
  });
});
