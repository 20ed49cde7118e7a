// Settings and comfort, as a person would use them: a provider key saved and never shown again, this
// computer's settings kept, a bad ffmpeg path refused on its field; undo/redo from the keyboard; the ? list.
import { test, expect, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SHOTS_DIR, startStudio, type RunningStudio } from './helpers/studio-server';

const FAKE_FAL_KEY = 'sk-test-e2e-abcdef-0000-wxyz9876';

/** Restarts the server on the same project and returns its new address (new port and token). */
async function restart(studio: RunningStudio): Promise<string> {
  await studio.restart();
  return studio.url;
}

async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  return dialog;
}

test.describe('settings', () => {
  let studio: RunningStudio;
  test.beforeAll(async () => {
    // No FAL_KEY in this environment: the key typed into Settings is the only one.
    studio = await startStudio({ csv: 'title,prompt,duration\nHarbour,The harbour at dawn,5\n', name: 'settings', env: { FAL_KEY: '' } });
  });
  test.afterAll(async () => studio?.stop());

  test('a saved key shows only its hint; app settings persist; a bad ffmpeg path is refused', async ({ page }) => {
    await page.goto(studio.url);
    let settings = await openSettings(page);
    await expect(settings).toContainText('readable only by you');
    const fal = settings.getByRole('group', { name: 'fal.ai settings' });
    await expect(fal).toContainText('no key');
    await expect(page.getByRole('combobox', { name: 'Provider', exact: true }).locator('option', { hasText: 'fal.ai (no key)' })).toBeDisabled();

    await fal.getByLabel('fal.ai API key').fill(FAKE_FAL_KEY);
    await fal.getByRole('button', { name: 'Save key' }).click();
    await expect(fal.getByTestId('fal-configured')).toHaveText(`configured ····${FAKE_FAL_KEY.slice(-4)}`);
    await expect(fal.getByLabel('fal.ai API key')).toHaveValue('');
    expect(await page.content()).not.toContain(FAKE_FAL_KEY);
    // The provider can now be chosen in the toolbar.
    await expect(page.getByRole('combobox', { name: 'Provider', exact: true }).locator('option', { hasText: /^fal\.ai$/ })).toBeEnabled();

    // This computer: requests at once.
    await settings.getByLabel('Requests at once').selectOption('3');
    // An ffmpeg that does not exist is refused on its field and nothing changes.
    const ffmpeg = settings.getByLabel('ffmpeg path');
    await ffmpeg.fill('/no/such/ffmpeg');
    await ffmpeg.press('Enter');
    // The core's reason is the field's own description (and announced as an alert).
    await expect(ffmpeg).toHaveAccessibleDescription(/\/no\/such\/ffmpeg.*Nothing was saved/);
    await expect(settings.getByRole('alert')).toContainText('/no/such/ffmpeg');
    await expect(ffmpeg).toHaveAttribute('aria-invalid', 'true');
    await ffmpeg.fill('');
    await settings.getByLabel('Budget (USD)').fill('12.5');
    await settings.getByLabel('Budget (USD)').press('Tab');
    await expect.poll(async () => JSON.parse(await readFile(path.join(studio.dir, 'project.json'), 'utf8')).settings.budgetUsd).toBe(12.5);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'settings.png') });
    await page.keyboard.press('Escape');
    await expect(settings).toBeHidden();

    // After a restart and a reload: still configured, still 3, and the key is nowhere in the page.
    await page.goto(await restart(studio));
    // ⌘, (Ctrl+, here) opens Settings too.
    await page.getByRole('region', { name: 'Timeline' }).click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+,');
    settings = page.getByRole('dialog', { name: 'Settings' });
    await expect(settings.getByTestId('fal-configured')).toHaveText(`configured ····${FAKE_FAL_KEY.slice(-4)}`);
    await expect(settings.getByLabel('Requests at once')).toHaveValue('3');
    await expect(settings.getByLabel('Budget (USD)')).toHaveValue('12.5');
    await expect(settings.getByLabel('ffmpeg path')).toHaveValue('');
    expect(await page.content()).not.toContain(FAKE_FAL_KEY);

    // Remove key: back to "no key".
    await settings.getByRole('button', { name: 'Remove fal.ai key' }).click();
    await expect(settings.getByRole('group', { name: 'fal.ai settings' })).toContainText('no key');
  });
});

test.describe('comfort', () => {
  let studio: RunningStudio;
  test.beforeAll(async () => {
    studio = await startStudio({ csv: 'title,prompt,duration\nAlpha,First,3\nBravo,Second,3\nCharlie,Third,3\n', name: 'comfort' });
  });
  test.afterAll(async () => studio?.stop());

  const order = (page: Page) => page.getByRole('region', { name: 'Shots' }).getByRole('listitem').evaluateAll((items) => items.map((i) => i.getAttribute('aria-label')));

  test('undo and redo from the keyboard, with labels on the toolbar buttons; ? lists the shortcuts', async ({ page }) => {
    await page.goto(studio.url);
    await page.getByRole('listitem', { name: 'Alpha' }).click();
    const title = page.getByRole('region', { name: 'Inspector' }).getByLabel('Title');
    await title.fill('Alpha at night');
    // Leave the field: single-key shortcuts and ⌘Z act outside text fields.
    await page.getByRole('listitem', { name: 'Alpha at night' }).click();
    await expect(page.getByRole('button', { name: 'Undo', exact: true })).toBeEnabled();
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(() => order(page)).toEqual(['Bravo', 'Alpha at night', 'Charlie']);
    await expect(page.getByRole('button', { name: 'Undo', exact: true })).toHaveAttribute('title', /^Undo .*\(Ctrl\+Z\)$/);

    await page.keyboard.press('Control+z');
    await expect.poll(() => order(page)).toEqual(['Alpha at night', 'Bravo', 'Charlie']);
    await page.keyboard.press('Control+z');
    await expect.poll(() => order(page)).toEqual(['Alpha', 'Bravo', 'Charlie']);
    await expect(page.getByRole('button', { name: 'Redo', exact: true })).toBeEnabled();
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => order(page)).toEqual(['Alpha at night', 'Bravo', 'Charlie']);
    await expect.poll(async () => JSON.parse(await readFile(path.join(studio.dir, 'project.json'), 'utf8')).shots.map((s: { title: string }) => s.title)).toEqual([
      'Alpha at night',
      'Bravo',
      'Charlie',
    ]);
    // The toolbar buttons do the same.
    await page.getByRole('button', { name: 'Redo', exact: true }).click();
    await expect.poll(() => order(page)).toEqual(['Bravo', 'Alpha at night', 'Charlie']);

    // ⌘D duplicates the selected shot.
    await page.getByRole('listitem', { name: 'Charlie' }).click();
    await page.keyboard.press('Control+d');
    await expect.poll(() => order(page)).toEqual(['Bravo', 'Alpha at night', 'Charlie', 'Charlie (copy)']);

    // ? lists every shortcut; Esc closes it.
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(help).toBeVisible();
    for (const what of ['Play or pause the preview', 'Undo', 'Redo', 'Duplicate the selected shot (no takes)', 'Settings']) {
      await expect(help.getByText(what, { exact: true })).toBeVisible();
    }
    await page.screenshot({ path: path.join(SHOTS_DIR, 'shortcuts.png') });
    await page.keyboard.press('Escape');
    await expect(help).toBeHidden();
  });
});
