// The studio in Chromium against the browser host, driven as a person would: add shots, write them,
// generate with the local animatic provider, and watch the stitched cut play.
import { test, expect, type Page } from '@playwright/test';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = path.join(ROOT, 'bin', 'storyreel.mjs');
const SHOTS_DIR = path.join(ROOT, 'test-results');

let tmp = '';
let server: ChildProcess | undefined;
let serverLog = '';
let url = '';

/** Resolves with the studio URL once `storyreel serve` prints it. */
function waitForUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`storyreel serve printed no URL within ${timeoutMs} ms:\n${serverLog}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      serverLog += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(serverLog);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`storyreel serve exited with ${code} before printing a URL:\n${serverLog}`));
    });
  });
}

test.beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'storyreel-e2e-'));
  const project = path.join(tmp, 'e2e.storyreel');
  await promisify(execFile)(process.execPath, [CLI, 'new', project], { cwd: ROOT });
  server = spawn(process.execPath, [CLI, 'serve', project, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  url = await waitForUrl(server, 90_000);
});

test.afterAll(async () => {
  const child = server;
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function snap(page: Page, name: string) {
  await page.screenshot({ path: path.join(SHOTS_DIR, name) });
}

/** Duration of the preview <video> once its metadata is in, NaN before. */
function videoDuration(page: Page): Promise<number> {
  return page
    .getByRole('region', { name: 'Preview' })
    .locator('video')
    .evaluate((v: HTMLVideoElement) => (v.readyState >= 1 ? v.duration : Number.NaN))
    .catch(() => Number.NaN);
}

test('storyboard two shots, generate them, and play the cut', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(msg.text());
  });

  await page.goto(url);
  const shotsRegion = page.getByRole('region', { name: 'Shots' });
  const shotList = shotsRegion.getByRole('list');
  const inspector = page.getByRole('region', { name: 'Inspector' });
  const preview = page.getByRole('region', { name: 'Preview' });
  const timeline = page.getByRole('region', { name: 'Timeline' });
  const jobs = page.getByRole('region', { name: 'Jobs' });

  await expect(page.getByRole('heading', { name: 'e2e' })).toBeVisible();
  await expect(preview.getByText('No shots yet')).toBeVisible();
  await expect(page.getByText('Animatic (local)')).toBeVisible();
  await snap(page, 'studio-empty.png');

  // Two shots; each new one is selected.
  const addShot = page.getByRole('button', { name: 'Add shot', exact: true });
  await addShot.click();
  await expect(shotList.getByRole('listitem')).toHaveCount(1);
  await addShot.click();
  await expect(shotList.getByRole('listitem')).toHaveCount(2);

  const plan = [
    { title: 'Lighthouse at dusk', prompt: 'A lighthouse on a rocky cliff at dusk, waves crashing, slow push in', duration: '3' },
    { title: 'Keeper climbs the stairs', prompt: 'An old keeper climbs a spiral staircase holding a lantern, warm light', duration: '4' },
  ];
  for (const [i, shot] of plan.entries()) {
    await shotList.getByRole('listitem').nth(i).click();
    await expect(inspector.getByText(`Shot ${i + 1}`, { exact: true })).toBeVisible();

    const title = inspector.getByLabel('Title');
    await title.fill('');
    await title.pressSequentially(shot.title, { delay: 15 });
    const prompt = inspector.getByLabel('Prompt', { exact: true });
    await prompt.pressSequentially(shot.prompt, { delay: 5 });
    await expect(inspector.getByText(`${shot.prompt.length}/2500`)).toBeVisible();

    // An out-of-range duration is explained on the field and never sent.
    const duration = inspector.getByLabel('Duration (s)');
    await duration.fill('20');
    await expect(inspector.getByText('Kling V3 makes shots of 3 to 15 seconds.')).toBeVisible();
    await expect(duration).toHaveAttribute('aria-invalid', 'true');
    if (i === 0) await snap(page, 'studio-invalid-duration.png');
    await duration.fill(shot.duration);
    await expect(duration).toHaveAttribute('aria-invalid', 'false');

    // The list follows the edits once the core has them.
    const row = shotList.getByRole('listitem', { name: shot.title });
    await expect(row).toBeVisible();
    await expect(row).toContainText(`${shot.duration} s`);
  }
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await expect(page.getByLabel('Total duration 7 seconds')).toBeVisible();

  // A third shot, removed again with the Delete key (focus is on the button, not in a text field).
  await addShot.click();
  await expect(shotList.getByRole('listitem')).toHaveCount(3);
  await expect(shotList.getByRole('listitem').nth(2)).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('Delete');
  await expect(shotList.getByRole('listitem')).toHaveCount(2);
  await expect(page.getByLabel('Total duration 7 seconds')).toBeVisible();

  // Keyboard: with focus outside text fields, arrows move between shots.
  await page.getByRole('heading', { name: 'Timeline' }).click();
  await page.keyboard.press('ArrowUp');
  await expect(shotList.getByRole('listitem', { name: plan[0].title })).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(shotList.getByRole('listitem', { name: plan[1].title })).toHaveAttribute('aria-current', 'true');

  // Timeline blocks are in order and sized by duration (3 s : 4 s).
  const blocks = timeline.getByRole('group', { name: 'Video lane' }).getByRole('button');
  await expect(blocks).toHaveCount(2);
  const [w1, w2] = await Promise.all([blocks.nth(0).boundingBox(), blocks.nth(1).boundingBox()]);
  expect(w1 && w2 && w2.width / w1.width).toBeCloseTo(4 / 3, 1);

  const generateAll = page.getByRole('button', { name: /Generate all/ });
  await expect(generateAll).toContainText('2');
  await generateAll.click();
  await expect(jobs.getByRole('group', { name: /^Job / })).toHaveCount(2, { timeout: 10_000 }); // one per shot
  await snap(page, 'studio-generating.png');

  for (const shot of plan) {
    await expect(shotList.getByRole('listitem', { name: shot.title })).toContainText('Ready', { timeout: 90_000 });
  }
  await expect(generateAll).toBeDisabled();
  await expect(preview.getByText('All shots have takes')).toBeVisible({ timeout: 60_000 });

  // The stitched cut is 3 + 4 s.
  await expect
    .poll(() => videoDuration(page), { timeout: 60_000, message: 'preview video duration' })
    .toBeGreaterThan(6.9);
  expect(await videoDuration(page)).toBeLessThan(7.1);

  // Space plays the cut when focus is not in a text field (muted: no audio device here).
  const video = preview.locator('video:not(.player__video--next)');
  await video.evaluate((v: HTMLVideoElement) => void (v.muted = true));
  await page.getByRole('heading', { name: 'Timeline' }).click();
  await page.keyboard.press(' ');
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 15_000 }).toBeGreaterThan(0.5);
  await page.keyboard.press(' ');
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.paused)).toBe(true);

  // Clicking a timeline block cues the preview to that shot's first frame (3 s in).
  await blocks.nth(1).click();
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeCloseTo(3, 1);
  await shotList.getByRole('listitem', { name: plan[0].title }).click();
  await snap(page, 'studio-ready.png');

  expect(pageErrors, pageErrors.join('\n')).toEqual([]);
});
