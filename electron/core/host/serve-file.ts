// Serves a file from inside one folder with HTTP Range support. Shared by the browser host and the
// desktop app's storyreel-media:// protocol, so both confine media to the open project the same way.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';

export interface FileResponse {
  status: 200 | 206 | 400 | 403 | 404 | 416;
  headers: Record<string, string>;
  body?: Readable;
}

const TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4a': 'audio/mp4',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export function contentType(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Resolves a URL path against a root folder. Returns undefined when the result would leave the folder
 * (`..`, absolute paths, encoded separators, symlinks pointing outside).
 */
export async function resolveInside(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const rootReal = await fs.realpath(root);
  const candidate = path.resolve(rootReal, `.${path.posix.sep}${decoded.replace(/\\/g, '/').replace(/^\/+/, '')}`);
  if (candidate !== rootReal && !candidate.startsWith(rootReal + path.sep)) return undefined;
  const real = await fs.realpath(candidate).catch(() => undefined);
  if (!real) return candidate; // does not exist: the caller answers 404
  return real === rootReal || real.startsWith(rootReal + path.sep) ? real : undefined;
}

/** Parses a single-range `Range: bytes=a-b` header. Multi-range requests get the whole file. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'invalid' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    if (m[2] === '') return 'invalid';
    const suffix = Number(m[2]);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return 'invalid';
  return { start, end };
}

export async function serveFile(root: string, urlPath: string, rangeHeader?: string): Promise<FileResponse> {
  const file = await resolveInside(root, urlPath);
  if (!file) return { status: 403, headers: { 'content-type': 'text/plain' } };
  const notFound: FileResponse = { status: 404, headers: { 'content-type': 'text/plain' } };
  // Checked by name first so a FIFO or device is never opened (opening a FIFO would wait for a writer).
  if (!(await fs.stat(file).catch(() => undefined))?.isFile()) return notFound;
  // Then the size and the bytes come from one open file: a save that renames a new version over this name
  // meanwhile cannot pair the old length with the new content (a torn or overlong response).
  const handle = await fs.open(file, 'r').catch(() => undefined);
  if (!handle) return notFound;
  const stat = await handle.stat().catch(() => undefined);
  if (!stat?.isFile()) {
    await handle.close();
    return notFound;
  }
  const base = { 'content-type': contentType(file), 'accept-ranges': 'bytes', 'cache-control': 'no-cache' };
  const range = parseRange(rangeHeader, stat.size);
  if (range === 'invalid') {
    await handle.close();
    return { status: 416, headers: { ...base, 'content-range': `bytes */${stat.size}` } };
  }
  if (range) {
    return {
      status: 206,
      headers: { ...base, 'content-length': String(range.end - range.start + 1), 'content-range': `bytes ${range.start}-${range.end}/${stat.size}` },
      body: handle.createReadStream({ start: range.start, end: range.end }),
    };
  }
  // An empty file has nothing to stream (and a stream with end -1 would read it all).
  if (stat.size === 0) {
    await handle.close();
    return { status: 200, headers: { ...base, 'content-length': '0' } };
  }
  return { status: 200, headers: { ...base, 'content-length': String(stat.size) }, body: handle.createReadStream({ start: 0, end: stat.size - 1 }) };
}
