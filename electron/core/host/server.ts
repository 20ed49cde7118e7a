// The browser host: serves the built renderer and the same StudioApi over a WebSocket on 127.0.0.1.
// Guarded like a desktop app's IPC: loopback only, a random token on every API and media request, and
// foreign Host/Origin headers refused (DNS rebinding, other sites in the same browser).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { createWriteStream, promises as fs } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { serializeError } from '../../../shared/errors';
import type { ClientFrame, ServerFrame } from '../../../shared/transport';
import type { Studio } from '../api';
import { serveFile } from './serve-file';
import { uploadPath } from '../project/incoming';

export interface HostOptions {
  studio: Studio;
  /** Folder holding the built renderer (index.html + assets). */
  rendererDir: string;
  port?: number;
  /** Fixed token (tests); a random one otherwise. */
  token?: string;
}

export interface RunningHost {
  url: string;
  port: number;
  token: string;
  /** Serves another project from now on (New project / Open…): API, media, uploads and events follow it. */
  setStudio(next: Studio): void;
  close(): Promise<void>;
}

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; " +
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

function tokenMatches(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  let { studio } = opts;
  let port = 0;

  const refuse = (res: http.ServerResponse, status: number, text: string) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
    res.end(text);
  };

  const server = http.createServer(async (req, res) => {
    try {
      if (!isAllowedHost(req.headers.host, port)) return refuse(res, 403, 'Forbidden host');
      if (!isAllowedOrigin(req.headers.origin, port)) return refuse(res, 403, 'Forbidden origin');
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      if (req.method === 'POST' && url.pathname === '/upload') {
        if (!tokenMatches(url.searchParams.get('token'), token)) return refuse(res, 401, 'Missing or wrong token');
        const rel = await receiveUpload({ req, projectDir: studio.session.dir, name: url.searchParams.get('name') ?? 'clip' });
        res.writeHead(200, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' });
        return res.end(JSON.stringify({ path: rel }));
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed');
      const common = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
      let file;
      if (url.pathname.startsWith('/media/')) {
        if (!tokenMatches(url.searchParams.get('token'), token)) return refuse(res, 401, 'Missing or wrong token');
        file = await serveFile(studio.session.dir, url.pathname.slice('/media/'.length), req.headers.range);
      } else {
        const rel = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
        file = await serveFile(opts.rendererDir, rel);
        if (rel === 'index.html') Object.assign(file.headers, { 'content-security-policy': CSP, 'cache-control': 'no-store' });
      }
      res.writeHead(file.status, { ...common, ...file.headers });
      if (req.method === 'HEAD' || !file.body) {
        file.body?.destroy();
        return res.end();
      }
      file.body.pipe(res);
      res.on('close', () => file.body?.destroy());
    } catch (err) {
      refuse(res, 500, (err as Error).message);
    }
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 << 20 });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    // Node hands the socket over without its error listener: a reset here must not end the process.
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    const ok =
      url.pathname === '/api' &&
      isAllowedHost(req.headers.host, port) &&
      isAllowedOrigin(req.headers.origin, port) &&
      tokenMatches(url.searchParams.get('token'), token);
    if (!ok) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    // A malformed frame (unmasked, reserved opcode, over maxPayload, bad UTF-8) makes ws close this one
    // connection (1002/1007/1009) and then emit 'error'; unhandled, that error would end `serve` and leave its lock.
    ws.on('error', () => {
      /* ws has already closed this connection; the others carry on */
    });
    const send = (frame: ServerFrame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    ws.on('message', async (data) => {
      let frame: ClientFrame;
      try {
        frame = JSON.parse(String(data)) as ClientFrame;
        if (typeof frame.id !== 'number') throw new Error('frame without id');
      } catch {
        return ws.close(1003, 'Malformed frame');
      }
      try {
        send({ id: frame.id, ok: true, result: await studio.dispatch(frame.method, frame.input) });
      } catch (err) {
        send({ id: frame.id, ok: false, error: serializeError(err) });
      }
    });
    ws.on('close', () => sockets.delete(ws));
  });

  const forward = (event: string, payload: unknown) => {
    const text = JSON.stringify({ event, payload } satisfies ServerFrame);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  };
  studio.on('event', forward);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    setStudio(next) {
      studio.off('event', forward);
      studio = next;
      next.on('event', forward);
    },
    async close() {
      studio.off('event', forward);
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Largest clip the browser can hand over by upload (a 15 s 4K clip is well under this). */
const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

/**
 * A file dropped in the browser arrives as the request body and lands in the project's cache/imports/
 * (the browser cannot name a path on disk); takes.import then brings it in like any other clip.
 */
async function receiveUpload(opts: { req: http.IncomingMessage; projectDir: string; name: string }): Promise<string> {
  const rel = uploadPath(opts.name);
  const file = path.join(opts.projectDir, rel);
  await fs.mkdir(path.dirname(file), { recursive: true });
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done(bytes > MAX_UPLOAD_BYTES ? new Error('the file is larger than 2 GB') : null, chunk);
    },
  });
  try {
    await pipeline(opts.req, limit, createWriteStream(file));
  } catch (err) {
    await fs.rm(file, { force: true });
    throw err;
  }
  return rel;
}

export function defaultRendererDir(appRoot: string): string {
  return path.join(appRoot, 'dist', 'renderer');
}
