// A local stand-in for Kling's official API (docs/providers.md §5, §7): HS256 JWT auth checked as Kling
// does (401 with codes 1001–1004), the {code, message, request_id, data} envelope, text2video and
// image2video tasks that go submitted → processing → succeed | failed over MockState.timing, lookups by
// task_id or external_task_id, the concurrency limit (429/1303), validation as 400/1201 naming the
// field, content policy as 400/1301 or a failed task, callbacks, and real MP4s served from the mock.
// There is no cancel route, as on Kling.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { imageInfo } from '../../electron/core/providers/assets';
import {
  applyHttpFault,
  type FaultStage,
  type MockContext,
  type MockJob,
  newMockJob,
  type RunningMock,
  serveClip,
  startMock,
} from './common';

export const KLING_MOCK_ACCESS_KEY = 'AKmock7f3e9c2a41d84b0e';
export const KLING_MOCK_SECRET_KEY = 'SKmock-5d1c8e7a0b2f4e6d9c3a7b1e0f8d2c4a';

const KINDS = ['text2video', 'image2video'] as const;
type Kind = (typeof KINDS)[number];
const MODELS: Record<Kind, string[]> = {
  text2video: ['kling-v1', 'kling-v1-6', 'kling-v2-master', 'kling-v2-1-master', 'kling-v2-5-turbo', 'kling-v2-6', 'kling-v3'],
  image2video: ['kling-v1', 'kling-v1-5', 'kling-v1-6', 'kling-v2-master', 'kling-v2-1', 'kling-v2-1-master', 'kling-v2-5-turbo', 'kling-v2-6', 'kling-v3'],
};
const MAX_PROMPT = 2500;
const MAX_SHOT_PROMPT = 512;

interface KlingTask {
  kind: Kind;
  taskId: string;
  externalTaskId?: string;
  mode: 'std' | 'pro';
  callbackUrl?: string;
  watermark: boolean;
  job: MockJob;
  /** The phase last reported to the callback URL. */
  lastCallback?: string;
}

export interface KlingMockSettings {
  /** Tasks that may be submitted or processing at once (resource-pack concurrency, §5.7). */
  concurrency: number;
  /** The next N accepted submissions create their task and then drop the connection (response lost). */
  loseSubmitResponses: number;
  /** Access key → secret key of the accounts the mock knows. */
  accounts: Record<string, string>;
}

export interface KlingMock extends RunningMock {
  settings: KlingMockSettings;
  /** Tasks by task_id, for assertions. */
  tasks: Map<string, KlingTask>;
}

function envelope(code: number, message: string, data?: unknown) {
  return { code, message, request_id: randomUUID(), ...(data === undefined ? {} : { data }) };
}

class KlingFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
const invalid = (message: string) => new KlingFailure(400, 1201, message);

function b64urlJson(part: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof v === 'object' && v ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Kling's token rules (§5.1): Bearer <HS256 JWT> with iss = access key, signed with its secret key. */
export function checkKlingAuth(header: string | undefined, accounts: Record<string, string>, nowSec = Math.floor(Date.now() / 1000)): KlingFailure | undefined {
  if (!header || !header.trim()) return new KlingFailure(401, 1001, 'Authorization is empty');
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

function isObj(v: unknown): v is Record<string, unknown> {
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

interface Checked {
  durationSec: number;
  aspect: '16:9' | '9:16' | '1:1';
  audio: boolean;
  text: string;
  mode: 'std' | 'pro';
  externalTaskId?: string;
  callbackUrl?: string;
  watermark: boolean;
}

/** Kling's parameter rules (§5.3, §5.4, §1) — the first problem found, as 400/1201 naming the field. */
function checkBody(kind: Kind, b: Record<string, unknown>): Checked {
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
  if (elements !== undefined) {
    if (kind !== 'image2video') throw invalid('element_list: is only supported by image2video');
    const okId = (id: unknown) => (typeof id === 'string' && /^\d+$/.test(id)) || Number.isSafeInteger(id);
    if (!Array.isArray(elements) || elements.some((e) => !isObj(e) || !okId(e.element_id))) {
      throw invalid('element_list: must be a list of {element_id} with numeric ids');
    }
    if (elements.length > 3) throw invalid(`element_list: at most 3 elements are supported, got ${elements.length}`);
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
  };
}

function newTaskId(): string {
  // Kling task ids are 18-digit numeric strings (§5.5).
  return `8${BigInt(`0x${randomBytes(8).toString('hex')}`).toString().padStart(20, '0').slice(-17)}`;
}

/** Resource-pack units a task costs: the mock's own rule (Kling publishes none for v3, §5.9). */
function units(t: KlingTask): string {
  const perSec = (t.mode === 'pro' ? 1.5 : 1) * (t.job.audio ? 1.5 : 1);
  return String(Math.round(t.job.durationSec * perSec * 100) / 100);
}

export async function startKlingMock(opts: { port?: number; concurrency?: number } = {}): Promise<KlingMock> {
  const settings: KlingMockSettings = {
    concurrency: opts.concurrency ?? 5,
    loseSubmitResponses: 0,
    accounts: { [KLING_MOCK_ACCESS_KEY]: KLING_MOCK_SECRET_KEY },
  };
  const tasks = new Map<string, KlingTask>();
  const timers = new Set<NodeJS.Timeout>();
  const videoPath = (t: KlingTask) => `/kling-cdn/videos/${t.taskId}.mp4`;

  const fail = (ctx: MockContext, f: KlingFailure) => ctx.json(f.status, envelope(f.code, f.message));
  const faultShape = (status: number) =>
    status === 429
      ? envelope(1302, 'Too many requests, please slow down')
      : status === 401
        ? envelope(1000, 'Authentication failed')
        : status === 503
          ? envelope(5001, 'Server temporarily unavailable, usually due to maintenance')
          : envelope(5000, 'Server internal error');
  /** Scripted HTTP faults first, then the token. True when the request was answered. */
  const gate = (ctx: MockContext, stage: FaultStage): boolean => {
    if (applyHttpFault(ctx, stage, faultShape)) return true;
    const denied = checkKlingAuth(ctx.req.headers.authorization, settings.accounts);
    if (denied) {
      fail(ctx, denied);
      return true;
    }
    return false;
  };

  const status = (t: KlingTask, now = Date.now()) => {
    const phase = mock.state.phase(t.job, now);
    return phase === 'queued' ? 'submitted' : phase === 'running' ? 'processing' : phase === 'completed' ? 'succeed' : 'failed';
  };
  const taskData = (t: KlingTask, baseUrl: string, now = Date.now()) => {
    const s = status(t, now);
    const { queueMs, runMs } = mock.state.timing;
    const updated = s === 'submitted' ? t.job.createdAt : s === 'processing' ? t.job.createdAt + queueMs : t.job.createdAt + queueMs + runMs;
    const video = { id: `vid_${t.taskId}`, url: `${baseUrl}${videoPath(t)}`, duration: String(t.job.durationSec) };
    return {
      task_id: t.taskId,
      task_status: s,
      task_status_msg: s === 'failed' ? (t.job.failure?.message ?? 'Task failed') : '',
      task_info: t.externalTaskId ? { external_task_id: t.externalTaskId } : {},
      ...(s === 'succeed'
        ? { task_result: { videos: [t.watermark ? { ...video, watermark_url: `${baseUrl}${videoPath(t)}?watermark=1` } : video] } }
        : {}),
      watermark_info: { enabled: t.watermark },
      ...(s === 'succeed' ? { final_unit_deduction: units(t) } : s === 'failed' ? { final_unit_deduction: '0' } : {}),
      created_at: t.job.createdAt,
      updated_at: updated,
    };
  };

  /** Kling POSTs the task data to callback_url on each status change (§5.6). */
  const scheduleCallbacks = (t: KlingTask, baseUrl: string) => {
    if (!t.callbackUrl) return;
    // Each change is reported as of the moment it happened, so a late timer cannot skip one.
    const send = (at: number) => {
      const data = taskData(t, baseUrl, at);
      if (data.task_status === t.lastCallback) return;
      t.lastCallback = data.task_status;
      fetch(t.callbackUrl!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) }).catch(() => undefined);
    };
    send(t.job.createdAt);
    const { queueMs, runMs } = mock.state.timing;
    for (const after of [queueMs, queueMs + runMs]) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        send(t.job.createdAt + after);
      }, after + 1);
      timer.unref();
      timers.add(timer);
    }
  };

  const submit = async (ctx: MockContext, kind: Kind) => {
    if (gate(ctx, 'submit')) return;
    const body = isObj(ctx.body) ? ctx.body : undefined;
    if (!body) return fail(ctx, new KlingFailure(400, 1200, 'request body must be a JSON object'));
    const model = body.model_name ?? 'kling-v1';
    if (typeof model !== 'string' || !MODELS[kind].includes(model)) return fail(ctx, new KlingFailure(404, 1203, `model_name: model ${JSON.stringify(model)} not found`));
    let checked: Checked;
    try {
      checked = checkBody(kind, body);
    } catch (err) {
      if (err instanceof KlingFailure) return fail(ctx, err);
      throw err;
    }
    if (mock.state.takeFault('submit', ['policy'])) {
      return fail(ctx, new KlingFailure(400, 1301, 'Failure to pass the risk control system: the prompt may contain sensitive content'));
    }
    if (checked.externalTaskId && [...tasks.values()].some((t) => t.externalTaskId === checked.externalTaskId)) {
      return fail(ctx, invalid('external_task_id already exists'));
    }
    const busy = [...tasks.values()].filter((t) => ['queued', 'running'].includes(mock.state.phase(t.job))).length;
    if (busy >= settings.concurrency) return fail(ctx, new KlingFailure(429, 1303, 'parallel task over resource pack limit'));

    const taskId = newTaskId();
    const job = newMockJob(
      { id: taskId, input: body, durationSec: checked.durationSec, aspect: checked.aspect, audio: checked.audio, text: checked.text },
      mock.state,
    );
    const task: KlingTask = { kind, taskId, externalTaskId: checked.externalTaskId, mode: checked.mode, callbackUrl: checked.callbackUrl, watermark: checked.watermark, job };
    tasks.set(taskId, task);
    scheduleCallbacks(task, ctx.baseUrl);
    if (settings.loseSubmitResponses > 0) {
      settings.loseSubmitResponses--;
      return void ctx.req.socket.destroy();
    }
    ctx.json(
      200,
      envelope(0, 'SUCCEED', {
        task_id: taskId,
        task_status: 'submitted',
        task_info: checked.externalTaskId ? { external_task_id: checked.externalTaskId } : {},
        created_at: job.createdAt,
        updated_at: job.createdAt,
      }),
    );
  };

  const query = (ctx: MockContext, kind: Kind, id: string) => {
    if (gate(ctx, 'status')) return;
    const t = tasks.get(id) ?? [...tasks.values()].find((x) => x.externalTaskId === id);
    if (!t || t.kind !== kind) return fail(ctx, new KlingFailure(404, 1203, `task not found: ${id}`));
    ctx.json(200, envelope(0, 'SUCCEED', taskData(t, ctx.baseUrl)));
  };

  const list = (ctx: MockContext, kind: Kind) => {
    if (gate(ctx, 'status')) return;
    const pageNum = Number(ctx.url.searchParams.get('pageNum') ?? 1);
    const pageSize = Number(ctx.url.searchParams.get('pageSize') ?? 30);
    if (!Number.isInteger(pageNum) || pageNum < 1 || pageNum > 1000) return fail(ctx, invalid('pageNum: must be between 1 and 1000'));
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) return fail(ctx, invalid('pageSize: must be between 1 and 500'));
    const all = [...tasks.values()].filter((t) => t.kind === kind).sort((a, b) => b.job.createdAt - a.job.createdAt);
    ctx.json(200, envelope(0, 'SUCCEED', all.slice((pageNum - 1) * pageSize, pageNum * pageSize).map((t) => taskData(t, ctx.baseUrl))));
  };

  const download = async (ctx: MockContext, taskId: string) => {
    const t = tasks.get(taskId);
    if (!t || mock.state.phase(t.job) !== 'completed') return ctx.json(404, { error: 'Not Found' });
    // A fault scripted with the job applies once (a retry or Range resume then succeeds), except an
    // expired URL, which stays expired; a fault scripted later applies to the next download.
    let fault = t.job.downloadFault;
    if (fault && fault !== 'expired') t.job.downloadFault = undefined;
    if (!fault) {
      const late = mock.state.takeFault('download', ['truncate', 'corrupt', 'slow', 'expired', 'drop', 'http-500', 'http-503', 'http-429']);
      if (late && late.kind.startsWith('http-')) {
        const code = Number(late.kind.slice(5));
        return ctx.json(code, { error: code === 429 ? 'Too Many Requests' : 'Server Error' }, code === 429 ? { 'retry-after': String(late.retryAfterSec ?? 1) } : {});
      }
      fault = late?.kind;
    }
    await serveClip(ctx, t.job, fault);
  };

  const mock = (await startMock({
    name: 'kling',
    port: opts.port,
    stageOf: (method, pathname) => {
      if (method === 'POST' && /^\/v1\/videos\/(text2video|image2video)\/?$/.test(pathname)) return 'submit';
      if (method === 'GET' && /^\/v1\/videos\/(text2video|image2video)(\/[^/]+)?\/?$/.test(pathname)) return 'status';
      if (method === 'GET' && pathname.startsWith('/kling-cdn/')) return 'download';
      return 'other';
    },
    routes: [
      async (ctx) => {
        const p = ctx.url.pathname.replace(/\/+$/, '');
        const m = /^\/v1\/videos\/(text2video|image2video)(?:\/([^/]+))?$/.exec(p);
        if (m) {
          const kind = m[1] as Kind;
          const id = m[2] && decodeURIComponent(m[2]);
          if (ctx.req.method === 'POST' && !id) return void (await submit(ctx, kind));
          if (ctx.req.method === 'GET' && id) return void query(ctx, kind, id);
          if (ctx.req.method === 'GET') return void list(ctx, kind);
          return void fail(ctx, new KlingFailure(404, 1202, `${ctx.req.method} ${p} is not supported`));
        }
        const v = /^\/kling-cdn\/videos\/(\d+)\.mp4$/.exec(p);
        if (v && ctx.req.method === 'GET') return void (await download(ctx, v[1]));
      },
    ],
    notFound: (ctx) => fail(ctx, new KlingFailure(404, 1202, `${ctx.req.method} ${ctx.url.pathname} is not supported`)),
  })) as KlingMock;

  const close = mock.close;
  mock.settings = settings;
  mock.tasks = tasks;
  mock.close = async () => {
    for (const t of timers) clearTimeout(t);
    timers.clear();
    await close();
  };
  return mock;
}
