// Sizes of a start/end frame fitted to its shot: the shot's ratio, the picture's own resolution where it
// can, within the providers' limits (each side ≥ 300 px).
import { describe, expect, it } from 'vitest';
import { framePlan, frameMismatch } from '../../../shared/frame-fit';

describe('frame fit', () => {
  it('a 9:16 picture on a 16:9 shot is a mismatch; a 16:9 one (to the pixel or near it) is not', () => {
    expect(frameMismatch({ width: 1080, height: 1920 }, '16:9')).toBe(true);
    expect(frameMismatch({ width: 1920, height: 1080 }, '16:9')).toBe(false);
    expect(frameMismatch({ width: 1279, height: 720 }, '16:9')).toBe(false);
    expect(frameMismatch({ width: 1000, height: 1000 }, '9:16')).toBe(true);
  });

  it('pad keeps the whole picture inside a box of the shot ratio; crop covers a smaller one', () => {
    expect(framePlan({ width: 1080, height: 1920, aspect: '16:9', mode: 'pad' })).toEqual({ scaleWidth: 1080, scaleHeight: 1920, width: 3414, height: 1920 });
    expect(framePlan({ width: 1080, height: 1920, aspect: '16:9', mode: 'crop' })).toEqual({ scaleWidth: 1080, scaleHeight: 1920, width: 1080, height: 608 });
    expect(framePlan({ width: 1920, height: 1080, aspect: '1:1', mode: 'pad' })).toEqual({ scaleWidth: 1920, scaleHeight: 1080, width: 1920, height: 1920 });
  });

  it('a small crop grows to the 300 px minimum; a huge pad shrinks to 3840 px', () => {
    expect(framePlan({ width: 360, height: 640, aspect: '16:9', mode: 'crop' })).toEqual({ scaleWidth: 534, scaleHeight: 950, width: 534, height: 300 });
    const big = framePlan({ width: 4000, height: 7000, aspect: '16:9', mode: 'pad' });
    expect(big.width).toBe(3840);
    expect(big.height).toBe(2160);
    expect(big.scaleHeight).toBeLessThanOrEqual(2160);
  });
});
