// The studio page as every spec meets it: its uncaught errors (any one fails the test), its screenshots at
// the two sizes we look at, and the Jobs drawer.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { SHOTS_DIR } from './studio-server';

/** The page's uncaught errors from now on. */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

/** Every test of the calling file (or describe block) fails if its page threw an uncaught error. */
export function failOnPageErrors(): void {
  let errors: string[] = [];
  test.beforeEach(({ page }) => {
    errors = watchPageErrors(page);
  });
  test.afterEach(() => {
    expect(errors, errors.join('\n')).toEqual([]);
  });
}

export interface ScreensOptions {
  /** Scrolled into view at each size. */
  reveal?: Locator;
  /** A pause after each resize, for a player that lays its video out again. */
  settleMs?: number;
}

/** Screenshots `${name}-1280x720.png` and `${name}-1920x1080.png` in SHOTS_DIR; the page keeps its size. */
export async function screens(page: Page, name: string, opts: ScreensOptions = {}): Promise<void> {
  const size = page.viewportSize();
  await mkdir(SHOTS_DIR, { recursive: true });
  for (const [width, height] of [
    [1280, 720],
    [1920, 1080],
  ]) {
    await page.setViewportSize({ width, height });
    await opts.reveal?.scrollIntoViewIfNeeded();
    if (opts.settleMs) await page.waitForTimeout(opts.settleMs);
    await page.screenshot({ path: path.join(SHOTS_DIR, `${name}-${width}x${height}.png`) });
  }
  if (size) await page.setViewportSize(size);
}

/** The Jobs drawer. */
export const jobsDrawer = (page: Page) => page.getByRole('region', { name: 'Jobs' });

/** A job's row in the drawer, "Job Shot 1 “Harbour”" (any shot number). */
export const jobRow = (jobs: Locator, title: string) => jobs.getByRole('group', { name: new RegExp(`^Job Shot \\d+ “${title}”$`) });
