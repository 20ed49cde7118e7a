// Shot names follow the current order: a shot inserted in the middle is not titled with a number from
// the end of the list, and the jobs drawer names each job by where its shot is now, not where it was.
import { test, expect, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SHOTS_DIR, startStudio, type RunningStudio } from './helpers/studio-server';

let studio: RunningStudio | undefined;

test.afterEach(async () => {
  await studio?.stop();
  studio = undefined;
});

const shotList = (page: Page) => page.getByRole('region', { name: 'Shots' });
const jobs = (page: Page) => page.getByRole('region', { name: 'Jobs' });

async function savedTitles(dir: string): Promise<string[]> {
  const doc = JSON.parse(await readFile(path.join(dir, 'project.json'), 'utf8')) as { shots: { title: string }[] };
  return doc.shots.map((s) => s.title);
}

test('a reordered shot: the jobs drawer names every job by its shot’s current place', async ({ page }) => {
  studio = await startStudio({ name: 'labels', csv: 'title,prompt,duration\nHarbour,boats at dawn,3\nStorm,waves on rocks,3\nKeeper,a lantern on the stairs,3\n' });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(studio.url);
  await page.getByRole('button', { name: /Generate all/ }).click();
  for (const title of ['Harbour', 'Storm', 'Keeper']) {
    await expect(shotList(page).getByRole('listitem', { name: title })).toContainText('Ready', { timeout: 90_000 });
  }
  await expect(jobs(page).getByRole('group', { name: 'Job Shot 1 “Harbour”' })).toBeVisible();
  await expect(jobs(page).getByRole('group', { name: 'Job Shot 3 “Keeper”' })).toBeVisible();

  // Keeper moves to the front (⌥↑ twice): every job is renamed at once, no event from the job needed.
  await shotList(page).getByRole('listitem', { name: 'Keeper' }).click();
  await page.keyboard.press('Alt+ArrowUp');
  await page.keyboard.press('Alt+ArrowUp');
  await expect.poll(() => savedTitles(studio!.dir)).toEqual(['Keeper', 'Harbour', 'Storm']);
  await expect(jobs(page).getByRole('group', { name: /^Job / })).toHaveCount(3);
  const names = await jobs(page).getByRole('group', { name: /^Job / }).evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label')).sort());
  expect(names).toEqual(['Job Shot 1 “Keeper”', 'Job Shot 2 “Harbour”', 'Job Shot 3 “Storm”']);
  // The reorder left the takes current: nothing to generate.
  await expect(page.getByRole('button', { name: /Generate all/ })).toBeDisabled();
  await page.screenshot({ path: path.join(SHOTS_DIR, 'labels-reordered-1280.png') });

  // A deleted shot's job keeps its title and loses its number.
  await shotList(page).getByRole('listitem', { name: 'Storm' }).click();
  await page.keyboard.press('Delete');
  await expect.poll(() => savedTitles(studio!.dir)).toEqual(['Keeper', 'Harbour']);
  await expect(jobs(page).getByRole('group', { name: 'Job Deleted shot “Storm”' })).toBeVisible();
});

test('a shot added after the first one is untitled and named by where it is', async ({ page }) => {
  studio = await startStudio({ name: 'insert', csv: 'title,prompt,duration\nHarbour,boats at dawn,3\nStorm,waves on rocks,3\nKeeper,a lantern on the stairs,3\nLamp,the lamp turns,3\n' });
  await page.goto(studio.url);
  await shotList(page).getByRole('listitem', { name: 'Harbour' }).click();
  await page.getByRole('button', { name: 'Add shot', exact: true }).first().click();
  await expect(shotList(page).getByRole('listitem')).toHaveCount(5);
  await expect.poll(() => savedTitles(studio!.dir)).toEqual(['Harbour', '', 'Storm', 'Keeper', 'Lamp']);
  // Second in the list, so "Untitled shot 2" (not "Shot 5", the count it was added at).
  await expect(shotList(page).getByRole('listitem').nth(1)).toHaveAccessibleName('Untitled shot 2');
  await expect(shotList(page).getByRole('listitem', { name: /Shot 5/i })).toHaveCount(0);
  // Moved one place later, its name follows.
  await page.keyboard.press('Alt+ArrowDown');
  await expect(shotList(page).getByRole('listitem').nth(2)).toHaveAccessibleName('Untitled shot 3');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: path.join(SHOTS_DIR, 'labels-inserted-1920.png') });
});
