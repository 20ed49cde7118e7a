// Settings of this computer (not of a project): concurrency for cloud providers, the ffmpeg to use and prices
// set by hand, and what the app is (version, host, ffmpeg found).
import { CAPABILITIES, CLOUD_PROVIDER_IDS } from '../../../shared/capabilities';
import type { MethodInput, MethodOutput } from '../../../shared/api';
import { PRICE_KIND_LABELS, priceDate, rateFor } from '../../../shared/pricing';
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
    return { concurrency: s?.concurrency ?? DEFAULT_CONCURRENCY, ...(s?.ffmpegPath ? { ffmpegPath: s.ffmpegPath } : {}), keyStorage, prices: s?.prices ?? {} };
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
      'app.updateSettings': async ({ concurrency, ffmpegPath, price }) => {
        const settings = this.opts.settings;
        if (!settings) throw new StudioError('FORBIDDEN', 'Settings of this computer cannot be changed from here; use STORYREEL_CONCURRENCY and STORYREEL_FFMPEG.');
        if (price) checkPrice(price);
        if (ffmpegPath) await checkFfmpegPath(ffmpegPath, { browser: this.opts.host === 'browser', projectDir: this.opts.projectDir });
        settings.update({ concurrency, ffmpegPath: ffmpegPath === '' ? null : ffmpegPath });
        if (price) settings.setPrice(price, price.usdPerSec === null ? null : { usdPerSec: price.usdPerSec, setAt: priceDate() });
        this.apply(settings);
        return this.view();
      },
    } satisfies Partial<Handlers>;
  }
}

type PriceInput = NonNullable<MethodInput<'app.updateSettings'>['price']>;

/** A price can only be set where there is a published one to replace (a tier the provider has; never the free animatic). */
function checkPrice(price: PriceInput): void {
  const name = CAPABILITIES[price.provider].label;
  const where = `the ${name} ${price.tier} price (${PRICE_KIND_LABELS[price.kind]})`;
  if (!rateFor(price.provider, price.tier)) throw new StudioError('INVALID_INPUT', `price: ${name} has no ${price.tier} tier, so ${where} cannot be set. No price was changed.`);
  if (price.provider === 'animatic') throw new StudioError('INVALID_INPUT', `price: the animatic renders on this computer for free, so ${where} cannot be set. No price was changed.`);
}
