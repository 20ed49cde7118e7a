// The Kling mock's checks, as Kling documents them (docs/providers.md §5): who may call (an API key, or an
// HS256 JWT from an access/secret key pair — 401 with codes 1001–1004) and which request bodies it takes
// (400/1201 with a message that names the field). Used by kling.ts, the mock's server.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { imageInfo } from '../../electron/core/providers/assets';

const KINDS = ['text2video', 'image2video'] as const;
export type Kind = (typeof KINDS)[number];
export const MODELS: Record<Kind, string[]> = {
  text2video: ['kling-v1', 'kling-v1-6', 'kling-v2-master', 'kling-v2-1-master', 'kling-v2-5-turbo', 'kling-v2-6', 'kling-v3'],
  image2video: ['kling-v1', 'kling-v1-5', 'kling-v1-6', 'kling-v2-master', 'kling-v2-1', 'kling-v2-1-master', 'kling-v2-5-turbo', 'kling-v2-6', 'kling-v3'],
};
const MAX_PROMPT = 2500;
const MAX_SHOT_PROMPT = 512;

export class KlingFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
export const invalid = (message: string) => new KlingFailure(400, 1201, message);

function b64urlJson(part: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof v === 'object' && v ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Kling's token rules (§5.1): `Bearer <API key>`, or `Bearer <HS256 JWT>` with iss = access key, signed
 * with its secret key.
 */
export function checkKlingAuth(header: string | undefined, accounts: Record<string, string>, nowSec = Math.floor(Date.now() / 1000), apiKeys: string[] = []): KlingFailure | undefined {
  if (!header || !header.trim()) return new KlingFailure(401, 1001, 'Authorization is empty');
  const bearer = /^Bearer (\S+)$/.exec(header)?.[1];
  if (bearer && apiKeys.some((k) => k.length === bearer.length && timingSafeEqual(Buffer.from(k), Buffer.from(bearer)))) return undefined;
  const m = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(header);
  if (!m) return new KlingFailure(401, 1002, 'Authorization is invalid');
  const [, h, p, s] = m;
  const head = b64urlJson(h);
  const claims = b64urlJson(p);
  if (!head || head.alg !== 'HS256' || !claims || typeof claims.iss !== 'string') return new KlingFailure(401, 1002, 'Authorization is invalid');
  const secret = accounts[claims.iss];
  if (!secret) return new KlingFailure(401, 1002, 'Authorization is invalid');
  const expected = createHmac('sha256', secret).update(`${h}.${p}`).digest();
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return new KlingFailure(401, 1002, 'Authorization is invalid');
  if (typeof claims.nbf === 'number' && claims.nbf > nowSec) return new KlingFailure(401, 1003, 'Authorization is not active yet');
  if (typeof claims.exp !== 'number' || claims.exp <= nowSec) return new KlingFailure(401, 1004, 'Authorization has expired');
  return undefined;
}

export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bool(v: unknown): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw invalid(`multi_shot: must be a boolean, got ${JSON.stringify(v)}`);
}

/** Seconds as Kling wants them: a string of an integer ("5"). */
function secondsString(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'string' || !/^\d+$/.test(v)) throw invalid(`${field}: must be a string of whole seconds between "${min}" and "${max}", got ${JSON.stringify(v)}`);
  const n = Number(v);
  if (n < min || n > max) throw invalid(`${field}: must be between "${min}" and "${max}", got "${v}"`);
  return n;
}

function closestAspect(w: number, h: number): '16:9' | '9:16' | '1:1' {
  const r = w / h;
  const options = [['16:9', 16 / 9], ['9:16', 9 / 16], ['1:1', 1]] as const;
  return options.reduce((best, o) => (Math.abs(Math.log(o[1] / r)) < Math.abs(Math.log(best[1] / r)) ? o : best))[0];
}

/** `image`/`image_tail`: a URL, or base64 without the data: prefix (§5.4). Returns the image's aspect when known. */
function checkImage(v: unknown, field: string): '16:9' | '9:16' | '1:1' | undefined {
  if (typeof v !== 'string' || v === '') throw invalid(`${field}: must be an image URL or base64 string`);
  if (/^https?:\/\//.test(v)) return undefined;
  if (v.startsWith('data:')) throw invalid(`${field}: base64 must not include the data: prefix`);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(v)) throw invalid(`${field}: is neither a URL nor valid base64`);
  const buf = Buffer.from(v, 'base64');
  const info = imageInfo(buf);
  if (!info) throw invalid(`${field}: only jpg/jpeg/png images are supported`);
  if (buf.length > 10 * 1024 * 1024) throw invalid(`${field}: image must be at most 10MB`);
  if (Math.min(info.width, info.height) < 300) throw invalid(`${field}: image width and height must be at least 300px, got ${info.width}x${info.height}`);
  const r = info.width / info.height;
  if (r < 0.4 || r > 2.5) throw invalid(`${field}: image aspect ratio must be between 1:2.5 and 2.5:1`);
  return closestAspect(info.width, info.height);
}

export interface Checked {
  durationSec: number;
  aspect: '16:9' | '9:16' | '1:1';
  audio: boolean;
  text: string;
  mode: 'std' | 'pro';
  externalTaskId?: string;
  callbackUrl?: string;
  watermark: boolean;
  elementIds: string[];
}

/** The element_id numbers of a request body as the digits that were sent (JSON.parse rounds longs). */
function rawElementIds(raw: string): string[] {
  return [...raw.matchAll(/"element_id"\s*:\s*(\d+)(?![\d.eE])/g)].map((m) => m[1]);
}

/** Kling's parameter rules (§5.3, §5.4, §1) — the first problem found, as 400/1201 naming the field. */
export function checkBody(kind: Kind, b: Record<string, unknown>, raw: string): Checked {
  const str = (field: string, max: number): string | undefined => {
    const v = b[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw invalid(`${field}: must be a string`);
    if (v.length > max) throw invalid(`${field}: must be at most ${max} characters, got ${v.length}`);
    return v;
  };
  const prompt = str('prompt', MAX_PROMPT);
  str('negative_prompt', MAX_PROMPT);
  const durationSec = b.duration === undefined ? 5 : secondsString(b.duration, 'duration', 3, 15);
  const mode = b.mode ?? 'std';
  if (mode !== 'std' && mode !== 'pro') throw invalid(`mode: must be "std" or "pro", got ${JSON.stringify(mode)}`);
  const sound = b.sound ?? 'off';
  if (sound !== 'on' && sound !== 'off') throw invalid(`sound: must be "on" or "off", got ${JSON.stringify(sound)}`);
  if (b.cfg_scale !== undefined && (typeof b.cfg_scale !== 'number' || b.cfg_scale < 0 || b.cfg_scale > 1)) {
    throw invalid(`cfg_scale: must be a number between 0 and 1, got ${JSON.stringify(b.cfg_scale)}`);
  }
  let aspect: '16:9' | '9:16' | '1:1' = '16:9';
  if (kind === 'text2video' && b.aspect_ratio !== undefined) {
    if (b.aspect_ratio !== '16:9' && b.aspect_ratio !== '9:16' && b.aspect_ratio !== '1:1') {
      throw invalid(`aspect_ratio: must be one of 16:9, 9:16, 1:1, got ${JSON.stringify(b.aspect_ratio)}`);
    }
    aspect = b.aspect_ratio;
  }

  // Frames.
  if (kind === 'image2video' && (b.image === undefined || b.image === '')) throw invalid('image: is required for image2video');
  if (b.image_tail !== undefined && (b.image === undefined || b.image === '')) throw invalid('image_tail: an end frame requires image (a start frame)');
  if (b.image !== undefined) aspect = checkImage(b.image, 'image') ?? aspect;
  if (b.image_tail !== undefined) checkImage(b.image_tail, 'image_tail');
  if (b.image_tail !== undefined && b.camera_control !== undefined) throw invalid('image_tail: cannot be combined with camera_control');

  // Multi-shot.
  const multi = bool(b.multi_shot) ?? false;
  let text = prompt ?? '';
  if (multi) {
    if (b.image_tail !== undefined) throw invalid('image_tail: first/end frame generation is not supported when multi_shot is true');
    if (b.shot_type !== 'customize' && b.shot_type !== 'intelligence') {
      throw invalid(`shot_type: must be "customize" or "intelligence" when multi_shot is true, got ${JSON.stringify(b.shot_type)}`);
    }
    if (b.shot_type === 'intelligence') {
      if (!prompt?.trim()) throw invalid('prompt: is required when shot_type is intelligence');
    } else {
      const shots = b.multi_prompt;
      if (!Array.isArray(shots) || shots.length === 0) throw invalid('multi_prompt: is required when shot_type is customize');
      if (shots.length > 6) throw invalid(`multi_prompt: at most 6 shots are supported, got ${shots.length}`);
      let sum = 0;
      shots.forEach((s, i) => {
        const at = `multi_prompt[${i}]`;
        if (!isObj(s)) throw invalid(`${at}: must be an object with index, prompt and duration`);
        if (!Number.isInteger(s.index)) throw invalid(`${at}.index: must be an integer`);
        if (typeof s.prompt !== 'string' || !s.prompt.trim()) throw invalid(`${at}.prompt: must not be empty`);
        if (s.prompt.length > MAX_SHOT_PROMPT) throw invalid(`${at}.prompt: must be at most ${MAX_SHOT_PROMPT} characters, got ${s.prompt.length}`);
        sum += secondsString(s.duration, `${at}.duration`, 1, durationSec);
      });
      if (sum !== durationSec) throw invalid(`duration: the multi_prompt shot durations add up to ${sum} but duration is "${durationSec}"`);
      text = shots.map((s) => (s as { prompt: string }).prompt).join(' / ');
    }
  } else if (!prompt?.trim()) throw invalid('prompt: is required');

  // Voices and elements.
  const voices = b.voice_list;
  const elements = b.element_list;
  if (voices !== undefined && elements !== undefined) throw invalid('voice_list and element_list cannot be used together');
  if (voices !== undefined) {
    if (!Array.isArray(voices) || voices.some((v) => !isObj(v) || typeof v.voice_id !== 'string' || !v.voice_id)) {
      throw invalid('voice_list: must be a list of {voice_id}');
    }
    if (voices.length > 2) throw invalid(`voice_list: at most 2 voices are supported, got ${voices.length}`);
    if (sound !== 'on') throw invalid('voice_list: requires sound "on"');
  }
  let elementIds: string[] = [];
  if (elements !== undefined) {
    if (kind !== 'image2video') throw invalid('element_list: is only supported by image2video');
    if (!Array.isArray(elements) || elements.some((e) => !isObj(e))) throw invalid('element_list: must be a list of {element_id}');
    // Kling documents element_id as a long (§5.4): a JSON number. A quoted id is refused, as Kling's
    // parameter check refuses a string where a number belongs.
    elements.forEach((e, i) => {
      const id = (e as Record<string, unknown>).element_id;
      if (typeof id === 'string') throw invalid(`element_list[${i}].element_id: must be a number (long), got the string ${JSON.stringify(id)}`);
      if (typeof id !== 'number' || !Number.isInteger(id) || id <= 0) throw invalid(`element_list[${i}].element_id: must be a positive whole number, got ${JSON.stringify(id)}`);
    });
    if (elements.length > 3) throw invalid(`element_list: at most 3 elements are supported, got ${elements.length}`);
    elementIds = rawElementIds(raw);
  }

  if (b.external_task_id !== undefined && (typeof b.external_task_id !== 'string' || !b.external_task_id)) {
    throw invalid('external_task_id: must be a non-empty string');
  }
  if (b.callback_url !== undefined && (typeof b.callback_url !== 'string' || !/^https?:\/\//.test(b.callback_url))) {
    throw invalid('callback_url: must be an http(s) URL');
  }
  return {
    durationSec,
    aspect,
    audio: sound === 'on',
    text,
    mode,
    externalTaskId: b.external_task_id as string | undefined,
    callbackUrl: b.callback_url as string | undefined,
    watermark: isObj(b.watermark_info) && b.watermark_info.enabled === true,
    elementIds,
  };
}
