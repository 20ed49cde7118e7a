// A malformed WebSocket frame (unmasked, bad opcode, a length header of 100 MB) must close only the
// connection that sent it: `storyreel serve` keeps answering HTTP, other pages keep working, and the
// project stays locked by this server (it did not die and leave its lock behind).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CLI, ROOT, storyreel, tempDir } from '../helpers';

let base: string;
let dir: string;
let child: ChildProcess;
let url: URL;
let log = '';

beforeAll(async () => {
  base = await tempDir('sr-ws-fault-');
  dir = path.join(base, 'p.storyreel');
  await fs.mkdir(path.join(base, 'ui'), { recursive: true });
  await fs.writeFile(path.join(base, 'ui', 'index.html'), '<!doctype html><title>Storyreel</title>');
  expect((await storyreel(['new', dir])).code).toBe(0);
  child = spawn(process.execPath, [CLI, 'serve', dir, '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, STORYREEL_RENDERER_DIR: path.join(base, 'ui'), STORYREEL_CONFIG_DIR: path.join(base, 'config') },
  });
  url = await new Promise<URL>((resolve, reject) => {
    const onData = (d: Buffer) => {
      log += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(log);
      if (m) resolve(new URL(m[0]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited ${code}:\n${log}`)));
  });
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await fs.rm(base, { recursive: true, force: true });
});

const token = () => url.searchParams.get('token')!;

/** A raw TCP connection that has done the WebSocket handshake; resolves once the 101 arrived. */
function rawSocket(): Promise<{ socket: net.Socket; closed: Promise<Buffer> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), '127.0.0.1');
    let got = Buffer.alloc(0);
    let upgraded = false;
    const closed = new Promise<Buffer>((r) => socket.once('close', () => r(got)));
    socket.on('error', () => {});
    socket.on('data', (d) => {
      got = Buffer.concat([got, d]);
      if (!upgraded && got.includes('\r\n\r\n')) {
        upgraded = true;
        if (!got.toString('latin1').startsWith('HTTP/1.1 101')) return reject(new Error(got.toString('latin1')));
        got = got.subarray(got.indexOf('\r\n\r\n') + 4);
        resolve({ socket, closed });
      }
    });
    socket.write(
      `GET /api?token=${token()} HTTP/1.1\r\nHost: 127.0.0.1:${url.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
}

function masked(first: number, payload: Buffer, lengthBytes?: Buffer): Buffer {
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
  const len = lengthBytes ?? Buffer.from([0x80 | payload.length]);
  return Buffer.concat([Buffer.from([first]), len, mask, body]);
}

function connect(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${url.port}/api?token=${token()}`);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, id: number, method: string): Promise<{ ok: boolean }> {
  return new Promise((resolve) => {
    ws.on('message', function onMessage(data) {
      const frame = JSON.parse(String(data));
      if (frame.id === id) {
        ws.off('message', onMessage);
        resolve(frame);
      }
    });
    ws.send(JSON.stringify({ id, method, input: {} }));
  });
}

/** Close code in a server close frame (unmasked, as the server sends it), if one arrived. */
function closeCode(bytes: Buffer): number | undefined {
  const at = bytes.indexOf(0x88);
  return at >= 0 && bytes.length >= at + 4 ? bytes.readUInt16BE(at + 2) : undefined;
}

const BAD_FRAMES: [string, () => Buffer][] = [
  ['an unmasked client frame', () => Buffer.concat([Buffer.from([0x81, 5]), Buffer.from('hello')])],
  ['a reserved opcode', () => masked(0x83, Buffer.from('hello'))],
  ['a length header of 100 MB', () => {
    const len = Buffer.alloc(9);
    len[0] = 0x80 | 127;
    len.writeBigUInt64BE(100n * 1024n * 1024n, 1);
    return masked(0x82, Buffer.alloc(0), len);
  }],
  ['a text frame that is not UTF-8', () => masked(0x81, Buffer.from([0xc3, 0x28, 0xff]))],
];

describe('storyreel serve under malformed WebSocket frames', () => {
  it.each(BAD_FRAMES)('%s closes only that connection; HTTP, other pages and the lock carry on', async (_name, frame) => {
    const bystander = await connect();
    const { socket, closed } = await rawSocket();
    socket.write(frame());
    const answer = await closed;
    // The offender is told why (a protocol or size close code), not just dropped by a dying process.
    expect([1002, 1007, 1009]).toContain(closeCode(answer));

    expect(child.exitCode).toBeNull();
    expect((await fetch(new URL('/', url))).status).toBe(200);
    expect(await call(bystander, 1, 'providers.list')).toMatchObject({ ok: true });
    const fresh = await connect();
    expect(await call(fresh, 2, 'project.get')).toMatchObject({ ok: true });
    fresh.close();
    bystander.close();
    // The lock still names this server's process: a second serve would be refused, not handed a live project.
    const lock = JSON.parse(await fs.readFile(path.join(dir, '.storyreel.lock'), 'utf8').catch(() => '{}'));
    expect(lock.pid).toBe(child.pid);
  }, 30_000);
});
