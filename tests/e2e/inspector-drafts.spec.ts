// A director's first hour without a surprise: what is generated is what the inspector shows. A draft the
// core refused (a prompt over Kling's limit) stops every way of generating, named with Fix and Discard,
// and is never dropped by clicking another shot; ⇧-click selects shots (not page text) and the inspector
// edits what the selected shots share, as one undo step; a duration that cannot be is put back, with why.
import { test, expect, type Page, type Locator } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SHOTS_DIR, startStudio, type RunningStudio } from './helpers/studio-server';

const CSV = 'title,prompt,duration\nHarbour,The harbour at dawn,5\nStorm,Waves hit the pier,4\nKeeper,The keeper climbs the stairs,6\nLamp,The lamp turns,3\n';

interface SavedShot {
  title: string;
  prompt: string;
  negativePrompt: string;
  durationSec: number;
  takes: { request: { params: { prompt?: string } } }[];
}

async function readShots(studio: RunningStudio): Promise<SavedShot[]> {
  return JSON.parse(await readFile(path.join(studio.dir, 'project.json'), 'utf8')).shots;
}

async function journalLength(studio: RunningStudio): Promise<number> {
  const text = await readFile(path.join(studio.dir, 'jobs.json'), 'utf8').catch(() => '');
  return text ? (JSON.parse(text) as { jobs: unknown[] }).jobs.length : 0;
}

function row(page: Page, title: string): Locator {
  return page.getByRole('region', { name: 'Shots' }).getByRole('listitem', { name: title });
}

async function openShot(page: Page, title: string): Promise<Locator> {
  await row(page, title).click();
  const inspector = page.getByRole('region', { name: 'Inspector' });
  await expect(inspector.getByLabel('Title')).toHaveValue(title);
  return inspector;
}

test('a prompt over the limit stops Generate shot, names the field with Fix and Discard, and nothing is sent until it is fixed', async ({ page }) => {
  const studio = await startStudio({ csv: CSV });
  try {
    await page.goto(studio.url);
    const inspector = await openShot(page, 'Harbour');
    const prompt = inspector.getByLabel('Prompt', { exact: true });
    await prompt.fill('a'.repeat(2560));
    await expect(inspector.getByText('A prompt is at most 2500 characters on every provider; shorten it by 60.', { exact: false })).toBeVisible();

    await inspector.getByRole('button', { name: /Generate shot/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Generation did not start: an edit is not saved' });
    await expect(dialog).toBeVisible();
    const item = dialog.getByRole('listitem', { name: 'Shot 1 “Harbour” · Prompt' });
    await expect(item).toContainText('A prompt is at most 2500 characters on every provider; shorten it by 60.');
    await expect(dialog.getByRole('button', { name: 'Generate', exact: true })).toBeDisabled();
    await page.screenshot({ path: path.join(SHOTS_DIR, 'drafts-block-generate.png') });
    // The provider got nothing: no job, no take, and the saved prompt is the old one.
    expect(await journalLength(studio)).toBe(0);
    expect((await readShots(studio))[0]).toMatchObject({ prompt: 'The harbour at dawn', takes: [] });

    // Fix takes the person to the field; a prompt within the limit is saved and generated as shown.
    await item.getByRole('button', { name: 'Fix prompt' }).click();
    await expect(dialog).toBeHidden();
    await expect(prompt).toBeFocused();
    await prompt.fill('A lighthouse at dusk, the lamp turning');
    await inspector.getByRole('button', { name: /Generate shot/ }).click();
    await expect.poll(async () => (await readShots(studio))[0].takes.map((t) => t.request.params.prompt), { timeout: 30_000 }).toEqual(['A lighthouse at dusk, the lamp turning']);
    expect(await journalLength(studio)).toBe(1);

    // ⌘↵ and Generate all are stopped the same way; Discard puts the saved text back, then Generate goes.
    const storm = await openShot(page, 'Storm');
    const negative = storm.getByLabel('Negative prompt');
    await negative.fill('b'.repeat(2600));
    await negative.press('ControlOrMeta+Enter');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('listitem', { name: 'Shot 2 “Storm” · Negative prompt' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await page.getByRole('button', { name: /^Generate all/ }).click();
    await expect(dialog).toBeVisible();
    expect(await journalLength(studio)).toBe(1);
    await dialog.getByRole('button', { name: 'Discard edit' }).click();
    await expect(page.getByRole('dialog', { name: 'Nothing holds generation back now' })).toBeVisible();
    await expect(negative).not.toHaveValue('b'.repeat(2600));
    await expect(negative).toHaveAttribute('aria-invalid', 'false');
    await page.getByRole('dialog', { name: 'Nothing holds generation back now' }).getByRole('button', { name: 'Generate', exact: true }).click();
    await expect.poll(() => journalLength(studio), { timeout: 30_000 }).toBe(4);
  } finally {
    await studio.stop();
  }
});

test('clicking another shot keeps a draft that could not be saved: the row says so and it comes back', async ({ page }) => {
  const studio = await startStudio({ csv: CSV });
  try {
    await page.goto(studio.url);
    const inspector = await openShot(page, 'Harbour');
    const long = `${'c'.repeat(2550)} end`;
    await inspector.getByLabel('Prompt', { exact: true }).fill(long);
    await openShot(page, 'Storm');
    await expect(row(page, 'Harbour').getByText('Edit not saved')).toBeVisible();
    await expect(page.getByText('Unsaved changes')).toBeVisible();

    await openShot(page, 'Harbour');
    await expect(inspector.getByLabel('Prompt', { exact: true })).toHaveValue(long);
    await expect(inspector.getByText('A prompt is at most 2500 characters on every provider; shorten it by 54.', { exact: false })).toBeVisible();
    // Shortened, it is saved, and the mark goes.
    await inspector.getByLabel('Prompt', { exact: true }).fill('The harbour at dawn, gulls');
    await expect.poll(async () => (await readShots(studio))[0].prompt).toBe('The harbour at dawn, gulls');
    await expect(row(page, 'Harbour').getByText('Edit not saved')).toBeHidden();
  } finally {
    await studio.stop();
  }
});

test('⇧-click selects shots, not page text; the inspector edits the three shots at once and one ⌘Z takes it back', async ({ page }) => {
  const studio = await startStudio({ csv: CSV });
  try {
    for (const [width, height] of [
      [1280, 720],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.goto(studio.url);
      await row(page, 'Harbour').click();
      await row(page, 'Keeper').click({ modifiers: ['Shift'] });
      expect(await page.evaluate(() => window.getSelection()?.toString() ?? '')).toBe('');
      const inspector = page.getByRole('region', { name: 'Inspector' });
      await expect(inspector.getByText('3 shots selected')).toBeVisible();
      await expect(inspector.getByRole('list', { name: 'Selected shots' }).getByRole('listitem')).toHaveCount(3);
      await expect(inspector.getByRole('spinbutton', { name: 'Duration (s)' })).toHaveAttribute('placeholder', 'Mixed');
      await page.screenshot({ path: path.join(SHOTS_DIR, `inspector-multi-${width}x${height}.png`) });
    }

    const inspector = page.getByRole('region', { name: 'Inspector' });
    const duration = inspector.getByRole('spinbutton', { name: 'Duration (s)' });
    await duration.fill('8');
    await duration.press('Enter');
    for (const title of ['Harbour', 'Storm', 'Keeper']) await expect(row(page, title)).toContainText('8 s');
    await expect(row(page, 'Lamp')).toContainText('3 s');
    await expect(duration).toHaveValue('8');
    await expect.poll(async () => (await readShots(studio)).map((s) => s.durationSec)).toEqual([8, 8, 8, 3]);

    await inspector.getByRole('radio', { name: '9:16', exact: true }).check();
    await expect.poll(async () => (await readShots(studio)).map((s) => (s as { aspectRatio?: string }).aspectRatio)).toEqual(['9:16', '9:16', '9:16', undefined]);

    // A duration no shot can have is refused like a single edit, and put back on leaving the field.
    await duration.fill('20');
    await expect(inspector.getByText('Kling V3 makes shots of 3 to 15 seconds.')).toBeVisible();
    await duration.blur();
    await expect(duration).toHaveValue('8');
    await expect(inspector.getByText('20 s is longer than Kling V3 makes (3–15 s); the shots stay 8 s.')).toBeVisible();

    // A negative prompt over the limit is held for each of the three: generating them waits, naming each.
    const negative = inspector.getByLabel('Negative prompt');
    await negative.fill('n'.repeat(2501));
    await negative.press('ControlOrMeta+Enter');
    const dialog = page.getByRole('dialog', { name: 'Generation did not start: 3 edits are not saved' });
    await expect(dialog.getByRole('listitem')).toHaveCount(3);
    await expect(dialog.getByRole('listitem', { name: 'Shot 3 “Keeper” · Negative prompt' })).toBeVisible();
    expect(await journalLength(studio)).toBe(0);
    await page.keyboard.press('Escape');
    await negative.fill('blur, text');
    await negative.blur();
    await expect.poll(async () => (await readShots(studio)).map((s) => s.negativePrompt).slice(0, 3)).toEqual(['blur, text', 'blur, text', 'blur, text']);
    await expect(row(page, 'Harbour').getByText('Edit not saved')).toBeHidden();

    // ⌘Z takes back each change from all three at once: the negative prompt, the aspect ratio, the duration.
    await page.keyboard.press('ControlOrMeta+z');
    await expect.poll(async () => (await readShots(studio)).map((s) => s.negativePrompt === 'blur, text')).toEqual([false, false, false, false]);
    await page.keyboard.press('ControlOrMeta+z');
    await expect.poll(async () => (await readShots(studio)).map((s) => (s as { aspectRatio?: string }).aspectRatio)).toEqual([undefined, undefined, undefined, undefined]);
    await page.keyboard.press('ControlOrMeta+z');
    await expect.poll(async () => (await readShots(studio)).map((s) => s.durationSec)).toEqual([5, 4, 6, 3]);
    await expect(row(page, 'Harbour')).toContainText('5 s');
    await expect(duration).toHaveValue('');
  } finally {
    await studio.stop();
  }
});

test('leaving the duration field with a length the shot cannot have puts back the real one and says why', async ({ page }) => {
  const studio = await startStudio({ csv: CSV });
  try {
    await page.goto(studio.url);
    const inspector = await openShot(page, 'Harbour');
    const duration = inspector.getByRole('spinbutton', { name: 'Duration (s)' });

    await duration.fill('20');
    await expect(duration).toHaveAttribute('aria-invalid', 'true');
    await duration.press('Tab');
    await expect(duration).toHaveValue('5');
    await expect(duration).toHaveAttribute('aria-invalid', 'false');
    await expect(inspector.getByRole('status').filter({ hasText: '20 s is longer than Kling V3 makes (3–15 s); the shot stays 5 s.' })).toBeVisible();
    await page.screenshot({ path: path.join(SHOTS_DIR, 'inspector-duration-put-back.png') });

    // Letters empty a number field; leaving it brings back 5 with the reason.
    await duration.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('abc');
    await expect(duration).toHaveValue('');
    await duration.blur();
    await expect(duration).toHaveValue('5');
    await expect(inspector.getByText('A length is a whole number of seconds from 3 to 15; the shot stays 5 s.')).toBeVisible();
    expect((await readShots(studio))[0].durationSec).toBe(5);
  } finally {
    await studio.stop();
  }
});
