// Creating a provider voice id from a voice sample (docs/providers.md §2.9, §5.11). A short job: submit,
// poll until the provider answers or the timeout passes, return the id. Not journaled like generation
// jobs: a crash while it runs loses nothing but the wait (the provider may still finish; the person
// creates it again or pastes the id).
//
// fal  `fal-ai/kling-video/create-voice` through the queue (the same protocol as generation, §2.4):
//      the sample is uploaded to fal's CDN (fal-storage.ts), then POST {voice_url} → request_id;
//      GET status_url until COMPLETED; GET response_url → {voice_id}. Input and output as fal documents them
//      (fal.ai/models/fal-ai/kling-video/create-voice/llms.txt: voice_url ".mp3/.wav audio or .mp4/.mov
//      video. Duration must be 5-30 seconds"; output voice_id). $0.007 a voice (same page).
// Kling POST /v1/general/custom-voices {voice_name ≤ 20, voice_url} → {task_id}; GET
//      /v1/general/custom-voices/{task_id} until task_status succeed → data.task_result.voices[0].voice_id.
//      voice_url is a URL Kling fetches: a file on this computer has none, so without one nothing is sent.
import type { VoiceCreateProvider } from '../../../shared/voice-create';
import { klingVoiceName } from '../../../shared/voice-create';
import { falHttpError, falKeyOf, falScrub } from './fal';
import { falUploader } from './fal-storage';
import { providerFetch } from './http';
import { createKlingAuth, klingSecrets } from './kling-auth';
import { klingErrorFromResponse, POLICY_WORDS } from './kling-errors';
import type { AdapterContext } from './provider';
import { ProviderError } from './provider-error';

export const FAL_CREATE_VOICE_ENDPOINT = 'fal-ai/kling-video/create-voice';
export const KLING_CUSTOM_VOICES_PATH = '/v1/general/custom-voices';

export interface VoiceSampleBytes {
  data: Uint8Array;
  contentType: string;
  fileName: string;
}

export interface VoiceCreateRun {
  /** Stop waiting after this long (the provider may still finish). */
  timeoutMs: number;
  /** First wait between status checks (doubles up to 5 s). */
  pollMs?: number;
  /** What is happening, in words, for a progress line. */
  onProgress?: (text: string) => void;
}

export interface CreatedVoice {
  providerVoiceId: string;
  /** The provider's id for the creation request/task (for its dashboard). */
  requestId: string;
  /** What the provider reported it charged, where it says (Kling: units). */
  providerCost?: string;
}

/** fal's create-voice input (KlingVideoCreateVoiceInput): the sample's URL and nothing else. Pure. */
export function falCreateVoiceBody(voiceUrl: string): { voice_url: string } {
  return { voice_url: voiceUrl };
}

/** Kling's custom-voices body: the name cut to 20 characters, the sample by URL. Pure. */
export function klingCustomVoiceBody(name: string, voiceUrl: string): { voice_name: string; voice_url: string } {
  return { voice_name: klingVoiceName(name), voice_url: voiceUrl };
}

/** A public address Kling can fetch: http(s) only — no data: URI (Kling documents voice_url as a URL). */
export function klingSampleUrlProblem(url: string | undefined): string | undefined {
  if (!url) {
    return 'Kling takes a voice sample only as a public URL (voice_url) it downloads itself, and a file on this computer has none. Put the sample at a public https address and give that address, or create the voice on fal.ai. Nothing was sent.';
  }
  if (!/^https?:\/\//i.test(url)) return `the sample address “${url.slice(0, 80)}” is not an http(s) URL Kling can fetch. Nothing was sent.`;
  return undefined;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

function timedOut(provider: VoiceCreateProvider, seconds: number, requestId: string): ProviderError {
  return new ProviderError({
    provider,
    kind: 'failed',
    jobRef: requestId,
    providerMessage: `no voice id within ${seconds} s. The provider may still create it (request ${requestId}); nothing was stored — create it again later or paste the id from the provider's voice library`,
  });
}

/** Waits for `step` to answer something other than undefined, backing off, until the deadline. */
async function until<T>(provider: VoiceCreateProvider, requestId: string, run: VoiceCreateRun, signal: AbortSignal | undefined, step: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + run.timeoutMs;
  let wait = run.pollMs ?? 500;
  for (;;) {
    const done = await step();
    if (done !== undefined) return done;
    if (Date.now() + wait > deadline) throw timedOut(provider, Math.round(run.timeoutMs / 1000), requestId);
    await sleep(wait, signal);
    wait = Math.min(wait * 2, 5000);
  }
}

/** fal: upload the sample, submit to create-voice, poll its status, read voice_id from the result. */
export async function createVoiceOnFal(ctx: AdapterContext, sample: VoiceSampleBytes, run: VoiceCreateRun): Promise<CreatedVoice> {
  const key = falKeyOf(ctx);
  const scrub = (text: string) => falScrub(text, key);
  const headers = { authorization: `Key ${key}` };
  const base = ctx.config.baseUrl.replace(/\/+$/, '');
  run.onProgress?.('Uploading the sample to fal.ai');
  const voiceUrl = await falUploader(ctx, key, scrub)({ ...sample, label: 'voice sample' });
  run.onProgress?.('Asking fal.ai to create the voice');
  const sub = await providerFetch({ provider: 'fal', method: 'POST', url: `${base}/${FAL_CREATE_VOICE_ENDPOINT}`, headers, body: falCreateVoiceBody(voiceUrl), signal: ctx.signal, scrub });
  if (!sub.ok) throw falHttpError({ ...sub, body: sub.json });
  const s = (sub.json ?? {}) as { request_id?: unknown; status_url?: unknown; response_url?: unknown };
  if (typeof s.request_id !== 'string' || !s.request_id) throw new ProviderError({ provider: 'fal', kind: 'failed', providerMessage: `the create-voice answer had no request_id (HTTP ${sub.status})` });
  const requestId = s.request_id;
  const root = `${base}/fal-ai/kling-video/requests/${requestId}`;
  const statusUrl = typeof s.status_url === 'string' ? s.status_url : `${root}/status`;
  const responseUrl = typeof s.response_url === 'string' ? s.response_url : root;
  await until('fal', requestId, run, ctx.signal, async () => {
    const st = await providerFetch({ provider: 'fal', method: 'GET', url: statusUrl, headers, signal: ctx.signal, jobRef: requestId, scrub });
    if (!st.ok) throw falHttpError({ ...st, body: st.json }, requestId);
    const q = (st.json ?? {}) as { status?: unknown };
    run.onProgress?.(q.status === 'IN_QUEUE' ? 'Waiting in fal.ai’s queue' : 'fal.ai is creating the voice');
    return q.status === 'COMPLETED' ? true : undefined;
  });
  const res = await providerFetch({ provider: 'fal', method: 'GET', url: responseUrl, headers, signal: ctx.signal, jobRef: requestId, scrub });
  if (!res.ok) throw falHttpError({ ...res, body: res.json }, requestId);
  const voiceId = (res.json as { voice_id?: unknown } | undefined)?.voice_id;
  if (typeof voiceId !== 'string' || !voiceId) throw new ProviderError({ provider: 'fal', kind: 'failed', jobRef: requestId, providerMessage: 'the create-voice result had no voice_id' });
  return { providerVoiceId: voiceId, requestId };
}

interface KlingVoiceTask {
  task_id?: string;
  task_status?: string;
  task_status_msg?: string;
  task_result?: { voices?: { voice_id?: string; voice_name?: string; trial_url?: string }[] };
  final_unit_deduction?: string;
}

/** Kling: submit the name and the sample's URL, poll the task, read task_result.voices[0].voice_id. */
export async function createVoiceOnKling(ctx: AdapterContext, voice: { name: string; sampleUrl?: string }, run: VoiceCreateRun, now: () => number = Date.now): Promise<CreatedVoice> {
  const problem = klingSampleUrlProblem(voice.sampleUrl);
  if (problem) throw new ProviderError({ provider: 'kling', kind: 'validation', field: 'sample', providerMessage: problem, nothingCreated: true });
  const auth = createKlingAuth(now);
  const secrets = klingSecrets(ctx.config.credentials);
  const scrub = (t: string) => secrets.reduce((out, s) => out.split(s).join('····'), t);
  const base = ctx.config.baseUrl.replace(/\/+$/, '');
  const call = async (method: 'GET' | 'POST', url: string, body?: unknown, jobRef?: string): Promise<KlingVoiceTask> => {
    const res = await providerFetch({ provider: 'kling', method, url, headers: { authorization: await auth(ctx) }, body, signal: ctx.signal, jobRef, scrub });
    const env = (res.json && typeof res.json === 'object' ? res.json : {}) as { code?: number; data?: KlingVoiceTask };
    if (!res.ok || (typeof env.code === 'number' && env.code !== 0)) throw klingErrorFromResponse({ status: res.status, body: res.json ?? res.text, retryAfter: res.headers.get('retry-after'), jobRef });
    if (!env.data || typeof env.data !== 'object') throw new ProviderError({ provider: 'kling', kind: 'outage', status: res.status, providerMessage: 'the response had no data', jobRef });
    return env.data;
  };
  run.onProgress?.('Asking Kling to create the voice');
  const created = await call('POST', `${base}${KLING_CUSTOM_VOICES_PATH}`, klingCustomVoiceBody(voice.name, voice.sampleUrl!));
  const taskId = created.task_id;
  if (!taskId) throw new ProviderError({ provider: 'kling', kind: 'outage', providerMessage: 'Kling accepted the voice but returned no task id' });
  const task = await until('kling', taskId, run, ctx.signal, async () => {
    const t = await call('GET', `${base}${KLING_CUSTOM_VOICES_PATH}/${encodeURIComponent(taskId)}`, undefined, taskId);
    run.onProgress?.(t.task_status === 'submitted' ? 'Waiting in Kling’s queue' : 'Kling is creating the voice');
    return t.task_status === 'succeed' || t.task_status === 'failed' ? t : undefined;
  });
  if (task.task_status === 'failed') {
    const msg = task.task_status_msg || 'the task failed without a reason';
    throw new ProviderError({ provider: 'kling', kind: POLICY_WORDS.test(msg) ? 'policy' : 'failed', providerMessage: msg, jobRef: taskId });
  }
  const voiceId = task.task_result?.voices?.find((v) => v.voice_id)?.voice_id;
  if (!voiceId) throw new ProviderError({ provider: 'kling', kind: 'failed', jobRef: taskId, providerMessage: 'the task succeeded but returned no voice_id' });
  return { providerVoiceId: voiceId, requestId: taskId, ...(task.final_unit_deduction !== undefined ? { providerCost: `${task.final_unit_deduction} units` } : {}) };
}
