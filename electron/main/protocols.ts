// The two custom schemes: app:// serves the built renderer, storyreel-media:// serves files of the open
// project (with Range requests, so <video> can seek). Both go through the core's serveFile, which confines
// every request to one folder — the same code the browser host uses.
import { protocol } from 'electron';
import { Readable } from 'node:stream';
import { serveFile, type FileResponse } from '../core/host/serve-file';
import { APP_SCHEME, MEDIA_SCHEME } from '../../shared/transport';
import { APP_HOST, APP_ORIGIN, CONTENT_SECURITY_POLICY } from './security';

/** storyreel-media://project/<project-relative path> */
export const MEDIA_HOST = 'project';

/** Must run before the app is ready. */
export function registerSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // standard: a real origin (app://storyreel) so 'self', relative URLs and ES modules work;
      // secure: treated like https; stream: large responses are not buffered.
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
    },
    {
      scheme: MEDIA_SCHEME,
      // stream is what lets <video>/<audio> issue Range requests and seek. corsEnabled lets the page fetch()
      // media (waveforms, posters) from its app:// origin; the response names that origin only.
      // bypassCSP stays false: media must be allowed by the page's CSP like anything else.
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, corsEnabled: true, bypassCSP: false },
    },
  ]);
}

function plain(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });
}

function toResponse(file: FileResponse, method: string, extra: Record<string, string>): Response {
  const headers = { ...file.headers, ...extra };
  if (!file.body) return new Response(null, { status: file.status, headers });
  if (method === 'HEAD') {
    file.body.destroy();
    return new Response(null, { status: file.status, headers });
  }
  // Readable.toWeb cancels (destroys) the file stream when Chromium drops the request, e.g. on a seek.
  const body = Readable.toWeb(file.body) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, { status: file.status, headers });
}

async function serve(request: Request, host: string, root: string | undefined, extra: Record<string, string>): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed', { allow: 'GET, HEAD' });
  const url = new URL(request.url);
  if (url.host !== host || !root) return plain(404, 'Not found', extra);
  const pathname = url.pathname === '/' ? '/index.html' : url.pathname;
  try {
    const file = await serveFile(root, pathname, request.headers.get('range') ?? undefined);
    return toResponse(file, request.method, extra);
  } catch (err) {
    // e.g. the root folder is gone (project moved while open, renderer not built).
    console.error(`storyreel: ${url.protocol}//${url.host}${pathname}: ${(err as Error).message}`);
    return plain(404, 'Not found', extra);
  }
}

export interface ProtocolRoots {
  /** dist/renderer */
  renderer: string;
  /** The open project's folder, or undefined while none is open. Read on every request. */
  project: () => string | undefined;
}

/** Must run after the app is ready. */
export function handleProtocols(roots: ProtocolRoots): void {
  const appHeaders = {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
  };
  protocol.handle(APP_SCHEME, (request) => serve(request, APP_HOST, roots.renderer, appHeaders));

  const mediaHeaders = {
    'access-control-allow-origin': APP_ORIGIN,
    'x-content-type-options': 'nosniff',
    vary: 'origin',
  };
  protocol.handle(MEDIA_SCHEME, (request) => serve(request, MEDIA_HOST, roots.project(), mediaHeaders));
}
