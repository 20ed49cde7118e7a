// Crossfades you can see (issue 12, item 5), in Chromium against the browser host: turn the project's crossfade
// on beside the player and the preview, rebuilt, shows the two shots blended at the cut — the pixels the player
// draws, not only the file — and the Export dialog starts from the same crossfade.
import { test, expect, type Page } from '@playwright/test';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exec, SHOTS_DIR, startStudio, type RunningStudio } from './helpers/studio-server';
import { onScreen, previewRegion as preview, shownPreview } from './helpers/preview';

const CSV = ['title,prompt,duration', 'Dawn,"The harbour at dawn",3', 'Night,"The quay at night",3', 'Day,"The market at noon",3', ''].join('\n');

let studio: RunningStudio;
let pageErrors: string[] = [];

test.beforeEach(async ({ page }) => {
  pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  studio = await startStudio({
    csv: CSV,
    prepare: async (dir) => {
      // A red start frame for the first shot, a blue one for the second: their slates show them.
      const refs = path.join(dir, 'media', 'refs');
      await mkdir(refs, { recursive: true });
      for (const [name, colour] of [['red', '0xd0281e'], ['blue', '0x1e3cd0']]) {
        await exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=${colour}:s=1280x720`, '-frames:v', '1', path.join(refs, `${name}.png`)]);
      }
      const file = path.join(dir, 'project.json');
      const doc = JSON.parse(await readFile(file, 'utf8'));
      doc.shots[0].startFrame = 'media/refs/red.png';
      doc.shots[1].startFrame = 'media/refs/blue.png';
      await writeFile(file, JSON.stringify(doc, null, 2));
    },
  });
  await page.setViewportSize({ width: 1280, height: 720 });
});

test.afterEach(async () => {
  expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  await studio?.stop();
});

/** Pauses the player at `t` and returns the mean colour of the top third of the picture it draws. */
async function colourOnScreen(page: Page, t: number): Promise<number[]> {
  return onScreen(page).evaluate(async (v: HTMLVideoElement, at: number) => {
    v.pause();
    v.currentTime = at;
    await new Promise((r) => v.addEventListener('seeked', r, { once: true }));
    const c = document.createElement('canvas');
    c.width = 64;
    c.height = 36;
    const g = c.getContext('2d')!;
    g.drawImage(v, 0, 0, 64, 36);
    const px = g.getImageData(0, 0, 64, 12).data;
    const sum = [0, 0, 0];
    for (let i = 0; i < px.length; i += 4) for (let k = 0; k < 3; k++) sum[k] += px[i + k];
    return sum.map((s) => Math.round(s / (px.length / 4)));
  }, t);
}

async function shoot(page: Page, name: string) {
  await mkdir(SHOTS_DIR, { recursive: true });
  for (const [w, h] of [[1280, 720], [1920, 1080]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS_DIR, `preview-crossfade-${name}-${w}x${h}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

test('turning the crossfade on beside the player shows the two shots blended at the cut; the export starts from it', async ({ page }) => {
  await page.goto(studio.url);
  let key = await shownPreview(page, studio.dir);
  // A straight cut at 3 s: 2.75 s is still all red.
  const [r0, , b0] = await colourOnScreen(page, 2.75);
  expect(r0 - b0).toBeGreaterThan(100);

  const control = preview(page).getByLabel('Crossfade');
  await expect(control).toHaveValue('0');
  await control.selectOption({ label: '0.5 s' });
  key = await shownPreview(page, studio.dir, key);
  expect(JSON.parse(await readFile(path.join(studio.dir, 'project.json'), 'utf8')).settings.crossfadeSec).toBe(0.5);
  // Two cuts overlapped by half a second each: 8 s.
  await expect.poll(() => onScreen(page).evaluate((v: HTMLVideoElement) => v.duration)).toBeCloseTo(8, 1);

  // The second shot now starts at 2.5 s, fading in over the first: at 2.75 s, half red, half blue.
  const [r, g, b] = await colourOnScreen(page, 2.75);
  console.log(`at 2.75 s: rgb(${r0}, ?, ${b0}) with a straight cut, rgb(${r}, ${g}, ${b}) with the 0.5 s crossfade`);
  expect(Math.abs(r - b)).toBeLessThan(60);
  expect(r).toBeGreaterThan(60);
  expect(b).toBeGreaterThan(60);
  // Before and after the fade, each shot on its own.
  const [ra, , ba] = await colourOnScreen(page, 2.3);
  expect(ra - ba).toBeGreaterThan(100);
  const [rb, , bb] = await colourOnScreen(page, 3.2);
  expect(bb - rb).toBeGreaterThan(100);
  await colourOnScreen(page, 2.75);
  await shoot(page, 'blend');

  // The Export dialog starts from the project's crossfade.
  await page.keyboard.press('Control+e');
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('slider', { name: 'Crossfade between shots' })).toHaveValue('0.5');
  await shoot(page, 'export-dialog');
});
