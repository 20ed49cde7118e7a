// Media URLs for project-relative paths. Each path segment is encoded on its own so a file name with
// spaces, `#` or `?` survives, while the `/` separators stay separators.
import { MEDIA_SCHEME } from '../../../shared/transport';

export function encodeRelPath(relPath: string): string {
  return relPath
    .split(/[\\/]+/)
    .filter(Boolean)
    .map(encodeURIComponent)
    .join('/');
}

/** Desktop: storyreel-media://project/<path>[?v=key]. */
export function desktopMediaUrl(relPath: string, cacheKey?: string): string {
  const base = `${MEDIA_SCHEME}://project/${encodeRelPath(relPath)}`;
  return cacheKey ? `${base}?v=${encodeURIComponent(cacheKey)}` : base;
}

/** Browser host: /media/<path>?token=…[&v=key]. */
export function hostMediaUrl(input: { relPath: string; token: string; cacheKey?: string }): string {
  const base = `/media/${encodeRelPath(input.relPath)}?token=${encodeURIComponent(input.token)}`;
  return input.cacheKey ? `${base}&v=${encodeURIComponent(input.cacheKey)}` : base;
}
