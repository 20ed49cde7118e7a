// Crossfades you can see (issue 12, item 5), in Chromium against the browser host: turn the project's crossfade
// on beside the player and the preview, rebuilt, shows the two shots blended at the cut — the pixels the player
// draws, not only the file — and the Export dialog starts from the same crossfade.
import { test, expect, type Page } from '@playwright/test';
import { studioForEachTest } from './helpers/studio-server';
import { failOnPageErrors, screens } from './helpers/studio-page';
import { editProject, readProject } from './helpers/project-files';
import { addRefPicture } from './helpers/frames';
import { onScreen, previewRegion as preview, shownPreview } from './helpers/preview';

const CSV = ['title,prompt,duration', 'Dawn,"The harbour at dawn",3', 'Night,"The quay at night",3', 'Day,"The market at noon",3', ''].join('\n');

failOnPageErrors();
const studio = studioForEachTest(
  {
    csv: CSV,
    prepare: async (dir) => {
      // A red start frame for the first shot, a blue one for the second: their slates show them.
      const red = await addRefPicture(dir, 'red.png', 'color=c=0xd0281e:s=1280x720');
      const blue = await addRefPicture(dir, 'blue.png', 'color=c=0x1e3cd0:s=1280x720');
      await editProject(dir, (doc) => {
        doc.shots[0].startFrame = red;
        doc.shots[1].startFrame = blue;
      });
    },
  },
  { viewport: { width: 1280, height: 720 } },
);

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

const shoot = (page: Page, name: string) => screens(page, `preview-crossfade-${name}`, { settleMs: 300 });

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
  expect((await readProject(studio.dir)).settings.crossfadeSec).toBe(0.5);
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
