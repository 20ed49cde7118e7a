// `storyreel serve` without --port prefers one fixed port, so the page keeps its origin (and what the
// browser remembers for it, like panel sizes) from run to run; when that port is taken it still starts.
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, storyreel, tempDir } from './helpers';

const PREFERRED = 41233;
let base: string;
const children: ChildProcess[] = [];

function serve(dir: string): Promise<string> {
  const child = spawn(process.execPath, [CLI, 'serve', dir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, STORYREEL_RENDERER_DIR: path.join(base, 'ui'), STORYREEL_CONFIG_DIR: path.join(base, 'config') },
  });
  children.push(child);
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL:\n${log}`)), 60_000);
    const onData = (d: Buffer) => {
      log += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited ${code}:\n${log}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Holds the preferred port; false when something else on this machine already does. */
function occupy(): Promise<net.Server | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen(PREFERRED, '127.0.0.1', () => resolve(server));
  });
}

beforeAll(async () => {
  base = await tempDir('sr-port-');
  await fs.mkdir(path.join(base, 'ui'), { recursive: true });
  await fs.writeFile(path.join(base, 'ui', 'index.html'), '<!doctype html><title>Storyreel</title>');
  for (const name of ['a', 'b']) expect((await storyreel(['new', path.join(base, `${name}.storyreel`)])).code).toBe(0);
});
afterAll(async () => {
  for (const c of children) await stop(c);
  await fs.rm(base, { recursive: true, force: true });
});

describe('storyreel serve without --port', () => {
  it('falls back to a free port when the usual one is taken, and takes the usual one when it is free', async () => {
    const holder = await occupy();
    const a = new URL(await serve(path.join(base, 'a.storyreel')));
    expect(Number(a.port)).not.toBe(PREFERRED);
    expect((await fetch(a)).status).toBe(200);
    await stop(children.pop()!);

    // Only a port this test held can be known to be free again.
    if (!holder) return;
    await new Promise((r) => holder.close(r));
    const b = new URL(await serve(path.join(base, 'b.storyreel')));
    expect(Number(b.port)).toBe(PREFERRED);
    expect((await fetch(b)).status).toBe(200);
  });
});
