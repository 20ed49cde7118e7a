// Settings of this computer (not of a project): concurrency for cloud providers and the ffmpeg to use, and
// what the app is (version, host, ffmpeg found).
import { CLOUD_PROVIDER_IDS } from '../../../shared/capabilities';
import type { MethodOutput } from '../../../shared/api';
import { StudioError } from '../../../shared/errors';
import type { ProviderId } from '../../../shared/schema';
import { appVersion } from '../app-version';
import { DEFAULT_CONCURRENCY, type AppSettingsFile } from '../app-settings';
import { checkFfmpegPath } from '../ffmpeg-path-check';
import { ffmpegInfo, setSettingsFfmpeg } from '../media/ffmpeg';
import { sharedScheduler } from '../jobs/scheduler';
import type { Handlers } from './handlers';

/** Cloud providers share the concurrency chosen in Settings; the animatic keeps its own (it is this computer's CPU). */
const CLOUD: readonly ProviderId[] = CLOUD_PROVIDER_IDS;

export class AppSettingsService {
  constructor(
    private readonly opts: {
      host: 'electron' | 'browser' | 'cli';
      /** Absent where this computer's settings are not changed from the studio (the CLI). */
      settings: AppSettingsFile | undefined;
      /** Whether keys can be saved from Settings at all (a writable key store). */
      keysWritable: boolean;
      /** The open project (a browser page may not point ffmpeg into it). */
      projectDir: string;
    },
  ) {
    if (opts.settings) this.apply(opts.settings);
  }

  private apply(settings: AppSettingsFile): void {
    for (const id of CLOUD) sharedScheduler.setLimit(id, settings.concurrency);
    setSettingsFfmpeg(settings.ffmpegPath);
  }

  view(): MethodOutput<'app.settings'> {
    const { settings: s, host, keysWritable } = this.opts;
    const keyStorage = keysWritable ? (host === 'electron' ? 'keychain' : 'config-file') : 'environment';
    return { concurrency: s?.concurrency ?? DEFAULT_CONCURRENCY, ...(s?.ffmpegPath ? { ffmpegPath: s.ffmpegPath } : {}), keyStorage };
  }

  handlers() {
    return {
      'app.info': async () => {
        const host = this.opts.host === 'electron' ? 'electron' : 'browser';
        try {
          return { version: appVersion(), host, ffmpeg: await ffmpegInfo() };
        } catch (err) {
          return { version: appVersion(), host, ffmpeg: null, ffmpegError: (err as Error).message };
        }
      },
      'app.settings': () => this.view(),
      'app.updateSettings': async ({ concurrency, ffmpegPath }) => {
        const settings = this.opts.settings;
        if (!settings) throw new StudioError('FORBIDDEN', 'Settings of this computer cannot be changed from here; use STORYREEL_CONCURRENCY and STORYREEL_FFMPEG.');
        if (ffmpegPath) await checkFfmpegPath(ffmpegPath, { browser: this.opts.host === 'browser', projectDir: this.opts.projectDir });
        settings.update({ concurrency, ffmpegPath: ffmpegPath === '' ? null : ffmpegPath });
        this.apply(settings);
        return this.view();
      },
    } satisfies Partial<Handlers>;
  }
}
