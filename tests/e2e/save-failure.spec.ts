// When project.json cannot be written, the studio says so plainly (toolbar and banner: the edits are only
// in memory, where it failed, what to do) and, once the cause is gone, the core's retry saves the edits
// without another keystroke. The fault is real: a folder stands where project.json.bak must be written.
import { test, expect } from '@playwright/test';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SHOTS_DIR, startStudio, type RunningStudio } from './helpers/studio-server';

let studio: RunningStudio;

test.beforeAll(async () => {
  studio = await startStudio({ name: 'savefail', csv: 'title,prompt,duration\nHarbour,The harbour at dawn,3\nMarket,A busy fish market,3\n' });
});

test.afterAll(async () => {
  await studio?.stop();
});

test('a failed save says the edits are only in memory, and the retry saves them when the disk is back', async ({ page }) => {
  await page.goto(studio.url);
  const inspector = page.getByRole('region', { name: 'Inspector' });
  const status = page.getByRole('status').filter({ hasText: /Saved|Not saved/ });
  await expect(status).toHaveText('Saved');
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.screenshot({ path: path.join(SHOTS_DIR, 'save-failure-before-1280.png') });

  // Something that is not a file now stands where the backup is written: every save fails (EISDIR).
  const blocker = path.join(studio.dir, 'project.json.bak');
  await rm(blocker, { force: true });
  await mkdir(blocker);
  await writeFile(path.join(blocker, 'in-the-way'), 'x');

  await inspector.getByLabel('Title').fill('Harbour at noon');
  await expect(status).toHaveText('Not saved — edits are only in memory: a folder is in the way');
  const banner = page.getByRole('alert', { name: 'Edits not saved' });
  await expect(banner).toContainText(`could not replace ${blocker}: a folder is in the way`);
  await expect(banner).toContainText('only in memory');
  await expect(banner).toContainText('retrying by itself');
  await expect(banner).not.toContainText(/\bat \w+ \(/); // no stack trace
  expect(JSON.parse(await readFile(path.join(studio.dir, 'project.json'), 'utf8')).shots[0].title).toBe('Harbour');

  for (const size of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
    await page.setViewportSize(size);
    await page.screenshot({ path: path.join(SHOTS_DIR, `save-failure-${size.width}.png`) });
  }

  // The cause goes away; nobody types again. The core's own retry writes the edit.
  await rm(blocker, { recursive: true, force: true });
  await expect(status).toHaveText('Saved', { timeout: 20_000 });
  await expect(banner).toHaveCount(0);
  expect(JSON.parse(await readFile(path.join(studio.dir, 'project.json'), 'utf8')).shots[0].title).toBe('Harbour at noon');
});
