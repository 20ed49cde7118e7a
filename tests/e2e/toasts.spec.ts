// Toasts leave when they should: information after a few seconds, an error when it is closed or when the
// same action later works (it is then no longer true), and never by itself before it could be read.
import { test, expect, type Page } from '@playwright/test';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SHOTS_DIR, exec, startStudio, type RunningStudio } from './helpers/studio-server';

let studio: RunningStudio;

test.beforeAll(async () => {
  studio = await startStudio({
    name: 'toasts',
    csv: 'title,prompt,duration\nHarbour,The harbour at dawn,3\n',
    async prepare(_dir, tmp) {
      await exec('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=320x180:r=25:d=3', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', path.join(tmp, 'my-edit.mp4')]);
      await writeFile(path.join(tmp, 'notes.mp4'), 'not a video at all, just some notes\n');
    },
  });
});

test.afterAll(async () => {
  await studio?.stop();
});

/** Drops a file from the scratch folder on the shot, as a person dragging it from the desktop would. */
async function dropOnShot(page: Page, file: string) {
  const shot = page.getByRole('listitem', { name: 'Harbour' });
  const bytes = (await readFile(path.join(studio.tmp, file))).toString('base64');
  const dataTransfer = await page.evaluateHandle(
    ({ b64, name }) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([data], name, { type: 'video/mp4' }));
      return dt;
    },
    { b64: bytes, name: file },
  );
  await shot.dispatchEvent('dragover', { dataTransfer });
  await shot.dispatchEvent('drop', { dataTransfer });
}

test('errors stay until closed or outdated; information leaves by itself', async ({ page }) => {
  await page.clock.install();
  await page.goto(studio.url);
  await expect(page.getByRole('listitem', { name: 'Harbour' })).toContainText('No take');
  const toasts = page.getByLabel('Notifications');
  const failed = toasts.getByRole('alert').filter({ hasText: 'Could not import notes.mp4' });

  // A file that is not a clip: an error that says so, with a close button.
  await dropOnShot(page, 'notes.mp4');
  await expect(failed).toBeVisible({ timeout: 30_000 });
  // It does not leave before it could be read…
  await page.clock.fastForward(60_000);
  await expect(failed).toBeVisible();
  // …and × closes it.
  await failed.getByRole('button', { name: 'Dismiss' }).click();
  await expect(failed).toHaveCount(0);

  // The same error again, then the same action works: the error is outdated and goes; the news shows.
  await dropOnShot(page, 'notes.mp4');
  await expect(failed).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: path.join(SHOTS_DIR, 'toast-error.png') });
  await dropOnShot(page, 'my-edit.mp4');
  const imported = toasts.getByRole('status').filter({ hasText: 'Imported my-edit.mp4' });
  await expect(imported).toBeVisible({ timeout: 30_000 });
  await expect(failed).toHaveCount(0);

  // Information leaves by itself after a few seconds.
  await page.clock.fastForward(7_000);
  await expect(imported).toHaveCount(0);
  await expect(toasts.locator('.toast')).toHaveCount(0);
});
