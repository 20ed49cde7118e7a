// What a person reads of a place in the queue, and so when the engine tells them again.
import { describe, expect, it } from 'vitest';
import { queuePlace, queueStep } from '../../../shared/queue-place';

describe('queue place', () => {
  it('is exact near the front and in steps further back', () => {
    expect([0, 1, 9].map(queuePlace)).toEqual(['next', '1 ahead', '9 ahead']);
    expect([10, 19, 40, 99].map(queuePlace)).toEqual(['10+ ahead', '10+ ahead', '40+ ahead', '90+ ahead']);
    expect([100, 243, 299].map(queuePlace)).toEqual(['100+ ahead', '200+ ahead', '200+ ahead']);
  });

  it('never says fewer are ahead than are: the step is at most the place', () => {
    for (let p = 0; p < 1000; p++) expect(queueStep(p)).toBeLessThanOrEqual(p);
  });

  it('changes what is read about 20 times while a job walks from 300th to the front, not 300', () => {
    let told = 0;
    for (let p = 299; p >= 0; p--) if (p === 299 || queueStep(p) !== queueStep(p + 1)) told++;
    expect(told).toBeLessThanOrEqual(22);
  });
});
