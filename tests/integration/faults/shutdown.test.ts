// SIGTERM on `storyreel serve` in the middle of a long stitch (200 shots): the stitch is canceled (its
// ffmpeg killed) instead of awaited for minutes, an edit made just before is on disk, the lock is gone,
// and the ffmpeg log is readable by its owner only.
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, storyreel, tempDir } from '../helpers';

let base: string;
let dir: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  base = await tempDir('sr-fault-shutdown-');
  dir = path.join(base, 'Long.storyreel');
  const rows = Array.from({ length: 200 }, (_, i) => `Shot ${i + 1},A long take number ${i + 1},3`);
  await fs.writeFile(path.join(base, 'shots.csv'), `title,prompt,duration\n${rows.join('\n')}\n`);
  expect((await storyreel(['new', dir, '--shots', path.join(base, 'shots.csv')])).code).toBe(0);
  await fs.mkdir(path.join(base, 'ui'), { recursive: true });
  await fs.writeFile(path.join(base, 'ui', 'index.html'), '<!doctype html><title>Storyreel</title>');
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await fs.rm(base, { recursive: true, force: true });
});

/** Processes whose command line names `needle` (the stitch's ffmpeg runs on files in the project). */
async function processesNaming(needle: string): Promise<number[]> {
  const found: number[] = [];
  for (const pid of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmd = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmd.includes(needle) && cmd.includes('ffmpeg')) found.push(Number(pid));
  }
  return found;
}

describe('SIGTERM on serve during a long stitch', () => {
  it('cancels the stitch, keeps the last edit, and exits cleanly', async () => {
    const config = path.join(base, 'config');
    child = spawn(process.execPath, [CLI, 'serve', dir, '--port', '0'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, STORYREEL_RENDERER_DIR: path.join(base, 'ui'), STORYREEL_CONFIG_DIR: config },
    });
    let log = '';
    child.stdout!.on('data', (d: Buffer) => (log += d));
    child.stderr!.on('data', (d: Buffer) => (log += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child!.once('exit', (code, signal) => resolve({ code, signal })));
    const url = await new Promise<URL>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL:\n${log}`)), 60_000);
      const onData = () => {
        const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(log);
        if (m) {
          clearTimeout(timer);
          resolve(new URL(m[0]));
        }
      };
      child!.stdout!.on('data', onData);
      void exited.then(() => reject(new Error(`serve exited:\n${log}`)));
    });

    const ws = new WebSocket(`ws://127.0.0.1:${url.port}/api?token=${url.searchParams.get('token')}`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const frames: { id?: number; ok?: boolean; event?: string; payload?: { kind?: string; done?: boolean } }[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(String(data))));
    const answer = (id: number) => new Promise<void>((resolve) => {
      const check = () => (frames.some((f) => f.id === id) ? resolve() : setTimeout(check, 20));
      check();
    });

    // Start the stitch of 200 slates and wait until it is under way.
    ws.send(JSON.stringify({ id: 1, method: 'media.stitch', input: {} }));
    await new Promise<void>((resolve) => {
      const check = () => (frames.some((f) => f.event === 'task.progress' && f.payload?.kind === 'stitch' && !f.payload.done) ? resolve() : setTimeout(check, 50));
      check();
    });
    // Its ffmpeg is at work on the project's files.
    while ((await processesNaming(dir)).length === 0) await new Promise((r) => setTimeout(r, 50));

    // An edit, answered by the core but not yet written (saves are debounced), then SIGTERM at once.
    ws.send(JSON.stringify({ id: 2, method: 'project.rename', input: { name: 'Renamed before the stop' } }));
    await answer(2);
    child.kill('SIGTERM');
    const { code } = await exited;

    expect(code, log).toBe(0);
    expect(log).toMatch(/Storyreel stopped; the project is saved\./);
    // The stitch did not run to the end: it was canceled, its ffmpeg is gone, and no preview was written.
    expect(frames.some((f) => f.id === 1 && f.ok === true)).toBe(false);
    await expect(fs.stat(path.join(dir, 'renders', 'preview.mp4'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await processesNaming(dir)).toEqual([]);
    // Everything saved: the edit is on disk and the project can be opened again (no lock left behind).
    expect(JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8')).name).toBe('Renamed before the stop');
    expect((await storyreel(['jobs', dir])).code).toBe(0);

    // The ffmpeg log names the person's files: owner-only.
    const st = await fs.stat(path.join(config, 'logs', 'ffmpeg.log'));
    expect(st.mode & 0o777).toBe(0o600);
    ws.terminate();
  });
});
