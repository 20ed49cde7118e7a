// The queue behind "pressed twice quickly, moved twice" (renderer/src/store/one-after-another.ts): the second
// task starts only once the first has settled, so it reads what the first left, even when the first fails.
import { describe, expect, it } from 'vitest';
import { oneAfterAnother } from '../../../renderer/src/store/one-after-another';

/** A slow core: each move answers later than the next key press arrives, then the order changes. */
function slowOrder(initial: string[]) {
  let order = initial;
  return {
    read: () => order,
    move: (id: string, step: -1 | 1) =>
      new Promise<void>((resolve) =>
        setTimeout(() => {
          const from = order.indexOf(id);
          const next = order.filter((x) => x !== id);
          next.splice(from + step, 0, id);
          order = next;
          resolve();
        }, 20),
      ),
  };
}

describe('oneAfterAnother', () => {
  it('starts the second move from the order the first one left, so two presses move two places', async () => {
    const core = slowOrder(['a', 'b', 'c', 'd']);
    const queue = oneAfterAnother();
    const seen: string[][] = [];
    const press = () =>
      queue(async () => {
        seen.push(core.read());
        await core.move('a', 1);
      });
    // Both pressed before the first answer.
    const done = [press(), press()];
    await Promise.all(done);
    expect(seen).toEqual([
      ['a', 'b', 'c', 'd'],
      ['b', 'a', 'c', 'd'],
    ]);
    expect(core.read()).toEqual(['b', 'c', 'a', 'd']);
  });

  it('keeps going after a task that fails, and hands that failure to its own caller only', async () => {
    const queue = oneAfterAnother();
    const ran: string[] = [];
    const failed = queue(async () => {
      ran.push('first');
      throw new Error('refused');
    });
    const next = queue(async () => {
      ran.push('second');
      return 2;
    });
    await expect(failed).rejects.toThrow('refused');
    await expect(next).resolves.toBe(2);
    expect(ran).toEqual(['first', 'second']);
  });
});
