// Slots per provider, shared by every open project in this process. A provider's concurrency limit is
// an account limit (Kling's resource pack, fal's per-key queue), not a per-project one, so two projects
// generating at once share one set of slots: FIFO within a project, round-robin between projects, so a
// project that queued 50 shots first cannot starve one that queued 2 shots a moment later.
import { PROVIDER_IDS } from '../../../shared/capabilities';
import type { ProviderId } from '../../../shared/schema';

export interface SlotTicket {
  provider: ProviderId;
  /** The project (engine) the work belongs to; fairness is between owners. */
  owner: string;
  /** Runs the work; the slot is released when the promise settles. */
  start: () => Promise<void>;
}

export type ConcurrencyLimits = Partial<Record<ProviderId, number>>;

const DEFAULT_LIMIT = 4;
/** The animatic renders with ffmpeg on this machine: more than two at once only slows each down. */
const DEFAULT_LIMITS: ConcurrencyLimits = { animatic: 2 };

/**
 * Parses STORYREEL_CONCURRENCY, e.g. "fal:4,kling:2" (whitespace and ';' also separate). Anything it
 * cannot read is reported rather than silently ignored, so a typo does not pass for a setting.
 */
export function parseConcurrency(text: string | undefined): { limits: ConcurrencyLimits; problems: string[] } {
  const limits: ConcurrencyLimits = {};
  const problems: string[] = [];
  for (const part of (text ?? '').split(/[,;\s]+/).filter(Boolean)) {
    const m = /^([a-z]+)[:=](\d+)$/.exec(part.trim());
    const provider = m?.[1] as ProviderId | undefined;
    const n = Number(m?.[2]);
    if (!m || !(PROVIDER_IDS as readonly string[]).includes(provider!) || !Number.isInteger(n) || n < 1 || n > 64) {
      problems.push(`"${part}" (expected provider:number, e.g. fal:4, with a number from 1 to 64)`);
      continue;
    }
    limits[provider!] = n;
  }
  return { limits, problems };
}

export class SlotScheduler {
  private readonly limits = new Map<ProviderId, number>();
  private readonly active = new Map<ProviderId, number>();
  /** provider → owners in the order they joined → their FIFO of tickets. */
  private readonly waiting = new Map<ProviderId, Map<string, SlotTicket[]>>();
  /** provider → the owner whose ticket started last: the next start goes to the owner after it. */
  private readonly lastServed = new Map<ProviderId, string>();
  private readonly listeners = new Set<(provider: ProviderId) => void>();

  constructor(limits: ConcurrencyLimits = {}) {
    for (const [p, n] of Object.entries({ ...DEFAULT_LIMITS, ...limits })) this.limits.set(p as ProviderId, n!);
  }

  limit(provider: ProviderId): number {
    return this.limits.get(provider) ?? DEFAULT_LIMIT;
  }

  setLimit(provider: ProviderId, n: number): void {
    this.limits.set(provider, Math.max(1, Math.floor(n)));
    this.drain(provider);
  }

  running(provider: ProviderId): number {
    return this.active.get(provider) ?? 0;
  }

  /** Called whenever the order of a provider's waiting tickets changes (queue positions move). */
  onChange(listener: (provider: ProviderId) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  enqueue(ticket: SlotTicket): void {
    let owners = this.waiting.get(ticket.provider);
    if (!owners) this.waiting.set(ticket.provider, (owners = new Map()));
    let fifo = owners.get(ticket.owner);
    if (!fifo) owners.set(ticket.owner, (fifo = []));
    fifo.push(ticket);
    this.drain(ticket.provider);
    this.changed(ticket.provider);
  }

  /** Takes back a ticket that has not started (a canceled job); false when it already runs. */
  withdraw(ticket: SlotTicket): boolean {
    const fifo = this.waiting.get(ticket.provider)?.get(ticket.owner);
    const i = fifo?.indexOf(ticket) ?? -1;
    if (i < 0) return false;
    fifo!.splice(i, 1);
    this.prune(ticket.provider);
    this.changed(ticket.provider);
    return true;
  }

  /**
   * The order in which the waiting tickets of a provider will start, if nothing else joins: one from
   * each owner in turn. Position 0 starts next.
   */
  order(provider: ProviderId): SlotTicket[] {
    const owners = this.waiting.get(provider);
    if (!owners) return [];
    const keys = [...owners.keys()];
    const taken = new Map(keys.map((k) => [k, 0]));
    const out: SlotTicket[] = [];
    let last = this.lastServed.get(provider);
    for (;;) {
      const next = this.nextOwner(keys, last, (k) => taken.get(k)! < owners.get(k)!.length);
      if (next === undefined) return out;
      out.push(owners.get(next)![taken.get(next)!]);
      taken.set(next, taken.get(next)! + 1);
      last = next;
    }
  }

  /** The first owner after `last` in joining order (wrapping around) that still has something waiting. */
  private nextOwner(keys: string[], last: string | undefined, hasWork: (owner: string) => boolean): string | undefined {
    const from = last === undefined ? 0 : keys.indexOf(last) + 1;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[(from + i) % keys.length];
      if (hasWork(k)) return k;
    }
    return undefined;
  }

  private drain(provider: ProviderId): void {
    const owners = this.waiting.get(provider);
    let started = false;
    while (owners && this.running(provider) < this.limit(provider)) {
      const owner = this.nextOwner([...owners.keys()], this.lastServed.get(provider), (k) => owners.get(k)!.length > 0);
      if (owner === undefined) break;
      const ticket = owners.get(owner)!.shift()!;
      this.lastServed.set(provider, owner);
      this.active.set(provider, this.running(provider) + 1);
      started = true;
      void Promise.resolve()
        .then(ticket.start)
        .catch(() => {
          /* the work reports its own failures; the slot is freed either way */
        })
        .finally(() => {
          this.active.set(provider, this.running(provider) - 1);
          this.drain(provider);
        });
    }
    if (started) {
      this.prune(provider);
      this.changed(provider);
    }
  }

  /** Forgets owners with nothing waiting, except the one served last (its place in the rotation counts). */
  private prune(provider: ProviderId): void {
    const owners = this.waiting.get(provider);
    if (!owners) return;
    for (const [k, fifo] of owners) if (fifo.length === 0 && k !== this.lastServed.get(provider)) owners.delete(k);
  }

  private changed(provider: ProviderId): void {
    for (const l of this.listeners) l(provider);
  }
}

const fromEnv = parseConcurrency(process.env.STORYREEL_CONCURRENCY);
if (fromEnv.problems.length) {
  console.warn(`storyreel: STORYREEL_CONCURRENCY has parts that were ignored: ${fromEnv.problems.join('; ')}.`);
}

/** The one scheduler of this process (every Engine uses it unless a test hands it its own). */
export const sharedScheduler = new SlotScheduler(fromEnv.limits);
