// The StudioApi implementation: one table of handlers, each from the service that owns its method (project
// edits by family, jobs, media, providers, this computer's settings), over one open project.
// Electron IPC and the browser host both call `dispatch`, which validates input with the contract's schemas.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { isMethodName, methods, type EventMap, type EventName, type MethodInput, type MethodName, type MethodOutput, type Preview } from '../../shared/api';
import { StudioError } from '../../shared/errors';
import { upgradeLegacyHashes } from '../../shared/take-currency';
import type { PriceOverrides } from '../../shared/pricing';
import { describeIssues, type ProviderId } from '../../shared/schema';
import { Engine, type EngineTiming } from './jobs/engine';
import { acquireProjectLock } from './project/lock';
import { ProjectSession } from './project/session';
import type { ProviderAdapter } from './providers/provider';
import { createAdapters, type ConfigResolver } from './providers/registry';
import { resolverWith, type ProviderSettingsStore } from './providers/provider-settings';
import type { AppSettingsFile } from './app-settings';
import type { ProjectSwitcher } from './host/projects';
import type { PictureCache } from './media/pictures';
import { handlerTable, type Handlers } from './services/handlers';
import { Imports } from './services/imports';
import { projectEdits } from './services/edits/project';
import { shotEdits } from './services/edits/shots';
import { ChainKeeper, chainEdits } from './services/edits/chain';
import { keyframeEdits } from './services/edits/keyframe';
import { groupEdits } from './services/edits/groups';
import { libraryEdits } from './services/edits/library';
import { laneEdits } from './services/edits/lanes';
import { takeEdits } from './services/edits/takes';
import { editReplies } from './services/edits/reply';
import { JobsService } from './services/jobs';
import { MediaService } from './services/media';
import { ProvidersService } from './services/providers';
import { VoicesService } from './services/voices';
import { AppSettingsService } from './services/app-settings';
import { projectHandlers } from './services/projects';

export { appVersion } from './app-version';

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
  /** How long library.createVoice waits, and how often it asks (tests shorten both). */
  voiceTiming?: { timeoutMs?: number; pollMs?: number };
  /** Concurrency and ffmpeg path chosen in Settings (and, for the browser host, its key store). */
  appSettings?: AppSettingsFile;
  /**
   * Prices set by hand, where there is no settings file to read them from (the CLI reads this computer's);
   * default: appSettings' prices, else none.
   */
  prices?: () => PriceOverrides;
  /** New project / Open… from the studio (browser host); elsewhere projects are chosen by the menu or the CLI. */
  projects?: ProjectSwitcher;
}

export interface StudioEvents {
  event: [EventName, unknown];
}

/** The services of one open project; in-process callers (the CLI) use these, never their internals. */
export interface StudioServices {
  jobs: JobsService;
  media: MediaService;
  providers: ProvidersService;
  appSettings: AppSettingsService;
  imports: Imports;
}

export class Studio extends EventEmitter<StudioEvents> {
  readonly session: ProjectSession;
  readonly engine: Engine;
  readonly services: StudioServices;
  readonly handlers: Handlers;

  private constructor(session: ProjectSession, opts: StudioOptions) {
    super();
    this.session = session;
    const adapters = opts.providers ? new Map<ProviderId, ProviderAdapter>(opts.providers.map((p) => [p.id, p])) : createAdapters();
    const resolveConfig = opts.resolveConfig ?? resolverWith(opts.providerSettings);
    const settings = opts.appSettings;
    const prices = opts.prices ?? (() => settings?.prices ?? {});
    this.engine = new Engine({ session, providers: adapters, resolveConfig, timing: opts.engineTiming, prices });
    const send = this.send.bind(this) as Studio['send'];
    const imports = new Imports({ session, browserHost: opts.host === 'browser' });
    this.services = {
      jobs: new JobsService(this.engine),
      media: new MediaService({ session, send, autoStitch: Boolean(opts.autoStitch) }),
      providers: new ProvidersService({ adapters, resolveConfig, settings: opts.providerSettings, host: opts.host }),
      appSettings: new AppSettingsService({ host: opts.host, settings: opts.appSettings, keysWritable: Boolean(opts.providerSettings?.writable), projectDir: session.dir }),
      imports,
    };
    const { jobs, media, providers, appSettings } = this.services;

    this.watchProject();
    // A failed save reaches the studio in the project state (saveError): the toolbar and a banner say it
    // until a retry works, so no toast here.
    this.engine.on('job', (job) => this.send('job.updated', job));
    this.engine.on('progress', (p) => this.send('task.progress', p));
    this.engine.on('idle', () => media.scheduleAutoStitch(0));
    // In the app, a new clip's pictures are made in the background before the timeline asks for them.
    this.engine.on('job', (job) => {
      if (job.status === 'ready') media.takesReady(job.takeIds);
    });

    // Chained start frames follow their source shot's take (services/edits/chain.ts).
    const chain = new ChainKeeper(session);
    this.handlers = handlerTable({
      // Edits answer with the change they made, like the push for their revision (services/edits/reply.ts).
      project: editReplies(session, projectEdits(session)),
      shots: editReplies(session, shotEdits(session, imports, chain)),
      chain: editReplies(session, chainEdits(session, chain)),
      keyframe: editReplies(session, keyframeEdits(session, imports)),
      groups: editReplies(session, groupEdits(session)),
      library: editReplies(session, libraryEdits(session, imports)),
      lanes: editReplies(session, laneEdits(session, imports)),
      takes: editReplies(session, takeEdits(session, imports)),
      jobs: jobs.handlers(),
      media: media.handlers(),
      providers: providers.handlers(),
      voices: new VoicesService({ session, resolveConfig, send, ...opts.voiceTiming }).handlers(),
      appSettings: appSettings.handlers(),
      projects: projectHandlers(opts.projects),
    });
  }

  /** The one place project changes leave the core: the renderer hears them, and the preview follows the cut. */
  private watchProject(): void {
    this.session.on('changed', (state, change) => {
      // Clients are sent what changed (shared/project-patch.ts), never the whole document again.
      this.send('project.changed', change);
      this.services.media.projectChanged(state.project);
    });
  }

  static async open(dir: string, opts: StudioOptions): Promise<Studio> {
    // The lock comes first: even opening may repair the document and resume jobs.
    const release = await acquireProjectLock(path.resolve(dir));
    try {
      const session = await ProjectSession.open(dir);
      const studio = new Studio(session, opts);
      studio.releaseLock = release;
      studio.lockNote = release.note;
      await studio.engine.resume();
      // Takes saved by an older Storyreel get the creative hash they stand for: current ones stay current.
      if (upgradeLegacyHashes(structuredClone(session.current))) session.mutate((draft) => void upgradeLegacyHashes(draft));
      return studio;
    } catch (err) {
      await release();
      throw err;
    }
  }

  private releaseLock: () => Promise<void> = async () => {};
  /** Set when opening took over a stale lock (a copied folder, a crashed process): for the person to read. */
  lockNote: string | undefined;

  private send<E extends EventName>(event: E, payload: EventMap[E]): void {
    this.emit('event', event, payload);
  }

  /** Posters, filmstrips and waveforms (the media service's cache). */
  get pictures(): PictureCache {
    return this.services.media.pictures;
  }

  /** One stitch at a time; a request during a stitch runs once more afterwards with the latest cut. */
  stitch(): Promise<Preview> {
    return this.services.media.stitch();
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
    await this.services.media.close();
    await this.engine.close();
    try {
      // Rejects, saying where, when unsaved edits cannot be written even now; the lock is released anyway.
      await this.session.close();
    } finally {
      await this.releaseLock();
      this.removeAllListeners();
    }
  }
}
