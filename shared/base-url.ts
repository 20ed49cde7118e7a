// The rules for a provider base URL, shared by the core (which refuses) and Settings (which checks before
// asking about the saved key, so nobody confirms an address that would be refused anyway).

export type BaseUrlFrom = 'electron' | 'browser' | 'cli';

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Why `url` cannot be a base URL when set from `from`, in words ending "Nothing was saved."; undefined when
 * it can. A browser page may name https:// anywhere but http:// only on this computer: a plain-HTTP address
 * elsewhere would receive the key unencrypted (`forbidden`: allowed from the desktop app, not from here).
 */
export function baseUrlProblem(url: string, from: BaseUrlFrom): { message: string; forbidden: boolean } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { message: `"${url}" is not a URL. Nothing was saved.`, forbidden: false };
  }
  if (!['https:', 'http:'].includes(parsed.protocol)) return { message: 'A base URL must start with https:// (or http:// for a local proxy). Nothing was saved.', forbidden: false };
  if (from === 'browser' && parsed.protocol !== 'https:' && !isLoopbackHost(parsed.hostname)) {
    return {
      message: `In the browser, a base URL must be https:// (or http:// on this computer, like http://127.0.0.1:8080): ${parsed.origin} would receive your key unencrypted. Nothing was saved.`,
      forbidden: true,
    };
  }
  return undefined;
}

/** The form a base URL is stored and compared in: no trailing slashes. */
export function normalizeBaseUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}
