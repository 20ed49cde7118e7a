// Generation engine v1 (DESIGN §5): queue → submit → poll → download → ready, journaled in jobs.json.
// Takes are created in the document the moment a job is queued and are never deleted; the clip becomes
// `ready` only once it is on disk, probed and hashed.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { Job, TaskProgress } from '../../../shared/api';
import { JobSchema } from '../../../shared/api';
import { StudioError } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { ProviderIdSchema, type ProviderId, type Shot, type TakeStatus } from '../../../shared/schema';
import { atomicWriteFile } from '../project/atomic-write';
import type { ProjectSession } from '../project/session';
import { probe } from '../media/ffmpeg';
import type { GenerationRequest, ProviderAdapter, ProviderContext } from '../providers/provider';
import { buildRequest, currentHash, requestHash, requestParams } from './request';

const JournalEntrySchema = JobSchema.extend({
  request: z.custom<GenerationRequest>(),
  providerRef: z.string().optional(),
});
type JournalEntry = z.infer<typeof JournalEntrySchema>;
const JournalSchema = z.object({ version: z.literal(1), jobs: z.array(JournalEntrySchema) });

const TERMINAL: TakeStatus[] = ['ready', 'failed', 'canceled', 'needs-attention'];
export const JOURNAL_FILE = 'jobs.json';

export interface EngineEvents {
  job: [Job];
  progress: [TaskProgress];
  /** The queue ran dry; `readyCount` takes became ready since the last idle. */
  idle: [{ readyCount: number }];
}

export interface EngineOptions {
  session: ProjectSession;
  providers: Map<ProviderId, ProviderAdapter>;
  /** Jobs running at once per provider. The animatic is CPU-bound, so it defaults to 2. */
  concurrency?: Partial<Record<ProviderId, number>>;
}

export class Engine extends EventEmitter<EngineEvents> {
  private readonly session: ProjectSession;
  private readonly providers: Map<ProviderId, ProviderAdapter>;
  private readonly concurrency: Partial<Record<ProviderId, number>>;
  private readonly jobs = new Map<string, JournalEntry>();
  private readonly queue: string[] = [];
  private readonly active = new Map<ProviderId, number>();
  private journalWrite: Promise<void> = Promise.resolve();
  private readyCount = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(opts: EngineOptions) {
    super();
    this.session = opts.session;
    this.providers = opts.providers;
    this.concurrency = opts.concurrency ?? {};
  }

  private get ctx(): ProviderContext {
    return { projectDir: this.session.dir, workDir: path.join(this.session.dir, 'cache') };
  }

  list(): Job[] {
    return [...this.jobs.values()].map(publicJob);
  }

  /** Loads the journal and resumes every unfinished job (a local render simply runs again). */
  async resume(): Promise<void> {
    const file = path.join(this.session.dir, JOURNAL_FILE);
    let raw: string;
    try {
      raw = await fs.readFile(file, 'utf8');
    } catch {
      return;
    }
    const parsed = JournalSchema.safeParse(safeJson(raw));
    if (!parsed.success) {
      await fs.copyFile(file, `${file}.damaged-${Date.now()}`);
      return;
    }
    for (const entry of parsed.data.jobs) {
      this.jobs.set(entry.id, entry);
      if (!TERMINAL.includes(entry.status)) this.queue.push(entry.id);
    }
    this.pump();
  }

  /**
   * Queues one job per shot. Without shotIds: every shot that has no ready or in-flight take for its
   * current parameters — so running it twice with nothing changed queues nothing.
   */
  generate(shotIds?: string[], providerOverride?: ProviderId): { jobIds: string[]; skipped: { shotId: string; reason: string }[] } {
    const project = this.session.current;
    const provider = providerOverride ?? project.settings.provider;
    const adapter = this.providers.get(provider);
    if (!adapter) throw new StudioError('PROVIDER_ERROR', `The provider "${provider}" is not available in this version. Choose another in the project settings.`);
    const skipped: { shotId: string; reason: string }[] = [];
    const targets: Shot[] = [];
    for (const id of shotIds ?? project.shots.map((s) => s.id)) {
      const shot = project.shots.find((s) => s.id === id);
      if (!shot) {
        skipped.push({ shotId: id, reason: 'no such shot' });
        continue;
      }
      if (!shotIds) {
        const hash = currentHash(project, shot, provider);
        const existing = shot.takes.find((t) => t.request.hash === hash && !['failed', 'canceled'].includes(t.status));
        if (existing) {
          skipped.push({ shotId: id, reason: existing.status === 'ready' ? 'up to date' : 'already generating' });
          continue;
        }
      }
      targets.push(shot);
    }
    const now = new Date().toISOString();
    const created: JournalEntry[] = targets.map((shot) => {
      const request = buildRequest(project, shot);
      return {
        id: newId('job'),
        shotId: shot.id,
        takeId: newId('take'),
        provider,
        status: 'queued',
        progress: 0,
        createdAt: now,
        updatedAt: now,
        request,
      };
    });
    if (created.length === 0) return { jobIds: [], skipped };
    this.session.mutate((draft) => {
      for (const job of created) {
        const shot = draft.shots.find((s) => s.id === job.shotId)!;
        const params = requestParams(provider, job.request);
        shot.takes.push({
          id: job.takeId,
          jobId: job.id,
          provider,
          tier: job.request.tier,
          request: { hash: requestHash(params), params },
          status: 'queued',
          estimatedUsd: 0,
          review: { rating: 0, flag: 'none', notes: [] },
          createdAt: now,
        });
      }
    });
    for (const job of created) {
      this.jobs.set(job.id, job);
      this.queue.push(job.id);
      this.emit('job', publicJob(job));
    }
    void this.writeJournal();
    this.pump();
    return { jobIds: created.map((j) => j.id), skipped };
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && [...this.active.values()].every((n) => n === 0);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.journalWrite;
  }

  private pump(): void {
    if (this.closed) return;
    for (let i = 0; i < this.queue.length; ) {
      const job = this.jobs.get(this.queue[i])!;
      const limit = this.concurrency[job.provider] ?? 2;
      const running = this.active.get(job.provider) ?? 0;
      if (running >= limit) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      this.active.set(job.provider, running + 1);
      void this.run(job).finally(() => {
        this.active.set(job.provider, (this.active.get(job.provider) ?? 1) - 1);
        this.pump();
        if (this.isIdle()) {
          const readyCount = this.readyCount;
          this.readyCount = 0;
          this.emit('idle', { readyCount });
          for (const w of this.idleWaiters.splice(0)) w();
        }
      });
    }
  }

  private async run(job: JournalEntry): Promise<void> {
    const adapter = this.providers.get(job.provider);
    try {
      if (!adapter) throw new StudioError('PROVIDER_ERROR', `Provider "${job.provider}" is not available.`);
      if (!job.providerRef || job.status === 'queued' || job.status === 'submitting') {
        // Write-ahead: the journal says `submitting` before the provider hears of the job.
        await this.update(job, { status: 'submitting' });
        const { ref } = await adapter.submit(job.request, this.ctx);
        job.providerRef = ref;
        await this.update(job, { status: 'submitted' });
      }
      const result = await this.pollUntilDone(job, adapter);
      await this.update(job, { status: 'downloading', progress: 1 });
      const media = await this.fetchResult(job, result);
      this.readyCount += 1;
      await this.update(job, { status: 'ready' }, (shot) => {
        const take = shot.takes.find((t) => t.id === job.takeId);
        if (take) take.media = media;
        // The new take goes into the cut unless the person picked a take that is still current.
        const selected = shot.takes.find((t) => t.id === shot.selectedTakeId);
        const selectedIsCurrent = selected?.status === 'ready' && selected.request.hash === take?.request.hash;
        if (!selectedIsCurrent) shot.selectedTakeId = job.takeId;
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await this.update(job, { status: 'failed', error: message }).catch(() => {});
    }
  }

  private async pollUntilDone(job: JournalEntry, adapter: ProviderAdapter) {
    for (;;) {
      const state = await adapter.poll(job.providerRef!, job.request, this.ctx);
      if (state.state === 'succeeded') return state.result;
      if (state.state === 'failed') throw new StudioError('PROVIDER_ERROR', state.error);
      if (state.state === 'running') {
        if (job.status !== 'running') await this.update(job, { status: 'running' });
        this.setProgress(job, state.progress ?? 0);
      } else this.setProgress(job, 0, state.queuePosition);
      await new Promise((r) => setTimeout(r, adapter.pollIntervalMs));
    }
  }

  private setProgress(job: JournalEntry, progress: number, queuePosition?: number): void {
    job.progress = Math.max(0, Math.min(1, progress));
    job.queuePosition = queuePosition;
    this.emit('job', publicJob(job));
    this.emit('progress', {
      taskId: job.id,
      kind: 'generate',
      label: `Generating ${shotLabel(this.session, job.shotId)}`,
      fraction: job.progress,
      done: false,
    });
  }

  /** Streams the result to `*.part`, checks it, hashes it, and only then gives it its final name. */
  private async fetchResult(job: JournalEntry, result: { kind: 'file'; path: string } | { kind: 'url'; url: string }) {
    const relPath = path.posix.join('media', 'takes', job.shotId, `${job.takeId}.mp4`);
    const finalPath = path.join(this.session.dir, relPath);
    const partPath = `${finalPath}.part`;
    await fs.mkdir(path.dirname(finalPath), { recursive: true });
    if (result.kind === 'file') {
      await fs.rename(result.path, partPath).catch(() => fs.copyFile(result.path, partPath));
    } else {
      const res = await fetch(result.url);
      if (!res.ok || !res.body) throw new StudioError('PROVIDER_ERROR', `Downloading the clip failed (HTTP ${res.status}).`);
      await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(partPath));
    }
    const info = await probe(partPath);
    if (!info.video) throw new StudioError('PROVIDER_ERROR', 'The returned file has no video stream; it was kept as a .part file and not used.');
    if (Math.abs(info.durationSec - job.request.durationSec) > 0.5) {
      throw new StudioError('PROVIDER_ERROR', `The returned clip is ${info.durationSec.toFixed(2)} s long, not the ${job.request.durationSec} s asked for.`);
    }
    const sha256 = await hashFile(partPath);
    await fs.rename(partPath, finalPath);
    return {
      path: relPath,
      sha256,
      durationSec: info.durationSec,
      width: info.video.width,
      height: info.video.height,
      fps: info.video.fps,
      hasAudio: Boolean(info.audio),
    };
  }

  private async update(job: JournalEntry, patch: Partial<JournalEntry>, onShot?: (shot: Shot) => void): Promise<void> {
    const statusChanged = patch.status !== undefined && patch.status !== job.status;
    Object.assign(job, patch, { updatedAt: new Date().toISOString() });
    if (patch.status && patch.status !== 'queued') job.queuePosition = undefined;
    if (statusChanged || onShot) {
      // The take mirrors its job; a shot deleted meanwhile simply no longer shows it.
      if (this.session.current.shots.some((s) => s.id === job.shotId)) {
        this.session.mutate((draft) => {
          const shot = draft.shots.find((s) => s.id === job.shotId)!;
          const take = shot.takes.find((t) => t.id === job.takeId);
          if (take) {
            take.status = job.status;
            if (job.error) take.error = job.error;
          }
          onShot?.(shot);
        });
      }
      await this.writeJournal();
    }
    this.emit('job', publicJob(job));
    if (TERMINAL.includes(job.status)) {
      this.emit('progress', {
        taskId: job.id,
        kind: 'generate',
        label: `${shotLabel(this.session, job.shotId)}: ${job.status}`,
        fraction: 1,
        done: true,
        ...(job.error ? { error: job.error } : {}),
      });
    }
  }

  private writeJournal(): Promise<void> {
    this.journalWrite = this.journalWrite
      .catch(() => {})
      .then(() =>
        atomicWriteFile(path.join(this.session.dir, JOURNAL_FILE), JSON.stringify({ version: 1, jobs: [...this.jobs.values()] }, null, 1)),
      );
    return this.journalWrite;
  }
}

function publicJob(job: JournalEntry): Job {
  const { request: _r, providerRef: _p, ...rest } = job;
  return { ...rest, provider: ProviderIdSchema.parse(rest.provider) };
}

function shotLabel(session: ProjectSession, shotId: string): string {
  const index = session.current.shots.findIndex((s) => s.id === shotId);
  const shot = session.current.shots[index];
  return shot ? `shot ${index + 1}${shot.title ? ` “${shot.title}”` : ''}` : 'a deleted shot';
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}
