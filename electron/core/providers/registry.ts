// Which providers exist, where each one's API lives and whose key it uses. Keys come from the environment
// here (the variables named in shared/capabilities.ts `credentials`, or `altCredentials` where a provider
// has another sign-in: FAL_KEY, REPLICATE_API_TOKEN, LUMENFALL_API_KEY, KLING_API_KEY or KLING_ACCESS_KEY +
// KLING_SECRET_KEY); the desktop app passes its own resolver backed by the OS keychain. Nothing here ever prints a key.
import { CAPABILITIES, type CloudProviderId, type CredentialField } from '../../../shared/capabilities';
import type { ProviderId } from '../../../shared/schema';
import { createAnimaticProvider } from './animatic';
import { createFalAdapter } from './fal';
import { DEFAULT_BASE_URLS } from './http';
import { createKlingAdapter } from './kling';
import { createLumenfallAdapter } from './lumenfall';
import { createReplicateAdapter } from './replicate';
import type { ProviderAdapter, ProviderConfig } from './provider';

export type { CloudProviderId };

/** The documented bases (the HTTP layer's table); a configured value replaces them exactly (docs/architecture.md §6). */
export { DEFAULT_BASE_URLS };

/** The credentials when every variable of this set is there, else undefined. */
function fromVariables(env: NodeJS.ProcessEnv, set: CredentialField[] | undefined): Record<string, string> | undefined {
  if (!set) return undefined;
  const credentials: Record<string, string> = {};
  for (const { name, env: variable } of set) {
    const value = env[variable]?.trim();
    if (!value) return undefined;
    credentials[name] = value;
  }
  return credentials;
}

export type ConfigResolver = (id: ProviderId) => ProviderConfig | undefined;

export function envConfig(env: NodeJS.ProcessEnv = process.env, baseUrls: Partial<Record<ProviderId, string>> = {}): ConfigResolver {
  return (id) => {
    if (id === 'animatic') return { baseUrl: 'local:', credentials: {} };
    // Another complete sign-in (Kling's single API key) wins over the key pair when it is set.
    const credentials = fromVariables(env, CAPABILITIES[id].altCredentials) ?? fromVariables(env, CAPABILITIES[id].credentials);
    if (!credentials) return undefined;
    const baseUrl = baseUrls[id] ?? env[`STORYREEL_${id.toUpperCase()}_URL`] ?? DEFAULT_BASE_URLS[id];
    return { baseUrl: baseUrl.replace(/\/+$/, ''), credentials };
  };
}

/** "configured ····1234" — all a person (or the renderer) ever sees of a key. */
export function keyHint(config: ProviderConfig | undefined): string | undefined {
  const first = config && Object.values(config.credentials)[0];
  return first ? `····${first.slice(-4)}` : undefined;
}

/** Adapter factories by provider. */
const factories: Record<ProviderId, () => ProviderAdapter> = {
  animatic: createAnimaticProvider,
  fal: createFalAdapter,
  replicate: createReplicateAdapter,
  lumenfall: createLumenfallAdapter,
  kling: () => createKlingAdapter(),
};

export function createAdapters(): Map<ProviderId, ProviderAdapter> {
  const map = new Map<ProviderId, ProviderAdapter>();
  for (const [id, make] of Object.entries(factories)) map.set(id as ProviderId, make());
  return map;
}
