// Where a provider's key is sent is as sensitive as the key: a page holding the studio's token must not be
// able to point a configured provider at its own server and have the next generate hand it the key. So a
// base URL is bound to the key entered with it: changing the address drops a key saved in Settings (the
// person pastes it again for the new address, or gives both in one change), a key from the environment
// is never paired with an address chosen in Settings, and a browser page may only name HTTPS addresses or
// this computer.
import { normalizeBaseUrl } from '../../../shared/base-url';
import { StudioError } from '../../../shared/errors';
import { checkBaseUrl, checkCredentials, type ProviderSettingsStore } from './provider-settings';
import { DEFAULT_BASE_URLS, envConfig, type CloudProviderId } from './registry';

export interface ConfigureRequest {
  provider: CloudProviderId;
  credentials?: Record<string, string> | null;
  baseUrl?: string | null;
}

export interface ConfigureContext {
  /** Who asks: a browser page may not name plain-HTTP addresses off this computer. */
  host: 'electron' | 'browser' | 'cli';
  /** Whether Settings holds a key for this provider, and whether the environment does. */
  storedKey: boolean;
  envKey: boolean;
  /** The address requests go to now. */
  currentBaseUrl: string;
  /** The environment variables that hold this provider's key, for the message. */
  envKeys: string[];
}

export interface ConfigurePatch {
  credentials?: Record<string, string> | null;
  baseUrl?: string | null;
}

/** What to store for one providers.configure call, or a refusal that names what was kept. */
export function planConfigure(req: ConfigureRequest, ctx: ConfigureContext): ConfigurePatch {
  const credentials = req.credentials === undefined || req.credentials === null ? req.credentials : checkCredentials(req.provider, req.credentials);
  const baseUrl = req.baseUrl === undefined || req.baseUrl === null ? req.baseUrl : checkBaseUrl(req.baseUrl, ctx.host);
  // Going back to the provider's own (or the environment's) address, or naming the current one, moves nothing.
  const moves = typeof baseUrl === 'string' && baseUrl !== normalizeBaseUrl(ctx.currentBaseUrl);
  const patch: ConfigurePatch = { ...(credentials !== undefined ? { credentials } : {}), ...(baseUrl !== undefined ? { baseUrl } : {}) };
  if (!moves || credentials) return patch;
  if (ctx.storedKey) return { ...patch, credentials: null };
  if (ctx.envKey) {
    throw new StudioError(
      'FORBIDDEN',
      `The ${req.provider} key comes from ${ctx.envKeys.join(' and ')} in the environment, so its address does too: set STORYREEL_${req.provider.toUpperCase()}_URL there, or paste a key here together with the new address. Requests still go to ${ctx.currentBaseUrl}.`,
    );
  }
  return patch;
}

/** The facts planConfigure decides on, read from the store and the environment. */
export function configureContext(opts: {
  store: ProviderSettingsStore;
  provider: CloudProviderId;
  host: ConfigureContext['host'];
  envKeys: string[];
  env?: NodeJS.ProcessEnv;
}): ConfigureContext {
  const env = opts.env ?? process.env;
  const storedKey = Boolean(opts.store.credentials(opts.provider));
  const envUrl = env[`STORYREEL_${opts.provider.toUpperCase()}_URL`];
  const currentBaseUrl = normalizeBaseUrl((storedKey ? opts.store.baseUrl(opts.provider) : undefined) || envUrl || DEFAULT_BASE_URLS[opts.provider]);
  return { host: opts.host, storedKey, envKey: Boolean(envConfig(env)(opts.provider)), currentBaseUrl, envKeys: opts.envKeys };
}
