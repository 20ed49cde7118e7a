// The StudioApi implementation: one table of handlers over the project session, the engine and media.
// Electron IPC and the browser host both call `dispatch`, which validates input with the contract's schemas.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import { z } from 'zod';
import {
  isMethodName,
  methods,
  type EventMap,
  type EventName,
  type MethodInput,
  type MethodName,
  type MethodOutput,
  type Preview,
} from '../../shared/api';
import { StudioError } from '../../shared/errors';
import { describeIssues, type Project, type ProviderId } from '../../shared/schema';
import { Engine } from './jobs/engine';
import { ffmpegInfo } from './media/ffmpeg';
import { readPreview, stitchProject } from './media/stitch';
import { importTake } from './media/import-take';
import { acquireProjectLock } from './project/lock';
import { exportTask } from './media/export';
import { PictureCache } from './media/pictures';
import { newShot } from './project/project-folder';
import { ProjectSession } from './project/session';
import { CAPABILITIES } from '../../shared/capabilities';
import { ProviderIdSchema } from '../../shared/schema';
import type { ProviderAdapter } from './providers/provider';
import { createAdapters, keyHint, type ConfigResolver } from './providers/registry';
import { checkBaseUrl, checkCredentials, resolverWith, type ProviderSettingsStore } from './providers/provider-settings';
import type { EngineTiming } from './jobs/engine';

type Handlers = { [M in MethodName]: (input: z.output<(typeof methods)[M]['input']>) => Promise<MethodOutput<M>> | MethodOutput<M> };

export interface StudioOptions {
  host: 'electron' | 'browser' | 'cli';
  /** Re-stitch the preview by itself when generation finishes or the cut changes (the app, not the CLI). */
  autoStitch?: boolean;
  /** Adapters by provider (default: every registered one). */
  providers?: ProviderAdapter[];
  /** Where provider base URLs and keys come from (default: the environment). */
  resolveConfig?: ConfigResolver;
  /** Keys and base URLs chosen in Settings (desktop: safeStorage). Without it keys come from the environment only. */
  providerSettings?: ProviderSettingsStore;
  engineTiming?: Partial<EngineTiming>;
}

export interface StudioEvents {
  event: [EventName, unknown];
}

export function appVersion(): string {
  const require = createRequire(import.meta.url);
  for (const rel of ['../../package.json', '../package.json', '../../../package.json']) {
    try {
      const pkg = require(rel) as { name?: string; version?: string };
      if (pkg.name === 'storyreel' && pkg.version) return pkg.version;
    } catch {
      /* try the next layout (source tree vs bundled dist-electron/) */
    }
  }
  return '0.0.0';
}

/** The signature of what the preview shows: order, lengths, chosen takes, and slate contents. */
function cutSignature(project: Project): string {
  return JSON.stringify([
    project.settings.aspectRatio,
    project.shots.map((s) => [s.id, s.durationSec, s.selectedTakeId, s.takes.find((t) => t.id === s.selectedTakeId)?.status, s.trim?.inSec, s.trim?.outSec]),
  ]);
}

export class Studio extends EventEmitter<StudioEvents> {
  readonly session: ProjectSession;
  readonly engine: Engine;
  private readonly providers: Map<ProviderId, ProviderAdapter>;
  private readonly resolveConfig: ConfigResolver;
  private readonly opts: StudioOptions;
  private stitching: Promise<Preview> | undefined;
  private stitchAgain = false;
  private exporting: AbortController | undefined;
  /** Posters, filmstrips and waveforms, made in the background and cached in the project. */
  readonly pictures: PictureCache;
  private autoTimer: NodeJS.Timeout | undefined;
  private lastCut = '';
  readonly handlers: Handlers;

  private constructor(session: ProjectSession, opts: StudioOptions) {
    super();
    this.session = session;
    this.opts = opts;
    const providers = opts.providers ? new Map<ProviderId, ProviderAdapter>(opts.providers.map((p) => [p.id, p])) : createAdapters();
    this.providers = providers;
    this.resolveConfig = opts.resolveConfig ?? resolverWith(opts.providerSettings);
    this.engine = new Engine({ session, providers, resolveConfig: this.resolveConfig, timing: opts.engineTiming });
    this.lastCut = cutSignature(session.current);

    session.on('changed', (state) => {
      this.send('project.changed', state);
      const cut = cutSignature(state.project);
      if (cut !== this.lastCut) {
        this.lastCut = cut;
        this.scheduleAutoStitch();
      }
    });
    session.on('saveError', (err) => {
      this.send('task.progress', {
        taskId: 'save',
        kind: 'stitch',
        label: 'Saving failed',
        fraction: null,
        done: true,
        error: `Your edits are still open in Storyreel but could not be written to disk: ${err.message}. Free some space or check the folder's permissions; the next edit retries.`,
      });
    });
    this.engine.on('job', (job) => this.send('job.updated', job));
    this.engine.on('progress', (p) => this.send('task.progress', p));
    this.engine.on('idle', () => this.scheduleAutoStitch(0));
    this.pictures = new PictureCache(session.dir);
    // In the app, a new clip's pictures are made in the background before the timeline asks for them.
    this.engine.on('job', (job) => {
      if (opts.autoStitch && job.status === 'ready') void this.pictures.forProject(this.session.current, { takeIds: job.takeIds, laneIds: [] }).catch(() => {});
    });

    this.handlers = this.buildHandlers();
  }

  static async open(dir: string, opts: StudioOptions): Promise<Studio> {
    // The lock comes first: even opening may repair the document and resume jobs.
    const release = await acquireProjectLock(path.resolve(dir));
    try {
      const session = await ProjectSession.open(dir);
      const studio = new Studio(session, opts);
      studio.releaseLock = release;
      await studio.engine.resume();
      return studio;
    } catch (err) {
      await release();
      throw err;
    }
  }

  private releaseLock: () => Promise<void> = async () => {};

  private send<E extends EventName>(event: E, payload: EventMap[E]): void {
    this.emit('event', event, payload);
  }

  private scheduleAutoStitch(delayMs = 400): void {
    if (!this.opts.autoStitch) return;
    clearTimeout(this.autoTimer);
    this.autoTimer = setTimeout(() => {
      this.stitch().catch(() => {
        /* reported through task.progress */
      });
    }, delayMs);
  }

  /** One stitch at a time; a request during a stitch runs once more afterwards with the latest cut. */
  stitch(): Promise<Preview> {
    if (this.stitching) {
      this.stitchAgain = true;
      return this.stitching.then(() => this.stitching ?? this.stitch());
    }
    const run = async (): Promise<Preview> => {
      const taskId = 'stitch';
      try {
        const preview = await stitchProject(this.session.dir, this.session.current, {
          onProgress: (fraction, label) => this.send('task.progress', { taskId, kind: 'stitch', label, fraction, done: false }),
        });
        this.send('task.progress', { taskId, kind: 'stitch', label: 'Preview ready', fraction: 1, done: true });
        this.send('preview.ready', preview);
        return preview;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.send('task.progress', {
          taskId,
          kind: 'stitch',
          label: 'Preview failed',
          fraction: null,
          done: true,
          error: `The preview could not be built: ${message}. Your project and clips are unchanged.`,
        });
        throw err;
      }
    };
    this.stitching = run().finally(() => {
      this.stitching = undefined;
      if (this.stitchAgain) {
        this.stitchAgain = false;
        void this.stitch().catch(() => {});
      }
    });
    return this.stitching;
  }

  private buildHandlers(): Handlers {
    const session = this.session;
    const findShot = (project: Project, id: string) => {
      const shot = project.shots.find((s) => s.id === id);
      if (!shot) throw new StudioError('NOT_FOUND', `There is no shot with id ${id} (it may have been deleted).`);
      return shot;
    };
    return {
      'app.info': async () => {
        const host = this.opts.host === 'electron' ? 'electron' : 'browser';
        try {
          return { version: appVersion(), host, ffmpeg: await ffmpegInfo() };
        } catch (err) {
          return { version: appVersion(), host, ffmpeg: null, ffmpegError: (err as Error).message };
        }
      },
      'project.get': () => session.state(),
      'project.rename': ({ name }) => session.mutate((p) => void (p.name = name)),
      'settings.update': ({ patch }) =>
        session.mutate((p) => {
          const { budgetUsd, ...rest } = patch;
          Object.assign(p.settings, rest);
          if (budgetUsd === null) delete p.settings.budgetUsd;
          else if (budgetUsd !== undefined) p.settings.budgetUsd = budgetUsd;
        }),
      'shots.add': ({ afterId, ...fields }) =>
        session.mutate((p) => {
          const at = afterId ? p.shots.findIndex((s) => s.id === afterId) + 1 : p.shots.length;
          const previous = p.shots[at - 1];
          p.shots.splice(at, 0, newShot({ title: `Shot ${p.shots.length + 1}`, durationSec: previous?.durationSec ?? 5, ...fields }));
        }),
      'shots.update': ({ id, patch }) =>
        session.mutate((p) => {
          const shot = findShot(p, id);
          if (patch.selectedTakeId !== undefined && !shot.takes.some((t) => t.id === patch.selectedTakeId)) {
            throw new StudioError('NOT_FOUND', `Shot ${shot.title || id} has no take ${patch.selectedTakeId}.`);
          }
          const { aspectRatio, tier, trim, ...rest } = patch;
          Object.assign(shot, rest);
          if (trim === null) delete shot.trim;
          else if (trim !== undefined) shot.trim = trim;
          // null hands the choice back to the project's setting.
          if (aspectRatio === null) delete shot.aspectRatio;
          else if (aspectRatio !== undefined) shot.aspectRatio = aspectRatio;
          if (tier === null) delete shot.tier;
          else if (tier !== undefined) shot.tier = tier;
        }),
      'shots.remove': ({ id }) =>
        session.mutate((p) => {
          findShot(p, id);
          // The shot's takes stay on disk in media/takes/<shot>/: paid-for clips are never deleted.
          p.shots = p.shots.filter((s) => s.id !== id);
          p.groups = p.groups.filter((g) => !g.shotIds.includes(id));
        }),
      'shots.move': ({ id, toIndex }) =>
        session.mutate((p) => {
          const shot = findShot(p, id);
          p.shots = p.shots.filter((s) => s.id !== id);
          p.shots.splice(Math.min(toIndex, p.shots.length), 0, shot);
        }),
      'takes.import': async ({ shotId, path: file }) => {
        // A relative path is a file inside the project (a browser upload lands in cache/imports/); an
        // absolute one comes from the desktop app's drop (Electron names the dropped file). A browser page
        // may not name files on this computer: it uploads them.
        const relative = !path.isAbsolute(file);
        if (!relative && this.opts.host === 'browser') {
          throw new StudioError('FORBIDDEN', 'A browser page cannot import a file by its path. Drop the clip on the shot instead; it is uploaded into the project.');
        }
        const abs = relative ? path.resolve(session.dir, file) : file;
        if (relative && !abs.startsWith(path.join(session.dir, 'cache', 'imports') + path.sep)) {
          throw new StudioError('FORBIDDEN', 'Only clips uploaded into the project can be imported by a relative path.');
        }
        try {
          return (await importTake({ session, shotId, file: abs })).state;
        } finally {
          // The upload was only a way in: the take now has its own copy.
          if (relative) await fs.rm(abs, { force: true });
        }
      },
      'jobs.generate': ({ shotIds, variations }) => this.engine.generate({ shotIds, variations }),
      'jobs.estimate': async ({ shotIds, variations }) => {
        const plan = await this.engine.plan({ shotIds, variations });
        return {
          provider: plan.provider,
          requests: plan.units.length,
          estimatedUsd: plan.estimatedUsd,
          problems: plan.issues.map((i) => ({ ...(i.shotId ? { shotId: i.shotId } : {}), field: i.field, message: `${i.shotLabel}: ${i.message}` })),
          ...(plan.budget ? { budget: plan.budget } : {}),
        };
      },
      'jobs.list': () => this.engine.list(),
      'jobs.cancel': ({ jobId }) => this.engine.cancel(jobId),
      'jobs.resolve': ({ jobId, action }) => this.engine.resolve(jobId, action),
      'jobs.retry': ({ jobId }) => this.engine.retry(jobId),
      'providers.configure': ({ provider, credentials, baseUrl }) => {
        const store = this.opts.providerSettings;
        if (!store?.writable) {
          throw new StudioError(
            'FORBIDDEN',
            `Keys cannot be stored from here. Set ${CAPABILITIES[provider].envKeys.join(' and ')} (and STORYREEL_${provider.toUpperCase()}_URL for a proxy) in the environment that runs Storyreel, or use the desktop app, which keeps keys in the OS keychain.`,
          );
        }
        store.set(provider, {
          ...(credentials !== undefined ? { credentials: credentials === null ? null : checkCredentials(provider, credentials) } : {}),
          ...(baseUrl !== undefined ? { baseUrl: baseUrl === null ? null : checkBaseUrl(baseUrl) } : {}),
        });
        return this.handlers['providers.list']({});
      },
      'providers.list': () =>
        ProviderIdSchema.options.map((id) => {
          const config = this.resolveConfig(id);
          return {
            id,
            label: CAPABILITIES[id].label,
            available: this.providers.has(id),
            configured: Boolean(config),
            ...(id !== 'animatic' && keyHint(config) ? { keyHint: keyHint(config) } : {}),
            ...(id !== 'animatic' && config ? { baseUrl: config.baseUrl } : {}),
          };
        }),
      'media.stitch': () => this.stitch(),
      'media.preview': () => readPreview(session.dir),
      'media.export': async (request) => {
        if (this.exporting) throw new StudioError('INVALID_INPUT', 'An export is already running. Wait for it to finish or cancel it, then export again.');
        const abort = (this.exporting = new AbortController());
        try {
          return await exportTask({ dir: session.dir, project: session.current, request, signal: abort.signal, send: (p) => this.send('task.progress', p) });
        } finally {
          this.exporting = undefined;
        }
      },
      'media.cancelExport': () => {
        const running = this.exporting;
        running?.abort();
        return { canceled: Boolean(running) };
      },
      'media.pictures': (want) => this.pictures.forProject(session.current, want),
    };
  }

  /** The single entry point for every transport: unknown methods and invalid input are refused here. */
  async dispatch(method: unknown, input: unknown): Promise<unknown> {
    if (!isMethodName(method)) throw new StudioError('UNKNOWN_METHOD', `Unknown method ${String(method).slice(0, 60)}.`);
    const parsed = methods[method].input.safeParse(input ?? {});
    if (!parsed.success) {
      const details = describeIssues(parsed.error);
      throw new StudioError('INVALID_INPUT', `${method} was refused: ${details.join('; ')}`, details);
    }
    const handler = this.handlers[method] as (input: unknown) => Promise<unknown> | unknown;
    return handler(parsed.data);
  }

  /** Typed convenience for in-process callers (CLI, tests). */
  call<M extends MethodName>(method: M, input?: MethodInput<M>): Promise<MethodOutput<M>> {
    return this.dispatch(method, input) as Promise<MethodOutput<M>>;
  }

  async close(): Promise<void> {
    clearTimeout(this.autoTimer);
    this.exporting?.abort();
    await this.stitching?.catch(() => {});
    await this.engine.close();
    await this.session.close();
    await this.releaseLock();
    this.removeAllListeners();
  }
}
