// Kling's two ways to sign a request (docs/providers.md §5.1): a single API key sent as it is
// (`Authorization: Bearer <key>`, the form Kling issues now), or the older access key + secret key pair,
// from which a short-lived HS256 JWT is made per request. Nothing here logs or returns a key except as
// the header value it belongs in.
import { SignJWT } from 'jose';
import type { AdapterContext } from './provider';
import { ProviderError } from './provider-error';

/** A JWT lives 30 minutes (§5.1); a cached one is replaced 5 minutes before it runs out. */
const TOKEN_LIFETIME_SEC = 1800;
const TOKEN_RENEW_BEFORE_SEC = 300;

export type KlingCredentials = { apiKey: string } | { accessKey: string; secretKey: string };

/**
 * Which credential form a configuration holds. The API key wins when both are there: it is the form Kling
 * issues today. Throws an auth error (nothing is sent) when neither form is complete.
 */
export function klingCredentials(credentials: Record<string, string | undefined>): KlingCredentials {
  const apiKey = credentials.apiKey?.trim();
  if (apiKey) return { apiKey };
  const accessKey = credentials.accessKey?.trim() ?? '';
  const secretKey = credentials.secretKey?.trim() ?? '';
  if (accessKey && secretKey) return { accessKey, secretKey };
  const missing = accessKey ? 'secret key' : secretKey ? 'access key' : 'API key (or access key and secret key)';
  throw new ProviderError({ provider: 'kling', kind: 'auth', providerMessage: `no ${missing} is configured` });
}

/** Every secret in a configuration, so an answer that repeats one can be scrubbed before it is read. */
export function klingSecrets(credentials: Record<string, string | undefined>): string[] {
  return [credentials.apiKey, credentials.secretKey].map((s) => s?.trim() ?? '').filter((s) => s.length >= 6);
}

export function createKlingAuth(now: () => number) {
  let cached: { ak: string; sk: string; token: string; exp: number } | undefined;

  const jwt = async (ak: string, sk: string): Promise<string> => {
    const nowSec = Math.floor(now() / 1000);
    if (cached && cached.ak === ak && cached.sk === sk && cached.exp - TOKEN_RENEW_BEFORE_SEC > nowSec && cached.exp - TOKEN_LIFETIME_SEC - 5 <= nowSec) {
      return cached.token;
    }
    const exp = nowSec + TOKEN_LIFETIME_SEC;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ak)
      .setExpirationTime(exp)
      .setNotBefore(nowSec - 5)
      .sign(new TextEncoder().encode(sk));
    cached = { ak, sk, token, exp };
    return token;
  };

  /** The Authorization header value for one request. */
  return async (ctx: AdapterContext): Promise<string> => {
    const creds = klingCredentials(ctx.config.credentials);
    return `Bearer ${'apiKey' in creds ? creds.apiKey : await jwt(creds.accessKey, creds.secretKey)}`;
  };
}
