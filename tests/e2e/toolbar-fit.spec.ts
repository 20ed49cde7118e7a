// With a budget set, the toolbar carries its longest text (provider, tier, cut, the estimate against the
// budget). It once pushed the page wider than the window: at 1440 px the Inspector and Generate all were
// clipped, at 1280 px Generate all was off-screen. At every size from 1280×720 up, nothing overflows.
import { test, expect, type Page } from '@playwright/test';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SHOTS_DIR, startStudio, type RunningStudio } from './helpers/studio-server';

let studio: RunningStudio;

test.beforeAll(async () => {
  studio = await startStudio({
    name: 'toolbar-fit',
    csv: [
      'title,prompt,duration',
      'Harbour,The harbour at dawn,5',
      'Market,A busy fish market,8',
      'Lighthouse,The lighthouse at dusk,10',
      'Storm,The storm breaks over the cliffs,12',
      '',
    ].join('\n'),
    // A key is configured (nothing is sent in this test), so fal's prices show against the budget.
    env: { FAL_KEY: 'fal-test-key-not-used-0000' },
    async prepare(dir) {
      const file = path.join(dir, 'project.json');
      const doc = JSON.parse(await readFile(file, 'utf8'));
      doc.name = 'The Lighthouse Keeper’s Daughter';
      doc.settings.provider = 'fal';
      doc.settings.tier = 'pro';
      doc.settings.budgetUsd = 1250;
      await writeFile(file, JSON.stringify(doc, null, 2));
    },
  });
});

test.afterAll(async () => {
  await studio?.stop();
});

/** How far each thing sticks out of the window, in px (0 = fully inside). */
async function overflow(page: Page) {
  const outside = async (name: string, locator: ReturnType<Page['locator']>) => {
    const b = await locator.boundingBox();
    if (!b) throw new Error(`${name} is not on screen`);
    const vw = page.viewportSize()!.width;
    const vh = page.viewportSize()!.height;
    return Math.max(0, -b.x, -b.y, b.x + b.width - vw, b.y + b.height - vh);
  };
  return {
    page: await page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)),
    generateAll: await outside('Generate all', page.getByRole('button', { name: /^Generate all/ })),
    exportButton: await outside('Export', page.getByRole('button', { name: /^Export/ })),
    settings: await outside('Settings', page.getByRole('button', { name: 'Settings' })),
    inspector: await outside('Inspector', page.getByRole('region', { name: 'Inspector' })),
    estimate: await outside('Estimate', page.getByTestId('pending-estimate')),
  };
}

for (const size of [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
]) {
  test(`with a budget set, nothing overflows at ${size.width}×${size.height}`, async ({ page }) => {
    await page.setViewportSize(size);
    await page.goto(studio.url);
    await expect(page.getByRole('region', { name: 'Shots' }).getByRole('listitem')).toHaveCount(4);
    // The estimate against the budget has arrived (its longest form).
    await expect(page.getByTestId('pending-estimate')).toContainText('budget $1250.00');
    await expect(page.getByTestId('pending-estimate')).toContainText('4 clips');
    expect(await overflow(page)).toEqual({ page: 0, generateAll: 0, exportButton: 0, settings: 0, inspector: 0, estimate: 0 });
    // Condensed, not cut: the budget still reads in full where it is shown, and names itself on hover.
    await expect(page.getByRole('button', { name: /^Generate all/ })).toBeEnabled();
    await page.screenshot({ path: path.join(SHOTS_DIR, `toolbar-budget-${size.width}x${size.height}.png`) });
  });
}
