// `storyreel doctor`, `storyreel import-take` and the takes.import / trim API, with real ffmpeg.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Studio } from '../../../electron/core/api';
import { CLI, ROOT, ffprobe, tempDir } from '../helpers';
import { makeClip, sha256 } from './stitch-helpers';

const exec = promisify(execFile);

async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 16 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

let base: string;
let project: string;
const readDoc = async () => JSON.parse(await fs.readFile(path.join(project, 'project.json'), 'utf8'));

beforeAll(async () => {
  base = await tempDir('sr-import-');
  project = path.join(base, 'film.storyreel');
  await fs.writeFile(path.join(base, 'shots.csv'), 'title,prompt,duration\nHarbour,Boats at dawn,3\nStorm,Waves on the rocks,4\n');
  const made = await cli(['new', project, '--shots', path.join(base, 'shots.csv')]);
  expect(made.code, made.stderr).toBe(0);
  // 25 fps, 320×180, 44.1 kHz mono: nothing like the cut's format.
  await makeClip(path.join(base, 'from-editor.mov'), { seconds: 2.5, fps: 25, width: 320, height: 180, bright: true, audio: { rate: 44100, channels: 1 }, encode: 'plain' });
  await fs.writeFile(path.join(base, 'notes.txt'), 'not a video\n'.repeat(100));
});
afterAll(() => fs.rm(base, { recursive: true, force: true }));

describe('storyreel doctor', () => {
  it('prints the ffmpeg and ffprobe in use, their versions, features and search order, and the providers without keys', async () => {
    const secret = 'fal-secret-key-0123456789abcdef';
    const res = await cli(['doctor'], { FAL_KEY: secret, STORYREEL_FAL_URL: 'https://user:pw@proxy.example/fal?token=zzz' });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toMatch(/ffmpeg +\/\S*ffmpeg +\(version \S+, found via/);
    expect(res.stdout).toMatch(/ffprobe +\/\S*ffprobe +\(version \S+\)/);
    expect(res.stdout).toMatch(/features +libx264 (yes|NO) · drawtext (yes|NO) · flite (yes|NO)/);
    expect(res.stdout).toMatch(/STORYREEL_FFMPEG: +not set/);
    expect(res.stdout).toMatch(/← in use/);
    expect(res.stdout).toMatch(/fal +fal\.ai.*: configured → https:\/\/proxy\.example\/fal\n/);
    expect(res.stdout).toMatch(/replicate .*not configured \(set REPLICATE_API_TOKEN\)/);
    expect(res.stdout).toMatch(/kling .*not configured \(set KLING_API_KEY, or KLING_ACCESS_KEY and KLING_SECRET_KEY\)/);
    // Not the key, not its last characters, not the proxy's password or token.
    for (const leak of [secret, 'cdef', 'pw@', 'zzz']) expect(res.stdout + res.stderr).not.toContain(leak);
  });

  it('uses the ffmpeg chosen in this computer’s settings over STORYREEL_FFMPEG, and STORYREEL_FFPROBE for ffprobe', async () => {
    // Real binaries under other names, so each line of the output can only come from one place.
    const bins = path.join(base, 'bins');
    for (const [dir, name, target] of [['chosen', 'ffmpeg', 'ffmpeg'], ['env', 'ffmpeg', 'ffmpeg'], ['probe', 'ffprobe', 'ffprobe']]) {
      await fs.mkdir(path.join(bins, dir), { recursive: true });
      const { stdout } = await exec('sh', ['-c', `command -v ${target}`]);
      await fs.symlink(stdout.trim(), path.join(bins, dir, name)).catch(() => {});
    }
    const config = path.join(base, 'config');
    await fs.mkdir(config, { recursive: true });
    await fs.writeFile(path.join(config, 'settings.json'), JSON.stringify({ ffmpegPath: path.join(bins, 'chosen', 'ffmpeg') }));
    const env = { STORYREEL_CONFIG_DIR: config, STORYREEL_FFMPEG: path.join(bins, 'env', 'ffmpeg'), STORYREEL_FFPROBE: path.join(bins, 'probe', 'ffprobe') };
    const res = await cli(['doctor'], env);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain(`ffmpeg    ${path.join(bins, 'chosen', 'ffmpeg')}  (version `);
    expect(res.stdout).toContain('found via Settings)');
    expect(res.stdout).toContain(`ffprobe   ${path.join(bins, 'probe', 'ffprobe')}  (version `);
    expect(res.stdout).toMatch(new RegExp(`Settings: +${path.join(bins, 'chosen', 'ffmpeg').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}  ← in use`));
    expect(res.stdout).toMatch(/STORYREEL_FFMPEG: +not needed/);
    // Without the settings file, the environment variable is next in line; the settings line says where it looked.
    await fs.rm(path.join(config, 'settings.json'));
    const next = await cli(['doctor'], env);
    expect(next.stdout).toContain(`ffmpeg    ${path.join(bins, 'env', 'ffmpeg')}  (version `);
    expect(next.stdout).toContain('found via STORYREEL_FFMPEG)');
    expect(next.stdout).toContain(`Settings:          not set (${path.join(config, 'settings.json')})`);
  });

  it('says which setting is wrong when STORYREEL_FFMPEG points nowhere, and fails', async () => {
    const res = await cli(['doctor'], { STORYREEL_FFMPEG: '/nowhere/ffmpeg' });
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('STORYREEL_FFMPEG points to /nowhere/ffmpeg, but there is no file there');
    expect(res.stdout).toMatch(/STORYREEL_FFMPEG: +\/nowhere\/ffmpeg +\(no file at this path\)/);
  });
});

describe('storyreel import-take', () => {
  it('copies a clip into the project as a selected take of the shot, converted once for the cut', async () => {
    const res = await cli(['import-take', project, '2', path.join(base, 'from-editor.mov')]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/Imported from-editor\.mov as take 1 of shot 2 “Storm” and selected it: 2\.52 s, 320×180, 25 fps, with sound → media\/takes\/shot_\w+\/take_\w+\.mov/);
    expect(res.stdout).toContain('Converted for the cut once (kept in cache/): picture.');
    const shot = (await readDoc()).shots[1];
    expect(shot.takes).toHaveLength(1);
    const take = shot.takes[0];
    expect(shot.selectedTakeId).toBe(take.id);
    expect(take).toMatchObject({ status: 'ready', request: { params: { source: 'import', file: 'from-editor.mov' } } });
    expect(take.media).toMatchObject({ width: 320, height: 180, fps: 25, hasAudio: true, sha256: await sha256(path.join(base, 'from-editor.mov')) });
    expect(await sha256(path.join(project, take.media.path))).toBe(take.media.sha256);
    const proxies = await fs.readdir(path.join(project, 'cache', 'proxies'));
    // The 2.52 s clip (60 frames at 24 fps) in the 4 s shot, held on its last frame for the rest.
    expect(proxies).toEqual([`${take.media.sha256.slice(0, 16)}-1280x720-24-t0-60-h36.mp4`]);
  });

  it('importing the same clip again selects the existing take and copies nothing', async () => {
    const res = await cli(['import-take', project, 'storm', path.join(base, 'from-editor.mov')]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('from-editor.mov is already take 1 of shot 2 “Storm”; selected it, nothing was copied.');
    expect((await readDoc()).shots[1].takes).toHaveLength(1);
  });

  it('refuses a file that is not a video, or a shot that does not exist, and changes nothing', async () => {
    const before = await fs.readFile(path.join(project, 'project.json'), 'utf8');
    const notVideo = await cli(['import-take', project, '1', path.join(base, 'notes.txt')]);
    expect(notVideo.code).toBe(1);
    expect(notVideo.stderr).toMatch(/storyreel: Nothing was imported: notes\.txt/);
    const noShot = await cli(['import-take', project, '7', path.join(base, 'from-editor.mov')]);
    expect(noShot.code).toBe(1);
    expect(noShot.stderr).toContain('Nothing was imported: there is no shot "7". Shots can be named by a number from 1 to 2, a shot id or a title.');
    const missing = await cli(['import-take', project, '1', path.join(base, 'nope.mp4')]);
    expect(missing.stderr).toMatch(/Nothing was imported: .*nope\.mp4 does not exist/);
    expect(await fs.readFile(path.join(project, 'project.json'), 'utf8')).toBe(before);
    expect((await fs.readdir(path.join(project, 'media', 'takes'), { recursive: true })).filter((f) => String(f).includes('.part'))).toEqual([]);
  });

  it('counts as the shot’s current take: render generates only the other shot and cuts the imported clip in', async () => {
    const res = await cli(['render', project]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('Generating 1 shot with Animatic (local)');
    // The shots' 3 s and 4 s: the 2.52 s clip is held on its last frame to fill its shot.
    expect(res.stdout).toMatch(/Cut: 7\.00 s/);
    const info = await ffprobe(path.join(project, 'renders', 'preview.mp4'));
    expect(Math.abs(Number(info.format.duration) - 7)).toBeLessThan(1 / 24);
  });
});

describe('takes.import and trims through the API', () => {
  it('imports, trims, stitches the shot’s length, and refuses a trim that leaves less than 1 s of the take', async () => {
    const studio = await Studio.open(project, { host: 'cli' });
    try {
      const shotId = studio.session.current.shots[0].id;
      await makeClip(path.join(base, 'second.mp4'), { seconds: 3, fps: 24, width: 1280, height: 720, bright: false, audio: { rate: 48000, channels: 2 }, encode: 'target' });
      await studio.call('takes.import', { shotId, path: path.join(base, 'second.mp4') });
      const shot = studio.session.current.shots[0];
      expect(shot.takes.find((t) => t.id === shot.selectedTakeId)?.request.params).toMatchObject({ source: 'import' });
      // Target-format clip: nothing to convert.
      expect(await fs.readdir(path.join(project, 'cache', 'proxies'))).toHaveLength(1);

      const untrimmed = (await studio.call('media.stitch')).durationSec;
      // The 3 s shot plays its 3 s take from 0.5 s, held on the last frame: the cut keeps the shot's length.
      await studio.call('shots.update', { id: shotId, patch: { trim: { inSec: 0.5 } } });
      expect(studio.session.current.shots[0].trim).toEqual({ inSec: 0.5 });
      expect((await studio.call('media.stitch')).durationSec).toBeCloseTo(untrimmed, 6);
      await expect(studio.call('shots.update', { id: shotId, patch: { trim: { inSec: 2.5 } } })).rejects.toThrow(
        'trim: an in point at 2.50 s leaves 0.50 s of the 3.00 s take; a shot needs at least 1 s of it. The trim was not changed.',
      );
      expect(studio.session.current.shots[0].trim).toEqual({ inSec: 0.5 });
      await studio.call('shots.update', { id: shotId, patch: { trim: null } });
      expect(studio.session.current.shots[0].trim).toBeUndefined();
    } finally {
      await studio.close();
    }
  });
});
