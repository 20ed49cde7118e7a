// Reference images (start/end frames, element images): checked against the limits every Kling V3
// provider shares (docs/providers.md §2.6, §3.4, §5.4) and turned into what the provider accepts.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { GenerationSpec } from '../../../shared/generation';
import { StudioError } from '../../../shared/errors';
import type { ResolvedAssets } from './provider';

export const IMAGE_LIMITS = { maxBytes: 10 * 1024 * 1024, minSide: 300, minAspect: 0.4, maxAspect: 2.5 };

export interface ImageInfo {
  format: 'png' | 'jpeg';
  width: number;
  height: number;
}

/** Reads width and height from a PNG IHDR or a JPEG SOF marker; undefined for anything else. */
export function imageInfo(buf: Buffer): ImageInfo | undefined {
  if (buf.length > 24 && buf.readUInt32BE(0) === 0x89504e47 && buf.toString('ascii', 12, 16) === 'IHDR') {
    return { format: 'png', width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
  }
  if (buf.length > 4 && buf[0] === 0xff && buf[1] === 0xd8) {
    let i = 2;
    while (i + 9 < buf.length) {
      if (buf[i] !== 0xff) return undefined;
      const marker = buf[i + 1];
      const len = buf.readUInt16BE(i + 2);
      // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
        return { format: 'jpeg', height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
      }
      i += 2 + len;
    }
  }
  return undefined;
}

/** Problems with one reference image, in words a person can act on; empty when it is fine. */
export function checkImage(buf: Buffer, label: string, sizeBytes = buf.length): string[] {
  const info = imageInfo(buf);
  if (!info) return [`${label} is not a JPEG or PNG image`];
  const problems: string[] = [];
  if (sizeBytes > IMAGE_LIMITS.maxBytes) problems.push(`${label} is ${(sizeBytes / 1048576).toFixed(1)} MB; the limit is 10 MB`);
  if (Math.min(info.width, info.height) < IMAGE_LIMITS.minSide) {
    problems.push(`${label} is ${info.width}×${info.height}; each side must be at least ${IMAGE_LIMITS.minSide} px`);
  }
  const aspect = info.width / info.height;
  if (aspect < IMAGE_LIMITS.minAspect || aspect > IMAGE_LIMITS.maxAspect) {
    // Two decimals, or three where two would round onto the limit ("2.50" for 751×300 reads as allowed).
    const shown = aspect.toFixed(2);
    const figure = Number(shown) >= IMAGE_LIMITS.minAspect && Number(shown) <= IMAGE_LIMITS.maxAspect ? aspect.toFixed(3) : shown;
    problems.push(`${label} is ${info.width}×${info.height}, an aspect ratio of ${figure}; it must be between 0.4 (1:2.5) and 2.5 (2.5:1)`);
  }
  return problems;
}

type Loaded = { ok: true; buf: Buffer; info: ImageInfo } | { ok: false; problems: string[] };

async function load(projectDir: string, rel: string, label: string): Promise<Loaded> {
  const buf = await fs.readFile(path.join(projectDir, rel)).catch(() => undefined);
  if (!buf) return { ok: false, problems: [`${label} (${rel}) is missing from the project folder`] };
  const problems = checkImage(buf, `${label} (${rel})`);
  return problems.length ? { ok: false, problems } : { ok: true, buf, info: imageInfo(buf)! };
}

/** Every image a spec references, with the words that name it in a problem. */
function specImages(spec: GenerationSpec): { rel: string; label: string }[] {
  return [
    ...(spec.startFrame ? [{ rel: spec.startFrame, label: 'start frame' }] : []),
    ...(spec.endFrame ? [{ rel: spec.endFrame, label: 'end frame' }] : []),
    ...spec.elements.flatMap((e) => [
      ...(e.frontal ? [{ rel: e.frontal, label: `element “${e.name}” front image` }] : []),
      ...(e.references ?? []).map((r, i) => ({ rel: r, label: `element “${e.name}” reference ${i + 1}` })),
    ]),
  ];
}

/** Enough of an image's start to find its size marker (a JPEG's SOF can follow a large EXIF thumbnail). */
const HEADER_BYTES = 512 * 1024;

/**
 * The problems of every image a spec references — the same checks as resolveAssets — reading only each
 * file's size and header, encoding nothing: the planner's pre-flight, run for every estimate.
 */
export async function checkAssets(spec: GenerationSpec, projectDir: string): Promise<string[]> {
  const problems: string[] = [];
  for (const { rel, label } of specImages(spec)) {
    const file = await fs.open(path.join(projectDir, rel)).catch(() => undefined);
    if (!file) {
      problems.push(`${label} (${rel}) is missing from the project folder`);
      continue;
    }
    try {
      const { size } = await file.stat();
      const { buffer, bytesRead } = await file.read(Buffer.alloc(Math.min(size, HEADER_BYTES)), 0, Math.min(size, HEADER_BYTES), 0);
      problems.push(...checkImage(buffer.subarray(0, bytesRead), `${label} (${rel})`, size));
    } finally {
      await file.close();
    }
  }
  return problems;
}

/**
 * Loads and checks every image the spec references, encoding each as a data URI (fal, Replicate,
 * Lumenfall) or bare base64 (Kling's `image` field takes base64 without the data: prefix). Every image is
 * checked before anything is refused, so one message names all of them (start frame, end frame, elements).
 */
export async function resolveAssets(spec: GenerationSpec, projectDir: string, encoding: 'data-uri' | 'base64' = 'data-uri'): Promise<ResolvedAssets> {
  const problems: string[] = [];
  const encode = async (rel: string, label: string): Promise<string> => {
    const loaded = await load(projectDir, rel, label);
    if (!loaded.ok) {
      problems.push(...loaded.problems);
      return '';
    }
    const b64 = loaded.buf.toString('base64');
    return encoding === 'base64' ? b64 : `data:image/${loaded.info.format};base64,${b64}`;
  };
  const assets: ResolvedAssets = {
    startFrame: spec.startFrame ? await encode(spec.startFrame, 'start frame') : undefined,
    endFrame: spec.endFrame ? await encode(spec.endFrame, 'end frame') : undefined,
    elements: await Promise.all(
      spec.elements.map(async (e) => ({
        name: e.name,
        libraryId: e.libraryId,
        frontal: e.frontal ? await encode(e.frontal, `element “${e.name}” front image`) : undefined,
        references: await Promise.all((e.references ?? []).map((r, i) => encode(r, `element “${e.name}” reference ${i + 1}`))),
      })),
    ),
  };
  if (problems.length) throw new StudioError('INVALID_INPUT', `${problems.join('; ')}.`, problems);
  return assets;
}
