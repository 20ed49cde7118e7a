// A local stand-in for Kling's official API (docs/providers.md §5, §7): auth checked as Kling does — an
// API key sent as a Bearer token, or an HS256 JWT from an access/secret key pair (401 with codes
// 1001–1004) — the {code, message, request_id, data} envelope, text2video and image2video tasks that go
// submitted → processing → succeed | failed over MockState.timing, lookups by task_id, by external_task_id
// in the path, and by `?external_task_id=` (the documented query form), the concurrency limit (429/1303),
// validation as 400/1201 naming the field (element_id must be a JSON number: Kling documents a long),
// content policy as 400/1301 or a failed task, callbacks, and real MP4s served from the mock.
// There is no cancel route, as on Kling.
import { randomBytes, randomUUID } from 'node:crypto';
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
import { klingVoiceRoute } from './kling-voices';
import { type Checked, checkBody, checkKlingAuth, invalid, isObj, type Kind, KlingFailure, MODELS } from './kling-checks';

export { checkKlingAuth } from './kling-checks';

export const KLING_MOCK_ACCESS_KEY = 'AKmock7f3e9c2a41d84b0e';
export const KLING_MOCK_SECRET_KEY = 'SKmock-5d1c8e7a0b2f4e6d9c3a7b1e0f8d2c4a';
/** A single API key, the form Kling issues now (sent as `Authorization: Bearer <key>`). */
export const KLING_MOCK_API_KEY = 'kling-mock-apikey-9b7e2c4d1a6f8e3b5c0d2a4f6e8b1c3d';

interface KlingTask {
  kind: Kind;
  taskId: string;
  externalTaskId?: string;
  mode: 'std' | 'pro';
  callbackUrl?: string;
  watermark: boolean;
  job: MockJob;
  /** element_list ids exactly as their digits arrived (a JSON number past 2^53 keeps them only as text). */
  elementIds: string[];
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
  /** Single API keys the mock knows. */
  apiKeys: string[];
}

export interface KlingMock extends RunningMock {
  settings: KlingMockSettings;
  /** Tasks by task_id, for assertions. */
  tasks: Map<string, KlingTask>;
}

function envelope(code: number, message: string, data?: unknown) {
  return { code, message, request_id: randomUUID(), ...(data === undefined ? {} : { data }) };
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
    apiKeys: [KLING_MOCK_API_KEY],
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
    const denied = checkKlingAuth(ctx.req.headers.authorization, settings.accounts, undefined, settings.apiKeys);
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
      checked = checkBody(kind, body, ctx.raw.toString('utf8'));
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
    const task: KlingTask = { kind, taskId, externalTaskId: checked.externalTaskId, mode: checked.mode, callbackUrl: checked.callbackUrl, watermark: checked.watermark, elementIds: checked.elementIds, job };
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
    // The documented lookup by our own id: GET /v1/videos/{kind}?external_task_id=… answers one task.
    const external = ctx.url.searchParams.get('external_task_id');
    if (external !== null) {
      const t = [...tasks.values()].find((x) => x.externalTaskId === external);
      if (!t || t.kind !== kind) return fail(ctx, new KlingFailure(404, 1203, `task not found: external_task_id ${external}`));
      return ctx.json(200, envelope(0, 'SUCCEED', taskData(t, ctx.baseUrl)));
    }
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

  // Custom voices (kling-voices.ts): the same auth and scripted faults as the video routes.
  const voices = klingVoiceRoute({ state: () => mock.state, gate, fail });

  const mock = (await startMock({
    name: 'kling',
    port: opts.port,
    stageOf: (method, pathname) => {
      if (method === 'POST' && /^\/v1\/videos\/(text2video|image2video)\/?$/.test(pathname)) return 'submit';
      if (method === 'GET' && /^\/v1\/videos\/(text2video|image2video)(\/[^/]+)?\/?$/.test(pathname)) return 'status';
      if (method === 'GET' && pathname.startsWith('/kling-cdn/')) return 'download';
      if (/^\/v1\/general\/custom-voices/.test(pathname)) return method === 'POST' ? 'submit' : 'status';
      return 'other';
    },
    routes: [
      (ctx) => voices.route(ctx),
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
