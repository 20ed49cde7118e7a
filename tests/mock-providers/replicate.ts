// A local Replicate predictions API for kwaivgi/kling-v3-video (docs/providers.md §3, §7), close enough to
// the real wire protocol that the official `replicate` JS client works against it unchanged.
//
//   POST /v1/models/kwaivgi/kling-v3-video/predictions  {input, webhook?}        → 201 prediction (starting)
//   POST /v1/predictions                                {version, input, …}     → 201 prediction (starting)
//        headers: Prefer: wait[=n] (held ≤ n s, clamped), Cancel-After: <Go duration> (deadline)
//   GET  /v1/predictions/{id}          starting → processing → succeeded | failed | canceled | aborted
//   POST /v1/predictions/{id}/cancel   → the prediction, canceled (a finished one comes back unchanged)
//   GET  /v1/predictions               → {next, previous, results}
//   POST /v1/files                     multipart (content, metadata) → 201 file object; urls.get is the
//                                      value a prediction input takes (Files API, as the client's files.create)
//   GET  /v1/files/{id}                → the file object
//   GET  /delivery/xezq/{id}/output.mp4   the clip (a real MP4; no auth, like replicate.delivery)
//
// Log stages: submit, status (result once the prediction is finished), cancel, upload, download.
import { createHash, randomBytes } from 'node:crypto';
import { imageInfo } from '../../electron/core/providers/assets';
import {
  applyHttpFault,
  newMockJob,
  serveClip,
  startMock,
  type FaultStage,
  type MockContext,
  type MockJob,
  type RunningMock,
} from './common';

export const REPLICATE_MOCK_TOKEN = 'r8_StoryreelMockToken0123456789abcdef';
export const REPLICATE_MODEL_ID = 'kwaivgi/kling-v3-video';
/** The version id of the schema docs/providers.md §3.4 describes. */
export const REPLICATE_MODEL_VERSION = '4a8ba2743bd9dc2b487e0c4319988aacd658d33c2d064b8a420f4ee1732c30bd';
/** Replicate's wording for moderated content. */
export const REPLICATE_POLICY_MESSAGE = 'The input or output was flagged as sensitive. Please try again with different inputs. (E005)';

type Status = 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled' | 'aborted';
type Aspect = '16:9' | '9:16' | '1:1';

interface InvalidField {
  type: string;
  field: string;
  description: string;
}

interface PredictionRecord {
  id: string;
  job: MockJob;
  version: string;
  webhook?: string;
  webhookEventsFilter?: unknown;
  deadlineAt?: number;
  canceledAt?: number;
}

const MODES = ['standard', 'pro', '4k'];
const ASPECTS: Aspect[] = ['16:9', '9:16', '1:1'];
const KNOWN_FIELDS = ['prompt', 'negative_prompt', 'start_image', 'end_image', 'mode', 'aspect_ratio', 'duration', 'generate_audio', 'multi_prompt'];
const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

function predictionId(): string {
  return [...randomBytes(26)].map((b) => ID_ALPHABET[b % 32]).join('');
}

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);

/**
 * The model's input schema (§3.4) checked the way Replicate reports it: gojsonschema-style
 * `invalid_fields`. The multi_prompt content and end-without-start checks are modelled here as 422s too
 * (docs/providers.md §7); on the real service the model itself may be what refuses them.
 */
export function validateKlingInput(input: unknown): InvalidField[] {
  const issues: InvalidField[] = [];
  const add = (type: string, field: string, description: string) => issues.push({ type, field, description });
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    add('invalid_type', 'input', `Invalid type. Expected: object, given: ${typeName(input)}`);
    return issues;
  }
  const i = input as Record<string, unknown>;
  for (const key of Object.keys(i)) if (!KNOWN_FIELDS.includes(key)) add('additional_property_not_allowed', 'input', `Additional property ${key} is not allowed`);
  if (i.prompt === undefined) add('required', 'input', 'prompt is required');
  for (const key of ['prompt', 'negative_prompt', 'start_image', 'end_image', 'multi_prompt'] as const) {
    if (i[key] === undefined) continue;
    if (typeof i[key] !== 'string') add('invalid_type', `input.${key}`, `Invalid type. Expected: string, given: ${typeName(i[key])}`);
    else if ((key === 'prompt' || key === 'negative_prompt') && (i[key] as string).length > 2500) {
      add('string_lte', `input.${key}`, 'String length must be less than or equal to 2500');
    } else if ((key === 'start_image' || key === 'end_image') && !/^(https?:\/\/|data:image\/)/.test(i[key] as string)) {
      add('format', `input.${key}`, "Does not match format 'uri'");
    }
  }
  if (i.mode !== undefined && !MODES.includes(i.mode as string)) add('enum', 'input.mode', 'mode must be one of the following: "standard", "pro", "4k"');
  if (i.aspect_ratio !== undefined && !ASPECTS.includes(i.aspect_ratio as Aspect)) {
    add('enum', 'input.aspect_ratio', 'aspect_ratio must be one of the following: "16:9", "9:16", "1:1"');
  }
  if (i.generate_audio !== undefined && typeof i.generate_audio !== 'boolean') {
    add('invalid_type', 'input.generate_audio', `Invalid type. Expected: boolean, given: ${typeName(i.generate_audio)}`);
  }
  const duration = i.duration ?? 5;
  if (!Number.isInteger(duration)) add('invalid_type', 'input.duration', `Invalid type. Expected: integer, given: ${typeName(duration)}`);
  else if ((duration as number) < 3) add('number_gte', 'input.duration', 'Must be greater than or equal to 3');
  else if ((duration as number) > 15) add('number_lte', 'input.duration', 'Must be less than or equal to 15');
  if (typeof i.multi_prompt === 'string') {
    const problem = multiPromptProblem(i.multi_prompt, Number.isInteger(duration) ? (duration as number) : undefined);
    if (problem) add('invalid_value', 'input.multi_prompt', problem);
  }
  if (i.end_image !== undefined && i.start_image === undefined) add('invalid_value', 'input.end_image', 'end_image requires start_image');
  return issues;
}

function multiPromptProblem(text: string, duration: number | undefined): string | undefined {
  let shots: unknown;
  try {
    shots = JSON.parse(text);
  } catch {
    return 'multi_prompt must be a JSON array of {"prompt": string, "duration": integer} objects';
  }
  if (!Array.isArray(shots) || shots.length === 0) return 'multi_prompt must be a non-empty JSON array';
  if (shots.length > 6) return `multi_prompt has ${shots.length} shots; at most 6 are allowed`;
  let sum = 0;
  for (const [n, s] of shots.entries()) {
    const shot = s as { prompt?: unknown; duration?: unknown };
    if (typeof shot?.prompt !== 'string' || shot.prompt.trim() === '') return `multi_prompt shot ${n + 1} needs a prompt`;
    if (!Number.isInteger(shot.duration) || (shot.duration as number) < 1) return `multi_prompt shot ${n + 1} duration must be an integer of at least 1`;
    sum += shot.duration as number;
  }
  if (duration !== undefined && sum !== duration) return `multi_prompt durations add up to ${sum} but duration is ${duration}`;
  return undefined;
}

/** Go-style duration ("90s", "1m30s", "500ms") in ms; undefined when it does not parse. */
export function parseGoDuration(text: string): number | undefined {
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
  if (!/^((\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h))+$/.test(text.trim())) return undefined;
  let ms = 0;
  for (const m of text.trim().matchAll(re)) ms += Number(m[1]) * unit[m[2]];
  return ms;
}

/** The bytes behind an image input: a data URI, or a file uploaded to this mock (its urls.get). */
function imageBytes(value: unknown, files: Map<string, UploadedFile>): Buffer | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^data:image\/[a-z]+;base64,(.*)$/s.exec(value);
  if (m) return Buffer.from(m[1], 'base64');
  const id = /\/v1\/files\/([^/?#]+)$/.exec(value)?.[1];
  return id ? files.get(id)?.data : undefined;
}

function aspectOfImage(value: unknown, files: Map<string, UploadedFile>): Aspect | undefined {
  const bytes = imageBytes(value, files);
  const info = bytes ? imageInfo(bytes) : undefined;
  if (!info) return undefined;
  const r = info.width / info.height;
  const ratios: [Aspect, number][] = [['16:9', 16 / 9], ['9:16', 9 / 16], ['1:1', 1]];
  return ratios.sort((a, b) => Math.abs(Math.log(r / a[1])) - Math.abs(Math.log(r / b[1])))[0][0];
}

interface UploadedFile {
  id: string;
  name: string;
  contentType: string;
  data: Buffer;
  metadata: Record<string, unknown>;
  createdAt: number;
}

/** multipart/form-data, binary-safe: each part's headers and bytes. */
export function parseMultipartParts(raw: Buffer, contentType: string): { name: string; filename?: string; type?: string; data: Buffer }[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) return [];
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: { name: string; filename?: string; type?: string; data: Buffer }[] = [];
  let at = raw.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, start);
    if (next < 0) break;
    const part = raw.subarray(start + 2, next - 2); // after CRLF, before the CRLF that precedes the delimiter
    const split = part.indexOf('\r\n\r\n');
    if (split >= 0) {
      const head = part.subarray(0, split).toString('utf8');
      const name = /name="([^"]*)"/i.exec(head)?.[1];
      if (name !== undefined) {
        parts.push({ name, filename: /filename="([^"]*)"/i.exec(head)?.[1], type: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim(), data: part.subarray(split + 4) });
      }
    }
    at = next;
  }
  return parts;
}

/** Replicate's error body for a status (429 carries only `detail`, the rest RFC-7807-like). */
function errorBody(status: number, message: string): unknown {
  if (status === 429) return { detail: message };
  if (status === 401) return { title: 'Unauthenticated', detail: 'You did not pass a valid authentication token', status };
  const title = status === 503 ? 'Service Unavailable' : status >= 500 ? 'Internal Server Error' : 'Error';
  return { title, detail: message, status };
}

export async function startReplicateMock(
  opts: {
    port?: number;
    /** The one token the mock accepts (default REPLICATE_MOCK_TOKEN). */
    token?: string;
    /** How long an output URL stays valid after completion (default one hour, as on Replicate). */
    resultTtlMs?: number;
    /** Ceiling for `Prefer: wait=n` holds, in seconds (Replicate: 60). */
    maxWaitSec?: number;
  } = {},
): Promise<RunningMock> {
  const token = opts.token ?? REPLICATE_MOCK_TOKEN;
  const ttlMs = opts.resultTtlMs ?? 60 * 60 * 1000;
  const maxWaitSec = opts.maxWaitSec ?? 60;
  const predictions = new Map<string, PredictionRecord>();
  const files = new Map<string, UploadedFile>();
  let mock: RunningMock;

  const timeline = (rec: PredictionRecord, now = Date.now()): { status: Status; startedAt?: number; completedAt?: number } => {
    const { queueMs, runMs } = mock.state.timing;
    const startAt = rec.job.createdAt + queueMs;
    const doneAt = startAt + runMs;
    const stopAt = Math.min(rec.canceledAt ?? Infinity, rec.deadlineAt ?? Infinity);
    if (stopAt <= now && stopAt < doneAt) {
      // A deadline that passes before the prediction starts aborts it; otherwise it is canceled.
      const aborted = stopAt === rec.deadlineAt && stopAt !== rec.canceledAt && stopAt < startAt;
      return { status: aborted ? 'aborted' : 'canceled', startedAt: stopAt >= startAt ? startAt : undefined, completedAt: stopAt };
    }
    if (now < startAt) return { status: 'starting' };
    if (now < doneAt) return { status: 'processing', startedAt: startAt };
    return { status: rec.job.failure ? 'failed' : 'succeeded', startedAt: startAt, completedAt: doneAt };
  };

  const render = (ctx: MockContext, rec: PredictionRecord, now = Date.now()) => {
    const t = timeline(rec, now);
    const iso = (ms?: number) => (ms === undefined ? undefined : new Date(ms).toISOString());
    const removed = t.completedAt !== undefined && now - t.completedAt > ttlMs;
    const pct = t.status === 'succeeded' ? 100 : t.status === 'processing' ? Math.floor(mock.state.progress(rec.job, now) * 100) : undefined;
    const bar = (p: number) => `${'█'.repeat(Math.round(p / 10))}${' '.repeat(10 - Math.round(p / 10))}`;
    const logs = pct === undefined ? '' : `Generating video (mode ${rec.job.input.mode ?? 'pro'}, ${rec.job.durationSec} s)\n${pct}%|${bar(pct)}| ${pct}/100\n`;
    const url = (p: string) => `${ctx.baseUrl}${p}`;
    return {
      id: rec.id,
      model: REPLICATE_MODEL_ID,
      version: rec.version,
      input: removed ? {} : rec.job.input,
      logs,
      output: t.status === 'succeeded' && !removed ? url(`/delivery/xezq/${rec.id}/output.mp4`) : null,
      data_removed: removed,
      error: t.status === 'failed' ? rec.job.failure!.message : null,
      status: t.status,
      source: 'api',
      created_at: iso(rec.job.createdAt),
      ...(t.startedAt !== undefined ? { started_at: iso(t.startedAt) } : {}),
      ...(t.completedAt !== undefined ? { completed_at: iso(t.completedAt) } : {}),
      ...(rec.deadlineAt !== undefined ? { deadline: iso(rec.deadlineAt) } : {}),
      ...(rec.webhook ? { webhook: rec.webhook, webhook_events_filter: rec.webhookEventsFilter ?? ['start', 'output', 'logs', 'completed'] } : {}),
      ...(t.completedAt !== undefined
        ? { metrics: { predict_time: t.startedAt !== undefined ? (t.completedAt - t.startedAt) / 1000 : 0, total_time: (t.completedAt - rec.job.createdAt) / 1000 } }
        : {}),
      urls: { get: url(`/v1/predictions/${rec.id}`), cancel: url(`/v1/predictions/${rec.id}/cancel`) },
    };
  };

  const terminal = (s: Status) => s !== 'starting' && s !== 'processing';

  /** Every /v1 route needs `Authorization: Bearer <token>` (older docs: `Token <token>`). */
  const authorized = (ctx: MockContext): boolean => {
    const header = ctx.req.headers.authorization;
    if (!header) {
      ctx.json(401, { title: 'Unauthenticated', detail: 'You did not pass an authentication token', status: 401 });
      return false;
    }
    const m = /^(Bearer|Token)\s+(.+)$/i.exec(header);
    if (!m || m[2].trim() !== token) {
      ctx.json(401, { title: 'Unauthenticated', detail: 'You did not pass a valid authentication token', status: 401 });
      return false;
    }
    return true;
  };

  const create = async (ctx: MockContext, version: string) => {
    if (applyHttpFault(ctx, 'submit', errorBody)) return;
    const body = (ctx.body ?? {}) as Record<string, unknown>;
    const issues = body.input === undefined ? [{ type: 'required', field: '(root)', description: 'input is required' }] : validateKlingInput(body.input);
    if (issues.length) {
      return ctx.json(422, {
        title: 'Input validation failed',
        detail: issues.map((f) => `- ${f.field}: ${f.description}\n`).join(''),
        status: 422,
        invalid_fields: issues,
      });
    }
    let deadlineAt: number | undefined;
    const cancelAfter = ctx.req.headers['cancel-after'];
    if (typeof cancelAfter === 'string') {
      const ms = parseGoDuration(cancelAfter);
      if (ms === undefined || ms <= 0) {
        return ctx.json(400, { title: 'Invalid Cancel-After header', detail: `Cancel-After must be a duration such as "30s" or "5m" (got "${cancelAfter}")`, status: 400 });
      }
      deadlineAt = Date.now() + ms;
    }
    const input = body.input as Record<string, unknown>;
    // An uploaded file's URL must name a file this account uploaded (and that has not expired).
    for (const field of ['start_image', 'end_image']) {
      const value = input[field];
      if (typeof value === 'string' && value.startsWith(`${ctx.baseUrl}/v1/files/`) && !imageBytes(value, files)) {
        return ctx.json(422, {
          title: 'Input validation failed',
          detail: `- input.${field}: the file could not be found\n`,
          status: 422,
          invalid_fields: [{ type: 'invalid_value', field: `input.${field}`, description: 'the file could not be found' }],
        });
      }
    }
    const policyAtSubmit = ctx.state.takeFault('submit', ['policy']);
    const id = predictionId();
    const job = newMockJob(
      {
        id,
        input,
        durationSec: (input.duration as number | undefined) ?? 5,
        aspect: input.start_image ? (aspectOfImage(input.start_image, files) ?? '16:9') : ((input.aspect_ratio as Aspect | undefined) ?? '16:9'),
        audio: input.generate_audio === true,
        text: String(input.prompt ?? ''),
      },
      ctx.state,
    );
    // Moderation on Replicate fails the prediction later; it never refuses the create call.
    if (policyAtSubmit || job.failure?.kind === 'policy') job.failure = { kind: 'policy', message: REPLICATE_POLICY_MESSAGE };
    const rec: PredictionRecord = {
      id,
      job,
      version,
      webhook: typeof body.webhook === 'string' ? body.webhook : undefined,
      webhookEventsFilter: body.webhook_events_filter,
      deadlineAt,
    };
    predictions.set(id, rec);
    const prefer = /^\s*wait(?:\s*=\s*(\d+))?\s*$/i.exec(String(ctx.req.headers.prefer ?? ''));
    if (prefer) {
      const holdMs = Math.min(Math.max(Number(prefer[1] ?? 60), 1), maxWaitSec) * 1000;
      const until = Date.now() + holdMs;
      while (Date.now() < until && !terminal(timeline(rec).status) && !ctx.res.destroyed) {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    ctx.json(201, render(ctx, rec));
  };

  /** The file object of the Files API (replicate-javascript README, files.create). */
  const fileObject = (ctx: MockContext, f: UploadedFile) => ({
    id: f.id,
    name: f.name,
    content_type: f.contentType,
    size: f.data.length,
    etag: createHash('md5').update(f.data).digest('hex'),
    checksums: { sha256: createHash('sha256').update(f.data).digest('hex'), md5: createHash('md5').update(f.data).digest('hex') },
    metadata: f.metadata,
    created_at: new Date(f.createdAt).toISOString(),
    // Uploaded files expire after 24 hours.
    expires_at: new Date(f.createdAt + 24 * 3600 * 1000).toISOString(),
    urls: { get: `${ctx.baseUrl}/v1/files/${f.id}` },
  });

  const notFound = (ctx: MockContext) => ctx.json(404, { title: 'Not found', detail: 'The requested resource could not be found.', status: 404 });

  mock = await startMock({
    name: 'replicate',
    port: opts.port,
    stageOf: (method, p): FaultStage | 'other' => {
      if (method === 'POST' && /^\/v1\/(models\/[^/]+\/[^/]+\/)?predictions$/.test(p)) return 'submit';
      if (method === 'POST' && /^\/v1\/predictions\/[^/]+\/cancel$/.test(p)) return 'cancel';
      if (method === 'POST' && p === '/v1/files') return 'upload';
      if (method === 'GET' && /^\/v1\/predictions\/[^/]+$/.test(p)) return 'status';
      if (method === 'GET' && p.startsWith('/delivery/')) return 'download';
      return 'other';
    },
    routes: [
      // The clip, served like replicate.delivery: no auth, Range, scripted download faults.
      async (ctx) => {
        const m = /^\/delivery\/xezq\/([^/]+)\/output\.mp4$/.exec(ctx.url.pathname);
        if (!m || ctx.req.method !== 'GET') return false;
        if (applyHttpFault(ctx, 'download', errorBody)) return true;
        const rec = predictions.get(m[1]);
        const t = rec && timeline(rec);
        if (!rec || t!.status !== 'succeeded') return notFound(ctx);
        if (Date.now() - t!.completedAt! > ttlMs) return await serveClip(ctx, rec.job, 'expired');
        // A download fault hits one request, so a resumed (Range) download can then succeed.
        const fault = rec.job.downloadFault;
        rec.job.downloadFault = undefined;
        await serveClip(ctx, rec.job, fault);
        return true;
      },
      (ctx) => {
        if (!ctx.url.pathname.startsWith('/v1/')) return false;
        return !authorized(ctx);
      },
      (ctx) => {
        // The Files API (what the official client's files.create speaks).
        const p = ctx.url.pathname;
        if (ctx.req.method === 'POST' && p === '/v1/files') {
          const parts = parseMultipartParts(ctx.raw, String(ctx.req.headers['content-type'] ?? ''));
          const content = parts.find((x) => x.name === 'content');
          // The log keeps what was uploaded, not its bytes.
          const entry = ctx.state.log.findLast((e) => e.headers === ctx.req.headers);
          if (entry) entry.body = parts.map((x) => ({ name: x.name, filename: x.filename, type: x.type, bytes: x.data.length }));
          if (applyHttpFault(ctx, 'upload', errorBody)) return true;
          if (!content) return ctx.json(400, { title: 'Bad request', detail: 'A "content" part with the file is required (multipart/form-data).', status: 400 });
          let metadata: Record<string, unknown> = {};
          const meta = parts.find((x) => x.name === 'metadata');
          try {
            if (meta) metadata = JSON.parse(meta.data.toString('utf8')) as Record<string, unknown>;
          } catch {
            return ctx.json(400, { title: 'Bad request', detail: 'metadata must be JSON', status: 400 });
          }
          const id = randomBytes(24).toString('base64url');
          const file: UploadedFile = {
            id,
            name: content.filename ?? `upload_${id}`,
            contentType: parts.find((x) => x.name === 'type')?.data.toString('utf8') || content.type || 'application/octet-stream',
            data: Buffer.from(content.data),
            metadata,
            createdAt: Date.now(),
          };
          files.set(id, file);
          return ctx.json(201, fileObject(ctx, file));
        }
        const m = /^\/v1\/files\/([^/]+)$/.exec(p);
        if (ctx.req.method === 'GET' && m) {
          const file = files.get(m[1]);
          return file ? ctx.json(200, fileObject(ctx, file)) : notFound(ctx);
        }
        return false;
      },
      async (ctx) => {
        if (ctx.req.method !== 'POST') return false;
        const p = ctx.url.pathname;
        if (p === `/v1/models/${REPLICATE_MODEL_ID}/predictions`) return await create(ctx, 'hidden');
        if (/^\/v1\/models\/[^/]+\/[^/]+\/predictions$/.test(p)) {
          if (applyHttpFault(ctx, 'submit', errorBody)) return true;
          return ctx.json(404, { title: 'Not found', detail: 'The requested model could not be found.', status: 404 });
        }
        if (p === '/v1/predictions') {
          const version = String((ctx.body as { version?: unknown } | undefined)?.version ?? '');
          const [name, hash] = version.includes(':') ? version.split(':') : version.includes('/') ? [version, undefined] : [undefined, version];
          if ((name !== undefined && name !== REPLICATE_MODEL_ID) || (hash !== undefined && hash !== REPLICATE_MODEL_VERSION)) {
            if (applyHttpFault(ctx, 'submit', errorBody)) return true;
            return ctx.json(422, {
              title: 'Invalid version or not permitted',
              detail: "The specified version does not exist (or perhaps you don't have permission to use it?)",
              status: 422,
            });
          }
          return await create(ctx, hash ?? 'hidden');
        }
        const c = /^\/v1\/predictions\/([^/]+)\/cancel$/.exec(p);
        if (c) {
          if (applyHttpFault(ctx, 'cancel', errorBody)) return true;
          const rec = predictions.get(c[1]);
          if (!rec) return notFound(ctx);
          if (!terminal(timeline(rec).status)) {
            rec.canceledAt = Date.now();
            rec.job.canceled = true;
          }
          return ctx.json(200, render(ctx, rec));
        }
        return false;
      },
      (ctx) => {
        if (ctx.req.method !== 'GET') return false;
        if (ctx.url.pathname === '/v1/predictions') {
          const results = [...predictions.values()].reverse().map((r) => render(ctx, r));
          return ctx.json(200, { next: null, previous: null, results });
        }
        const m = /^\/v1\/predictions\/([^/]+)$/.exec(ctx.url.pathname);
        if (!m) return false;
        const rec = predictions.get(m[1]);
        if (rec && terminal(timeline(rec).status)) {
          // The poll that delivers the outcome is logged as the 'result' stage, and result faults fire here.
          const entry = ctx.state.log.findLast((e) => e.headers === ctx.req.headers);
          if (entry) entry.stage = 'result';
          if (applyHttpFault(ctx, 'result', errorBody)) return true;
        }
        if (applyHttpFault(ctx, 'status', errorBody)) return true;
        if (!rec) return notFound(ctx);
        return ctx.json(200, render(ctx, rec));
      },
    ],
    notFound,
  });
  return mock;
}
