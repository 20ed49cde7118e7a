// A voice made from a sample (issue 14, item 8), as a director does it in the library: a voice “Narrator”,
// a 3 s recording refused (naming the file and its length), an 8 s one taken; "Create on fal.ai" shows
// fal's published price before the click, the fal mock (create-voice on its queue, written from fal's page)
// makes the voice, and its id appears in the fal.ai field and in project.json. Kling's confirmation says
// its price is not published and waits for a public URL of the sample.
import { test, expect } from '@playwright/test';
import path from 'node:path';
import { exec, falEnv, mockForFile, studiosPerTest } from './helpers/studio-server';
import { screens, watchPageErrors } from './helpers/studio-page';
import { readProject } from './helpers/project-files';
import { startFalMock } from '../mock-providers/fal';

const fal = mockForFile(startFalMock);
const startStudio = studiosPerTest();

test('a voice from an 8 s sample, created on fal.ai (mock): price before the click, the id in the voice after', async ({ page }) => {
  test.setTimeout(120_000);
  fal.state.timing = { queueMs: 150, runMs: 400 };
  const studio = await startStudio({
    csv: 'title,prompt,duration\nDoor,The lighthouse door.,5\n',
    name: 'voices',
    env: falEnv(fal),
    async prepare(_dir, tmp) {
      const tone = (name: string, sec: number) => exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=200:duration=${sec}`, '-ar', '22050', path.join(tmp, name)]);
      await tone('short.wav', 3);
      await tone('narrator.wav', 8);
    },
  });
  const errors = watchPageErrors(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(studio.url);

  await page.getByRole('listitem', { name: 'Door' }).click();
  await page.getByRole('region', { name: 'Inspector' }).getByRole('button', { name: 'Manage library…' }).click();
  const library = page.getByRole('dialog', { name: 'Library' });
  await library.getByLabel('New voice name').fill('Narrator');
  await library.getByLabel('New voice name').press('Enter');
  const narrator = library.getByRole('listitem', { name: 'Narrator' });
  await expect(narrator.getByRole('button', { name: 'Create on fal.ai' })).toBeDisabled();

  // Too short: refused, saying which file and how long it runs; nothing is kept.
  await narrator.getByLabel('Voice sample of Narrator').setInputFiles(path.join(studio.tmp, 'short.wav'));
  await expect(narrator.getByRole('alert')).toContainText('short.wav runs 3.00 s; the sample of voice “Narrator” must run 5–30 s');
  await narrator.getByLabel('Voice sample of Narrator').setInputFiles(path.join(studio.tmp, 'narrator.wav'));
  await expect(narrator.getByText(/^Sample · 8\.0 s$/)).toBeVisible();

  // Kling: its price is not published, and it needs a public address for the sample.
  await narrator.getByRole('button', { name: 'Create on Kling' }).click();
  const klingConfirm = narrator.getByRole('group', { name: 'Create Narrator on Kling' });
  await expect(klingConfirm).toContainText('Kling’s price is not published');
  await expect(klingConfirm.getByRole('button', { name: 'Create voice' })).toBeDisabled();
  await klingConfirm.getByRole('button', { name: 'Cancel' }).click();

  // fal: the published price on the button, before anything is sent.
  await narrator.getByRole('button', { name: 'Create on fal.ai' }).click();
  const confirm = narrator.getByRole('group', { name: 'Create Narrator on fal.ai' });
  await expect(confirm).toContainText('$0.007 (fal.ai’s published price)');
  expect(fal.state.log.filter((r) => r.path.includes('create-voice'))).toEqual([]);
  await screens(page, 'voices-confirm', { reveal: confirm });

  await confirm.getByRole('button', { name: 'Create voice · $0.007' }).click();
  const falId = narrator.getByLabel('fal.ai voice id');
  await expect(falId).toHaveValue(/^\d{18}$/, { timeout: 30_000 });
  await expect(confirm).toBeHidden();
  const id = await falId.inputValue();
  // The document is saved a moment after the edit.
  const saved = async () => (await readProject(studio.dir)).voices[0];
  await expect.poll(saved, { timeout: 10_000 }).toMatchObject({ name: 'Narrator', providerIds: { fal: id }, sample: { durationSec: 8 } });
  expect((await saved()).sample.path).toMatch(/^media\/voices\/[0-9a-f]{16}\.wav$/);
  // One create-voice request, with the uploaded sample's URL and nothing else.
  const submits = fal.state.log.filter((r) => r.method === 'POST' && r.path === '/fal-ai/kling-video/create-voice');
  expect(submits).toHaveLength(1);
  expect(Object.keys(submits[0].body as object)).toEqual(['voice_url']);
  await screens(page, 'voices-created', { reveal: narrator });
  expect(errors).toEqual([]);
});
