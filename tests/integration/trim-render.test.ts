// `storyreel render` after retimes: shortening a shot generates nothing (its take is trimmed, the cut gets
// shorter); lengthening it past its take generates that shot again, estimated first; a render with nothing
// changed generates nothing.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobe, storyreel, tempDir } from './helpers';

let base: string;
let dir: string;
const doc = async () => JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8'));
async function retime(title: string, durationSec: number) {
  const p = await doc();
  p.shots.find((s: { title: string }) => s.title === title).durationSec = durationSec;
  await fs.writeFile(path.join(dir, 'project.json'), JSON.stringify(p, null, 2));
}
const jobs = async () => JSON.parse(await fs.readFile(path.join(dir, 'jobs.json'), 'utf8')).jobs.length;
const cutSec = async () => Number((await ffprobe(path.join(dir, 'renders', 'preview.mp4'))).format.duration);

beforeAll(async () => {
  base = await tempDir('sr-trim-render-');
  dir = path.join(base, 'film.storyreel');
  await fs.writeFile(path.join(base, 'shots.csv'), 'title,prompt,duration\nHarbour,Boats at dawn,6\nStorm,Waves on the rocks,4\n');
  expect((await storyreel(['new', dir, '--shots', path.join(base, 'shots.csv')])).code).toBe(0);
  const first = await storyreel(['render', dir]);
  expect(first.code, first.stderr).toBe(0);
  expect(await jobs()).toBe(2);
}, 120_000);
afterAll(() => fs.rm(base, { recursive: true, force: true }));

describe('render after a retime', () => {
  it('shortening a shot generates nothing: the take is trimmed and the cut is shorter', async () => {
    await retime('Harbour', 3);
    const res = await storyreel(['render', dir]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).not.toMatch(/Generating/);
    expect(await jobs()).toBe(2);
    expect(Math.abs((await cutSec()) - 7)).toBeLessThan(1 / 24);
    // And again with nothing changed: still nothing.
    const again = await storyreel(['render', dir]);
    expect(again.stdout).not.toMatch(/Generating/);
    expect(await jobs()).toBe(2);
  }, 120_000);

  it('lengthening past the take generates that shot again, with an estimate first', async () => {
    await retime('Harbour', 8);
    const res = await storyreel(['render', dir]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/Estimate: \$0\.00 for 1 request \(8 s of video\)/);
    expect(res.stdout).toContain('Generating 1 shot');
    expect(await jobs()).toBe(3);
    expect(Math.abs((await cutSec()) - 12)).toBeLessThan(1 / 24);
  }, 120_000);
});
