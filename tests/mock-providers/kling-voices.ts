// Kling's custom voices in the mock (docs/providers.md §5.2, §5.11): POST /v1/general/custom-voices
// {voice_name ≤ 20 characters, voice_url | video_id, callback_url?, external_task_id?} → a task;
// GET /v1/general/custom-voices/{task_id} → the task, whose task_result.voices[] carries voice_id once it
// succeeded. voice_url is a URL Kling downloads (not base64, not a data: URI — Kling documents base64
// only for image fields); the sample must run 5–30 s with sound, else the task fails saying so.
import { randomBytes } from 'node:crypto';
import { newMockJob, type MockContext, type MockJob, type MockState } from './common';
import { invalid, isObj, KlingFailure } from './kling-checks';
import { mockVoiceId, voiceSampleProblem } from './voice-sample';

export const KLING_VOICE_NAME_MAX = 20;

interface VoiceTask {
  taskId: string;
  name: string;
  externalTaskId?: string;
  job: MockJob;
  voiceId?: string;
  sampleUrl?: string;
}

const envelope = (code: number, message: string, data?: unknown) => ({ code, message, request_id: randomBytes(8).toString('hex'), ...(data !== undefined ? { data } : {}) });

export function klingVoiceRoute(opts: { state: () => MockState; gate: (ctx: MockContext, stage: 'submit' | 'status') => boolean; fail: (ctx: MockContext, f: KlingFailure) => void }) {
  const tasks = new Map<string, VoiceTask>();

  const data = (t: VoiceTask) => {
    const phase = opts.state().phase(t.job);
    const status = phase === 'queued' ? 'submitted' : phase === 'running' ? 'processing' : phase === 'completed' ? 'succeed' : 'failed';
    return {
      task_id: t.taskId,
      task_status: status,
      task_status_msg: status === 'failed' ? (t.job.failure?.message ?? 'Task failed') : '',
      task_info: t.externalTaskId ? { external_task_id: t.externalTaskId } : {},
      ...(status === 'succeed' ? { task_result: { voices: [{ voice_id: t.voiceId, voice_name: t.name, trial_url: t.sampleUrl, status: 'succeed' }] }, final_unit_deduction: '1' } : {}),
      created_at: t.job.createdAt,
      updated_at: Date.now(),
    };
  };

  const submit = async (ctx: MockContext) => {
    if (opts.gate(ctx, 'submit')) return;
    const b = isObj(ctx.body) ? ctx.body : undefined;
    if (!b) return opts.fail(ctx, new KlingFailure(400, 1200, 'request body must be a JSON object'));
    const name = b.voice_name;
    if (typeof name !== 'string' || name.trim() === '') return opts.fail(ctx, invalid('voice_name: is required'));
    if (Array.from(name).length > KLING_VOICE_NAME_MAX) return opts.fail(ctx, invalid(`voice_name: must be at most ${KLING_VOICE_NAME_MAX} characters`));
    const url = b.voice_url;
    const videoId = b.video_id;
    const hasUrl = typeof url === 'string' && url !== '';
    const hasVideo = typeof videoId === 'string' && videoId !== '';
    if (hasUrl === hasVideo) return opts.fail(ctx, invalid('voice_url: give voice_url or video_id (one of them)'));
    if (hasUrl && !/^https?:\/\//i.test(url as string)) return opts.fail(ctx, invalid('voice_url: must be a URL Kling can download'));
    let problem: string | undefined;
    if (hasUrl) {
      const bytes = await fetch(url as string).then(async (r) => (r.ok ? Buffer.from(await r.arrayBuffer()) : undefined)).catch(() => undefined);
      problem = await voiceSampleProblem(bytes);
    }
    const taskId = String(BigInt(`0x${randomBytes(7).toString('hex')}`) + 800000000000000000n);
    const job = newMockJob({ id: taskId, input: b, durationSec: 0, aspect: '16:9', audio: true, text: '' }, opts.state());
    if (problem) job.failure = { kind: 'failed', message: problem };
    const task: VoiceTask = { taskId, name, job, ...(typeof b.external_task_id === 'string' ? { externalTaskId: b.external_task_id } : {}), ...(problem ? {} : { voiceId: mockVoiceId() }), ...(hasUrl ? { sampleUrl: url as string } : {}) };
    tasks.set(taskId, task);
    ctx.json(200, envelope(0, 'SUCCEED', { task_id: taskId, task_status: 'submitted', task_info: task.externalTaskId ? { external_task_id: task.externalTaskId } : {}, created_at: job.createdAt, updated_at: job.createdAt }));
  };

  /** Answers the custom-voices routes; false for any other path. */
  const route = async (ctx: MockContext): Promise<boolean> => {
    const p = ctx.url.pathname.replace(/\/+$/, '');
    if (p === '/v1/general/custom-voices' && ctx.req.method === 'POST') {
      await submit(ctx);
      return true;
    }
    const m = /^\/v1\/general\/custom-voices\/([^/]+)$/.exec(p);
    if (m && ctx.req.method === 'GET') {
      if (opts.gate(ctx, 'status')) return true;
      const id = decodeURIComponent(m[1]);
      const t = tasks.get(id) ?? [...tasks.values()].find((x) => x.externalTaskId === id);
      if (!t) opts.fail(ctx, new KlingFailure(404, 1203, `task not found: ${id}`));
      else ctx.json(200, envelope(0, 'SUCCEED', data(t)));
      return true;
    }
    return false;
  };
  return { route, tasks };
}
