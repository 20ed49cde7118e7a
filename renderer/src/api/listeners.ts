// A tiny typed event hub shared by both transports.
import type { EventMap, EventName } from '../../../shared/api';

type AnyCb = (payload: never) => void;

export class EventHub {
  private readonly byEvent = new Map<string, Set<AnyCb>>();

  on<E extends EventName>(event: E, cb: (payload: EventMap[E]) => void): () => void {
    let set = this.byEvent.get(event);
    if (!set) this.byEvent.set(event, (set = new Set()));
    set.add(cb as AnyCb);
    return () => void set.delete(cb as AnyCb);
  }

  emit(event: string, payload: unknown): void {
    for (const cb of this.byEvent.get(event) ?? []) {
      try {
        (cb as (p: unknown) => void)(payload);
      } catch (err) {
        // One broken listener must not starve the others.
        console.error(`storyreel: listener for ${event} failed`, err);
      }
    }
  }
}
