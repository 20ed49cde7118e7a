// The browser host as a browser (and an attacker) sees it: real HTTP and WebSocket on loopback.
import { promises as fs } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Studio } from '../../electron/core/api';
import { startHost, type RunningHost } from '../../electron/core/host/server';
import { createProjectFolder, newProject, newShot } from '../../electron/core/project/project-folder';
import { tempDir } from './helpers';
import { ProjectChangeSchema, type ProjectState } from '../../shared/api';
import { applyProjectChange } from '../../shared/project-patch';

let base: string;
let studio: Studio;
let host: RunningHost;

beforeAll(async () => {
  base = await tempDir('sr-host-');
  const dir = path.join(base, 'p.storyreel');
  await createProjectFolder(dir, newProject('Host test', [newShot({ title: 'One', prompt: 'storm', durationSec: 3 })]));
  await fs.writeFile(path.join(dir, 'renders', 'clip.mp4'), Buffer.from('0123456789abcdef'));
  await fs.writeFile(path.join(base, 'outside.txt'), 'not yours');
  const rendererDir = path.join(base, 'renderer');
  await fs.mkdir(rendererDir);
  await fs.writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Storyreel</title>');
  studio = await Studio.open(dir, { host: 'browser' });
  host = await startHost({ studio, rendererDir });
});
afterAll(async () => {
  await host.close();
  await studio.close();
  await fs.rm(base, { recursive: true, force: true });
});

function get(pathAndQuery: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: host.port, path: pathAndQuery, headers }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

function connect(query: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api${query}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function call(ws: WebSocket, id: number, method: string, input?: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(String(data));
      if (frame.id === id) {
        ws.off('message', onMessage);
        resolve(frame);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, method, input }));
  });
}

describe('browser host', () => {
  it('listens on loopback only and prints a URL carrying a long random token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
  });

  it('serves the app with a strict CSP and no referrer', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>Storyreel</title>');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('refuses a foreign Host header (DNS rebinding) and a foreign Origin', async () => {
    expect((await get('/', { host: `evil.example:${host.port}` })).status).toBe(403);
    expect((await get(`/media/renders/clip.mp4?token=${host.token}`, { origin: 'https://evil.example' })).status).toBe(403);
  });

  it('requires the token for media and serves byte ranges', async () => {
    expect((await get('/media/renders/clip.mp4')).status).toBe(401);
    expect((await get('/media/renders/clip.mp4?token=wrong')).status).toBe(401);
    const res = await get(`/media/renders/clip.mp4?token=${host.token}`, { range: 'bytes=4-7' });
    expect(res.status).toBe(206);
    expect(res.body).toBe('4567');
    expect(res.headers['content-range']).toBe('bytes 4-7/16');
  });

  it('never serves files outside the project folder', async () => {
    expect((await get(`/media/..%2Foutside.txt?token=${host.token}`)).status).toBe(403);
    // URL parsing folds %2e%2e into `..` and leaves /media/ altogether: still nothing from outside.
    for (const p of [`/media/%2e%2e/outside.txt?token=${host.token}`, `/../outside.txt`, `/media/../../outside.txt?token=${host.token}`]) {
      const res = await get(p);
      expect([403, 404], p).toContain(res.status);
      expect(res.body).not.toContain('not yours');
    }
  });

  it('refuses an API socket without the token or from another origin', async () => {
    await expect(connect('')).rejects.toThrow(/403/);
    await expect(connect(`?token=${host.token}`, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
  });

  it('answers API calls, validates input against the contract, and pushes events', async () => {
    const ws = await connect(`?token=${host.token}`);
    const state = await call(ws, 1, 'project.get');
    expect(state).toMatchObject({ ok: true, result: { project: { name: 'Host test' }, folderName: 'p.storyreel' } });
    const shotId = (state.result as { project: { shots: { id: string }[] } }).project.shots[0].id;

    const bad = await call(ws, 2, 'shots.update', { id: shotId, patch: { durationSec: 40 } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((bad.error as { details: string[] }).details).toEqual(['patch.durationSec: duration must be at most 15 s']);

    const unknown = await call(ws, 3, 'fs.readFile', { path: '/etc/passwd' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });

    const pushed = new Promise<Record<string, unknown>>((resolve) => {
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data));
        if (frame.event === 'project.changed') resolve(frame.payload);
      });
    });
    const ok = await call(ws, 4, 'shots.update', { id: shotId, patch: { title: 'Renamed' } });
    expect(ok).toMatchObject({ ok: true });
    // Only the title changed: the push says so (a patch on the state fetched above), and applied to that
    // state the prompt and duration are still what they were.
    const change = ProjectChangeSchema.parse(await pushed);
    expect(change).toMatchObject({ baseRev: (state.result as ProjectState).rev, patch: { lists: { shots: { change: [{ id: shotId, set: { title: 'Renamed' } }] } } } });
    expect(applyProjectChange(state.result as ProjectState, change)).toMatchObject({ project: { shots: [{ title: 'Renamed', prompt: 'storm', durationSec: 3 }] } });
    ws.close();
  });

  it('takes an upload only with the token, into cache/imports/, and never imports a path named by the page', async () => {
    const post = (query: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: host.port, method: 'POST', path: `/upload${query}` }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end('not really a video');
      });
    expect((await post('?name=x.mp4')).status).toBe(401);
    const ok = await post(`?token=${host.token}&name=${encodeURIComponent("../../evil name.mp4")}`);
    expect(ok.status).toBe(200);
    const staged = JSON.parse(ok.body).path as string;
    expect(staged).toMatch(/^cache\/imports\/[0-9a-f]{12}-evil_name\.mp4$/);

    const ws = await connect(`?token=${host.token}`);
    const shotId = ((await call(ws, 1, 'project.get')).result as { project: { shots: { id: string }[] } }).project.shots[0].id;
    const byPath = await call(ws, 2, 'takes.import', { shotId, path: path.join(base, 'outside.txt') });
    expect(byPath).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const escape = await call(ws, 3, 'takes.import', { shotId, path: 'cache/imports/../../project.json' });
    expect(escape).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // Not a video: refused, and the staged upload is not left behind.
    const bad = await call(ws, 4, 'takes.import', { shotId, path: staged });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await expect(fs.stat(path.join(studio.session.dir, staged))).rejects.toThrow();
    ws.close();
  });

  it('keeps the project to itself: a second studio (a CLI render, the desktop app) is refused while serve runs', async () => {
    await expect(Studio.open(studio.session.dir, { host: 'cli' })).rejects.toMatchObject({ code: 'PROJECT_BUSY' });
  });
});
