// A price of your own, as a producer sets it: Settings → Prices shows fal's published figure with its
// source and date; typing a negotiated rate changes what Generate all would cost, and the confirmation says
// the total comes from "your price"; Reset to the published price puts the price list back.
import { test, expect } from '@playwright/test';
import { priceDate } from '../../shared/pricing';
import { falEnv, mockForFile, studiosPerTest } from './helpers/studio-server';
import { screens, watchPageErrors } from './helpers/studio-page';
import { startFalMock } from '../mock-providers/fal';

const mock = mockForFile(startFalMock);
const startStudio = studiosPerTest();

test('a price set in Settings changes the confirmation total, which says "your price"; reset brings the price list back', async ({ page }) => {
  const studio = await startStudio({ csv: 'title,prompt,duration\nHarbour,The harbour at dawn,5\n', name: 'prices', env: falEnv(mock), provider: 'fal' });
  const errors = watchPageErrors(page);
  await page.goto(studio.url);
  const estimate = page.getByTestId('pending-estimate');
  // fal Standard, no audio: 5 s × $0.084 from fal's price list.
  await expect(estimate).toContainText('$0.42');

  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  const prices = settings.getByRole('region', { name: 'Prices' });
  const table = prices.getByRole('table', { name: 'fal.ai prices' });
  await expect(table).toContainText('Published: fal llms.txt for v3 standard, 2026-03-13');
  const cell = table.getByRole('spinbutton', { name: 'fal.ai Standard, audio off (USD per second)' });
  await expect(cell).toHaveAttribute('placeholder', '0.084');

  // A figure that is not a price is refused on the field; nothing changes.
  await cell.fill('-1');
  await cell.press('Enter');
  await expect(prices.getByRole('alert')).toHaveText('Enter USD per second from 0 to 5, like 0.084. The published price is kept.');
  await expect(estimate).toContainText('$0.42');

  await cell.fill('0.2');
  await cell.press('Enter');
  await expect(table).toContainText(`Your price, set ${priceDate()} · published 0.084`);
  await expect(prices.getByRole('alert')).toHaveCount(0);
  await screens(page, 'settings-prices', { reveal: prices });
  await settings.getByRole('button', { name: 'Done' }).click();

  // The toolbar follows at once, and its tooltip names the table.
  await expect(estimate).toContainText('$1.00');
  await expect(page.locator('.toolbar__cost')).toHaveAttribute('title', new RegExp(`from your price, set ${priceDate()}$`));

  await page.getByRole('button', { name: /^Generate all/ }).click();
  const confirm = page.getByRole('dialog', { name: 'Generate 1 clip for $1.00?' });
  await expect(confirm).toBeVisible();
  await expect(confirm.getByRole('list', { name: 'Requests to send' }).getByRole('listitem')).toHaveText([/shot 1 “Harbour”\s*5 s\s*\$1\.00/, /Total\s*\$1\.00/]);
  await expect(confirm.getByTestId('price-source')).toHaveText(`Priced from your price, set ${priceDate()}.`);
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  expect(mock.state.submissions()).toHaveLength(0);

  // Back to fal's price list.
  await page.getByRole('button', { name: 'Settings' }).click();
  await settings.getByRole('button', { name: 'Reset fal.ai Standard, audio off to the published price' }).click();
  await expect(cell).toHaveValue('');
  await expect(table).not.toContainText('Your price');
  await settings.getByRole('button', { name: 'Done' }).click();
  await expect(estimate).toContainText('$0.42');
  await page.getByRole('button', { name: /^Generate all/ }).click();
  await expect(page.getByRole('dialog', { name: 'Generate 1 clip for $0.42?' }).getByTestId('price-source')).toHaveText('Priced from fal.ai price list of 2026-03-13.');
  expect(errors).toEqual([]);
});
