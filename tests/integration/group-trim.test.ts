// Shots generated together as one multi-shot request (Kling's multi_prompt) retime like single shots: a
// shorter grouped shot trims its piece (no job, nothing to price, the group's other shots stay current, the
// preview and the export get shorter); a head trim works on the piece where it has material; a grouped shot
// lengthened past its piece holds the last frame and the group is offered again, priced.
// Generated against the Kling mock, so "nothing to pay" is a real price, not the animatic's $0.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Studio } from '../../electron/core/api';
import { AppSettingsFile } from '../../electron/core/app-settings';
import type { RunningMock } from '../mock-providers/common';
import { KLING_MOCK_ACCESS_KEY, KLING_MOCK_SECRET_KEY, startKlingMock } from '../mock-providers/kling';
import { CLI, ROOT, ffprobe, tempDir } from './helpers';

const exec = promisify(execFile);
let base: string;
let dir: string;
let mock: RunningMock;

function run(args: string[]) {
  const env = { ...process.env, STORYREEL_TIMING_SCALE: '0.05', KLING_ACCESS_KEY: KLING_MOCK_ACCESS_KEY, KLING_SECRET_KEY: KLING_MOCK_SECRET_KEY, STORYREEL_KLING_URL: mock.url };
  return exec(process.execPath, [CLI, ...args], { cwd: ROOT, env, maxBuffer: 16 << 20 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}
const jobCount = async () => JSON.parse(await fs.readFile(path.join(dir, 'jobs.json'), 'utf8')).jobs.length;
const seconds = async (file: string) => Number((await ffprobe(file)).format.duration);

/** Opens the project in a studio (as the desktop app or `serve` would), runs `fn`, and closes it (the CLI needs the lock). */
async function inStudio<T>(fn: (call: (method: string, input: unknown) => Promise<unknown>, studio: Studio) => Promise<T>): Promise<T> {
  const appSettings = new AppSettingsFile(path.join(base, 'config'));
  const studio = await Studio.open(dir, { host: 'cli', appSettings, providerSettings: appSettings.providerStore() });
  try {
    return await fn((method, input) => studio.dispatch(method, input), studio);
  } finally {
    await studio.close();
  }
}
const idOf = (studio: Studio, title: string) => studio.session.current.shots.find((s) => s.title === title)!.id;
type Estimate = { requests: number; estimatedUsd: number; lines: { label: string; durationSec: number; usd: number }[] };

beforeAll(async () => {
  mock = await startKlingMock();
  mock.state.timing = { queueMs: 100, runMs: 200 };
  base = await tempDir('sr-group-trim-');
  dir = path.join(base, 'film.storyreel');
  await fs.writeFile(
    path.join(base, 'shots.csv'),
    'title,prompt,duration,group\nHarbour,Boats at dawn,4,\nKeeper,Close-up: the keeper,3,storm\nLamp,The lamp turns,5,storm\n',
  );
  expect((await run(['new', dir, '--shots', path.join(base, 'shots.csv')])).code).toBe(0);
  const file = path.join(dir, 'project.json');
  const doc = JSON.parse(await fs.readFile(file, 'utf8'));
  doc.settings.provider = 'kling';
  await fs.writeFile(file, JSON.stringify(doc, null, 2));
  const first = await run(['render', dir, '--yes']);
  expect(first.code, `${first.stdout}\n${first.stderr}`).toBe(0);
  expect(first.stdout).toContain('Generating 3 shots in 2 requests');
  expect(await jobCount()).toBe(2);
  expect(mock.state.submissions()).toHaveLength(2);
}, 180_000);
afterAll(async () => {
  await mock?.close();
  await fs.rm(base, { recursive: true, force: true });
});

describe('a shot of a multi-shot group, retimed', () => {
  it('shorter: its piece is trimmed — no job, nothing to pay, the cut and the export are shorter', async () => {
    const estimate = await inStudio(async (call, studio) => {
      await call('shots.update', { id: idOf(studio, 'Lamp'), patch: { durationSec: 3 } });
      return (await call('jobs.estimate', {})) as Estimate;
    });
    expect(estimate).toMatchObject({ requests: 0, estimatedUsd: 0, lines: [] });

    // `render` without --yes refuses to spend money; with nothing to send it just stitches.
    const res = await run(['render', dir]);
    expect(res.code, `${res.stdout}\n${res.stderr}`).toBe(0);
    expect(res.stdout).toContain('Nothing to generate');
    expect(await jobCount()).toBe(2);
    expect(mock.state.submissions()).toHaveLength(2);
    expect(Math.abs((await seconds(path.join(dir, 'renders', 'preview.mp4'))) - 10)).toBeLessThan(1 / 24);

    const out = path.join(base, 'film-720p.mp4');
    const exported = await run(['export', dir, '--preset', 'h264-720p', '--out', out]);
    expect(exported.code, `${exported.stdout}\n${exported.stderr}`).toBe(0);
    expect(Math.abs((await seconds(out)) - 10)).toBeLessThan(0.1);
  }, 180_000);

  it('a head trim plays a later part of its piece and keeps it current; one that leaves under 1 s is refused', async () => {
    const estimate = await inStudio(async (call, studio) => {
      const lamp = idOf(studio, 'Lamp');
      await expect(call('shots.update', { id: lamp, patch: { trim: { inSec: 4.5 } } })).rejects.toThrow(/leaves 0\.50 s of the 5\.00 s take/);
      await call('shots.update', { id: lamp, patch: { trim: { inSec: 2 } } });
      return (await call('jobs.estimate', {})) as Estimate;
    });
    expect(estimate).toMatchObject({ requests: 0, estimatedUsd: 0 });
    const res = await run(['render', dir]);
    expect(res.code, `${res.stdout}\n${res.stderr}`).toBe(0);
    expect(res.stdout).toContain('Nothing to generate');
    expect(await jobCount()).toBe(2);
    expect(Math.abs((await seconds(path.join(dir, 'renders', 'preview.mp4'))) - 10)).toBeLessThan(1 / 24);
  }, 180_000);

  it('longer than its piece: held on its last frame in the cut, and the group is offered again, priced', async () => {
    const estimate = await inStudio(async (call, studio) => {
      await call('shots.update', { id: idOf(studio, 'Keeper'), patch: { durationSec: 5 } });
      return (await call('jobs.estimate', {})) as Estimate;
    });
    // One request: the whole group, 5 s + 3 s, silent, Kling standard at fal's $0.084/s = $0.672.
    expect(estimate.requests).toBe(1);
    expect(estimate.lines).toEqual([expect.objectContaining({ label: 'group of shots 2–3', durationSec: 8 })]);
    expect(estimate.estimatedUsd).toBeCloseTo(0.672, 3);

    // The studio's preview holds Keeper's last frame for the 2 s its piece lacks: 4 + 5 + 3, nothing sent.
    await inStudio((call) => call('media.stitch', {}));
    expect(Math.abs((await seconds(path.join(dir, 'renders', 'preview.mp4'))) - 12)).toBeLessThan(1 / 24);
    expect(await jobCount()).toBe(2);
    expect(mock.state.submissions()).toHaveLength(2);
  }, 180_000);
});
