// The Studio's dispatch table is built from the services' handlers: every contract method exactly once.
import { describe, expect, it } from 'vitest';
import { methods, type MethodName } from '../../../shared/api';
import { handlerTable, type Handlers } from '../../../electron/core/services/handlers';

const names = Object.keys(methods) as MethodName[];
/** A handler per method that answers with its own name, split between two made-up services. */
function parts(): Record<string, Partial<Handlers>> {
  const own = (m: MethodName) => (() => m) as unknown as Handlers[MethodName];
  const half = Math.ceil(names.length / 2);
  return {
    first: Object.fromEntries(names.slice(0, half).map((m) => [m, own(m)])),
    second: Object.fromEntries(names.slice(half).map((m) => [m, own(m)])),
  };
}

describe('handlerTable', () => {
  it('maps every contract method to the function of the service that handles it', () => {
    const table = handlerTable(parts());
    expect(Object.keys(table).sort()).toEqual([...names].sort());
    for (const m of names) expect((table[m] as unknown as () => string)()).toBe(m);
  });

  it('refuses a method handled by two services, naming both', () => {
    const p = parts();
    p.third = { 'shots.add': p.first['shots.add'] ?? p.second['shots.add'] };
    const owner = p.first['shots.add'] ? 'first' : 'second';
    expect(() => handlerTable(p)).toThrow(`shots.add is handled by both the ${owner} and the third service.`);
  });

  it('refuses a table with a contract method nobody handles, naming it', () => {
    const p = parts();
    delete p.first[names[0]];
    expect(() => handlerTable(p)).toThrow(`No service handles ${names[0]}.`);
  });

  it('refuses a handler for a method the contract does not have', () => {
    const p = parts();
    (p.second as Record<string, unknown>)['shots.explode'] = () => undefined;
    expect(() => handlerTable(p)).toThrow('The second service handles shots.explode, which is not a method of the contract.');
  });
});
