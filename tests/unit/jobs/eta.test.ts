// ETA learned from earlier jobs: seconds of waiting per second of video, recent jobs weighted more.
import { describe, expect, it } from 'vitest';
import { etaSec, learn, rateKey } from '../../../electron/core/jobs/eta';

describe('learned ETA', () => {
  it('starts from the first finished job and follows later ones, recent jobs weighing more', () => {
    const key = rateKey('fal', 'standard');
    let rates = learn({ rates: {}, key, wallSec: 100, videoSec: 5 }); // 20 s per second of video
    expect(rates[key]).toEqual({ secPerSec: 20, samples: 1 });
    rates = learn({ rates, key, wallSec: 300, videoSec: 10 }); // 30: moves 30 % of the way
    expect(rates[key].secPerSec).toBeCloseTo(23, 6);
    expect(rates[key].samples).toBe(2);
    // Other provider × tier pairs are learned apart.
    expect(learn({ rates, key: rateKey('fal', 'pro'), wallSec: 10, videoSec: 5 })[key]).toEqual(rates[key]);
  });

  it('ignores jobs that tell nothing (no time or no video)', () => {
    expect(learn({ rates: {}, key: 'fal:standard', wallSec: 0, videoSec: 5 })).toEqual({});
    expect(learn({ rates: {}, key: 'fal:standard', wallSec: 10, videoSec: 0 })).toEqual({});
  });

  it('estimates the time left, and says nothing when it cannot tell', () => {
    const rate = { secPerSec: 20, samples: 3 };
    expect(etaSec({ rate, videoSec: 5, elapsedSec: 40 })).toBe(60);
    expect(etaSec({ rate, videoSec: 5, elapsedSec: 99.5 })).toBe(1);
    expect(etaSec({ rate, videoSec: 5, elapsedSec: 150 })).toBeUndefined(); // past what earlier jobs took
    expect(etaSec({ rate: undefined, videoSec: 5, elapsedSec: 0 })).toBeUndefined();
  });
});
