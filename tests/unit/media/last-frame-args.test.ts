import { describe, expect, it } from 'vitest';
import { frameJob } from '../../../electron/core/media/last-frame-args';
import { runArgs } from '../../../electron/core/media/ffmpeg-args';

describe('frameJob: one exact frame, by number, as a PNG', () => {
  it('decodes from the start and keeps frame n alone (no -sseof time seek, which is not frame-exact)', () => {
    const args = runArgs(frameJob({ source: '/p/media/takes/a.mp4', frame: 120, output: '/tmp/f.png' }));
    expect(args).not.toContain('-sseof');
    expect(args).not.toContain('-ss');
    expect(args.slice(args.indexOf('-vf'), args.indexOf('-vf') + 2)).toEqual(['-vf', 'select=eq(n\\,120)']);
    expect(args.slice(args.indexOf('-frames:v'), args.indexOf('-frames:v') + 2)).toEqual(['-frames:v', '1']);
    expect(args.at(-1)).toBe('/tmp/f.png');
  });
});
