// Provider keys and base URLs chosen in Settings. The core defines the store's shape; the desktop app
// implements it with Electron's safeStorage (OS keychain) and the CLI/browser host with the environment
// alone. Whatever the store, a key only ever leaves it as "····1234".
import { baseUrlProblem, normalizeBaseUrl, type BaseUrlFrom } from '../../../shared/base-url';
import { CAPABILITIES } from '../../../shared/capabilities';
import { StudioError } from '../../../shared/errors';
import type { ProviderId } from '../../../shared/schema';
import type { ProviderConfig } from './provider';
import { DEFAULT_BASE_URLS, envConfig, type CloudProviderId, type ConfigResolver } from './registry';

export interface ProviderSettingsStore {
  /** False where keys can only come from the environment (CLI, browser host). */
  readonly writable: boolean;
  credentials(id: CloudProviderId): Record<string, string> | undefined;
  baseUrl(id: CloudProviderId): string | undefined;
  set(id: CloudProviderId, patch: { credentials?: Record<string, string> | null; baseUrl?: string | null }): void;
}

/** Settings first, then the environment (FAL_KEY, STORYREEL_FAL_URL, …), then the documented base. */
export function resolverWith(store: ProviderSettingsStore | undefined, env: NodeJS.ProcessEnv = process.env): ConfigResolver {
  const fromEnv = envConfig(env);
  return (id: ProviderId): ProviderConfig | undefined => {
    if (id === 'animatic' || !store) return fromEnv(id);
    const stored = store.credentials(id);
    const envCfg = fromEnv(id);
    const credentials = stored ?? envCfg?.credentials;
    if (!credentials) return undefined;
    // An address chosen in Settings goes with the key saved there, never with a key from the environment.
    const baseUrl = (stored ? store.baseUrl(id) : undefined) || env[`STORYREEL_${id.toUpperCase()}_URL`] || DEFAULT_BASE_URLS[id];
    return { baseUrl: baseUrl.replace(/\/+$/, ''), credentials };
  };
}

/**
 * Keeps the provider's credential fields (shared/capabilities.ts `credentials`, or `altCredentials` when any
 * of those is given: Kling's single API key, §5.1), trimmed; refuses an empty one.
 */
export function checkCredentials(id: CloudProviderId, creds: Record<string, string>): Record<string, string> {
  const alternative = CAPABILITIES[id].altCredentials?.map((c) => c.name);
  const useAlternative = alternative?.some((name) => creds[name]?.trim()) ?? false;
  const required = useAlternative ? alternative! : CAPABILITIES[id].credentials.map((c) => c.name);
  const out: Record<string, string> = {};
  for (const name of required) {
    const v = creds[name]?.trim();
    if (!v) {
      const or = alternative && !useAlternative ? ` (or ${alternative.join(' and ')})` : '';
      throw new StudioError('INVALID_INPUT', `${id} needs ${required.join(' and ')}${or}; ${name} is empty. Nothing was saved.`);
    }
    out[name] = v;
  }
  return out;
}

export function checkBaseUrl(url: string, from: BaseUrlFrom = 'electron'): string {
  const problem = baseUrlProblem(url, from);
  if (problem) throw new StudioError(problem.forbidden ? 'FORBIDDEN' : 'INVALID_INPUT', problem.message);
  return normalizeBaseUrl(url);
}
