// Poster images of ready takes (media.pictures), asked for once per take and cached for the session.
import { useEffect, useState } from 'react';
import { useServices } from '../../app/studio-context';

/** takeId → project-relative poster path, or null when the core could not make one. */
const cache = new Map<string, string | null>();
const inFlight = new Set<string>();

export function usePosters(takeIds: string[]): ReadonlyMap<string, string | null> {
  const { client } = useServices();
  const [, bump] = useState(0);
  const key = takeIds.join(',');
  useEffect(() => {
    const missing = takeIds.filter((id) => !cache.has(id) && !inFlight.has(id));
    if (missing.length === 0) return;
    let alive = true;
    missing.forEach((id) => inFlight.add(id));
    client
      .invoke('media.pictures', { takeIds: missing })
      .then((pictures) => {
        for (const t of pictures.takes) cache.set(t.takeId, t.poster ?? null);
      })
      .catch(() => {
        /* No posters: the cards show their number instead. Asked again next time the list changes. */
      })
      .finally(() => {
        missing.forEach((id) => inFlight.delete(id));
        if (alive) bump((n) => n + 1);
      });
    return () => {
      alive = false;
    };
  }, [client, key]);
  return cache;
}
