// The core's concurrency helpers (electron/core/util/concurrency.ts): a few at a time, results in order; one at a time per key.
import { describe, expect, it } from 'vitest';
import { Gate, mapLimit, OneAtATime } from '../../../electron/core/util/concurrency';

/** A promise settled from outside, to finish work in any order the test chooses. */
function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<T>((r, j) => ((resolve = r), (reject = j)));
  return { promise, resolve, reject };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('mapLimit', () => {
  it('runs at most `limit` at once and returns the results in the order of the items, whatever order they finish in', async () => {
    const gates = [0, 1, 2, 3, 4].map(() => deferred());
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const all = mapLimit([10, 11, 12, 13, 14], 2, async (item, i) => {
      started.push(i);
      most = Math.max(most, ++running);
      await gates[i].promise;
      running--;
      return item * 2;
    });
    await tick();
    expect(started).toEqual([0, 1]);
    gates[1].resolve();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    for (const i of [4, 3, 2, 0]) gates[i].resolve();
    expect(await all).toEqual([20, 22, 24, 26, 28]);
    expect(most).toBe(2);
  });

  it('hands back a failure, and an empty list is an empty result', async () => {
    await expect(mapLimit([1, 2, 3], 2, async (n) => { if (n === 2) throw new Error('two failed'); return n; })).rejects.toThrow('two failed');
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
  });
});

describe('Gate', () => {
  it('lets `limit` pieces of work run at once and starts the waiting ones in the order they came', async () => {
    const gate = new Gate(2);
    const works = [0, 1, 2, 3].map(() => deferred<number>());
    const started: number[] = [];
    const runs = works.map((w, i) => gate.run(async () => { started.push(i); return w.promise; }));
    await tick();
    expect(started).toEqual([0, 1]);
    works[0].resolve(0);
    await tick();
    expect(started).toEqual([0, 1, 2]);
    works[2].resolve(2);
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    works[1].resolve(1);
    works[3].resolve(3);
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
  });

  it('frees the place of a piece of work that failed', async () => {
    const gate = new Gate(1);
    await expect(gate.run(async () => { throw new Error('bad'); })).rejects.toThrow('bad');
    expect(await gate.run(async () => 'next')).toBe('next');
  });
});

describe('OneAtATime', () => {
  it('runs work for one key after the work before it has ended (even when that failed); other keys do not wait', async () => {
    const one = new OneAtATime();
    const first = deferred<string>();
    const started: string[] = [];
    const a = one.run('job_1', async () => { started.push('a'); return first.promise; });
    const b = one.run('job_1', async () => { started.push('b'); return 'b'; });
    const c = one.run('job_2', async () => { started.push('c'); return 'c'; });
    await tick();
    expect(started).toEqual(['a', 'c']);
    first.reject(new Error('refused'));
    await expect(a).rejects.toThrow('refused');
    expect(await b).toBe('b');
    expect(await c).toBe('c');
    expect(started).toEqual(['a', 'c', 'b']);
  });
});
