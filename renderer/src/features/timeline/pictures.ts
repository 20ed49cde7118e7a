// Posters, filmstrips and waveforms for the shot list and the timeline. The core makes them in the
// background with ffmpeg; here they are asked for only once a row or block has come into view, in one
// batched media.pictures call per burst, and remembered for the session (a take's pictures never change:
// a take is a fixed file). Nothing waits on them: a block without its filmstrip is simply drawn plain.
import { useEffect, useState, useSyncExternalStore, type RefObject } from 'react';
import type { Pictures } from '../../../../shared/api';
import type { AppClient } from '../../api/client';
import { useServices } from '../../app/studio-context';

export type TakePictures = Pictures['takes'][number];
export type LanePictures = Pictures['lanes'][number];

/** Pending entries are null; an entry never goes back to pending, so a failure is not retried in a loop. */
export class PictureCache {
  private readonly takes = new Map<string, TakePictures | null>();
  private readonly lanes = new Map<string, LanePictures | null>();
  private wantTakes = new Set<string>();
  private wantLanes = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly client: Pick<AppClient, 'invoke'>) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  take(id: string): TakePictures | null | undefined {
    return this.takes.get(id);
  }

  lane(key: string): LanePictures | null | undefined {
    return this.lanes.get(key);
  }

  requestTake(id: string): void {
    if (this.takes.has(id)) return;
    this.takes.set(id, null);
    this.wantTakes.add(id);
    this.schedule();
  }

  /** Lanes are keyed by id and path together, so a lane whose file changed is asked for again. */
  requestLane(laneId: string, path: string): void {
    const key = laneKey(laneId, path);
    if (this.lanes.has(key)) return;
    this.lanes.set(key, null);
    this.wantLanes.add(key);
    this.schedule();
  }

  private schedule(): void {
    // Rows and blocks scrolled into view in the same moment share one call.
    this.timer ??= setTimeout(() => void this.flush(), 40);
  }

  private async flush(): Promise<void> {
    this.timer = null;
    const takeIds = [...this.wantTakes].slice(0, 1000);
    const laneKeys = [...this.wantLanes].slice(0, 100);
    for (const id of takeIds) this.wantTakes.delete(id);
    for (const key of laneKeys) this.wantLanes.delete(key);
    if (this.wantTakes.size > 0 || this.wantLanes.size > 0) this.schedule();
    if (takeIds.length === 0 && laneKeys.length === 0) return;
    const laneIds = laneKeys.map((k) => k.slice(0, k.indexOf('\u0000')));
    try {
      // Both lists always sent: an omitted one means "everything" to the core.
      const answer = await this.client.invoke('media.pictures', { takeIds, laneIds });
      const gotTakes = new Map(answer.takes.map((t) => [t.takeId, t]));
      for (const id of takeIds) this.takes.set(id, gotTakes.get(id) ?? { takeId: id, error: 'no picture' });
      const gotLanes = new Map(answer.lanes.map((l) => [l.laneId, l]));
      laneKeys.forEach((key, i) => this.lanes.set(key, gotLanes.get(laneIds[i]) ?? { laneId: laneIds[i], error: 'no picture' }));
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      for (const id of takeIds) this.takes.set(id, { takeId: id, error });
      laneKeys.forEach((key, i) => this.lanes.set(key, { laneId: laneIds[i], error }));
    }
    for (const listener of this.listeners) listener();
  }
}

function laneKey(laneId: string, path: string): string {
  return `${laneId}\u0000${path}`;
}

// One cache per client (per studio), not a module singleton: a test that mounts its own studio gets its own.
const caches = new WeakMap<object, PictureCache>();

export function usePictureCache(): PictureCache {
  const { client } = useServices();
  let cache = caches.get(client);
  if (!cache) {
    cache = new PictureCache(client);
    caches.set(client, cache);
  }
  return cache;
}

// One IntersectionObserver for every row and block; an element counts as seen once and stays seen.
type SeenCallback = () => void;
let observer: IntersectionObserver | null = null;
const callbacks = new WeakMap<Element, SeenCallback>();

function observe(el: Element, onSeen: SeenCallback): () => void {
  if (typeof IntersectionObserver === 'undefined') {
    onSeen();
    return () => {};
  }
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        callbacks.get(entry.target)?.();
        callbacks.delete(entry.target);
        observer?.unobserve(entry.target);
      }
    },
    { rootMargin: '300px' },
  );
  callbacks.set(el, onSeen);
  observer.observe(el);
  return () => {
    callbacks.delete(el);
    observer?.unobserve(el);
  };
}

/** True once the element has been within 300 px of the visible area. */
export function useSeen(ref: RefObject<Element | null>): boolean {
  const [seen, setSeen] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (seen || !el) return;
    return observe(el, () => setSeen(true));
  }, [ref, seen]);
  return seen;
}

/** The pictures of a ready take, once the element showing it has come into view. */
export function useTakePictures(takeId: string | undefined, ref: RefObject<Element | null>): TakePictures | undefined {
  const cache = usePictureCache();
  const seen = useSeen(ref);
  useEffect(() => {
    if (seen && takeId) cache.requestTake(takeId);
  }, [cache, seen, takeId]);
  return useSyncExternalStore(cache.subscribe, () => (takeId ? (cache.take(takeId) ?? undefined) : undefined));
}

/** An audio lane's waveform (asked for at once: there are only a few lanes). */
export function useLaneWaveform(laneId: string, path: string): LanePictures | undefined {
  const cache = usePictureCache();
  useEffect(() => cache.requestLane(laneId, path), [cache, laneId, path]);
  return useSyncExternalStore(cache.subscribe, () => cache.lane(laneKey(laneId, path)) ?? undefined);
}
