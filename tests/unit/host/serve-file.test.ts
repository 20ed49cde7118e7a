import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRange, resolveInside, serveFile } from '../../../electron/core/host/serve-file';
import { isAllowedHost, isAllowedOrigin } from '../../../electron/core/host/server';

let base: string;
let root: string;
beforeAll(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'sr-serve-'));
  root = path.join(base, 'project');
  await fs.mkdir(path.join(root, 'renders'), { recursive: true });
  await fs.writeFile(path.join(root, 'renders', 'clip.mp4'), '0123456789');
  await fs.writeFile(path.join(base, 'secret.txt'), 'secret');
  await fs.symlink(path.join(base, 'secret.txt'), path.join(root, 'link.txt'));
  await fs.symlink(base, path.join(root, 'renders', 'up'));
});
afterAll(() => fs.rm(base, { recursive: true, force: true }));

describe('media serving', () => {
  it('parses byte ranges as browsers send them', () => {
    expect(parseRange('bytes=0-', 10)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=2-5', 10)).toEqual({ start: 2, end: 5 });
    expect(parseRange('bytes=-3', 10)).toEqual({ start: 7, end: 9 });
    expect(parseRange('bytes=5-100', 10)).toEqual({ start: 5, end: 9 });
    expect(parseRange('bytes=12-', 10)).toBe('invalid');
    expect(parseRange(undefined, 10)).toBeUndefined();
  });

  it('answers a Range request with 206 and exactly those bytes', async () => {
    const res = await serveFile(root, 'renders/clip.mp4', 'bytes=2-5');
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe('bytes 2-5/10');
    expect(res.headers['content-type']).toBe('video/mp4');
    expect(await text(res.body!)).toBe('2345');
    const whole = await serveFile(root, 'renders/clip.mp4');
    expect(whole.status).toBe(200);
    expect(await text(whole.body!)).toBe('0123456789');
    expect((await serveFile(root, 'renders/clip.mp4', 'bytes=50-')).status).toBe(416);
  });

  it('never serves anything outside the folder', async () => {
    const outside = [
      '../secret.txt',
      '%2e%2e/secret.txt',
      'renders/../../secret.txt',
      '..%2fsecret.txt',
      '..%5csecret.txt', // backslash
      '..\\secret.txt',
      '%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      'renders/%2e%2e/%2e%2e/secret.txt',
      'x%00.mp4', // NUL
      '%E0%A4%A', // malformed escape
      'link.txt', // symlink to a file outside
      'renders/up/secret.txt', // through a symlinked directory
    ];
    for (const p of outside) {
      const res = await serveFile(root, p);
      expect(res.status, p).toBe(403);
      res.body?.destroy();
    }
    // An absolute path is taken as relative to the folder: /etc/passwd is not served, whatever the encoding.
    for (const p of ['/etc/passwd', '%2fetc%2fpasswd', '//etc/passwd']) {
      const res = await serveFile(root, p);
      expect(res.status, p).toBe(404);
    }
    expect(await resolveInside(root, '/renders/clip.mp4')).toBe(path.join(await fs.realpath(root), 'renders', 'clip.mp4'));
    expect((await serveFile(root, 'renders/missing.mp4')).status).toBe(404);
  });

  it('accepts only loopback Host headers and same-origin requests', () => {
    expect(isAllowedHost('127.0.0.1:4000', 4000)).toBe(true);
    expect(isAllowedHost('localhost:4000', 4000)).toBe(true);
    expect(isAllowedHost('evil.example:4000', 4000)).toBe(false);
    expect(isAllowedHost('127.0.0.1:4001', 4000)).toBe(false);
    expect(isAllowedOrigin(undefined, 4000)).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:4000', 4000)).toBe(true);
    expect(isAllowedOrigin('https://evil.example', 4000)).toBe(false);
  });
});
