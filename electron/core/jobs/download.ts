// Downloads a result at once (URLs expire) into `*.part`, resuming with HTTP Range after a dropped
// connection, and checks the byte count the server promised. The engine probes and hashes afterwards.
import { createWriteStream, promises as fs } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { ProviderId } from '../../../shared/schema';
import { ProviderError, retryAfterMs } from '../providers/provider-error';

export interface DownloadOptions {
  provider: ProviderId;
  jobRef: string;
  signal?: AbortSignal;
  /** Attempts before giving up on network errors and 5xx (each resumes where the last stopped). */
  attempts?: number;
  /** Waits between attempts; injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function downloadToPart(url: string, partPath: string, opts: DownloadOptions): Promise<{ bytes: number }> {
  const attempts = opts.attempts ?? 6;
  const sleep = opts.sleep ?? wait;
  let lastError: ProviderError | undefined;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await sleep(lastError?.retryAfterMs ?? Math.min(30_000, 500 * 2 ** attempt));
    const have = await fs.stat(partPath).then((s) => s.size, () => 0);
    let res: Response;
    try {
      res = await fetch(url, { headers: have > 0 ? { range: `bytes=${have}-` } : {}, signal: opts.signal });
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      lastError = new ProviderError({ provider: opts.provider, kind: 'network', providerMessage: (err as Error).message, jobRef: opts.jobRef });
      continue;
    }
    if (res.status === 403 || res.status === 404 || res.status === 410) {
      await res.body?.cancel();
      throw new ProviderError({ provider: opts.provider, kind: 'expired', providerMessage: `HTTP ${res.status}`, status: res.status, jobRef: opts.jobRef });
    }
    if (res.status === 416 && have > 0) {
      // Everything is already here (the previous attempt ended exactly at the end).
      await res.body?.cancel();
      return { bytes: have };
    }
    if (res.status === 429 || res.status >= 500 || !res.body) {
      await res.body?.cancel();
      lastError = new ProviderError({
        provider: opts.provider,
        kind: res.status === 429 ? 'rate-limit' : 'outage',
        providerMessage: `download answered HTTP ${res.status}`,
        status: res.status,
        retryAfterMs: retryAfterMs(res.headers.get('retry-after')),
        jobRef: opts.jobRef,
      });
      continue;
    }
    const resumed = res.status === 206 && have > 0;
    const total = resumed
      ? Number(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1] ?? NaN)
      : Number(res.headers.get('content-length') ?? NaN);
    try {
      await pipeline(Readable.fromWeb(res.body as WebReadableStream), createWriteStream(partPath, { flags: resumed ? 'a' : 'w' }));
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      lastError = new ProviderError({ provider: opts.provider, kind: 'network', providerMessage: `the download was cut off (${(err as Error).message})`, jobRef: opts.jobRef });
      continue;
    }
    const bytes = (await fs.stat(partPath)).size;
    if (Number.isFinite(total) && bytes < total) {
      lastError = new ProviderError({ provider: opts.provider, kind: 'network', providerMessage: `the download stopped at ${bytes} of ${total} bytes`, jobRef: opts.jobRef });
      continue;
    }
    return { bytes };
  }
  throw lastError ?? new ProviderError({ provider: opts.provider, kind: 'network', providerMessage: 'download failed', jobRef: opts.jobRef });
}
