// Characters that stay the same across shots (issue 14, items 8–9), as a director builds them: a character
// with two pictures, a short reference video and a voice, made in the library; placed in a prompt with the
// `@` menu; given a line in one shot and a line off screen in another. Generated on fal and on Kling (the
// mocks), the request bodies carry the character and the voice as each provider documents it
// (docs/providers.md §2.6, §5): fal gets images as @Element1 where she is silent and {video_url, voice_id}
// where she speaks; Kling gets her element id in element_list and, where she speaks off screen, her voice in
// voice_list with <<<voice_1>>>. What a provider cannot take is refused before anything is sent, naming the
// shot and the field.
import { test, expect, type Locator, type Page } from '@playwright/test';
import { cp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exec, falEnv, mockForFile, studiosPerTest, type RunningStudio } from './helpers/studio-server';
import { screens, watchPageErrors } from './helpers/studio-page';
import { editProject, readProject as readProjectIn } from './helpers/project-files';
import { addRefPicture } from './helpers/frames';
import { startFalMock } from '../mock-providers/fal';
import { KLING_MOCK_ACCESS_KEY, KLING_MOCK_SECRET_KEY, startKlingMock } from '../mock-providers/kling';

const KLING_ID = '860213457198923776';
const CSV = 'title,prompt,duration\nDoor,The lighthouse door.,5\nSea,@Mara turns to the sea.,5\nLamp,The lamp turns.,5\n';

const fal = mockForFile(startFalMock);
const kling = mockForFile(startKlingMock);
const startStudio = studiosPerTest();

const readProject = (s: RunningStudio) => readProjectIn(s.dir);

async function openShot(page: Page, title: string): Promise<Locator> {
  await page.getByRole('listitem', { name: title }).click();
  const inspector = page.getByRole('region', { name: 'Inspector' });
  await expect(inspector.getByLabel('Title')).toHaveValue(title);
  return inspector;
}

async function chooseFile(page: Page, button: Locator, file: string) {
  const chooser = page.waitForEvent('filechooser');
  await button.click();
  await (await chooser).setFiles(file);
}

async function sayLine(inspector: Locator, text: string) {
  await inspector.getByRole('button', { name: 'Add line' }).click();
  await inspector.getByLabel('Character who says line 1').selectOption({ label: 'Mara (voice)' });
  await inspector.getByLabel('Line 1', { exact: true }).fill(text);
  await inspector.getByLabel('Line 1', { exact: true }).blur();
}

test('a character with two images, a video and a voice in three shots, sent to fal and to Kling as each expects', async ({ page }) => {
  test.setTimeout(240_000);
  fal.state.timing = { queueMs: 100, runMs: 300 };
  kling.state.timing = { queueMs: 100, runMs: 300 };
  const studio = await startStudio({
    csv: CSV,
    name: 'characters',
    env: falEnv(fal),
    provider: 'fal',
    async prepare(dir, tmp) {
      const frame = (file: string, size: string, src = 'testsrc2') => exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `${src}=s=${size}`, '-frames:v', '1', file]);
      await frame(path.join(tmp, 'mara-front.png'), '600x800');
      await frame(path.join(tmp, 'mara-side.png'), '600x800', 'testsrc');
      await exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=720x720:r=24:d=4', '-pix_fmt', 'yuv420p', path.join(tmp, 'mara.mp4')]);
      const harbour = await addRefPicture(dir, 'harbour.png', 'testsrc2=s=1280x720');
      await editProject(dir, (doc) => {
        // Characters are image-to-video: the two shots she is in start from a frame; the two with lines have sound.
        doc.shots[0].startFrame = doc.shots[1].startFrame = harbour;
        doc.shots[1].audio = { ...doc.shots[1].audio, native: true };
        doc.shots[2].audio = { ...doc.shots[2].audio, native: true };
      });
    },
  });
  const errors = watchPageErrors(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(studio.url);

  // The library: Mara, two pictures, a 4 s video, the voice “Warm” with its fal and Kling ids.
  let inspector = await openShot(page, 'Door');
  await inspector.getByRole('button', { name: 'Manage library…' }).click();
  const library = page.getByRole('dialog', { name: 'Library' });
  await library.getByLabel('New voice name').fill('Warm');
  await library.getByLabel('New voice name').press('Enter');
  const warm = library.getByRole('listitem', { name: 'Warm' });
  await warm.getByLabel('fal.ai voice id').fill('fal-voice-9');
  await warm.getByLabel('Kling voice id').fill('kv-77');
  await warm.getByLabel('Kling voice id').press('Enter');
  await library.getByLabel('New element name').fill('Mara');
  await library.getByRole('button', { name: 'Add element' }).click();
  const mara = library.getByRole('listitem', { name: 'Mara' });
  await chooseFile(page, mara.getByRole('button', { name: 'Add image to Mara' }), path.join(studio.tmp, 'mara-front.png'));
  await expect(mara.getByRole('img', { name: 'Mara, front view' })).toBeVisible();
  await chooseFile(page, mara.getByRole('button', { name: 'Add image to Mara' }), path.join(studio.tmp, 'mara-side.png'));
  await expect(mara.getByRole('img', { name: 'Mara, view 2' })).toBeVisible();
  await expect(mara.getByLabel('Kind of Mara')).toHaveValue('character');
  await mara.getByLabel('Voice of Mara').selectOption({ label: 'Warm' });
  const plan = mara.getByRole('list', { name: 'What each provider does with Mara' });
  // Without a video, fal cannot carry her voice: the card says so.
  await expect(plan).toContainText('fal: images — add a video to carry the voice');
  await mara.getByLabel('Reference video of Mara').setInputFiles(path.join(studio.tmp, 'mara.mp4'));
  await expect(mara.getByText(/^Video · 4\.0 s$/)).toBeVisible();
  // A Kling element id is a number: a typed name is refused, naming it, and not kept.
  await mara.getByLabel('Kling element id of Mara').fill('mara-01');
  await mara.getByLabel('Kling element id of Mara').press('Enter');
  await expect(page.getByText(/“mara-01” is not a Kling element id/).first()).toBeVisible();
  await mara.getByLabel('Kling element id of Mara').fill(KLING_ID);
  await mara.getByLabel('Kling element id of Mara').press('Enter');
  await expect(plan).toContainText('fal: images; its video with voice “Warm” in shots where it speaks');
  await expect(plan).toContainText(`Kling: element ${KLING_ID}`);
  await expect(plan).toContainText('Kling: voice kv-77 only where it speaks off screen');
  await expect(plan).toContainText('Replicate: takes no characters');
  await screens(page, 'characters-library', { reveal: mara });
  await page.keyboard.press('Escape');
  await expect(library).toBeHidden();

  // Shot 1: Mara is in it, and the prompt places her with the @ menu.
  await inspector.getByRole('button', { name: 'Mara' }).click();
  await expect(inspector.getByRole('button', { name: 'Mara' })).toHaveAttribute('aria-pressed', 'true');
  const prompt = inspector.getByLabel('Prompt', { exact: true });
  await prompt.fill('');
  await prompt.pressSequentially('@Ma');
  const menu = inspector.getByRole('listbox', { name: 'Characters' });
  await expect(menu.getByRole('option')).toHaveText([/Mara\s*in this shot/]);
  await expect(menu.getByRole('option', { name: /Mara/ })).toHaveAttribute('aria-selected', 'true');
  await screens(page, 'characters-at-menu', { reveal: prompt });
  await prompt.press('Escape');
  await expect(menu).toBeHidden();
  await prompt.pressSequentially('r');
  await expect(menu).toBeHidden(); // closed for this mention; a new @ opens it again
  for (let i = 0; i < 4; i++) await prompt.press('Backspace');
  await expect(prompt).toHaveValue('');
  await prompt.pressSequentially('@Ma');
  await expect(menu).toBeVisible();
  await prompt.press('ArrowDown');
  await prompt.press('Enter');
  await expect(prompt).toHaveValue('@Mara ');
  await prompt.pressSequentially('walks to the lighthouse door.');
  await prompt.blur();

  // Shot 2: Mara is in it and says a line. Shot 3: she speaks off screen.
  inspector = await openShot(page, 'Sea');
  await inspector.getByRole('button', { name: 'Mara' }).click();
  await sayLine(inspector, 'We are late again.');
  inspector = await openShot(page, 'Lamp');
  await sayLine(inspector, 'Keep it burning.');

  await expect
    .poll(async () => {
      const doc = await readProject(studio);
      return doc.shots.map((s: { prompt: string; elementIds: string[]; audio: { dialogue: unknown[] } }) => [s.prompt, s.elementIds.length, s.audio.dialogue.length]);
    }, { timeout: 15_000 })
    .toEqual([
      ['@Mara walks to the lighthouse door.', 1, 0],
      ['@Mara turns to the sea.', 1, 1],
      ['The lamp turns.', 0, 1],
    ]);
  const doc = await readProject(studio);
  const el = doc.elements[0];
  expect(el).toMatchObject({ name: 'Mara', kind: 'character', voiceId: doc.voices[0].id, providerIds: { kling: KLING_ID } });
  expect(el.images).toHaveLength(2);
  expect(el.video).toMatchObject({ path: expect.stringMatching(/^media\/refs\/.+\.mp4$/), durationSec: expect.closeTo(4, 1) });
  expect(doc.shots[1].audio.dialogue).toEqual([{ speaker: 'Mara', text: 'We are late again.', characterId: el.id }]);

  // fal: shot 3 is refused before anything is sent (a voice binds to a character in the shot).
  const generateAll = page.getByRole('button', { name: /^Generate all/ });
  await generateAll.click();
  let confirm = page.getByRole('dialog', { name: /^Generate 2 clips for/ });
  await expect(confirm).toBeVisible();
  await expect(confirm.getByRole('group', { name: 'Skipped shots' })).toContainText('shot 3 “Lamp”');
  await expect(confirm.getByRole('group', { name: 'Skipped shots' })).toContainText('fal.ai binds a voice to a character in the shot');
  await confirm.getByRole('button', { name: /^Generate for/ }).click();
  await expect.poll(() => fal.state.submissions().length, { timeout: 30_000 }).toBe(2);
  const falBodies = fal.state.submissions().map((r) => r.body as Record<string, unknown>);
  const door = falBodies.find((b) => String(b.prompt).includes('door'))!;
  const sea = falBodies.find((b) => String(b.prompt).includes('sea'))!;
  expect(door.prompt).toBe('@Element1 walks to the lighthouse door.');
  expect(door.elements).toEqual([{ frontal_image_url: expect.stringContaining(fal.url), reference_image_urls: [expect.stringContaining(fal.url)] }]);
  expect(sea.prompt).toBe('@Element1 turns to the sea. @Element1 says: "We are late again."');
  expect(sea.elements).toEqual([{ video_url: expect.stringContaining(fal.url), voice_id: 'fal-voice-9' }]);
  expect(sea.generate_audio).toBe(true);
  for (const b of falBodies) expect(b).not.toHaveProperty('voice_ids');
  await expect.poll(async () => (await readProject(studio)).shots.slice(0, 2).map((s: { takes: { status: string }[] }) => s.takes.map((t) => t.status).join()), { timeout: 30_000 }).toEqual(['ready', 'ready']);

  // Kling: the same project (no takes yet) with Kling's keys.
  const second = await startStudio({
    name: 'characters-kling',
    env: { STORYREEL_KLING_URL: kling.url, KLING_ACCESS_KEY: KLING_MOCK_ACCESS_KEY, KLING_SECRET_KEY: KLING_MOCK_SECRET_KEY },
    async prepare(dir) {
      await cp(path.join(studio.dir, 'media', 'refs'), path.join(dir, 'media', 'refs'), { recursive: true });
      const copy = await readProject(studio);
      copy.settings.provider = 'kling';
      for (const s of copy.shots) {
        s.takes = [];
        delete s.selectedTakeId;
      }
      await writeFile(path.join(dir, 'project.json'), JSON.stringify(copy, null, 2));
    },
  });
  await page.goto(second.url);
  await page.getByRole('button', { name: /^Generate all/ }).click();
  confirm = page.getByRole('dialog', { name: /^Generate 2 clips for/ });
  await expect(confirm).toBeVisible();
  // Kling takes voices or elements in one request, not both: Mara on screen and speaking is refused.
  await expect(confirm.getByRole('group', { name: 'Skipped shots' })).toContainText('shot 2 “Sea”');
  await expect(confirm.getByRole('group', { name: 'Skipped shots' })).toContainText('takes voices or characters in one request, not both');
  await confirm.getByRole('button', { name: /^Generate for/ }).click();
  await expect.poll(() => kling.state.submissions().length, { timeout: 30_000 }).toBe(2);
  const klingBodies = kling.state.submissions().map((r) => r.body as Record<string, unknown>);
  const kDoor = klingBodies.find((b) => String(b.prompt).includes('door'))!;
  const kLamp = klingBodies.find((b) => String(b.prompt).includes('lamp'))!;
  expect(kDoor.prompt).toBe('<<<element_1>>> walks to the lighthouse door.');
  expect(kDoor).not.toHaveProperty('voice_list');
  // The element id reached Kling as its exact digits (a bare JSON number).
  expect([...kling.tasks.values()].map((t) => t.elementIds).filter((ids) => ids.length)).toEqual([[KLING_ID]]);
  expect(kLamp.prompt).toBe('The lamp turns. Mara <<<voice_1>>> says: "Keep it burning."');
  expect(kLamp.voice_list).toEqual([{ voice_id: 'kv-77' }]);
  expect(kLamp.sound).toBe('on');
  expect(kLamp).not.toHaveProperty('element_list');
  expect(errors).toEqual([]);
});
