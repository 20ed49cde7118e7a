// The one HTTP layer of the cloud adapters (electron/core/providers/http.ts): one status → kind table that
// all four adapters follow where their provider says nothing more, network failures that keep the system's
// code, and the fetch every hand-written adapter goes through.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { falHttpError } from '../../../electron/core/providers/fal';
import { DEFAULT_BASE_URLS, kindForStatus, networkError, providerFetch } from '../../../electron/core/providers/http';
import { klingErrorFromResponse } from '../../../electron/core/providers/kling';
import { toProviderError } from '../../../electron/core/providers/lumenfall';
import { ProviderError } from '../../../electron/core/providers/provider-error';
import { envConfig } from '../../../electron/core/providers/registry';
import { replicateHttpError } from '../../../electron/core/providers/replicate';

/** Every status the table names, and what it must mean. */
const TABLE: [number, string][] = [
  [400, 'validation'],
  [401, 'auth'],
  [402, 'balance'],
  [403, 'auth'],
  [404, 'not-found'],
  [408, 'outage'],
  [409, 'validation'],
  [410, 'expired'],
  [413, 'validation'],
  [422, 'validation'],
  [429, 'rate-limit'],
  [500, 'outage'],
  [502, 'outage'],
  [503, 'outage'],
  [504, 'outage'],
  [302, 'failed'],
];

describe('status → error kind', () => {
  it.each(TABLE)('HTTP %i is %s', (status, kind) => {
    expect(kindForStatus(status)).toBe(kind);
  });

  // Before the shared table a 410 was `expired` at fal, `validation` at Replicate, `not-found` at
  // Lumenfall and `failed` at Kling; a 402 was `failed` at Kling.
  it.each(TABLE)('HTTP %i means %s at all four cloud providers when the body says nothing more', (status, kind) => {
    const plain = { message: 'something happened' };
    const kinds = {
      fal: falHttpError({ status, headers: new Headers(), body: plain, text: JSON.stringify(plain) }).kind,
      replicate: replicateHttpError({ status, body: JSON.stringify({ detail: 'something happened' }) }).kind,
      kling: klingErrorFromResponse({ status, body: plain }).kind,
      lumenfall: toProviderError(APIError.generate(status, plain, undefined, new Headers())).kind,
    };
    expect(kinds).toEqual({ fal: kind, replicate: kind, kling: kind, lumenfall: kind });
  });

  it("keeps each provider's own words first: an out-of-credit 403 at fal, a code at Kling, a policy refusal at Replicate", () => {
    expect(falHttpError({ status: 403, headers: new Headers(), body: { detail: 'Please top up your balance' }, text: '' }).kind).toBe('balance');
    expect(klingErrorFromResponse({ status: 200, body: { code: 1102, message: 'resource pack exhausted' } }).kind).toBe('balance');
    expect(replicateHttpError({ status: 422, body: JSON.stringify({ detail: 'Input was flagged as sensitive (E005)' }) }).kind).toBe('policy');
  });

  it('a wait the provider asks for is kept only where the engine waits (rate limit, outage)', () => {
    const answer = (status: number) => falHttpError({ status, headers: new Headers({ 'retry-after': '7' }), body: {}, text: '' });
    expect(answer(429).retryAfterMs).toBe(7000);
    expect(answer(503).retryAfterMs).toBe(7000);
    expect(answer(422).retryAfterMs).toBeUndefined();
  });
});

describe('network failures', () => {
  it("keep the system's code (the engine reads it to know nothing reached the provider) and name the call", () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });
    const e = networkError({ provider: 'kling', err: refused, method: 'POST', url: 'http://127.0.0.1:9/v1/videos/text2video' });
    expect(e.kind).toBe('network');
    expect(e.retryable).toBe(true);
    expect(e.providerMessage).toBe('POST /v1/videos/text2video failed (connect ECONNREFUSED 127.0.0.1:9)');
    const reset = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    expect(networkError({ provider: 'fal', err: reset }).providerMessage).toBe('UND_ERR_SOCKET: other side closed');
    expect(networkError({ provider: 'fal', err: new Error('x'), timedOut: true, timeoutMs: 60_000 }).providerMessage).toBe('no answer within 60 s');
  });
});

describe('base URLs', () => {
  it('each cloud provider has its documented base, used when nothing else is configured', () => {
    expect(DEFAULT_BASE_URLS).toEqual({
      fal: 'https://queue.fal.run',
      replicate: 'https://api.replicate.com/v1',
      lumenfall: 'https://api.lumenfall.ai/openai/v1',
      kling: 'https://api-singapore.klingai.com',
    });
    const env = { FAL_KEY: 'k', REPLICATE_API_TOKEN: 'r8_k', LUMENFALL_API_KEY: 'l', KLING_ACCESS_KEY: 'a', KLING_SECRET_KEY: 's' };
    for (const [id, url] of Object.entries(DEFAULT_BASE_URLS)) expect(envConfig(env)(id as keyof typeof DEFAULT_BASE_URLS)?.baseUrl).toBe(url);
  });
});

describe('providerFetch', () => {
  let server: http.Server;
  let base = '';
  const seen: { method?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method, headers: req.headers, body });
        if (req.url === '/slow') return; // never answers
        if (req.url === '/html') {
          res.writeHead(502, { 'content-type': 'text/html' });
          return res.end('<html>bad gateway</html>');
        }
        res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ echo: 'secret-key-123456 said hello' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('sends JSON, returns a non-2xx answer for the adapter to read, and scrubs the body before parsing it', async () => {
    const scrub = (t: string) => t.split('secret-key-123456').join('····');
    const ok = await providerFetch({ provider: 'fal', method: 'POST', url: `${base}/submit`, body: { prompt: 'a harbour' }, headers: { authorization: 'Key secret-key-123456' }, scrub });
    expect(ok).toMatchObject({ status: 200, ok: true, json: { echo: '···· said hello' } });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', body: '{"prompt":"a harbour"}', headers: { 'content-type': 'application/json', accept: 'application/json' } });
    const missing = await providerFetch({ provider: 'fal', method: 'GET', url: `${base}/missing` });
    expect(missing).toMatchObject({ status: 404, ok: false });
    const html = await providerFetch({ provider: 'kling', method: 'GET', url: `${base}/html` });
    expect(html).toMatchObject({ status: 502, text: '<html>bad gateway</html>', json: undefined });
  });

  it('a refused connection is a retryable network error naming the call', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const err = await providerFetch({ provider: 'kling', method: 'GET', url: `http://127.0.0.1:${port}/v1/videos/text2video/abc`, jobRef: 'abc' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ kind: 'network', jobRef: 'abc' });
    expect((err as ProviderError).providerMessage).toMatch(/^GET \/v1\/videos\/text2video\/abc failed \(.*ECONNREFUSED/);
  });

  it('no answer in time is a network error; the caller stopping hands its own reason back', async () => {
    const late = await providerFetch({ provider: 'fal', method: 'GET', url: `${base}/slow`, timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(late).toMatchObject({ kind: 'network', providerMessage: 'GET /slow failed (no answer within 1 s)' });
    const stop = new AbortController();
    const asked = providerFetch({ provider: 'fal', method: 'GET', url: `${base}/slow`, signal: stop.signal });
    const reason = new Error('canceled by the person');
    setTimeout(() => stop.abort(reason), 50);
    await expect(asked).rejects.toBe(reason);
  });
});
