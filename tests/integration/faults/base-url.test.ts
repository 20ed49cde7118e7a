// A page holding the studio's token must not be able to send a provider's key somewhere else. Through the
// real browser host: a plain-HTTP address off this computer is refused, and a new address given without
// the key drops the saved key, so the next generate sends nothing — checked with a mock on 127.0.0.1 that
// records every request (and does see the key once the person enters it for that address).
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Studio } from '../../../electron/core/api';
import { AppSettingsFile } from '../../../electron/core/app-settings';
import { startHost, type RunningHost } from '../../../electron/core/host/server';
import { createProjectFolder, newProject, newShot } from '../../../electron/core/project/project-folder';
import { tempDir } from '../helpers';

const KEY = 'fal-secret-key-7d41c0ffee';
const saved: Record<string, string | undefined> = {};
let base: string;
let studio: Studio;
let host: RunningHost;
let page: WebSocket;
let mock: http.Server;
let mockUrl: string;
const seen: { url: string; authorization?: string }[] = [];

beforeAll(async () => {
  // Only what this test configures: no key or address from the machine running it.
  for (const name of ['FAL_KEY', 'STORYREEL_FAL_URL']) {
    saved[name] = process.env[name];
    delete process.env[name];
  }
  base = await tempDir('sr-baseurl-');
  const dir = path.join(base, 'p.storyreel');
  await createProjectFolder(dir, newProject('Keys', [newShot({ title: 'One', prompt: 'storm', durationSec: 5 })]));
  await fs.mkdir(path.join(base, 'ui'));
  await fs.writeFile(path.join(base, 'ui', 'index.html'), '<!doctype html><title>Storyreel</title>');
  const appSettings = new AppSettingsFile(path.join(base, 'config'));
  studio = await Studio.open(dir, { host: 'browser', appSettings, providerSettings: appSettings.providerStore() });
  host = await startHost({ studio, rendererDir: path.join(base, 'ui') });
  mock = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    req.resume();
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"detail":"no"}');
  });
  await new Promise<void>((r) => mock.listen(0, '127.0.0.1', r));
  mockUrl = `http://127.0.0.1:${(mock.address() as AddressInfo).port}`;
  page = await new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`, { headers: { origin: `http://127.0.0.1:${host.port}` } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
});
afterAll(async () => {
  page?.close();
  await host?.close();
  await studio?.close();
  await new Promise((r) => mock?.close(r));
  await fs.rm(base, { recursive: true, force: true });
  for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
});

let nextId = 1;
/** One API call as the page makes it: over the WebSocket, with the page's origin. */
function call<T = unknown>(method: string, input?: unknown): Promise<T> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    page.on('message', function onMessage(data) {
      const frame = JSON.parse(String(data));
      if (frame.id !== id) return;
      page.off('message', onMessage);
      if (frame.ok) resolve(frame.result as T);
      else reject(Object.assign(new Error(frame.error.message), { code: frame.error.code }));
    });
    page.send(JSON.stringify({ id, method, input }));
  });
}

type Status = { id: string; configured: boolean; baseUrl?: string; keySource?: string };
const fal = async () => (await call<Status[]>('providers.list')).find((p) => p.id === 'fal')!;
const settingsFile = () => fs.readFile(path.join(base, 'config', 'settings.json'), 'utf8');

describe('changing a provider base URL from a browser page', () => {
  it('refuses http://evil.example and keeps the key and the address as they were', async () => {
    await call('providers.configure', { provider: 'fal', credentials: { key: KEY } });
    const before = await fal();
    expect(before).toMatchObject({ configured: true, keySource: 'settings' });
    await expect(call('providers.configure', { provider: 'fal', baseUrl: 'http://evil.example' })).rejects.toThrow(
      /In the browser, a base URL must be https:\/\/.*http:\/\/evil\.example would receive your key unencrypted\. Nothing was saved/,
    );
    expect(await fal()).toEqual(before);
    expect(await settingsFile()).not.toContain('evil.example');
  });

  it('an https address given without the key drops the saved key: it must be entered again', async () => {
    await call('providers.configure', { provider: 'fal', baseUrl: 'https://proxy.example/fal' });
    // The address stays in view, so whoever pastes the next key sees where it will go.
    expect(await fal()).toMatchObject({ configured: false, baseUrl: 'https://proxy.example/fal' });
    expect(await settingsFile()).not.toContain(KEY);
  });

  it('a loopback address without the key sends nothing there; with the key entered for it, the key goes there', async () => {
    await call('providers.configure', { provider: 'fal', credentials: { key: KEY } });
    await call('providers.configure', { provider: 'fal', baseUrl: mockUrl });
    expect(await fal()).toMatchObject({ configured: false });
    await call('settings.update', { patch: { provider: 'fal' } });
    await expect(call('jobs.generate', {})).rejects.toThrow(/fal\.ai is not configured.*Nothing was sent/);
    expect(seen).toEqual([]);

    // The person enters the key for this address: now (and only now) requests carry it there.
    await call('providers.configure', { provider: 'fal', credentials: { key: KEY }, baseUrl: mockUrl });
    expect(await fal()).toMatchObject({ configured: true, baseUrl: mockUrl });
    await call('jobs.generate', {});
    await expect.poll(() => seen.length, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(seen[0].authorization).toContain(KEY);
  }, 30_000);

  it('naming the address already in use keeps the key', async () => {
    await call('providers.configure', { provider: 'fal', baseUrl: mockUrl });
    expect(await fal()).toMatchObject({ configured: true, baseUrl: mockUrl });
  });
});
