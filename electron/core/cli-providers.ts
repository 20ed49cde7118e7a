// `storyreel providers [--parameters] [--json]`: what each provider supports and whether it is configured.
import { CAPABILITIES, credentialEnvHint } from '../../shared/capabilities';
import { PARAMETERS, PARAMETER_MAP } from '../../shared/parameter-map';
import { ProviderIdSchema } from '../../shared/schema';
import { displayUrl } from './cli-media';
import { createAdapters, envConfig, keyHint } from './providers/registry';

export function cmdParameters(): void {
  const providers = Object.keys(PARAMETER_MAP.prompt) as (keyof (typeof PARAMETER_MAP)['prompt'])[];
  for (const param of PARAMETERS) {
    console.log(param);
    for (const p of providers) {
      const route = PARAMETER_MAP[param][p];
      console.log(`  ${p.padEnd(10)} ${route.how.padEnd(12)} ${route.wire}`);
    }
  }
}

/**
 * `providers --json`: `{ "providers": [{ id, label, paid, status, key, baseUrl, capabilities }] }` — status is
 * built-in | configured | not-configured | unavailable; key is `····1234` or null (never more of it); baseUrl
 * has no user:password@ or query. capabilities is the capability table's row for the provider, its credentials
 * given as the environment variables they are read from (envKeys) — the form fields' names are the studio's business.
 */
export function providersJson(env: NodeJS.ProcessEnv = process.env) {
  const resolve = envConfig(env);
  const available = createAdapters();
  return {
    providers: ProviderIdSchema.options.map((id) => {
      const { credentials: _fields, ...caps } = CAPABILITIES[id];
      const config = id === 'animatic' ? undefined : resolve(id);
      const status = id === 'animatic' ? 'built-in' : !available.has(id) ? 'unavailable' : config ? 'configured' : 'not-configured';
      return { id, label: caps.label, paid: caps.paid, status, key: keyHint(config) ?? null, baseUrl: config ? displayUrl(config.baseUrl) : null, capabilities: caps };
    }),
  };
}

export function cmdProviders(opts: { json?: boolean } = {}): void {
  if (opts.json) {
    console.log(JSON.stringify(providersJson(), null, 2));
    return;
  }
  const resolve = envConfig();
  const available = createAdapters();
  for (const id of ProviderIdSchema.options) {
    const caps = CAPABILITIES[id];
    const config = resolve(id);
    const status = id === 'animatic' ? 'built in, free' : !available.has(id) ? 'not in this build' : config ? `configured ${keyHint(config)} → ${displayUrl(config.baseUrl)}` : `not configured (set ${credentialEnvHint(id)})`;
    console.log(`${id.padEnd(10)} ${caps.label} — ${status}`);
    const can = [
      `${caps.minDurationSec}–${caps.maxDurationSec} s`,
      caps.aspectRatios.join(' '),
      `tiers ${caps.tiers.join('/')}`,
      caps.nativeAudio ? 'audio' : '',
      caps.maxVoices ? `≤${caps.maxVoices} voices` : '',
      caps.elements !== 'none' ? `elements (${caps.elements})` : '',
      caps.startFrame ? 'start frame' : '',
      caps.endFrame ? 'end frame' : '',
      caps.multiShot ? `multi-shot ≤${caps.multiShot.maxShots} (≥${caps.multiShot.minShotSec} s each)` : '',
      caps.cfgScale ? 'cfg' : '',
      caps.cancel === 'provider' ? 'cancel' : 'no cancel',
    ].filter(Boolean);
    console.log(`           ${can.join(' · ')}`);
    for (const note of caps.notes) console.log(`           note: ${note}`);
  }
}
