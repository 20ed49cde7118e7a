// The inspector, driven as a person would: edit everything a shot can have, bring in reference images,
// build an element and voice library and use it, and see what a provider cannot do and what would stop
// "Generate" before anything is sent. Values are checked after a server restart and in project.json.
import { test, expect, type Page, type Locator } from '@playwright/test';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exec, SHOTS_DIR, startStudio, type RunningStudio } from './helpers/studio-server';

const CSV = 'title,prompt,duration\nHarbour,The harbour at dawn,5\nStorm,Waves hit the pier,4\n';

async function makePng(file: string, size: string) {
  await exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=s=${size}`, '-frames:v', '1', file]);
}

async function readProject(studio: RunningStudio) {
  return JSON.parse(await readFile(path.join(studio.dir, 'project.json'), 'utf8'));
}

async function openShot(page: Page, title: string): Promise<Locator> {
  await page.getByRole('listitem', { name: title }).click();
  const inspector = page.getByRole('region', { name: 'Inspector' });
  await expect(inspector.getByLabel('Title')).toHaveValue(title);
  return inspector;
}

/** Restarts the server (as after quitting and reopening) and returns its new URL (new port and token). */
async function restartStudio(studio: RunningStudio): Promise<string> {
  const old = studio.url;
  await studio.restart();
  expect(studio.url).not.toBe(old);
  return studio.url;
}

async function chooseFile(page: Page, button: Locator, file: string) {
  const chooser = page.waitForEvent('filechooser');
  await button.click();
  await (await chooser).setFiles(file);
}

test('every field of a shot is saved and comes back after a restart', async ({ page }) => {
  const studio = await startStudio({ csv: CSV, prepare: async (_dir, tmp) => makePng(path.join(tmp, 'frame.png'), '640x360') });
  try {
    const png = path.join(studio.tmp, 'frame.png');
    await page.goto(studio.url);
    const inspector = await openShot(page, 'Harbour');

    await inspector.getByLabel('Title').fill('Harbour at first light');
    await inspector.getByLabel('Prompt', { exact: true }).fill('Fishing boats leave the harbour at dawn, <<<voice_1>>> hums');
    await inspector.getByLabel('Negative prompt').fill('blur, text');
    await inspector.getByRole('button', { name: 'One second longer' }).click();
    await expect(inspector.getByRole('spinbutton', { name: 'Duration (s)' })).toHaveValue('6');
    await inspector.getByRole('spinbutton', { name: 'Duration (s)' }).fill('8');
    const cfg = inspector.getByRole('slider', { name: 'CFG scale' });
    await cfg.focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    await expect(inspector.getByText('0.70')).toBeVisible();
    await inspector.getByRole('radio', { name: '9:16', exact: true }).check();
    await inspector.getByRole('radio', { name: 'Pro', exact: true }).check();

    await chooseFile(page, inspector.getByRole('button', { name: 'Choose start frame image' }), png);
    await expect(inspector.getByRole('img', { name: 'Start frame of this shot' })).toBeVisible();
    await chooseFile(page, inspector.getByRole('button', { name: 'Choose end frame image' }), png);
    await expect(inspector.getByRole('img', { name: 'End frame of this shot' })).toBeVisible();
    // The thumbnail is the real picture, served from the project.
    await expect.poll(() => inspector.getByRole('img', { name: 'Start frame of this shot' }).evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(640);

    // The library: an element with a picture and a Kling id, a voice with a fal.ai id.
    await inspector.getByRole('button', { name: 'Manage library…' }).click();
    const library = page.getByRole('dialog', { name: 'Library' });
    await expect(library).toBeVisible();
    await library.getByLabel('New element name').fill('Mara');
    await library.getByRole('button', { name: 'Add element' }).click();
    const mara = library.getByRole('listitem', { name: 'Mara' });
    await chooseFile(page, mara.getByRole('button', { name: 'Add image to Mara' }), png);
    await expect(mara.getByRole('img', { name: 'Mara, front view' })).toBeVisible();
    await mara.getByLabel('Kling element id of Mara').fill('860213457198923776');
    await library.getByLabel('New voice name').fill('Narrator');
    await library.getByLabel('New voice name').press('Enter');
    const narrator = library.getByRole('listitem', { name: 'Narrator' });
    await narrator.getByLabel('fal.ai voice id').fill('fal-voice-9');
    await narrator.getByLabel('Kling voice id').fill('kling-voice-2');
    await narrator.getByLabel('Kling voice id').press('Enter');
    await page.screenshot({ path: path.join(SHOTS_DIR, 'inspector-library.png') });
    await page.keyboard.press('Escape');
    await expect(library).toBeHidden();

    await inspector.getByRole('button', { name: 'Mara' }).click();
    await expect(inspector.getByRole('button', { name: 'Mara' })).toHaveAttribute('aria-pressed', 'true');
    await inspector.getByRole('switch', { name: 'Native audio' }).check();
    await inspector.getByRole('button', { name: 'Narrator' }).click();
    await expect(inspector.getByRole('button', { name: /Narrator/ })).toHaveAttribute('aria-pressed', 'true');
    await inspector.getByRole('button', { name: 'Add line' }).click();
    await inspector.getByLabel('Speaker of line 1').fill('Mara');
    await inspector.getByLabel('Line 1', { exact: true }).fill('Light the lamp.');
    await inspector.getByLabel('Line 1', { exact: true }).blur();

    // Voices listed beside the prompt exclude elements (Kling V3): the core's pre-flight check says so under Voices.
    await expect(inspector.getByRole('group', { name: 'Voices' }).getByText(/takes voices or characters in one request, not both/)).toBeVisible();
    await inspector.getByRole('group', { name: 'Look' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(SHOTS_DIR, 'inspector-fields.png') });
    await inspector.getByRole('group', { name: 'Audio' }).evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await page.screenshot({ path: path.join(SHOTS_DIR, 'inspector-fields-2.png') });

    await expect.poll(async () => (await readProject(studio)).shots[0].audio.dialogue, { timeout: 10_000 }).toEqual([{ speaker: 'Mara', text: 'Light the lamp.' }]);
    await expect(page.getByText('Saved', { exact: true })).toBeVisible();

    await page.goto(await restartStudio(studio));
    const again = await openShot(page, 'Harbour at first light');
    await expect(again.getByLabel('Prompt', { exact: true })).toHaveValue('Fishing boats leave the harbour at dawn, <<<voice_1>>> hums');
    await expect(again.getByLabel('Negative prompt')).toHaveValue('blur, text');
    await expect(again.getByRole('spinbutton', { name: 'Duration (s)' })).toHaveValue('8');
    await expect(again.getByRole('slider', { name: 'CFG scale' })).toHaveValue('0.7');
    await expect(again.getByRole('radio', { name: '9:16', exact: true })).toBeChecked();
    await expect(again.getByRole('radio', { name: 'Pro', exact: true })).toBeChecked();
    await expect(again.getByRole('img', { name: 'Start frame of this shot' })).toBeVisible();
    await expect(again.getByRole('img', { name: 'End frame of this shot' })).toBeVisible();
    await expect(again.getByRole('button', { name: 'Mara' })).toHaveAttribute('aria-pressed', 'true');
    await expect(again.getByRole('switch', { name: 'Native audio' })).toBeChecked();
    await expect(again.getByRole('button', { name: /Narrator/ })).toHaveAttribute('aria-pressed', 'true');
    await expect(again.getByLabel('Speaker of line 1')).toHaveValue('Mara');
    await expect(again.getByLabel('Line 1', { exact: true })).toHaveValue('Light the lamp.');

    const doc = await readProject(studio);
    const shot = doc.shots[0];
    expect(shot).toMatchObject({
      title: 'Harbour at first light',
      negativePrompt: 'blur, text',
      durationSec: 8,
      cfgScale: 0.7,
      aspectRatio: '9:16',
      tier: 'pro',
      audio: { native: true, dialogue: [{ speaker: 'Mara', text: 'Light the lamp.' }] },
    });
    expect(shot.startFrame).toMatch(/^media\/refs\//);
    expect(shot.endFrame).toMatch(/^media\/refs\//);
    expect(doc.elements).toEqual([expect.objectContaining({ name: 'Mara', providerIds: { kling: '860213457198923776' } })]);
    expect(doc.elements[0].images).toHaveLength(1);
    expect(doc.voices).toEqual([expect.objectContaining({ name: 'Narrator', providerIds: { fal: 'fal-voice-9', kling: 'kling-voice-2' } })]);
    expect(shot.elementIds).toEqual([doc.elements[0].id]);
    expect(shot.audio.voiceIds).toEqual([doc.voices[0].id]);
    // The other shot was not touched.
    expect(doc.shots[1]).toMatchObject({ title: 'Storm', durationSec: 4, elementIds: [] });
  } finally {
    await studio.stop();
  }
});

test('a too-small image is refused with the reason beside the well, and nothing changes', async ({ page }) => {
  const studio = await startStudio({ csv: CSV, prepare: async (_dir, tmp) => makePng(path.join(tmp, 'tiny.png'), '100x100') });
  try {
    await page.goto(studio.url);
    const inspector = await openShot(page, 'Harbour');
    const before = await readFile(path.join(studio.dir, 'project.json'), 'utf8');
    await chooseFile(page, inspector.getByRole('button', { name: 'Choose start frame image' }), path.join(studio.tmp, 'tiny.png'));
    const well = inspector.getByRole('group', { name: 'Start frame' });
    await expect(well.getByText(/100×100; each side must be at least 300 px/)).toBeVisible();
    await expect(page.getByText('Could not use that image')).toBeVisible();
    await expect(well.getByRole('img')).toHaveCount(0);
    expect(await readFile(path.join(studio.dir, 'project.json'), 'utf8')).toBe(before);
  } finally {
    await studio.stop();
  }
});

test('controls the provider cannot honour are disabled with a reason naming it; problems show on the field', async ({ page }) => {
  const studio = await startStudio({
    csv: CSV,
    prepare: async (dir) => {
      const file = path.join(dir, 'project.json');
      const doc = JSON.parse(await readFile(file, 'utf8'));
      doc.settings.provider = 'replicate';
      doc.voices = [
        { id: 'voice_narrator', name: 'Narrator', providerIds: { fal: 'fal-voice-9' } },
        { id: 'voice_keeper', name: 'Keeper', providerIds: { fal: 'fal-voice-3' } },
      ];
      doc.elements = [{ id: 'el_mara', name: 'Mara', images: [], providerIds: {} }];
      doc.shots[0].audio = { native: true, voiceIds: ['voice_narrator'], dialogue: [] };
      await writeFile(file, JSON.stringify(doc, null, 2));
    },
  });
  try {
    await page.goto(studio.url);
    const inspector = await openShot(page, 'Harbour');

    const keeper = inspector.getByRole('button', { name: 'Keeper' });
    await expect(keeper).toBeDisabled();
    await expect(keeper).toHaveAttribute('title', 'Replicate does not take voices for Kling V3');
    // Not forgotten: the shot keeps the voice it had, and it can still be taken off.
    const narrator = inspector.getByRole('button', { name: /Narrator/ });
    await expect(narrator).toHaveAttribute('aria-pressed', 'true');
    await expect(narrator).toHaveAttribute('title', /^Replicate does not take voices for Kling V3: click to take it off/);
    await expect(inspector.getByRole('slider', { name: 'CFG scale' })).toBeDisabled();
    await expect(inspector.getByRole('slider', { name: 'CFG scale' })).toHaveAttribute('title', 'Replicate does not take a CFG scale for Kling V3');
    await expect(inspector.getByRole('button', { name: 'Mara' })).toBeDisabled();
    // The core's pre-flight check agrees, on the same field; taking the voice off clears it.
    const voices = inspector.getByRole('group', { name: 'Voices' });
    await expect(voices.getByText('Replicate has no voice control.')).toBeVisible();
    await inspector.getByRole('group', { name: 'Audio' }).evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await page.screenshot({ path: path.join(SHOTS_DIR, 'inspector-disabled.png') });
    await narrator.click();
    await expect(voices.getByText('Replicate has no voice control.')).toBeHidden();
    await expect(narrator).toBeDisabled();
    await expect.poll(async () => (await readProject(studio)).shots[0].audio.voiceIds).toEqual([]);

    // A prompt over the limit is marked on the field and not saved. The limit is every provider's, so the
    // message names none (it used to say "Kling" with Replicate chosen).
    const prompt = inspector.getByLabel('Prompt', { exact: true });
    await prompt.fill('a'.repeat(2600));
    await expect(inspector.getByText('A prompt is at most 2500 characters on every provider; shorten it by 100.', { exact: false })).toBeVisible();
    await expect(inspector.getByText(/Kling accepts/)).toHaveCount(0);
    await expect(inspector.getByLabel('2600 of 2500 characters')).toBeVisible();
    await expect(prompt).toHaveAttribute('aria-invalid', 'true');
    await page.screenshot({ path: path.join(SHOTS_DIR, 'inspector-prompt-limit.png') });
    expect((await readProject(studio)).shots[0].prompt).toBe('The harbour at dawn');

    // An empty prompt is saved, but would stop Generate: the core's problem shows under the prompt.
    await prompt.fill('');
    await expect(inspector.getByText('Prompt is empty.')).toBeVisible();
    await expect.poll(async () => (await readProject(studio)).shots[0].prompt).toBe('');
  } finally {
    await studio.stop();
  }
});
