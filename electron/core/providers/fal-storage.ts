// fal's CDN upload, as @fal-ai/client 1.10.1 does it (src/storage.js, createStorageClient → upload):
//   POST {rest}/storage/upload/initiate?storage_type=fal-cdn-v3  {content_type, file_name}  → {upload_url, file_url}
//   PUT  upload_url  <the bytes>  (Content-Type of the file)
// and the model then gets file_url. fal's docs: "Models on fal accept file inputs as URLs … Some models also
// accept data URIs … but URLs are the universal format that works with every model. The CDN is the
// recommended approach for file inputs" (docs/providers.md §2.6). Kling V3's pages do not say it takes data
// URIs, so every reference image and element video is uploaded instead of being inlined (a 10 MB image
// would be ~13.4 MB of JSON per submit). Nothing is generated or charged by an upload.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { GenerationSpec } from '../../../shared/generation';
import { resolveAssets } from './assets';
import { DEFAULT_BASE_URLS, providerFetch } from './http';
import type { AdapterContext, ResolvedAssets } from './provider';
import { ProviderError } from './provider-error';

/** fal's REST host (fal-js config.getRestApiUrl); a replaced queue base (a proxy, the mock) serves storage itself. */
export const FAL_REST_BASE = 'https://rest.fal.ai';

export function falStorageBase(queueBase: string): string {
  const base = queueBase.replace(/\/+$/, '');
  return base === DEFAULT_BASE_URLS.fal ? FAL_REST_BASE : base;
}

export interface FalUploader {
  (file: { data: Uint8Array; contentType: string; fileName: string; label: string }): Promise<string>;
}

/** One upload through the shared HTTP layer; the key rides only on the initiate call (the upload URL is signed). */
export function falUploader(ctx: AdapterContext, key: string, scrub: (text: string) => string): FalUploader {
  const base = falStorageBase(ctx.config.baseUrl);
  const refuse = (label: string, why: string, status?: number) =>
    new ProviderError({
      provider: 'fal',
      kind: status === 401 || status === 403 ? 'auth' : status !== undefined && status >= 500 ? 'outage' : 'failed',
      providerMessage: `uploading the ${label} to fal's storage failed (${why}); no video was requested and nothing was charged`,
      status,
    });
  return async ({ data, contentType, fileName, label }) => {
    const init = await providerFetch({
      provider: 'fal',
      method: 'POST',
      url: `${base}/storage/upload/initiate?storage_type=fal-cdn-v3`,
      headers: { authorization: `Key ${key}` },
      body: { content_type: contentType, file_name: fileName },
      signal: ctx.signal,
      scrub,
    });
    const answer = (init.json ?? {}) as { upload_url?: unknown; file_url?: unknown };
    if (!init.ok || typeof answer.upload_url !== 'string' || typeof answer.file_url !== 'string') {
      throw refuse(label, init.ok ? 'the answer had no upload_url/file_url' : `HTTP ${init.status}`, init.ok ? undefined : init.status);
    }
    const put = await providerFetch({ provider: 'fal', method: 'PUT', url: answer.upload_url, bytes: { data, contentType }, signal: ctx.signal, scrub });
    if (!put.ok) throw refuse(label, `HTTP ${put.status}`, put.status);
    return answer.file_url;
  };
}

function fromDataUri(uri: string): { data: Uint8Array; contentType: string } {
  const m = /^data:([^;,]+);base64,(.*)$/s.exec(uri);
  if (!m) throw new Error('not a base64 data URI');
  return { contentType: m[1], data: Buffer.from(m[2], 'base64') };
}

const VIDEO_TYPES: Record<string, string> = { '.mp4': 'video/mp4', '.mov': 'video/quicktime', '.webm': 'video/webm' };

/**
 * The spec's images (checked against the Kling V3 limits by resolveAssets) and element videos, uploaded to
 * fal's CDN: the same file is uploaded once per request. Returns assets holding file URLs.
 */
export async function uploadFalAssets(spec: GenerationSpec, ctx: AdapterContext, upload: FalUploader): Promise<ResolvedAssets> {
  const inline = await resolveAssets(spec, ctx.projectDir, 'data-uri');
  const done = new Map<string, Promise<string>>();
  const send = (uri: string | undefined, label: string, name: string): Promise<string | undefined> => {
    if (!uri) return Promise.resolve(undefined);
    if (!done.has(uri)) {
      const { data, contentType } = fromDataUri(uri);
      done.set(uri, upload({ data, contentType, fileName: `${name}.${contentType.split('/')[1] === 'jpeg' ? 'jpg' : contentType.split('/')[1]}`, label }));
    }
    return done.get(uri)!;
  };
  const sendVideo = async (rel: string | undefined, label: string): Promise<string | undefined> => {
    if (!rel) return undefined;
    const contentType = VIDEO_TYPES[path.extname(rel).toLowerCase()];
    const data = contentType ? await fs.readFile(path.join(ctx.projectDir, rel)).catch(() => undefined) : undefined;
    if (!contentType || !data) {
      throw new ProviderError({ provider: 'fal', kind: 'validation', field: 'elements', providerMessage: `${label} (${rel}) is ${contentType ? 'missing from the project folder' : 'not an MP4, MOV or WebM video'}; nothing was sent` });
    }
    return upload({ data, contentType, fileName: path.basename(rel), label });
  };
  return {
    startFrame: await send(inline.startFrame, 'start frame', 'start'),
    endFrame: await send(inline.endFrame, 'end frame', 'end'),
    elements: await Promise.all(
      inline.elements.map(async (e, i) => {
        const source = spec.elements[i];
        return {
          name: e.name,
          libraryId: e.libraryId,
          frontal: await send(e.frontal, `element “${e.name}” front image`, `element-${i + 1}-front`),
          references: (await Promise.all(e.references.map((r, j) => send(r, `element “${e.name}” reference ${j + 1}`, `element-${i + 1}-ref-${j + 1}`)))).filter((r): r is string => !!r),
          // A character goes as its video when the video carries its voice, or when it has no image (§2.6).
          ...(source?.video && (source.voiceId || !source.frontal) ? { video: await sendVideo(source.video, `element “${e.name}” video`) } : {}),
          ...(source?.voiceId ? { voiceId: source.voiceId } : {}),
        };
      }),
    ),
  };
}
