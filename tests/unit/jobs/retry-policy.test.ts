// The one retry policy: how long the engine waits before asking a provider again, and how polling slows down.
import { describe, expect, it } from 'vitest';
import { RETRY, nextPollInterval, retryDelayMs } from '../../../electron/core/jobs/retry-policy';

const middle = () => 0.5; // no jitter
const low = () => 0;
const high = () => 0.999999;
const schedule = (policy: (typeof RETRY)[keyof typeof RETRY], random: () => number) => Array.from({ length: 9 }, (_, i) => Math.round(retryDelayMs(policy, i + 1, undefined, random)));

describe('retry policy', () => {
  it('submitting and polling back off exponentially from 1 s to a minute, ±15 %', () => {
    for (const policy of [RETRY.submit, RETRY.poll]) {
      expect(schedule(policy, middle)).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
      expect(schedule(policy, low)).toEqual([850, 1700, 3400, 6800, 13600, 27200, 51000, 51000, 51000]);
      expect(schedule(policy, high)).toEqual([1150, 2300, 4600, 9200, 18400, 36800, 69000, 69000, 69000]);
    }
  });

  it('a Retry-After is waited out in full, and at most 15 % longer', () => {
    expect(retryDelayMs(RETRY.submit, 3, { retryAfterMs: 7000 }, low)).toBe(7000);
    expect(retryDelayMs(RETRY.poll, 1, { retryAfterMs: 7000 }, high)).toBeCloseTo(8050, 0);
  });

  it('downloads back off from 1 s to 30 s without jitter, and take a Retry-After as given', () => {
    expect(schedule(RETRY.download, low)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
    expect(retryDelayMs(RETRY.download, 2, { retryAfterMs: 3000 }, high)).toBe(3000);
  });

  it('gives up after 5 submits, 12 failed polls in a row, 6 download attempts', () => {
    expect([RETRY.submit.attempts, RETRY.poll.attempts, RETRY.download.attempts]).toEqual([5, 12, 6]);
  });

  it('polls a working job ever less often, up to the adapter ceiling', () => {
    const seen = [1000];
    for (let i = 0; i < 5; i++) seen.push(nextPollInterval(seen.at(-1)!, 4000));
    expect(seen).toEqual([1000, 1500, 2250, 3375, 4000, 4000]);
  });
});
