// Trim instead of regenerate, in Chromium against the browser host: shortening a generated shot trims its
// take (the preview gets shorter, no job is sent, the take stays current); dragging the left edge trims
// the head, an ⌥-drag inside slips the take (other frames play); lengthening past the take holds its last
// frame and says the shot needs a longer take.
import { test, expect } from '@playwright/test';
import path from 'node:path';
import { SHOTS_DIR, studioForEachTest } from './helpers/studio-server';
import { failOnPageErrors, screens } from './helpers/studio-page';
import { block, row, video, shot, savedTake, jobCount, videoDuration, box, drag, frameAt, frameDifference as difference } from './helpers/timeline-page';

const CSV = 'title,prompt,duration\nHarbour,The harbour at dawn,6\nMarket,A busy fish market,4\n';

failOnPageErrors();
const studio = studioForEachTest({ csv: CSV, name: 'trims' }, { viewport: { width: 1280, height: 720 }, open: true });

test('shorten, head-trim and slip a generated shot: the preview changes, no job is sent, the take stays current', async ({ page }) => {
  await page.getByRole('button', { name: /Generate all/ }).click();
  for (const title of ['Harbour', 'Market']) await expect(row(page, title)).toContainText('Ready', { timeout: 90_000 });
  await expect.poll(() => videoDuration(page), { timeout: 60_000 }).toBeCloseTo(10, 1);
  const jobs = await jobCount(studio.dir);
  expect(jobs).toBe(2);
  const harbourTake = await savedTake(studio.dir, 'Harbour');

  // Shorten Harbour 6 s → 4 s with the keyboard: its 6 s take is trimmed, not regenerated.
  await block(page, 'Harbour').click();
  await block(page, 'Harbour').press('[');
  await block(page, 'Harbour').press('[');
  await expect.poll(async () => (await shot(studio.dir, 'Harbour')).durationSec).toBe(4);
  await expect.poll(() => videoDuration(page), { timeout: 60_000 }).toBeCloseTo(8, 1);
  await expect(row(page, 'Harbour')).toContainText('Ready');
  await expect(row(page, 'Harbour')).not.toContainText('regenerate');
  await expect(page.getByText('All shots have takes')).toBeVisible();
  expect((await shot(studio.dir, 'Harbour')).takes).toEqual([harbourTake]);
  expect(await jobCount(studio.dir)).toBe(jobs);
  const takes = page.getByRole('region', { name: 'Inspector' }).getByRole('listitem', { name: 'Take 1' });
  await expect(takes).toContainText('In cut');
  await expect(takes).not.toContainText('Stale');

  // Slip: ⌥-drag Harbour's take 1.5 s to the left, so it plays from 1.5 s; the same length, other frames.
  const at05 = await frameAt(page, 0.5);
  const at20 = await frameAt(page, 2);
  expect(difference(at05, at20), 'the animatic’s picture moves between 0.5 s and 2 s').toBeGreaterThan(0);
  const src = await video(page).getAttribute('src');
  const h = await box(block(page, 'Harbour'));
  const pps = (h.width + 2) / 4;
  const mid = { x: h.x + h.width / 2, y: h.y + h.height / 2 };
  await drag(page, mid, { x: mid.x - 1.5 * pps, y: mid.y }, { alt: true });
  await expect.poll(async () => (await shot(studio.dir, 'Harbour')).trim?.inSec).toBeCloseTo(1.5, 1);
  expect((await shot(studio.dir, 'Harbour')).durationSec).toBe(4);
  await expect(block(page, 'Harbour')).toHaveAccessibleName(/Harbour, 4 seconds, from 1\.5 s into its take, Ready/);
  await expect.poll(() => video(page).getAttribute('src'), { timeout: 60_000 }).not.toBe(src);
  await expect.poll(() => videoDuration(page), { timeout: 60_000 }).toBeCloseTo(8, 1);
  // At 0.5 s the preview now shows the take's frame at 2.0 s (what played at 2 s before), not at 0.5 s.
  const slipped = await frameAt(page, 0.5);
  expect(difference(slipped, at20)).toBeLessThan(difference(slipped, at05) / 2);
  await expect(block(page, 'Market')).toBeVisible();

  // Head trim: drag Market's left edge 1 s to the right — it starts 1 s into its take, 4 s → 3 s.
  const m = await box(block(page, 'Market'));
  const edge = { x: m.x + 3, y: m.y + m.height / 2 };
  await drag(page, edge, { x: edge.x + pps, y: edge.y });
  await expect.poll(async () => [(await shot(studio.dir, 'Market')).trim?.inSec, (await shot(studio.dir, 'Market')).durationSec]).toEqual([1, 3]);
  await expect.poll(() => videoDuration(page), { timeout: 60_000 }).toBeCloseTo(7, 1);
  await expect(row(page, 'Market')).toContainText('Ready');
  expect(await jobCount(studio.dir)).toBe(jobs);
  await screens(page, 'trims');

  // Lengthening Market past its take (1 s in + 5 s > 4 s): the last frame is held, and the shot says it
  // needs a longer take — still nothing sent until asked.
  await block(page, 'Market').click();
  await block(page, 'Market').press(']');
  await block(page, 'Market').press(']');
  await expect.poll(async () => (await shot(studio.dir, 'Market')).durationSec).toBe(5);
  await expect(row(page, 'Market')).toContainText('Needs a longer take');
  await expect(takes).toContainText('Too short');
  await expect(takes).not.toContainText('Stale');
  await expect(row(page, 'Harbour')).toContainText('Ready');
  await expect.poll(() => videoDuration(page), { timeout: 60_000 }).toBeCloseTo(9, 1);
  await expect(page.getByRole('button', { name: /Generate all/ })).toBeEnabled();
  expect(await jobCount(studio.dir)).toBe(jobs);
  await page.screenshot({ path: path.join(SHOTS_DIR, 'trims-longer-1280.png') });
});
