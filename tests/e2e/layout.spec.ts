// The studio's regions are resizable (pointer and keyboard), the sizes survive a reload, and while the
// preview plays the shot list marks — and keeps in view — the shot under the playhead.
import { test, expect, type Locator, type Page } from '@playwright/test';
import path from 'node:path';
import { SHOTS_DIR, startStudio, type RunningStudio } from './helpers/studio-server';

let studio: RunningStudio;

test.beforeAll(async () => {
  studio = await startStudio({
    name: 'layout',
    csv: 'title,prompt,duration\nHarbour,The harbour at dawn,3\nMarket,A busy fish market,3\nLighthouse,The lighthouse at dusk,3\n',
  });
});

test.afterAll(async () => {
  await studio?.stop();
});

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not on screen');
  return b;
}

/** Drags the middle of `handle` by (dx, dy) with the mouse, in small steps as a hand would. */
async function drag(page: Page, handle: Locator, dx: number, dy: number) {
  const b = await box(handle);
  const x = b.x + b.width / 2;
  const y = b.y + b.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx, y + dy, { steps: 12 });
  await page.mouse.up();
}

test('resize the regions, keep the sizes, and follow playback in the shot list', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));

  await page.goto(studio.url);
  const timeline = page.getByRole('region', { name: 'Timeline' });
  const inspector = page.getByRole('region', { name: 'Inspector' });
  const preview = page.getByRole('region', { name: 'Preview' });
  const shots = page.getByRole('region', { name: 'Shots' });
  const timelineSplitter = page.getByRole('separator', { name: 'Resize timeline' });
  const inspectorSplitter = page.getByRole('separator', { name: 'Resize inspector' });
  const shotsSplitter = page.getByRole('separator', { name: 'Resize shot list' });
  await expect(shots.getByRole('listitem')).toHaveCount(3);
  await expect(timelineSplitter).toHaveAttribute('aria-orientation', 'horizontal');
  await expect(inspectorSplitter).toHaveAttribute('aria-orientation', 'vertical');
  await expect(shotsSplitter).toHaveAttribute('aria-orientation', 'vertical');

  // Drag the splitter above the timeline up 150 px: the timeline grows by as much, the preview gives it up.
  const before = await box(timeline);
  const previewBefore = await box(preview);
  await drag(page, timelineSplitter, 0, -150);
  await expect.poll(async () => (await box(timeline)).height).toBeCloseTo(before.height + 150, -1);
  const grown = await box(timeline);
  expect(Math.abs(grown.height - before.height - 150)).toBeLessThanOrEqual(2);
  expect(Math.abs((await box(preview)).height - (previewBefore.height - 150))).toBeLessThanOrEqual(2);
  await expect(timelineSplitter).toHaveAttribute('aria-valuenow', String(Math.round(grown.height)));

  // The size is kept across a reload.
  await page.reload();
  await expect(shots.getByRole('listitem')).toHaveCount(3);
  expect(Math.abs((await box(timeline)).height - grown.height)).toBeLessThanOrEqual(1);

  // Keyboard: the inspector gets 3 × 10 px and then 50 px wider (← grows a column on the right).
  const inspectorBefore = await box(inspector);
  await inspectorSplitter.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Shift+ArrowLeft');
  await expect.poll(async () => Math.round((await box(inspector)).width)).toBe(Math.round(inspectorBefore.width + 80));
  // The arrow keys resized the column and did not also move the shot selection.
  await expect(shots.getByRole('listitem', { name: 'Harbour' })).toHaveAttribute('aria-current', 'true');
  await page.screenshot({ path: path.join(SHOTS_DIR, 'layout-resized.png') });

  // No region collapses: dragging far past the limits stops at the minimums.
  await drag(page, shotsSplitter, -600, 0);
  expect((await box(shots)).width).toBeGreaterThanOrEqual(199);
  await drag(page, inspectorSplitter, -1200, 0);
  expect((await box(preview)).width).toBeGreaterThanOrEqual(319);
  // A double-click gives the shot list its default width back.
  await shotsSplitter.dblclick();
  await expect.poll(async () => Math.round((await box(shots)).width)).toBe(280);
  await inspectorSplitter.dblclick();
  await expect.poll(async () => Math.round((await box(inspector)).width)).toBe(360);

  // Generate the three shots with the local animatic and wait for the 9 s cut.
  await page.getByRole('button', { name: /Generate all/ }).click();
  for (const title of ['Harbour', 'Market', 'Lighthouse']) {
    await expect(shots.getByRole('listitem', { name: title })).toContainText('Ready', { timeout: 90_000 });
  }
  const video = preview.locator('video:not(.player__video--next)');
  await expect(preview.getByText('All shots have takes')).toBeVisible({ timeout: 60_000 });
  await expect
    .poll(() => video.evaluate((v: HTMLVideoElement) => (v.readyState >= 1 ? v.duration : 0)), { timeout: 60_000 })
    .toBeGreaterThan(8.9);

  // The tallest timeline leaves the shot list room for about two rows: the third one is out of view.
  await timelineSplitter.focus();
  await page.keyboard.press('End');
  const third = shots.getByRole('listitem', { name: 'Lighthouse' });
  await expect(third).not.toBeInViewport();

  // Play (muted: no audio device here): the marker is on shot 1, then moves to shot 2.
  const rows = shots.getByRole('listitem');
  const playing = shots.locator('li[data-playing]');
  await expect(playing).toHaveCount(0);
  await video.evaluate((v: HTMLVideoElement) => {
    v.muted = true;
    v.currentTime = 0;
    return v.play();
  });
  await expect(rows.nth(0)).toHaveAttribute('data-playing', '');
  await expect(playing).toHaveCount(1);
  await page.screenshot({ path: path.join(SHOTS_DIR, 'layout-playing.png') });
  await expect(rows.nth(1)).toHaveAttribute('data-playing', '', { timeout: 10_000 });
  await expect(playing).toHaveCount(1);
  await expect(playing).toHaveAccessibleName('Market');

  // Later in the cut the third shot is marked and scrolled into view.
  await video.evaluate((v: HTMLVideoElement) => void (v.currentTime = 6.5));
  await expect(third).toHaveAttribute('data-playing', '');
  await expect(third).toBeInViewport();
  await page.screenshot({ path: path.join(SHOTS_DIR, 'layout-following.png') });

  // Paused, no shot is marked as playing.
  await video.evaluate((v: HTMLVideoElement) => v.pause());
  await expect(playing).toHaveCount(0);

  expect(pageErrors, pageErrors.join('\n')).toEqual([]);
});
