// Changing where a provider's requests go, as a person does it in Settings: a saved key belongs to the
// address it was entered for, so a new address asks first — keep the old one, paste the key again for the
// new one, or move and lose the saved key. A plain-HTTP address off this computer is refused on its field.
import { test, expect, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SHOTS_DIR, startStudio, type RunningStudio } from './helpers/studio-server';

const KEY = 'fal-e2e-key-1111-aaaa-zz42';
const PROXY = 'https://proxy.example/fal';

async function openFal(page: Page) {
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await expect(settings).toBeVisible();
  return { settings, fal: settings.getByRole('group', { name: 'fal.ai settings' }) };
}

test.describe('provider base URL', () => {
  let studio: RunningStudio;
  test.beforeAll(async () => {
    studio = await startStudio({ csv: 'title,prompt,duration\nHarbour,The harbour at dawn,5\n', name: 'base-url', env: { FAL_KEY: '' } });
  });
  test.afterAll(async () => studio?.stop());

  const settingsFile = () => readFile(path.join(studio.tmp, 'config', 'settings.json'), 'utf8').catch(() => '');

  test('a new address asks about the saved key; keep, re-enter, or move without it', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(studio.url);
    const { settings, fal } = await openFal(page);
    await fal.getByLabel('fal.ai API key').fill(KEY);
    await fal.getByRole('button', { name: 'Save key' }).click();
    await expect(fal.getByTestId('fal-configured')).toHaveText('configured ····zz42');
    const url = fal.getByLabel('fal.ai base URL');
    const original = await url.inputValue();
    expect(original).toMatch(/^https:\/\//);

    // Plain HTTP to another machine: refused on the field, nothing saved, the key stays.
    await url.fill('http://evil.example');
    await url.press('Enter');
    await expect(url).toHaveAccessibleDescription(/In the browser, a base URL must be https:\/\/.*Nothing was saved/);
    await expect(fal.getByTestId('fal-configured')).toHaveText('configured ····zz42');
    expect(await settingsFile()).not.toContain('evil.example');
    await page.screenshot({ path: path.join(SHOTS_DIR, 'base-url-refused-1280.png') });

    // An https address: the studio asks first; nothing has changed yet.
    await url.fill(PROXY);
    await url.press('Enter');
    const confirm = fal.getByRole('alertdialog', { name: 'Change the fal.ai address?' });
    await expect(confirm).toContainText(`was entered for ${original}`);
    await expect(confirm).toContainText(PROXY);
    expect(await settingsFile()).not.toContain('proxy.example');
    await page.screenshot({ path: path.join(SHOTS_DIR, 'base-url-confirm-1280.png') });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: path.join(SHOTS_DIR, 'base-url-confirm-1920.png') });

    // Keep: the field shows the current address again, the key is still configured.
    await confirm.getByRole('button', { name: 'Keep the current address' }).click();
    await expect(confirm).toBeHidden();
    await expect(url).toHaveValue(original);
    await expect(fal.getByTestId('fal-configured')).toHaveText('configured ····zz42');

    // Re-enter the key for the new address: both are saved together.
    await url.fill(PROXY);
    await url.press('Enter');
    await fal.getByLabel('fal.ai API key').fill(KEY);
    await fal.getByRole('button', { name: 'Save key and address' }).click();
    await expect(confirm).toBeHidden();
    await expect(url).toHaveValue(PROXY);
    await expect(fal.getByTestId('fal-configured')).toHaveText('configured ····zz42');

    // Move again without the key: the saved key is removed, so nothing is sent with it to the new address.
    await url.fill('https://other-gateway.example');
    await url.press('Enter');
    await confirm.getByRole('button', { name: 'Change address, remove key' }).click();
    await expect(fal).toContainText('no key');
    await expect(url).toHaveValue('https://other-gateway.example');
    expect(await settingsFile()).not.toContain(KEY);
    await expect(settings.getByRole('alertdialog')).toHaveCount(0);
  });
});
