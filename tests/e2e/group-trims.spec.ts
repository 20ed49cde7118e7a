// A multi-shot group retimes like single shots, in Chromium against the browser host: shortening a shot
// that was generated with its group trims its piece (the preview gets shorter, no job, nothing to
// generate, the group's other shot stays ready); dragging its left edge trims the head of its piece (later
// frames play); lengthening the other shot past its piece holds the last frame and says it needs a longer
// take, while its neighbour stays ready.
import { test, expect } from '@playwright/test';
import path from 'node:path';
import { SHOTS_DIR, studioForEachTest } from './helpers/studio-server';
import { failOnPageErrors, screens } from './helpers/studio-page';
import { block, row, video, shot, savedTake, jobCount, videoDuration, box, drag, frameAt, frameDifference as difference } from './helpers/timeline-page';

const CSV = 'title,prompt,duration,group\nHarbour,The harbour at dawn,4,\nKeeper,Close-up: the keeper,3,storm\nLamp,The lamp turns,5,storm\n';

failOnPageErrors();
const studio = studioForEachTest({ csv: CSV, name: 'group-trims' }, { viewport: { width: 1280, height: 720 }, open: true });

test('shorten and head-trim a shot of a multi-shot group: its piece is trimmed, no job is sent, the group stays ready', async ({ page }) => {
  await page.getByRole('button', { name: /Generate all/ }).click();
  for (const title of ['Harbour', 'Keeper', 'Lamp']) await expect(row(page, title)).toContainText('Ready', { timeout: 90_000 });
  await expect.poll(() => videoDuration(page), { timeout: 60_000 }).toBeCloseTo(12, 1);
  const jobs = await jobCount(studio.dir);
  expect(jobs).toBe(2);
  const lampTake = await savedTake(studio.dir, 'Lamp', 'groupClip');

  // Shorten Lamp 5 s → 4 s with the keyboard: its 5 s piece of the group's clip is trimmed.
  await block(page, 'Lamp').click();
  await block(page, 'Lamp').press('[');
  await expect.poll(async () => (await shot(studio.dir, 'Lamp')).durationSec).toBe(4);
  await expect.poll(() => videoDuration(page), { timeout: 60_000 }).toBeCloseTo(11, 1);
  for (const title of ['Keeper', 'Lamp']) {
    await expect(row(page, title)).toContainText('Ready');
    await expect(row(page, title)).not.toContainText('regenerate');
  }
  await expect(page.getByText('All shots have takes')).toBeVisible();
  expect((await shot(studio.dir, 'Lamp')).takes).toEqual([lampTake]);
  expect(await jobCount(studio.dir)).toBe(jobs);
  const takes = page.getByRole('region', { name: 'Inspector' }).getByRole('listitem', { name: 'Take 1' });
  await expect(takes).toContainText('In cut');
  await expect(takes).not.toContainText('Stale');

  // Head trim: drag Lamp's left edge 1 s to the right — it starts 1 s into its piece, 4 s → 3 s. Lamp starts
  // at 7 s in the cut, so what played at 8.5 s now plays at 7.5 s.
  const before = await frameAt(page, 8.5);
  const at75 = await frameAt(page, 7.5);
  expect(difference(before, at75), 'the animatic’s picture moves between 0.5 s and 1.5 s into Lamp').toBeGreaterThan(0);
  const src = await video(page).getAttribute('src');
  const k = await box(block(page, 'Keeper'));
  const pps = (k.width + 2) / 3;
  const l = await box(block(page, 'Lamp'));
  const edge = { x: l.x + 3, y: l.y + l.height / 2 };
  await drag(page, edge, { x: edge.x + pps, y: edge.y });
  await expect.poll(async () => [(await shot(studio.dir, 'Lamp')).trim?.inSec, (await shot(studio.dir, 'Lamp')).durationSec]).toEqual([1, 3]);
  await expect(block(page, 'Lamp')).toHaveAccessibleName(/Lamp, 3 seconds, from 1 s into its take, Ready/);
  await expect.poll(() => video(page).getAttribute('src'), { timeout: 60_000 }).not.toBe(src);
  await expect.poll(() => videoDuration(page), { timeout: 60_000 }).toBeCloseTo(10, 1);
  const trimmed = await frameAt(page, 7.5);
  expect(difference(trimmed, before)).toBeLessThan(difference(trimmed, at75) / 2);
  for (const title of ['Keeper', 'Lamp']) await expect(row(page, title)).toContainText('Ready');
  await expect(page.getByText('All shots have takes')).toBeVisible();
  expect(await jobCount(studio.dir)).toBe(jobs);
  await block(page, 'Lamp').click();
  await screens(page, 'group-trims');

  // Lengthen Keeper past its 3 s piece: its last frame is held, it needs a longer take; Lamp stays ready.
  await block(page, 'Keeper').click();
  await block(page, 'Keeper').press(']');
  await block(page, 'Keeper').press(']');
  await expect.poll(async () => (await shot(studio.dir, 'Keeper')).durationSec).toBe(5);
  await expect(row(page, 'Keeper')).toContainText('Needs a longer take');
  await expect(takes).toContainText('Too short');
  await expect(takes).not.toContainText('Stale');
  await expect(row(page, 'Lamp')).toContainText('Ready');
  await expect.poll(() => videoDuration(page), { timeout: 60_000 }).toBeCloseTo(12, 1);
  await expect(page.getByRole('button', { name: /Generate all/ })).toBeEnabled();
  expect(await jobCount(studio.dir)).toBe(jobs);
  await page.screenshot({ path: path.join(SHOTS_DIR, 'group-trims-longer-1280.png') });
});
