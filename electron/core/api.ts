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
import { upgradeLegacyHashes } from '../../shared/take-currency';
import { describeIssues, type Project, type ProviderId } from '../../shared/schema';
import { Engine } from './jobs/engine';
import { ffmpegInfo } from './media/ffmpeg';
import { readPreview, stitchProject } from './media/stitch';
import { previewSignature } from './media/preview-signature';
import { laneAudioProblem } from './media/preview-audio';
import { importTake, sha256Of } from './media/import-take';
import { originalName, readRegularFile, withIncomingFile } from './project/incoming';
import { acquireProjectLock } from './project/lock';
import { exportTask } from './media/export';
import { PictureCache } from './media/pictures';
import { fitFrameImage } from './media/frame-fit';
import { newShot } from './project/project-folder';
import { applyShotPatch, patchFieldNames } from './project/shot-patch';
import { ProjectSession } from './project/session';
import { CAPABILITIES } from '../../shared/capabilities';
import { ProviderIdSchema } from '../../shared/schema';
import type { ProviderAdapter } from './providers/provider';
import { createAdapters, keyHint, type ConfigResolver } from './providers/registry';
import { resolverWith, type ProviderSettingsStore } from './providers/provider-settings';
import { configureContext, planConfigure } from './providers/base-url-change';
import type { EngineTiming } from './jobs/engine';
import { AppSettingsFile, DEFAULT_CONCURRENCY } from './app-settings';
import { checkFfmpegPath } from './ffmpeg-path-check';
import type { ProjectSwitcher } from './host/projects';
import { setSettingsFfmpeg, probe } from './media/ffmpeg';
import { sharedScheduler } from './jobs/scheduler';
import { checkImage, importImage } from './project/refs';
import { IMAGE_LIMITS } from './providers/assets';
import { newId } from '../../shared/ids';
import { MAX_SHOT_SECONDS, shotAspect, type Shot } from '../../shared/schema';

/** Cloud providers share the concurrency chosen in Settings; the animatic keeps its own (it is this computer's CPU). */
const CLOUD: ProviderId[] = ['fal', 'replicate', 'lumenfall', 'kling'];

/** Groups whose shots are no longer consecutive (after a move or delete) are dissolved. */
function dropBrokenGroups(p: Project): void {
  const index = new Map(p.shots.map((s, i) => [s.id, i]));
  p.groups = p.groups.filter((g) => {
    const at = g.shotIds.map((id) => index.get(id));
    if (at.some((i) => i === undefined)) return false;
    const sorted = [...(at as number[])].sort((a, b) => a - b);
    if (sorted.some((v, i) => i > 0 && v !== sorted[i - 1] + 1)) return false;
    g.shotIds = sorted.map((i) => p.shots[i].id);
    return g.shotIds.length >= 2;
  });
}

function shotName(p: Project, shot: Shot): string {
  return `shot ${p.shots.indexOf(shot) + 1}${shot.title ? ` “${shot.title}”` : ''}`;
}


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
  /** Concurrency and ffmpeg path chosen in Settings (and, for the browser host, its key store). */
  appSettings?: AppSettingsFile;
  /** New project / Open… from the studio (browser host); elsewhere projects are chosen by the menu or the CLI. */
  projects?: ProjectSwitcher;
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
  return previewSignature(project);
}

export class Studio extends EventEmitter<StudioEvents> {
  readonly session: ProjectSession;
  readonly engine: Engine;
  private readonly providers: Map<ProviderId, ProviderAdapter>;
  private readonly resolveConfig: ConfigResolver;
  private readonly opts: StudioOptions;
  private stitching: Promise<Preview> | undefined;
  private stitchAgain = false;
  /** Cancels the running stitch (closing must not wait minutes for a long cut). */
  private stitchAbort: AbortController | undefined;
  private closing = false;
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

    session.on('changed', (state, change) => {
      // Clients are sent what changed (shared/project-patch.ts), never the whole document again.
      this.send('project.changed', change);
      const cut = cutSignature(state.project);
      if (cut !== this.lastCut) {
        this.lastCut = cut;
        this.scheduleAutoStitch();
      }
    });
    // A failed save reaches the studio in the project state (saveError): the toolbar and a banner say it
    // until a retry works, so no toast here.
    this.engine.on('job', (job) => this.send('job.updated', job));
    this.engine.on('progress', (p) => this.send('task.progress', p));
    this.engine.on('idle', () => this.scheduleAutoStitch(0));
    this.pictures = new PictureCache(session.dir);
    // In the app, a new clip's pictures are made in the background before the timeline asks for them.
    this.engine.on('job', (job) => {
      if (opts.autoStitch && job.status === 'ready') void this.pictures.forProject(this.session.current, { takeIds: job.takeIds, laneIds: [] }).catch(() => {});
    });

    if (opts.appSettings) this.applyAppSettings(opts.appSettings);
    this.handlers = this.buildHandlers();
  }

  private applyAppSettings(settings: AppSettingsFile): void {
    for (const id of CLOUD) sharedScheduler.setLimit(id, settings.concurrency);
    setSettingsFfmpeg(settings.ffmpegPath);
  }

  private incoming<T>(file: string, what: string, use: (abs: string, uploaded: boolean) => Promise<T>): Promise<T> {
    return withIncomingFile({ projectDir: this.session.dir, file, browserHost: this.opts.host === 'browser', what }, use);
  }

  /** Reads, checks and copies a reference image into media/refs/; returns its project path. */
  private importRefImage(file: string, label: string): Promise<string> {
    return this.incoming(file, 'file', async (abs) => {
      // Size and kind are checked before reading: a 4 GB file or a device is refused, not loaded.
      const data = await readRegularFile(abs, { shown: path.basename(abs), maxBytes: IMAGE_LIMITS.maxBytes }).catch((err: StudioError) => {
        throw new StudioError(err.code ?? 'NOT_FOUND', `Nothing was changed: ${err.message}.`);
      });
      const problems = checkImage(data, label);
      if (problems.length) throw new StudioError('INVALID_INPUT', `Nothing was changed: ${problems.join('; ')}.`, problems);
      return importImage(this.session.dir, data);
    });
  }

  /** Checks an audio file with ffprobe and copies it into media/audio/ under a content-hashed name. */
  private importAudio(file: string): Promise<{ rel: string; name: string; durationSec: number }> {
    return this.incoming(file, 'file', async (abs, uploaded) => {
      const name = originalName(abs, uploaded);
      // ffprobe's own words name the staged copy's path: the person gets the reason in theirs.
      const info = await probe(abs).catch(() => {
        throw new StudioError('INVALID_INPUT', laneAudioProblem({ name, readable: false, hasAudio: false, durationSec: undefined })!);
      });
      const problem = laneAudioProblem({ name, readable: true, hasAudio: Boolean(info.audio), durationSec: info.audio?.durationSec ?? info.durationSec });
      if (problem || !info.audio) throw new StudioError('INVALID_INPUT', problem ?? `Nothing was added: ${name} has no sound in it.`);
      // Streamed, not read whole: a score can be hundreds of megabytes.
      const ext = path.extname(abs).toLowerCase().match(/^\.(wav|mp3|m4a|aac|flac|ogg|opus|mp4|mov)$/)?.[0] ?? '.audio';
      const rel = path.posix.join('media', 'audio', `${(await sha256Of(abs)).slice(0, 16)}${ext}`);
      await fs.mkdir(path.join(this.session.dir, 'media', 'audio'), { recursive: true });
      // Copied beside its name and renamed: the same sound already in use is never rewritten under a player.
      const dest = path.join(this.session.dir, rel);
      const part = `${dest}.${process.pid}.part`;
      await fs.copyFile(abs, part);
      await fs.rename(part, dest).catch(async (err) => {
        await fs.rm(part, { force: true });
        throw err;
      });
      return { rel, name, durationSec: Math.round((info.audio.durationSec ?? info.durationSec) * 1000) / 1000 };
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

  /**
   * Rebuilds the preview after an edit. It starts on the next turn of the event loop (so the changes of one
   * action make one stitch), not after a quiet period: the preview answers an edit as fast as it can be
   * built. Edits that come while a stitch runs make one more stitch afterwards, with the latest cut.
   */
  private scheduleAutoStitch(delayMs = 0): void {
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
    const abort = (this.stitchAbort = new AbortController());
    const run = async (): Promise<Preview> => {
      const taskId = 'stitch';
      try {
        const preview = await stitchProject(this.session.dir, this.session.current, {
          signal: abort.signal,
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
      if (this.stitchAgain && !this.closing) {
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
      'project.undo': () => session.undo(),
      'project.redo': () => session.redo(),
      'app.settings': () => this.appSettingsView(),
      'app.updateSettings': async ({ concurrency, ffmpegPath }) => {
        const settings = this.opts.appSettings;
        if (!settings) throw new StudioError('FORBIDDEN', 'Settings of this computer cannot be changed from here; use STORYREEL_CONCURRENCY and STORYREEL_FFMPEG.');
        if (ffmpegPath) await checkFfmpegPath(ffmpegPath, { browser: this.opts.host === 'browser', projectDir: session.dir });
        settings.update({ concurrency, ffmpegPath: ffmpegPath === '' ? null : ffmpegPath });
        this.applyAppSettings(settings);
        return this.appSettingsView();
      },
      'project.rename': ({ name }) => session.edit('Rename project', (p) => void (p.name = name)),
      'settings.update': ({ patch }) =>
        session.edit(
          `Change ${Object.keys(patch).join(', ')}`,
          (p) => {
            const { budgetUsd, shotDefaults, ...rest } = patch;
            Object.assign(p.settings, rest);
            if (shotDefaults) Object.assign(p.settings.shotDefaults, shotDefaults);
            if (budgetUsd === null) delete p.settings.budgetUsd;
            else if (budgetUsd !== undefined) p.settings.budgetUsd = budgetUsd;
          },
          `settings:${Object.keys(patch).sort().join(',')}`,
        ),
      'shots.add': ({ afterId, ...fields }) =>
        session.edit('Add shot', (p) => {
          const at = afterId ? p.shots.findIndex((s) => s.id === afterId) + 1 : p.shots.length;
          const d = p.settings.shotDefaults;
          p.shots.splice(
            at,
            0,
            // Untitled: the lists call it "Untitled shot N" by where it is now; a numbered title would be wrong once it moved.
            newShot({ durationSec: d.durationSec, cfgScale: d.cfgScale, negativePrompt: d.negativePrompt, ...fields }),
          );
        }),
      'shots.update': ({ id, patch }) => {
        const before = session.current.shots.find((s) => s.id === id);
        const label = `Edit ${patchFieldNames(patch)}${before ? ` of ${shotName(session.current, before)}` : ''}`;
        return session.edit(label, (p) => applyShotPatch(p, findShot(p, id), patch), `shot:${id}:${Object.keys(patch).sort().join(',')}`);
      },
      'shots.updateMany': ({ ids, patch }) => {
        const unique = [...new Set(ids)];
        const label = `Edit ${patchFieldNames(patch)} of ${unique.length === 1 ? shotName(session.current, findShot(session.current, unique[0])) : `${unique.length} shots`}`;
        return session.edit(label, (p) => {
          for (const id of unique) applyShotPatch(p, findShot(p, id), patch);
        }, `shots:${[...unique].sort().join(',')}:${Object.keys(patch).sort().join(',')}`);
      },
      'shots.remove': ({ id, ids }) => {
        const gone = new Set(ids ?? [id!]);
        return session.edit(gone.size === 1 ? 'Delete shot' : `Delete ${gone.size} shots`, (p) => {
          for (const x of gone) findShot(p, x);
          // The shots' takes stay on disk in media/takes/<shot>/: paid-for clips are never deleted.
          p.shots = p.shots.filter((s) => !gone.has(s.id));
          p.groups = p.groups.filter((g) => !g.shotIds.some((x) => gone.has(x)));
        });
      },
      'shots.move': ({ id, toIndex }) =>
        session.edit('Move shot', (p) => {
          const shot = findShot(p, id);
          p.shots = p.shots.filter((s) => s.id !== id);
          p.shots.splice(Math.min(toIndex, p.shots.length), 0, shot);
          dropBrokenGroups(p);
        }),
      'shots.moveMany': ({ ids, toIndex }) =>
        session.edit(ids.length === 1 ? 'Move shot' : `Move ${ids.length} shots`, (p) => {
          const moving = new Set(ids);
          for (const x of moving) findShot(p, x);
          const picked = p.shots.filter((s) => moving.has(s.id));
          const rest = p.shots.filter((s) => !moving.has(s.id));
          rest.splice(Math.min(toIndex, rest.length), 0, ...picked);
          p.shots = rest;
          dropBrokenGroups(p);
        }),
      'shots.duplicate': ({ id }) =>
        session.edit('Duplicate shot', (p) => {
          const shot = findShot(p, id);
          const { takes: _takes, selectedTakeId: _sel, trim: _trim, id: _id, ...fields } = structuredClone(shot);
          p.shots.splice(p.shots.indexOf(shot) + 1, 0, newShot({ ...fields, title: fields.title ? `${fields.title} (copy)` : '' }));
        }),
      'shots.setFrame': async ({ shotId, which, path: file }) => {
        const shot = findShot(session.current, shotId);
        const rel = await this.importRefImage(file, `the ${which} frame`);
        return session.edit(`Set ${which} frame of ${shotName(session.current, shot)}`, (p) => {
          const s2 = findShot(p, shotId);
          if (which === 'start') s2.startFrame = rel;
          else s2.endFrame = rel;
        });
      },
      'shots.fitFrame': async ({ shotId, which, mode }) => {
        const shot = findShot(session.current, shotId);
        const rel = which === 'start' ? shot.startFrame : shot.endFrame;
        if (!rel) throw new StudioError('INVALID_INPUT', `Nothing was changed: ${shotName(session.current, shot)} has no ${which} frame.`);
        const fitted = await fitFrameImage({ projectDir: session.dir, rel, aspect: shotAspect(session.current, shot), mode });
        return session.edit(`${mode === 'pad' ? 'Fit' : 'Crop'} ${which} frame of ${shotName(session.current, shot)}`, (p) => {
          const s2 = findShot(p, shotId);
          if (which === 'start') s2.startFrame = fitted;
          else s2.endFrame = fitted;
        });
      },
      'groups.create': ({ shotIds, shotType }) =>
        session.edit(`Group ${shotIds.length} shots`, (p) => {
          const at = shotIds.map((x) => p.shots.indexOf(findShot(p, x))).sort((a, b) => a - b);
          if (at.some((v, i) => i > 0 && v !== at[i - 1] + 1)) {
            throw new StudioError('INVALID_INPUT', 'shotIds: only shots next to each other on the timeline can be grouped. Nothing was changed.');
          }
          const ordered = at.map((i) => p.shots[i]);
          const total = ordered.reduce((sum, x) => sum + x.durationSec, 0);
          if (total > MAX_SHOT_SECONDS) {
            throw new StudioError('INVALID_INPUT', `durationSec: a multi-shot request is at most ${MAX_SHOT_SECONDS} s; these shots are ${total} s together. Shorten them or group fewer.`);
          }
          const taken = ordered.filter((x) => p.groups.some((g) => g.shotIds.includes(x.id)));
          if (taken.length) throw new StudioError('INVALID_INPUT', `shotIds: ${taken.map((x) => shotName(p, x)).join(', ')} already belongs to a group. Ungroup it first.`);
          p.groups.push({ id: newId('grp'), shotIds: ordered.map((x) => x.id), shotType: shotType ?? 'customize' });
        }),
      'groups.remove': ({ groupId }) =>
        session.edit('Ungroup shots', (p) => {
          if (!p.groups.some((g) => g.id === groupId)) throw new StudioError('NOT_FOUND', `There is no group ${groupId}.`);
          p.groups = p.groups.filter((g) => g.id !== groupId);
        }),
      'library.saveVoice': ({ id, name, providerIds }) =>
        session.edit(id ? `Edit voice “${name}”` : `Add voice “${name}”`, (p) => {
          const clean = Object.fromEntries(Object.entries(providerIds).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v));
          const existing = id ? p.voices.find((v) => v.id === id) : undefined;
          if (id && !existing) throw new StudioError('NOT_FOUND', `There is no voice ${id}.`);
          if (existing) Object.assign(existing, { name, providerIds: clean });
          else p.voices.push({ id: newId('voice'), name, providerIds: clean });
        }),
      'library.removeVoice': ({ id }) =>
        session.edit('Remove voice', (p) => {
          p.voices = p.voices.filter((v) => v.id !== id);
          for (const s2 of p.shots) s2.audio.voiceIds = s2.audio.voiceIds.filter((v) => v !== id);
        }),
      'library.saveElement': ({ id, name, providerIds }) =>
        session.edit(id ? `Edit element “${name}”` : `Add element “${name}”`, (p) => {
          const clean = providerIds && Object.fromEntries(Object.entries(providerIds).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v));
          const existing = id ? p.elements.find((e) => e.id === id) : undefined;
          if (id && !existing) throw new StudioError('NOT_FOUND', `There is no element ${id}.`);
          if (existing) Object.assign(existing, { name, ...(clean ? { providerIds: clean } : {}) });
          else p.elements.push({ id: newId('el'), name, images: [], providerIds: clean ?? {} });
        }),
      'library.addElementImage': async ({ elementId, path: file }) => {
        const el = session.current.elements.find((e) => e.id === elementId);
        if (!el) throw new StudioError('NOT_FOUND', `There is no element ${elementId}.`);
        if (el.images.length >= 4) throw new StudioError('INVALID_INPUT', `images: “${el.name}” already has 4 images (a front view and three more). Remove one first.`);
        const rel = await this.importRefImage(file, `the image of “${el.name}”`);
        return session.edit(`Add image to “${el.name}”`, (p) => {
          const e2 = p.elements.find((e) => e.id === elementId);
          if (e2 && !e2.images.includes(rel)) e2.images.push(rel);
        });
      },
      'library.removeElementImage': ({ elementId, index }) =>
        session.edit('Remove element image', (p) => {
          const e2 = p.elements.find((e) => e.id === elementId);
          if (!e2 || !e2.images[index]) throw new StudioError('NOT_FOUND', 'That image is no longer there.');
          e2.images.splice(index, 1);
        }),
      'library.removeElement': ({ id }) =>
        session.edit('Remove element', (p) => {
          p.elements = p.elements.filter((e) => e.id !== id);
          for (const s2 of p.shots) s2.elementIds = s2.elementIds.filter((e) => e !== id);
        }),
      'audio.addLane': async ({ kind, path: file, startSec }) => {
        const { rel, name, durationSec } = await this.importAudio(file);
        return session.edit(`Add ${kind === 'music' ? 'music' : 'voice-over'} ${name}`, (p) => {
          p.audioLanes.push({ id: newId('lane'), kind, path: rel, name, durationSec, startSec: startSec ?? 0, gainDb: kind === 'music' ? -6 : 0, duck: kind === 'music' });
        });
      },
      'audio.updateLane': ({ id, patch }) =>
        session.edit(
          `Edit ${Object.keys(patch).join(', ')} of audio lane`,
          (p) => {
            const lane = p.audioLanes.find((l) => l.id === id);
            if (!lane) throw new StudioError('NOT_FOUND', `There is no audio lane ${id}.`);
            Object.assign(lane, patch);
          },
          `lane:${id}:${Object.keys(patch).sort().join(',')}`,
        ),
      'audio.removeLane': ({ id }) =>
        session.edit('Remove audio lane', (p) => {
          // The file stays in media/audio/; only the lane goes.
          p.audioLanes = p.audioLanes.filter((l) => l.id !== id);
        }),
      'takes.review': ({ shotId, takeId, rating, flag, addNote, removeNote }) =>
        session.edit(
          addNote ? 'Add note' : removeNote !== undefined ? 'Remove note' : rating !== undefined ? `Rate take ${rating}★` : `Flag take ${flag}`,
          (p) => {
            const take = findShot(p, shotId).takes.find((t) => t.id === takeId);
            if (!take) throw new StudioError('NOT_FOUND', `That take is not on the shot any more.`);
            if (rating !== undefined) take.review.rating = rating;
            if (flag !== undefined) take.review.flag = flag;
            if (addNote) take.review.notes.push(addNote);
            if (removeNote !== undefined) take.review.notes.splice(removeNote, 1);
          },
        ),
      // The take gets its own copy under media/takes/; an upload that brought it is removed.
      'takes.import': ({ shotId, path: file }) =>
        this.incoming(file, 'clip', async (abs) => (await importTake({ session, shotId, file: abs })).state),
      'jobs.generate': ({ shotIds, variations, tier, expectedUsd }) => this.engine.generate({ shotIds, variations, tier, expectedUsd }),
      'jobs.estimate': async ({ shotIds, variations, tier }) => {
        const plan = await this.engine.plan({ shotIds, variations, tier });
        return {
          provider: plan.provider,
          requests: plan.units.length,
          estimatedUsd: plan.estimatedUsd,
          problems: plan.issues.map((i) => ({ ...(i.shotId ? { shotId: i.shotId } : {}), field: i.field, message: `${i.shotLabel}: ${i.message}` })),
          lines: plan.units.map((u) => ({ key: u.key, label: u.label, durationSec: u.spec.durationSec, tier: u.spec.tier, usd: u.estimatedUsd })),
          draftShots: plan.draftShotIds.length,
          ...(plan.budget ? { budget: plan.budget } : {}),
        };
      },
      'jobs.list': () => this.engine.list(),
      'jobs.cancel': ({ jobId }) => this.engine.cancel(jobId),
      'jobs.resolve': ({ jobId, action, providerJobId }) => this.engine.resolve(jobId, action, providerJobId),
      'jobs.retry': ({ jobId }) => this.engine.retry(jobId),
      'providers.configure': ({ provider, credentials, baseUrl }) => {
        const store = this.opts.providerSettings;
        if (!store?.writable) {
          throw new StudioError(
            'FORBIDDEN',
            `Keys cannot be stored from here. Set ${CAPABILITIES[provider].envKeys.join(' and ')} (and STORYREEL_${provider.toUpperCase()}_URL for a proxy) in the environment that runs Storyreel, or use the desktop app, which keeps keys in the OS keychain.`,
          );
        }
        // A new address without the key drops the saved key: it is never sent somewhere it was not entered for.
        const ctx = configureContext({ store, provider, host: this.opts.host, envKeys: CAPABILITIES[provider].envKeys });
        store.set(provider, planConfigure({ provider, credentials, baseUrl }, ctx));
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
            ...(id !== 'animatic' && config ? { baseUrl: config.baseUrl, keySource: this.opts.providerSettings?.credentials(id) ? ('settings' as const) : ('environment' as const) } : {}),
            // Without a key, an address saved in Settings is still shown: the next key saved goes there.
            ...(id !== 'animatic' && !config && this.opts.providerSettings?.baseUrl(id) ? { baseUrl: this.opts.providerSettings.baseUrl(id) } : {}),
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
      'projects.recent': () => this.projectSwitcher().recent(),
      'projects.open': ({ path: dir }) => this.projectSwitcher().open(dir),
      'projects.create': ({ name, folder }) => this.projectSwitcher().create(name, folder),
    };
  }

  private projectSwitcher(): ProjectSwitcher {
    if (this.opts.projects) return this.opts.projects;
    throw new StudioError('FORBIDDEN', 'Projects are not opened from here: use File › New Project… / Open Project… in the desktop app, or storyreel serve <folder>.');
  }

  private appSettingsView(): MethodOutput<'app.settings'> {
    const s = this.opts.appSettings;
    const keyStorage = this.opts.providerSettings?.writable ? (this.opts.host === 'electron' ? 'keychain' : 'config-file') : 'environment';
    return { concurrency: s?.concurrency ?? DEFAULT_CONCURRENCY, ...(s?.ffmpegPath ? { ffmpegPath: s.ffmpegPath } : {}), keyStorage };
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
    this.closing = true;
    this.exporting?.abort();
    // A stitch is only a preview: cancel it (its ffmpeg is killed) rather than wait for it.
    this.stitchAbort?.abort();
    await this.stitching?.catch(() => {});
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
