// A local stand-in for fal.ai's queue API (docs/providers.md §2.4, §2.8, §7 "fal mock"), close enough that the
// official @fal-ai/client works against it unchanged:
//   POST /{endpoint_id…}                                 → 200 submit JSON (URLs in owner/alias form)
//   GET  /{owner}/{alias}[/{sub…}]/requests/{id}/status  → QueueStatus; ?logs=1 adds logs
//   GET  /{owner}/{alias}[/{sub…}]/requests/{id}         → the model output, or an error with `detail`
//   PUT  /{owner}/{alias}[/{sub…}]/requests/{id}/cancel  → 202 / 400 / 404 with {status}
//   GET  /files/{id}/output.mp4                          → the clip (no auth, like fal's CDN)
// Auth is `Authorization: Key <key_id>:<key_secret>` on every queue route; the clip needs none.
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { imageInfo } from '../../electron/core/providers/assets';
import {
  applyHttpFault,
  makeClip,
  newMockJob,
  serveClip,
  startMock,
  type FaultStage,
  type MockContext,
  type MockJob,
  type RunningMock,
} from './common';
import { mockVoiceId, voiceSampleProblem } from './voice-sample';

/** The key the mock accepts unless told otherwise (fal keys are `key_id:key_secret`). */
export const FAL_MOCK_KEY = 'b7e3c1d2-mock-4f00-9a1b-falkeyid00001:9f8e7d6c5b4a39281706f5e4d3c2b1a0';

const APP_OWNER = 'fal-ai';
const APP_ALIAS = 'kling-video';
const ENDPOINTS = new Set(
  ['standard', 'pro', '4k'].flatMap((tier) => ['text-to-video', 'image-to-video'].map((mode) => `${APP_OWNER}/${APP_ALIAS}/v3/${tier}/${mode}`)),
);
/** Voice cloning (fal.ai/models/fal-ai/kling-video/create-voice/llms.txt): {voice_url} → {voice_id}. */
const CREATE_VOICE = `${APP_OWNER}/${APP_ALIAS}/create-voice`;
const DURATIONS = Array.from({ length: 13 }, (_, i) => String(i + 3));
// Per-shot durations: "1"…"15" in the endpoint types generated into @fal-ai/client 1.10.1
// (KlingV3MultiPromptElement); the launch-era OpenAPI started at "3" (docs/providers.md §8.5).
const SHOT_DURATIONS = Array.from({ length: 15 }, (_, i) => String(i + 1));
const ASPECTS = ['16:9', '9:16', '1:1'] as const;
const SHOT_TYPES = ['customize', 'intelligent'];
const MAX_PROMPT = 2500;

/** A file uploaded through the storage flow (fal-js storage.js: initiate, then PUT the bytes). */
interface StoredFile {
  contentType: string;
  fileName: string;
  data?: Buffer;
}

interface FalJob {
  job: MockJob;
  endpoint: string;
  /** A create-voice request: the id it makes (or the job's failure says why not). */
  voiceId?: string;
}

interface DetailItem {
  loc: (string | number)[];
  msg: string;
  type: string;
  input?: unknown;
  ctx?: Record<string, unknown>;
  url?: string;
}

const literal = (values: readonly string[]) => `Input should be ${values.slice(0, -1).map((v) => `'${v}'`).join(', ')} or '${values[values.length - 1]}'`;

/** Checks a submit body the way fal's pydantic models do (§2.5, §2.6); [] when it is acceptable. */
export function validateFalInput(endpoint: string, body: Record<string, unknown>): DetailItem[] {
  const errors: DetailItem[] = [];
  const add = (loc: (string | number)[], msg: string, type: string, input?: unknown, extra: Partial<DetailItem> = {}) =>
    errors.push({ loc: ['body', ...loc], msg, type, ...(input !== undefined ? { input } : {}), ...extra });
  const i2v = endpoint.endsWith('/image-to-video');

  const checkDuration = (loc: (string | number)[], v: unknown, allowed = DURATIONS) => {
    if (v === undefined) return;
    if (typeof v !== 'string' || !allowed.includes(v)) add(loc, literal(allowed), 'literal_error', v, { ctx: { expected: allowed.map((d) => `'${d}'`).join(', ') } });
  };
  const checkText = (loc: (string | number)[], v: unknown, required = false) => {
    if (v === undefined || v === null) {
      if (required) add(loc, 'Field required', 'missing');
      return;
    }
    if (typeof v !== 'string') return add(loc, 'Input should be a valid string', 'string_type', v);
    if (v.length > MAX_PROMPT) add(loc, `String should have at most ${MAX_PROMPT} characters`, 'string_too_long', v.slice(0, 40), { ctx: { max_length: MAX_PROMPT } });
  };
  const checkImage = (loc: (string | number)[], v: unknown) => {
    if (typeof v !== 'string') return add(loc, v === undefined ? 'Field required' : 'Input should be a valid string', v === undefined ? 'missing' : 'string_type', v);
    if (!/^(https?:\/\/|data:image\/(png|jpeg|jpg|webp);base64,)/.test(v)) add(loc, 'Could not load the image from the given URL', 'image_load_error', v.slice(0, 40));
  };

  const hasPrompt = body.prompt !== undefined && body.prompt !== null;
  const hasMulti = body.multi_prompt !== undefined && body.multi_prompt !== null;
  if (hasPrompt && hasMulti) add(['prompt'], 'Either prompt or multi_prompt must be provided, not both.', 'value_error');
  if (!hasPrompt && !hasMulti) add(['prompt'], 'Either prompt or multi_prompt must be provided.', 'value_error');
  checkText(['prompt'], body.prompt);
  checkText(['negative_prompt'], body.negative_prompt);
  checkDuration(['duration'], body.duration);

  if (hasMulti) {
    const shots = body.multi_prompt;
    if (!Array.isArray(shots)) add(['multi_prompt'], 'Input should be a valid list', 'list_type', shots);
    else {
      if (shots.length < 1 || shots.length > 6) add(['multi_prompt'], `List should have at most 6 items after validation, not ${shots.length}`, 'too_long');
      let total = 0;
      shots.forEach((shot: unknown, i) => {
        const s = (shot ?? {}) as Record<string, unknown>;
        checkText(['multi_prompt', i, 'prompt'], s.prompt, true);
        checkDuration(['multi_prompt', i, 'duration'], s.duration, SHOT_DURATIONS);
        total += typeof s.duration === 'string' ? Number(s.duration) : 5;
      });
      if (total > 15) add(['multi_prompt'], `The shots add up to ${total} seconds; the maximum is 15.`, 'value_error');
    }
  }
  if (body.aspect_ratio !== undefined && !ASPECTS.includes(body.aspect_ratio as (typeof ASPECTS)[number])) {
    add(['aspect_ratio'], literal(ASPECTS), 'literal_error', body.aspect_ratio);
  }
  if (body.shot_type !== undefined && !SHOT_TYPES.includes(body.shot_type as string)) add(['shot_type'], literal(SHOT_TYPES), 'literal_error', body.shot_type);
  if (body.generate_audio !== undefined && typeof body.generate_audio !== 'boolean') add(['generate_audio'], 'Input should be a valid boolean', 'bool_type', body.generate_audio);
  if (body.cfg_scale !== undefined) {
    const c = body.cfg_scale;
    if (typeof c !== 'number') add(['cfg_scale'], 'Input should be a valid number', 'float_type', c);
    else if (c < 0) add(['cfg_scale'], 'Input should be greater than or equal to 0', 'greater_than_equal', c);
    else if (c > 1) add(['cfg_scale'], 'Input should be less than or equal to 1', 'less_than_equal', c);
  }
  // fal-js endpoints.ts (KlingVideoV3Pro{Text,Image}ToVideoInput, which the standard and 4K endpoints share):
  // no v3 input has a top-level voice_ids; a voice binds to an element (KlingV3ComboElementInput.voice_id).
  if (body.voice_ids !== undefined) add(['voice_ids'], 'Extra inputs are not permitted', 'extra_forbidden', body.voice_ids);
  const elements = body.elements;
  if (elements !== undefined && elements !== null) {
    // [3P] T2V has no elements; fal's schema only lists them on image-to-video.
    if (!i2v) add(['elements'], 'Elements are only supported for image-to-video.', 'value_error');
    else if (!Array.isArray(elements)) add(['elements'], 'Input should be a valid list', 'list_type', elements);
    else {
      let videos = 0;
      elements.forEach((el: unknown, i) => {
        const e = (el ?? {}) as Record<string, unknown>;
        if (e.video_url !== undefined) {
          videos++;
          if (e.voice_id !== undefined && typeof e.voice_id !== 'string') add(['elements', i, 'voice_id'], 'Input should be a valid string', 'string_type', e.voice_id);
          return;
        }
        // "Voice binding is only supported for video elements, and cannot be used with image elements."
        if (e.voice_id !== undefined) add(['elements', i, 'voice_id'], 'Voice binding is only supported for video elements.', 'value_error', e.voice_id);
        checkImage(['elements', i, 'frontal_image_url'], e.frontal_image_url);
        const refs = e.reference_image_urls;
        if (!Array.isArray(refs) || refs.length < 1 || refs.length > 3) {
          add(['elements', i, 'reference_image_urls'], 'Give 1 to 3 reference images for each element.', 'value_error');
        } else refs.forEach((r, j) => checkImage(['elements', i, 'reference_image_urls', j], r));
      });
      if (videos > 1) add(['elements'], 'Only one element may be a video.', 'value_error');
    }
  }
  if (i2v) {
    checkImage(['start_image_url'], body.start_image_url);
    if (body.end_image_url !== undefined) {
      checkImage(['end_image_url'], body.end_image_url);
      // [3P] end_image is not supported together with multi_prompt.
      if (hasMulti) add(['end_image_url'], 'end_image_url is not supported together with multi_prompt.', 'value_error');
    }
  }
  return errors;
}

/** The app part of a queue path: `/{owner}/{alias}[/{sub…}]/requests/{id}[/status|/cancel]`. */
function parseQueuePath(pathname: string): { app: string; id: string; op: 'status' | 'result' | 'cancel' | 'stream' } | undefined {
  const m = /^\/(.+?)\/requests\/([^/]+)(\/status\/stream|\/status|\/cancel)?\/?$/.exec(pathname);
  if (!m) return undefined;
  const op = m[3] === '/status' ? 'status' : m[3] === '/cancel' ? 'cancel' : m[3] === '/status/stream' ? 'stream' : 'result';
  return { app: m[1], id: m[2], op };
}

/** I2V clips take the start image's shape (fal pro-I2V page): the nearest of fal's three ratios. */
function aspectOfImage(url: unknown, uploaded: Map<string, StoredFile>): MockJob['aspect'] | undefined {
  const m = typeof url === 'string' ? /^data:image\/[a-z]+;base64,(.*)$/.exec(url) : null;
  const stored = typeof url === 'string' ? /\/cdn\/([^/]+)\//.exec(url) : null;
  const bytes = m ? Buffer.from(m[1], 'base64') : stored ? uploaded.get(stored[1])?.data : undefined;
  const info = bytes ? imageInfo(bytes) : undefined;
  if (!info) return undefined;
  const r = info.width / info.height;
  return r > 1.3 ? '16:9' : r < 0.77 ? '9:16' : '1:1';
}

function stageOf(method: string, pathname: string): FaultStage | 'other' {
  if (pathname.startsWith('/files/')) return 'download';
  if (pathname.startsWith('/storage/') || pathname.startsWith('/cdn/')) return 'upload';
  const q = parseQueuePath(pathname);
  if (q) return q.op === 'cancel' ? 'cancel' : q.op === 'result' ? 'result' : 'status';
  return method === 'POST' ? 'submit' : 'other';
}

export async function startFalMock(opts: { port?: number; key?: string } = {}): Promise<RunningMock> {
  const validKey = opts.key ?? FAL_MOCK_KEY;
  const jobs = new Map<string, FalJob>();
  const uploaded = new Map<string, StoredFile>();

  /** Every queue answer carries x-fal-request-id; infra errors also carry X-Fal-Error-Type (§2.8). */
  const withHeaders = (ctx: MockContext, requestId: string): MockContext => ({
    ...ctx,
    json: (status, body, headers = {}) => {
      const errorType = (body as { error_type?: unknown } | undefined)?.error_type;
      ctx.json(status, body, {
        'x-fal-request-id': requestId,
        ...(typeof errorType === 'string' ? { 'x-fal-error-type': errorType } : {}),
        ...headers,
      });
    },
  });

  /** fal's infra errors are flat {detail, error_type}; 429/401 use plain {detail}. */
  const shape = (status: number, message: string) => {
    if (status === 401) return { detail: 'No user found for Key ID and Secret' };
    if (status === 500) return { detail: message, error_type: 'internal_error' };
    if (status === 503) return { detail: message, error_type: 'runner_scheduling_failure' };
    return { detail: message };
  };

  /** 401 exactly as fal answers a missing, malformed or unknown key. */
  const authorized = (ctx: MockContext): boolean => {
    const header = ctx.req.headers.authorization;
    if (!header) {
      ctx.json(401, { detail: 'Missing authorization header' });
      return false;
    }
    const m = /^Key\s+(.+)$/i.exec(header);
    if (!m || !m[1].includes(':')) {
      ctx.json(401, { detail: "Invalid Key Authorization header format. Expected '<key_id>:<key_secret>'." });
      return false;
    }
    if (m[1].trim() !== validKey) {
      ctx.json(401, { detail: 'No user found for Key ID and Secret' });
      return false;
    }
    return true;
  };

  const urls = (ctx: MockContext, id: string) => {
    const root = `${ctx.baseUrl}/${APP_OWNER}/${APP_ALIAS}/requests/${id}`;
    return { response_url: root, status_url: `${root}/status`, cancel_url: `${root}/cancel` };
  };

  const fileUrl = (ctx: MockContext, id: string) => `${ctx.baseUrl}/files/${id}/output.mp4`;

  /** A job is reachable under owner/alias and under its full endpoint path (§2.4 path ambiguity). */
  const findJob = (app: string, id: string): FalJob | undefined => {
    const found = jobs.get(id);
    if (!found) return undefined;
    return app === `${APP_OWNER}/${APP_ALIAS}` || app === found.endpoint ? found : undefined;
  };

  const queueStatus = (ctx: MockContext, fj: FalJob) => {
    const { job } = fj;
    const state = ctx.state;
    const now = Date.now();
    const phase = state.phase(job, now);
    const withLogs = ctx.url.searchParams.get('logs') === '1';
    const base = { request_id: job.id, ...urls(ctx, job.id) };
    if (phase === 'queued') {
      // Real queues drain: besides jobs genuinely ahead, pretend two strangers are ahead at first.
      const elapsed = now - job.createdAt;
      const strangers = Math.max(0, Math.ceil(3 * (1 - elapsed / Math.max(1, state.timing.queueMs))) - 1);
      return { status: 'IN_QUEUE', ...base, queue_position: state.queuePosition(job, now) + strangers };
    }
    const started = job.createdAt + state.timing.queueMs;
    const logs = withLogs
      ? [
          { message: 'Starting Kling V3 generation', level: 'INFO', source: 'USER', timestamp: new Date(started).toISOString() },
          ...(phase === 'running'
            ? [{ message: `Generating video: ${Math.round(state.progress(job, now) * 100)}%`, level: 'INFO', source: 'USER', timestamp: new Date(now).toISOString() }]
            : [{ message: 'Generation finished', level: 'INFO', source: 'USER', timestamp: new Date(started + state.timing.runMs).toISOString() }]),
        ]
      : null;
    if (phase === 'running') return { status: 'IN_PROGRESS', ...base, logs };
    const done: Record<string, unknown> = { status: 'COMPLETED', ...base, logs, metrics: { inference_time: state.timing.runMs / 1000 } };
    if (phase === 'failed') {
      done.error = job.failure!.message;
      done.error_type = job.failure!.kind === 'policy' ? 'content_policy_violation' : 'runner_server_error';
    }
    if (phase === 'canceled') {
      done.error = 'Request was cancelled by the user';
      done.error_type = 'client_cancelled';
    }
    return done;
  };

  const submit = async (ctx: MockContext): Promise<boolean> => {
    if (ctx.req.method !== 'POST') return false;
    const endpoint = ctx.url.pathname.replace(/^\/+|\/+$/g, '');
    const requestId = randomUUID();
    const c = withHeaders(ctx, requestId);
    if (!authorized(c)) return true;
    if (applyHttpFault(c, 'submit', shape)) return true;
    if (!ENDPOINTS.has(endpoint) && endpoint !== CREATE_VOICE) {
      c.json(404, { detail: `Application '${endpoint.split('/').slice(1).join('/')}' not found` });
      return true;
    }
    if (!ctx.body || typeof ctx.body !== 'object' || Array.isArray(ctx.body)) {
      c.json(422, { detail: [{ loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', type: 'model_attributes_type' }] });
      return true;
    }
    const body = ctx.body as Record<string, unknown>;
    // A content-policy fault scripted for submit: fal's moderation answers before queueing (§2.8).
    if (ctx.state.takeFault('submit', ['policy'])) {
      c.json(422, {
        detail: [{
          loc: ['body', 'prompt'],
          msg: 'The content could not be processed because it contained material flagged by a content checker.',
          type: 'content_policy_violation',
          url: 'https://docs.fal.ai/errors#content_policy_violation',
          input: body.prompt,
        }],
      });
      return true;
    }
    if (endpoint === CREATE_VOICE) return submitVoice(c, body, requestId);
    const errors = [...validateFalInput(endpoint, body), ...unloadable(body, ctx.baseUrl)];
    if (errors.length) {
      c.json(422, { detail: errors });
      return true;
    }
    const shots = Array.isArray(body.multi_prompt) ? (body.multi_prompt as { prompt: string; duration?: string }[]) : undefined;
    // multi_prompt "overrides the single prompt" (§2.5): the clip is as long as its shots.
    const durationSec = shots ? shots.reduce((s, x) => s + Number(x.duration ?? '5'), 0) : Number(body.duration ?? '5');
    const text = shots ? shots.map((s, i) => `${i + 1}: ${s.prompt}`).join(' | ') : String(body.prompt ?? '');
    const job = newMockJob(
      {
        id: requestId,
        input: body,
        durationSec,
        aspect: (endpoint.endsWith('/image-to-video') ? aspectOfImage(body.start_image_url, uploaded) : undefined) ?? (body.aspect_ratio as MockJob['aspect'] | undefined) ?? '16:9',
        audio: body.generate_audio === undefined ? true : body.generate_audio === true,
        text,
      },
      ctx.state,
    );
    jobs.set(job.id, { job, endpoint });
    c.json(200, { status: 'IN_QUEUE', request_id: job.id, ...urls(ctx, job.id), queue_position: ctx.state.queuePosition(job) + 2 });
    return true;
  };

  /** create-voice: voice_url required; the uploaded sample must run 5–30 s with sound, else the run fails on voice_url. */
  const submitVoice = async (c: MockContext, body: Record<string, unknown>, requestId: string): Promise<boolean> => {
    const url = body.voice_url;
    if (typeof url !== 'string' || url === '') {
      c.json(422, { detail: [{ loc: ['body', 'voice_url'], msg: 'Field required', type: 'missing', input: body }] });
      return true;
    }
    const load = unloadable(body, c.baseUrl);
    if (load.length) {
      c.json(422, { detail: load });
      return true;
    }
    const stored = /\/cdn\/([^/]+)\//.exec(url);
    const problem = await voiceSampleProblem(stored ? uploaded.get(stored[1])?.data : undefined);
    const job = newMockJob({ id: requestId, input: body, durationSec: 0, aspect: '16:9', audio: true, text: '' }, c.state);
    if (problem) job.failure = { kind: 'failed', message: problem };
    jobs.set(job.id, { job, endpoint: CREATE_VOICE, ...(problem ? {} : { voiceId: mockVoiceId() }) });
    c.json(200, { status: 'IN_QUEUE', request_id: job.id, ...urls(c, job.id), queue_position: 0 });
    return true;
  };

  const queue = async (ctx: MockContext): Promise<boolean> => {
    const q = parseQueuePath(ctx.url.pathname);
    if (!q) return false;
    const c = withHeaders(ctx, q.id);
    if (!authorized(c)) return true;
    if (q.op === 'cancel') {
      if (ctx.req.method !== 'PUT') return false;
      if (applyHttpFault(c, 'cancel', shape)) return true;
      const fj = findJob(q.app, q.id);
      if (!fj) {
        c.json(404, { status: 'NOT_FOUND' });
        return true;
      }
      const phase = ctx.state.phase(fj.job);
      if (phase === 'queued' || phase === 'running') {
        fj.job.canceled = true;
        c.json(202, { status: 'CANCELLATION_REQUESTED' });
      } else c.json(400, { status: 'ALREADY_COMPLETED' });
      return true;
    }
    if (ctx.req.method !== 'GET') return false;
    const stage = q.op === 'result' ? 'result' : 'status';
    if (applyHttpFault(c, stage, shape)) return true;
    const fj = findJob(q.app, q.id);
    if (!fj) {
      c.json(404, { detail: `Request ${q.id} not found` });
      return true;
    }

    if (q.op === 'stream') {
      // Server-sent QueueStatus objects until COMPLETED (fal-js streamStatus).
      c.res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-fal-request-id': q.id });
      const tick = () => {
        if (c.res.destroyed) return;
        const s = queueStatus(c, fj);
        c.res.write(`data: ${JSON.stringify(s)}\n\n`);
        if (s.status === 'COMPLETED') c.res.end();
        else setTimeout(tick, 50);
      };
      tick();
      return true;
    }
    if (q.op === 'status') {
      c.json(200, queueStatus(c, fj));
      return true;
    }

    const phase = ctx.state.phase(fj.job);
    if (phase === 'queued' || phase === 'running') {
      c.json(400, { detail: 'Request is still in progress' });
      return true;
    }
    if (fj.endpoint === CREATE_VOICE) {
      if (fj.voiceId) c.json(200, { voice_id: fj.voiceId });
      else c.json(422, { detail: [{ loc: ['body', 'voice_url'], msg: fj.job.failure?.message ?? 'invalid voice', type: 'value_error', input: fj.job.input.voice_url }] });
      return true;
    }
    if (phase === 'canceled') {
      c.json(499, { detail: 'Request was cancelled by the user', error_type: 'client_cancelled' });
      return true;
    }
    if (phase === 'failed') {
      const f = fj.job.failure!;
      if (f.kind === 'policy') {
        c.json(422, {
          detail: [{
            loc: ['body', 'prompt'],
            msg: f.message,
            type: 'content_policy_violation',
            url: 'https://docs.fal.ai/errors#content_policy_violation',
            input: fj.job.input.prompt,
          }],
        });
      } else c.json(500, { detail: f.message, error_type: 'runner_server_error' });
      return true;
    }
    const file = await makeClip({ durationSec: fj.job.durationSec, aspect: fj.job.aspect, audio: fj.job.audio, text: fj.job.text });
    const { size } = await fs.stat(file);
    c.json(200, { video: { url: fileUrl(ctx, fj.job.id), content_type: 'video/mp4', file_name: 'output.mp4', file_size: size } });
    return true;
  };

  const download = async (ctx: MockContext): Promise<boolean> => {
    const m = /^\/files\/([^/]+)\/output\.mp4$/.exec(ctx.url.pathname);
    if (!m || (ctx.req.method !== 'GET' && ctx.req.method !== 'HEAD')) return false;
    if (applyHttpFault(ctx, 'download', (_s, message) => ({ detail: message }))) return true;
    const fj = jobs.get(m[1]);
    if (!fj || ctx.state.phase(fj.job) !== 'completed') {
      ctx.json(404, { detail: 'File not found' });
      return true;
    }
    const fault = fj.job.downloadFault;
    // A broken transfer is a one-off (a retry or a Range resume gets the rest); expired and corrupt stay so.
    if (fault === 'truncate' || fault === 'drop' || fault === 'slow') fj.job.downloadFault = undefined;
    await serveClip(ctx, fj.job, fault);
    return true;
  };

  /**
   * fal's CDN upload (@fal-ai/client 1.10.1 storage.js): POST /storage/upload/initiate {content_type, file_name}
   * (key required) → {upload_url, file_url}; PUT upload_url with the bytes (signed URL: no key); the file is
   * then readable at file_url. A model input naming a file_url that was never PUT cannot be loaded.
   */
  const storage = async (ctx: MockContext): Promise<boolean> => {
    const { pathname } = ctx.url;
    if (pathname === '/storage/upload/initiate' && ctx.req.method === 'POST') {
      if (!authorized(ctx)) return true;
      if (applyHttpFault(ctx, 'upload', shape)) return true;
      const b = (ctx.body ?? {}) as { content_type?: unknown; file_name?: unknown };
      if (typeof b.content_type !== 'string' || typeof b.file_name !== 'string') {
        ctx.json(422, { detail: [{ loc: ['body', typeof b.content_type !== 'string' ? 'content_type' : 'file_name'], msg: 'Field required', type: 'missing' }] });
        return true;
      }
      const id = randomUUID();
      uploaded.set(id, { contentType: b.content_type, fileName: b.file_name });
      ctx.json(200, { upload_url: `${ctx.baseUrl}/cdn/${id}/upload?signature=mock`, file_url: `${ctx.baseUrl}/cdn/${id}/${encodeURIComponent(b.file_name)}` });
      return true;
    }
    const put = /^\/cdn\/([^/]+)\/upload$/.exec(pathname);
    if (put && ctx.req.method === 'PUT') {
      if (applyHttpFault(ctx, 'upload', shape)) return true;
      const file = uploaded.get(put[1]);
      if (!file || ctx.url.searchParams.get('signature') !== 'mock') {
        ctx.json(403, { detail: 'The upload URL is not valid' });
        return true;
      }
      file.data = Buffer.from(ctx.raw);
      ctx.res.writeHead(200).end();
      return true;
    }
    const get = /^\/cdn\/([^/]+)\/[^/]+$/.exec(pathname);
    if (get && ctx.req.method === 'GET') {
      const file = uploaded.get(get[1]);
      if (!file?.data) ctx.json(404, { detail: 'File not found' });
      else ctx.res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.data.length) }).end(file.data);
      return true;
    }
    return false;
  };

  /** Every https/http file URL in the input must be an uploaded file (the runner downloads it). */
  const unloadable = (body: Record<string, unknown>, base: string): DetailItem[] => {
    const errors: DetailItem[] = [];
    const visit = (v: unknown, loc: (string | number)[]) => {
      if (typeof v === 'string' && v.startsWith(`${base}/cdn/`)) {
        const id = /\/cdn\/([^/]+)\//.exec(v)?.[1];
        if (!id || !uploaded.get(id)?.data) errors.push({ loc: ['body', ...loc], msg: 'Could not load the file from the given URL', type: 'file_download_error', input: v });
      } else if (Array.isArray(v)) v.forEach((x, i) => visit(x, [...loc, i]));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, [...loc, k]);
    };
    visit(body, []);
    return errors;
  };

  return startMock({ name: 'fal', port: opts.port, stageOf, routes: [download, storage, queue, submit] });
}
