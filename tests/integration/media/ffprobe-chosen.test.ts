// Only the ffprobe the app chose is ever started (issue 13, item 5). fluent-ffmpeg's progress listener used to
// start one more ffprobe on every run — the first on PATH, whatever the app had chosen. Here an ffprobe that
// only records it was started is first on PATH; the chosen one (STORYREEL_FFPROBE) records and does the work.
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe, runFfmpeg, setSettingsFfmpeg } from '../../../electron/core/media/ffmpeg';
import { tempDir } from '../helpers';

const saved = { PATH: process.env.PATH, STORYREEL_FFPROBE: process.env.STORYREEL_FFPROBE };
let base: string;
const which = (name: string) => execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();

/** An ffprobe that appends its arguments to `log`, then runs the real one. */
async function recordingFfprobe(dir: string, log: string): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, 'ffprobe');
  await fs.writeFile(file, `#!/bin/sh\necho "$@" >> '${log}'\nexec '${which('ffprobe')}' "$@"\n`, { mode: 0o755 });
  return file;
}

beforeAll(async () => {
  base = await tempDir('sr-ffprobe-');
  // ffmpeg alone in its folder, so no ffprobe sits beside it.
  await fs.mkdir(path.join(base, 'ffmpeg-only'));
  await fs.symlink(which('ffmpeg'), path.join(base, 'ffmpeg-only', 'ffmpeg'));
  const stray = await recordingFfprobe(path.join(base, 'on-path'), path.join(base, 'stray.log'));
  const chosen = await recordingFfprobe(path.join(base, 'chosen'), path.join(base, 'chosen.log'));
  process.env.PATH = `${path.dirname(stray)}${path.delimiter}${process.env.PATH}`;
  process.env.STORYREEL_FFPROBE = chosen;
  setSettingsFfmpeg(path.join(base, 'ffmpeg-only', 'ffmpeg'));
});

afterAll(async () => {
  process.env.PATH = saved.PATH;
  if (saved.STORYREEL_FFPROBE === undefined) delete process.env.STORYREEL_FFPROBE;
  else process.env.STORYREEL_FFPROBE = saved.STORYREEL_FFPROBE;
  setSettingsFfmpeg(undefined);
  await fs.rm(base, { recursive: true, force: true });
});

describe('ffprobe', () => {
  it('is only ever the chosen one: an encode with progress and a probe start no ffprobe found on PATH', async () => {
    const clip = path.join(base, 'clip.mp4');
    const fractions: number[] = [];
    await runFfmpeg(
      { inputs: [{ source: 'testsrc=size=160x90:rate=24:d=1', options: ['-f', 'lavfi'] }], outputOptions: ['-c:v', 'libx264', '-preset', 'ultrafast'], output: clip, durationSec: 1 },
      { onProgress: (f) => fractions.push(f) },
    );
    // A second run reads the clip: an input that is a file, as a take's proxy or an export has.
    await runFfmpeg(
      { inputs: [{ source: clip, options: [] }], outputOptions: ['-c', 'copy'], output: path.join(base, 'copy.mp4'), durationSec: 1 },
      { onProgress: (f) => fractions.push(f) },
    );
    expect((await probe(clip)).video?.width).toBe(160);
    expect(fractions.length).toBeGreaterThan(0);
    expect(existsSync(path.join(base, 'stray.log'))).toBe(false);
    expect(await fs.readFile(path.join(base, 'chosen.log'), 'utf8')).toContain(clip);
  });
});
