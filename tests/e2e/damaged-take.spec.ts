// Issue 11, item 12, in the studio: a take's clip that disappears while the studio is open does not break
// the preview — the shot becomes a slate and the player says a clip is missing (which, on hover); reopened,
// the take is marked failed with the reason and "Generate all" offers the shot again.
import { test, expect } from '@playwright/test';
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { CLI, ROOT, SHOTS_DIR, startStudio, type RunningStudio } from './helpers/studio-server';

const exec = promisify(execFile);

let studio: RunningStudio | undefined;
test.afterEach(async () => {
  await studio?.stop();
  studio = undefined;
});

test('a clip deleted while the studio is open: slated with the reason; after a restart the shot needs a take', async ({ page }) => {
  studio = await startStudio({
    csv: 'title,prompt,duration\nHarbour,The harbour at dawn,3\nKeeper,The keeper lights the lamp,3\n',
    name: 'damaged',
    // Every shot gets its animatic take before the studio opens.
    prepare: async (dir) => void (await exec(process.execPath, [CLI, 'render', dir], { cwd: ROOT })),
  });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(studio.url);
  await expect(page.getByText('All shots have takes')).toBeVisible({ timeout: 30_000 });

  const doc = JSON.parse(await readFile(path.join(studio.dir, 'project.json'), 'utf8')) as { shots: { takes: { media: { path: string } }[] }[] };
  const clip = doc.shots[0].takes[0].media.path;
  await rm(path.join(studio.dir, clip));
  // Any change to the cut stitches it again: move Harbour after Keeper.
  await page.getByRole('listitem', { name: 'Harbour' }).click();
  await page.keyboard.press('Alt+ArrowDown');
  const note = page.getByText('1 of 2 shots are slates — 1 clip is missing or damaged');
  await expect(note).toBeVisible({ timeout: 30_000 });
  await expect(note).toHaveAttribute('title', `Shot 2: its clip ${clip} is missing`);
  for (const [w, h] of [
    [1280, 720],
    [1920, 1080],
  ]) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: path.join(SHOTS_DIR, `damaged-take-slate-${w}x${h}.png`) });
  }

  // Reopened: the take is named as missing and the shot is offered for generation.
  await studio.restart();
  await page.goto(studio.url);
  await expect(page.getByRole('button', { name: /^Generate all/ })).toContainText('1', { timeout: 30_000 });
  await expect(page.getByRole('listitem', { name: 'Harbour' })).toContainText('Failed: Take 1 of shot 2 “Harbour” is missing');
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.screenshot({ path: path.join(SHOTS_DIR, 'damaged-take-reopened-1280x720.png') });
  expect(errors).toEqual([]);
});
