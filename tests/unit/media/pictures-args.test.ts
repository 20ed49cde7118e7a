import { describe, expect, it } from 'vitest';
import { toArgs } from '../../../electron/core/media/ffmpeg-args';
import { filmstripFrameSize, filmstripJob, posterJob, posterTime, waveformJob, waveformWidth } from '../../../electron/core/media/pictures-args';
import { PictureQueue } from '../../../electron/core/media/pictures';

const after = (args: string[], flag: string) => args[args.lastIndexOf(flag) + 1];

describe('picture jobs', () => {
  it('takes the poster 1 s in, or from the middle of a very short clip', () => {
    expect(posterTime(5)).toBe(1);
    expect(posterTime(2)).toBe(1);
    expect(posterTime(1.2)).toBeCloseTo(0.6, 6);
    expect(posterTime(0)).toBe(0);
  });

  it('seeks to the poster frame before decoding and fits it in a 320 px box, on one thread', () => {
    const args = toArgs(posterJob({ source: '/p/t.mp4', durationSec: 5, output: '/p/cache/pictures/x.jpg' }));
    expect(args.slice(2, 8)).toEqual(['-threads', '1', '-ss', '1.000', '-i', '/p/t.mp4']);
    expect(after(args, '-frames:v')).toBe('1');
    expect(after(args, '-vf')).toBe('scale=320:320:force_original_aspect_ratio=decrease:flags=bicubic');
    expect(after(args, '-threads')).toBe('1');
  });

  it('lays ten evenly spaced frames side by side in one decode pass', () => {
    expect(filmstripFrameSize(1280, 720)).toEqual({ frameWidth: 128, frameHeight: 72 });
    expect(filmstripFrameSize(720, 1280)).toEqual({ frameWidth: 40, frameHeight: 72 });
    const args = toArgs(filmstripJob({ source: '/p/t.mp4', durationSec: 5, width: 1280, height: 720, output: '/o.jpg' }));
    expect(after(args, '-vf')).toBe('fps=fps=10/5.000,scale=128:72:flags=bilinear,setsar=1,tile=10x1');
    expect(after(args, '-frames:v')).toBe('1');
    expect(args.filter((a) => a === '-threads')).toHaveLength(2);
  });

  it('draws the waveform wide enough to zoom into, within bounds', () => {
    expect(waveformWidth(60)).toBe(1500);
    expect(waveformWidth(3)).toBe(400);
    expect(waveformWidth(3600)).toBe(8000);
    const args = toArgs(waveformJob({ source: '/p/m.mp3', durationSec: 60, output: '/o.png' }));
    expect(after(args, '-filter_complex')).toBe('[0:a:0]aformat=channel_layouts=mono,showwavespic=s=1500x96:colors=0xE8A33D:scale=sqrt:draw=full[w]');
  });
});

describe('picture queue', () => {
  const deferred = () => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  };

  it('runs one task at a time, in the order asked', async () => {
    const q = new PictureQueue();
    const order: string[] = [];
    let running = 0;
    let most = 0;
    const gates = [deferred(), deferred(), deferred()];
    const runs = gates.map((g, i) =>
      q.run(`k${i}`, async () => {
        running++;
        most = Math.max(most, running);
        order.push(`start ${i}`);
        await g.promise;
        running--;
        return i;
      }),
    );
    expect(q.size).toBe(3);
    gates[2].resolve();
    gates[1].resolve();
    await Promise.resolve();
    gates[0].resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(order).toEqual(['start 0', 'start 1', 'start 2']);
    expect(most).toBe(1);
    expect(q.size).toBe(0);
  });

  it('shares one run between two requests for the same picture, and keeps going after a failure', async () => {
    const q = new PictureQueue();
    let calls = 0;
    const a = q.run('same', async () => ++calls);
    const b = q.run('same', async () => ++calls);
    const failing = q.run('bad', async () => {
      throw new Error('broken clip');
    });
    const later = q.run('later', async () => 'done');
    expect(await a).toBe(1);
    expect(await b).toBe(1);
    await expect(failing).rejects.toThrow('broken clip');
    expect(await later).toBe('done');
    expect(calls).toBe(1);
  });
});
