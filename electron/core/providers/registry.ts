// Which providers exist, where each one's API lives and whose key it uses. Keys come from the environment
// here (FAL_KEY, REPLICATE_API_TOKEN, LUMENFALL_API_KEY, KLING_API_KEY or KLING_ACCESS_KEY + KLING_SECRET_KEY); the desktop
// app passes its own resolver backed by the OS keychain. Nothing here ever prints a key.
import type { CloudProviderId } from '../../../shared/capabilities';
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

const CREDENTIAL_ENV: Record<CloudProviderId, Record<string, string>> = {
  fal: { key: 'FAL_KEY' },
  replicate: { key: 'REPLICATE_API_TOKEN' },
  lumenfall: { key: 'LUMENFALL_API_KEY' },
  kling: { accessKey: 'KLING_ACCESS_KEY', secretKey: 'KLING_SECRET_KEY' },
};

/**
 * Another complete way to sign in, used in place of CREDENTIAL_ENV when it is set: Kling now issues a
 * single API key sent as a Bearer token (docs/providers.md §5.1). It wins over the key pair.
 */
const ALTERNATIVE_CREDENTIAL_ENV: Partial<Record<CloudProviderId, Record<string, string>>> = {
  kling: { apiKey: 'KLING_API_KEY' },
};

/** The credentials when every variable of this set is there, else undefined. */
function fromVariables(env: NodeJS.ProcessEnv, set: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!set) return undefined;
  const credentials: Record<string, string> = {};
  for (const [name, variable] of Object.entries(set)) {
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
    const credentials = fromVariables(env, ALTERNATIVE_CREDENTIAL_ENV[id]) ?? fromVariables(env, CREDENTIAL_ENV[id]);
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

export function credentialEnv(id: CloudProviderId): string[] {
  return Object.values(CREDENTIAL_ENV[id]);
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
