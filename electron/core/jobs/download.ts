// Downloads a result at once (URLs expire) into `*.part`, resuming with HTTP Range after a dropped
// connection, and checks the byte count the server promised (and the provider announced, where it
// did). The engine probes and hashes afterwards. Memory stays flat whatever the size: the body is
// streamed to disk chunk by chunk, never buffered.
import { promises as fs } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { ProviderId } from '../../../shared/schema';
import { ProviderError, retryAfterMs } from '../providers/provider-error';
import { RETRY, retryDelayMs } from './retry-policy';

export interface DownloadOptions {
  provider: ProviderId;
  /** The provider's job id, named in every error so the clip can be recovered by hand. */
  jobRef: string;
  signal?: AbortSignal;
  /** Attempts before giving up on network errors and 5xx (each resumes where the last stopped); RETRY.download by default. */
  attempts?: number;
  /** Waits between attempts; injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** The size the provider announced for the clip; a different size on disk is refused. */
  expectedBytes?: number;
  /** Bytes on disk so far and the total when known, as they arrive. */
  onBytes?: (have: number, total: number | undefined) => void;
}

const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function downloadToPart(url: string, partPath: string, opts: DownloadOptions): Promise<{ bytes: number }> {
  const attempts = opts.attempts ?? RETRY.download.attempts;
  const sleep = opts.sleep ?? wait;
  const err = (kind: 'network' | 'outage' | 'rate-limit' | 'expired', providerMessage: string, extra: { status?: number; retryAfterMs?: number } = {}) =>
    new ProviderError({ provider: opts.provider, kind, providerMessage, jobRef: opts.jobRef, ...extra });
  let lastError: ProviderError | undefined;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await sleep(retryDelayMs(RETRY.download, attempt, lastError));
    if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('aborted');
    const have = await fs.stat(partPath).then((s) => s.size, () => 0);
    let res: Response;
    try {
      res = await fetch(url, { headers: have > 0 ? { range: `bytes=${have}-` } : {}, signal: opts.signal });
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      lastError = err('network', [(e as Error).message, cause?.code ?? cause?.message].filter(Boolean).join(': '));
      continue;
    }
    if ([401, 403, 404, 410].includes(res.status)) {
      // A signed CDN link that is refused or gone will not come back by asking again.
      await res.body?.cancel();
      throw err('expired', `HTTP ${res.status}`, { status: res.status });
    }
    if (res.status === 416 && have > 0) {
      // Everything is already here (the previous attempt ended exactly at the end).
      await res.body?.cancel();
      return finish(partPath, have, opts);
    }
    if (res.status === 429 || res.status >= 500 || !res.body) {
      await res.body?.cancel();
      lastError = err(res.status === 429 ? 'rate-limit' : 'outage', `download answered HTTP ${res.status}`, {
        status: res.status,
        retryAfterMs: retryAfterMs(res.headers.get('retry-after')),
      });
      continue;
    }
    if (res.status !== 200 && res.status !== 206) {
      await res.body?.cancel();
      throw err('expired', `download answered HTTP ${res.status}`, { status: res.status });
    }
    // A server that ignores Range answers 200 with the whole file: start over rather than append.
    const resumed = res.status === 206 && have > 0;
    const total = resumed
      ? Number(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1] ?? NaN)
      : Number(res.headers.get('content-length') ?? NaN);
    const known = Number.isFinite(total) ? total : opts.expectedBytes;
    let got = resumed ? have : 0;
    // Each chunk is written before the next is read, so whatever arrived before a dropped connection is on
    // disk for the next attempt to resume from (a stream pipeline would discard its buffered writes on error).
    const file = await fs.open(partPath, resumed ? 'a' : 'w');
    let cut: Error | undefined;
    try {
      for await (const chunk of Readable.fromWeb(res.body as WebReadableStream) as AsyncIterable<Uint8Array>) {
        await file.write(chunk);
        got += chunk.length;
        opts.onBytes?.(got, known);
      }
    } catch (e) {
      cut = e as Error;
    } finally {
      await file.close();
    }
    if (cut) {
      if (opts.signal?.aborted) throw cut;
      lastError = err('network', `the download was cut off (${cut.message})`);
      continue;
    }
    const bytes = (await fs.stat(partPath)).size;
    if (Number.isFinite(total) && bytes < total) {
      lastError = err('network', `the download stopped at ${bytes} of ${total} bytes`);
      continue;
    }
    if (opts.expectedBytes !== undefined && bytes !== opts.expectedBytes) {
      // The file on disk is not the clip the provider described: fetch it whole once more.
      await fs.rm(partPath, { force: true });
      lastError = err('network', `the download was ${bytes} bytes, but the provider announced ${opts.expectedBytes}`);
      continue;
    }
    return finish(partPath, bytes, opts);
  }
  throw lastError ?? err('network', 'download failed');
}

/** Makes the bytes durable before anyone renames or trusts the file. */
async function finish(partPath: string, bytes: number, opts: DownloadOptions): Promise<{ bytes: number }> {
  if (opts.expectedBytes !== undefined && bytes !== opts.expectedBytes) {
    await fs.rm(partPath, { force: true });
    throw new ProviderError({
      provider: opts.provider,
      kind: 'network',
      providerMessage: `the download was ${bytes} bytes, but the provider announced ${opts.expectedBytes}`,
      jobRef: opts.jobRef,
    });
  }
  const handle = await fs.open(partPath, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { bytes };
}
