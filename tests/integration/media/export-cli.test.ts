// `storyreel export` as a person runs it: the preset follows --out's extension, a mismatch is refused
// before anything is encoded, and shots without a take are named as slates.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobe, storyreel, tempDir } from '../helpers';

let base: string;
let project: string;

beforeAll(async () => {
  base = await tempDir('sr-export-cli-');
  project = path.join(base, 'film.storyreel');
  await fs.writeFile(path.join(base, 'shots.csv'), 'title,prompt,duration\nOpening,The harbour at dawn,3\nKeeper,The keeper says hello,3\n');
  const created = await storyreel(['new', project, '--shots', path.join(base, 'shots.csv')]);
  expect(created.code, created.stderr).toBe(0);
});
afterAll(() => fs.rm(base, { recursive: true, force: true }));

describe('storyreel export', () => {
  it('writes a GIF when --out ends in .gif, and says which shots are still slates', async () => {
    const out = path.join(base, 'share.gif');
    const res = await storyreel(['export', project, '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('Exporting film as Animated GIF preview');
    expect(res.stdout).toMatch(/Exported 0:06 \(6\.\d\d s\) → .*share\.gif/);
    expect(res.stdout).toContain('2 shot(s) have no take yet and appear as slates; run storyreel render first');
    const info = await ffprobe(out);
    expect(info.streams[0]).toMatchObject({ codec_name: 'gif', width: 480, height: 270 });
    expect(existsSync(path.join(project, 'renders', 'export-gif.gif'))).toBe(true);
  });

  it('refuses a preset that does not match --out, and a quality out of range, exporting nothing', async () => {
    const mismatch = await storyreel(['export', project, '--preset', 'webm-vp9', '--out', path.join(base, 'film.mp4')]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain('does not match --preset webm-vp9, which writes a .webm file');
    const quality = await storyreel(['export', project, '--quality', '0']);
    expect(quality.code).toBe(1);
    expect(quality.stderr).toContain('--quality must be a whole number from 1 to 100, not "0"');
    expect(existsSync(path.join(base, 'film.mp4'))).toBe(false);
    expect(await fs.readdir(path.join(project, 'renders'))).toEqual(['export-gif.gif']);
  });
});
