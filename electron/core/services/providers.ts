// Video providers: which ones there are, whether each has a key (shown only as ····1234), and keys and base
// URLs saved from Settings. A key never leaves this service except to the provider it was entered for.
import { StudioError } from '../../../shared/errors';
import { CAPABILITIES, credentialEnvHint } from '../../../shared/capabilities';
import { ProviderIdSchema, type ProviderId } from '../../../shared/schema';
import type { MethodOutput } from '../../../shared/api';
import type { ProviderAdapter } from '../providers/provider';
import { keyHint, type ConfigResolver } from '../providers/registry';
import type { ProviderSettingsStore } from '../providers/provider-settings';
import { configureContext, planConfigure } from '../providers/base-url-change';
import type { Handlers } from './handlers';

export class ProvidersService {
  constructor(
    private readonly opts: {
      adapters: Map<ProviderId, ProviderAdapter>;
      resolveConfig: ConfigResolver;
      /** Keys and base URLs chosen in Settings; without it keys come from the environment only. */
      settings: ProviderSettingsStore | undefined;
      host: 'electron' | 'browser' | 'cli';
    },
  ) {}

  list(): MethodOutput<'providers.list'> {
    const { adapters, resolveConfig, settings } = this.opts;
    return ProviderIdSchema.options.map((id) => {
      const config = resolveConfig(id);
      return {
        id,
        label: CAPABILITIES[id].label,
        available: adapters.has(id),
        configured: Boolean(config),
        ...(id !== 'animatic' && keyHint(config) ? { keyHint: keyHint(config) } : {}),
        ...(id !== 'animatic' && config ? { baseUrl: config.baseUrl, keySource: settings?.credentials(id) ? ('settings' as const) : ('environment' as const) } : {}),
        // Without a key, an address saved in Settings is still shown: the next key saved goes there.
        ...(id !== 'animatic' && !config && settings?.baseUrl(id) ? { baseUrl: settings.baseUrl(id) } : {}),
      };
    });
  }

  handlers() {
    return {
      'providers.configure': ({ provider, credentials, baseUrl }) => {
        const store = this.opts.settings;
        if (!store?.writable) {
          throw new StudioError(
            'FORBIDDEN',
            `Keys cannot be stored from here. Set ${credentialEnvHint(provider)} (and STORYREEL_${provider.toUpperCase()}_URL for a proxy) in the environment that runs Storyreel, or use the desktop app, which keeps keys in the OS keychain.`,
          );
        }
        // A new address without the key drops the saved key: it is never sent somewhere it was not entered for.
        const ctx = configureContext({ store, provider, host: this.opts.host, envKeys: CAPABILITIES[provider].envKeys });
        store.set(provider, planConfigure({ provider, credentials, baseUrl }, ctx));
        return this.list();
      },
      'providers.list': () => this.list(),
    } satisfies Partial<Handlers>;
  }
}
