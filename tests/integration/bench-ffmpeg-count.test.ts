// The preview bench's ffmpeg counts (bench/ffmpeg-count.ts) read the command lines the studio's real jobs
// hand to setFfmpegLogger: a slate, a trimmed proxy of it, a sound copy-out and a stream-copy join, run for
// real in a folder whose name needs quoting. An encode miscounted here would misstate what an edit costs.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeOf, kindOf, splitCommand } from '../../bench/ffmpeg-count';
import { renderCard } from '../../electron/core/media/cards';
import { concatCopyJob, concatList, extractAudioJob, normalizeJob, stitchMixedMuxJob, targetFor } from '../../electron/core/media/ffmpeg-args';
import { runFfmpeg, setFfmpegLogger } from '../../electron/core/media/ffmpeg';
import { soundInput } from '../../electron/core/media/film-sound';
import { decodeJob } from '../../electron/core/media/pcm';
import { tempDir } from './helpers';

const t = targetFor('16:9');
let base: string;
const lines: string[] = [];
const cmd = (i: number) => splitCommand(lines[i]);

beforeAll(async () => {
  base = path.join(await tempDir('sr-bench-count-'), "it's a project");
  await fs.mkdir(path.join(base, 'cache', 'proxies'), { recursive: true });
  setFfmpegLogger((line) => lines.push(line));
  const slate = path.join(base, 'cache', 'slates', 'slate.mp4');
  await renderCard({ target: t, durationSec: 1, content: { label: 'NO TAKE YET', title: "Keeper's stairs", body: 'storm', footer: '1 s' }, style: 'slate', output: slate });
  const proxy = path.join(base, 'cache', 'proxies', 'trimmed.mp4');
  await runFfmpeg(normalizeJob({ source: slate, hasAudio: true, startSec: 0.25, durationSec: 0.5, target: t, output: proxy }));
  await runFfmpeg(extractAudioJob([{ source: slate, output: path.join(base, 'cache', 'a.aac') }, { source: proxy, output: path.join(base, 'cache', 'b.aac') }]));
  const list = path.join(base, 'cache', 'list.ffconcat');
  await fs.writeFile(list, concatList([slate, proxy]));
  await runFfmpeg(concatCopyJob(list, path.join(base, 'renders.mp4')));
  // The mixed preview: the slate's sound decoded for the mixer, then the picture copied beside the mix.
  const pcm = path.join(base, 'cache', 'slate.f32');
  await runFfmpeg(decodeJob({ source: slate, output: pcm }));
  await runFfmpeg(stitchMixedMuxJob({ videoList: list, sound: soundInput(pcm), output: path.join(base, 'mixed.mp4'), durationSec: 1.5 }));
}, 60_000);

afterAll(async () => {
  setFfmpegLogger(() => {});
  await fs.rm(path.dirname(base), { recursive: true, force: true });
});

describe('bench ffmpeg counts', () => {
  it('sees one logged line per ffmpeg run', () => {
    expect(lines).toHaveLength(6);
  });

  it('counts a slate as an encode of its length, even when run in a folder of its own', () => {
    expect(encodeOf(cmd(0))).toEqual({ encodes: true, seconds: 1, picture: true });
    expect(kindOf(cmd(0))).toBe('slate');
  });

  it('counts a trimmed proxy as an encode of the trimmed length, not the source’s, and finds its quoted path', () => {
    expect(encodeOf(cmd(1))).toEqual({ encodes: true, seconds: 0.5, picture: true });
    expect(cmd(1).at(-1)).toBe(path.join(base, 'cache', 'proxies', 'trimmed.mp4'));
    expect(kindOf(cmd(1))).toBe('picture proxy');
  });

  it('counts copying sound out and a stream-copy join as no encode', () => {
    expect(encodeOf(cmd(2))).toMatchObject({ encodes: false, seconds: 0 });
    expect(encodeOf(cmd(3))).toMatchObject({ encodes: false, seconds: 0 });
  });

  it('counts decoding sound for the mixer and the mixed join as sound encodes, with no picture encoded', () => {
    expect(encodeOf(cmd(4))).toMatchObject({ encodes: true, picture: false });
    expect(kindOf(cmd(4))).toBe('sound decoded for the mix');
    expect(encodeOf(cmd(5))).toMatchObject({ encodes: true, picture: false });
  });
});
