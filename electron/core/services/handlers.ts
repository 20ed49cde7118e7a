// The contract's handler types and the one table Studio dispatches through. Each service hands in the
// handlers of its own methods; the table holds every contract method exactly once.
import type { z } from 'zod';
import { methods, type EventMap, type EventName, type MethodName, type MethodOutput } from '../../../shared/api';

export type Handler<M extends MethodName> = (input: z.output<(typeof methods)[M]['input']>) => Promise<MethodOutput<M>> | MethodOutput<M>;
export type Handlers = { [M in MethodName]: Handler<M> };

/** Sends one contract event to whoever listens to the studio (IPC, the browser host, the CLI). */
export type Send = <E extends EventName>(event: E, payload: EventMap[E]) => void;

/**
 * Joins the services' handlers into the dispatch table. A method handled by two services, or by none, is a
 * programming error found when the studio is built, not when a person first calls it.
 */
export function handlerTable(parts: Record<string, Partial<Handlers>>): Handlers {
  const table: Record<string, unknown> = {};
  const owner: Record<string, string> = {};
  for (const [service, handlers] of Object.entries(parts)) {
    for (const [method, handler] of Object.entries(handlers)) {
      if (!(method in methods)) throw new Error(`The ${service} service handles ${method}, which is not a method of the contract.`);
      if (owner[method]) throw new Error(`${method} is handled by both the ${owner[method]} and the ${service} service.`);
      owner[method] = service;
      table[method] = handler;
    }
  }
  const missing = Object.keys(methods).filter((m) => !owner[m]);
  if (missing.length) throw new Error(`No service handles ${missing.join(', ')}.`);
  return table as Handlers;
}
