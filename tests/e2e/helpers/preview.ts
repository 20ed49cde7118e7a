// The preview player as the e2e tests read it: the video on screen (not the next cut loading behind it
// while a rebuilt preview swaps in), the key of the preview the studio last wrote, and waiting for a new one.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';

export const previewRegion = (page: Page) => page.getByRole('region', { name: 'Preview' });

/** The video element the person sees. */
export const onScreen = (page: Page) => previewRegion(page).locator('video:not(.player__video--next)');

/** The key of the preview last written to renders/ (undefined before the first). */
export async function previewKey(dir: string): Promise<string | undefined> {
  return JSON.parse(await readFile(path.join(dir, 'renders', 'preview.json'), 'utf8').catch(() => '{}')).key as string | undefined;
}

/** Waits for a preview other than `before` (any, when absent) and for the player to show it; returns its key. */
export async function shownPreview(page: Page, dir: string, before?: string, timeout = 90_000): Promise<string> {
  await expect.poll(() => previewKey(dir), { timeout }).not.toBe(before);
  const key = (await previewKey(dir))!;
  await expect(onScreen(page)).toHaveAttribute('data-cut', key, { timeout: 30_000 });
  return key;
}
