// A 9:16 start frame on a 16:9 shot used to be accepted and cropped without a word. Now the inspector
// warns and offers Fit (pad) or Crop; the choice becomes a new reference at the shot's ratio (the original
// stays), and that picture is exactly what the animatic renders.
import { test, expect, type Locator, type Page } from '@playwright/test';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { SHOTS_DIR, exec, startStudio, type RunningStudio } from './helpers/studio-server';

let studio: RunningStudio;

test.beforeAll(async () => {
  studio = await startStudio({
    name: 'frame-fit',
    csv: 'title,prompt,duration\nHarbour,The harbour at dawn,3\nMarket,A busy fish market,3\n',
    // A tall red picture: 9:16, 360×640.
    prepare: (_dir, tmp) => exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=red:s=360x640', '-frames:v', '1', path.join(tmp, 'tall.png')]).then(() => undefined),
  });
});

test.afterAll(async () => {
  await studio?.stop();
});

const project = async () => JSON.parse(await readFile(path.join(studio.dir, 'project.json'), 'utf8'));

async function size(file: string): Promise<string> {
  const { stdout } = await exec('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0:s=x', file]);
  return stdout.trim();
}

/** The colours across the middle row of a clip's frame at 1 s, sampled in 16 columns: 'r' red, 'k' black. */
async function row(clip: string): Promise<string> {
  const { stdout } = await exec('ffmpeg', ['-v', 'error', '-ss', '1', '-i', clip, '-frames:v', '1', '-vf', 'scale=16:9:flags=area', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer', maxBuffer: 1 << 20 } as never);
  const buf = stdout as unknown as Buffer;
  let out = '';
  for (let x = 0; x < 16; x++) {
    const i = (4 * 16 + x) * 3;
    const [r, g, b] = [buf[i], buf[i + 1], buf[i + 2]];
    out += r > 150 && g < 80 && b < 80 ? 'r' : r < 40 && g < 40 && b < 40 ? 'k' : '?';
  }
  return out;
}

async function openShot(page: Page, title: string): Promise<Locator> {
  await page.getByRole('listitem', { name: title }).click();
  const inspector = page.getByRole('region', { name: 'Inspector' });
  await expect(inspector.getByLabel('Title')).toHaveValue(title);
  return inspector;
}

async function chooseStartFrame(page: Page, inspector: Locator) {
  const chooser = page.waitForEvent('filechooser');
  await inspector.getByRole('button', { name: 'Choose start frame image' }).click();
  await (await chooser).setFiles(path.join(studio.tmp, 'tall.png'));
  await expect(inspector.getByRole('img', { name: 'Start frame of this shot' })).toBeVisible();
}

test('a 9:16 start frame on a 16:9 shot: warned, then fitted or cropped, and the animatic renders that', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(studio.url);

  // Harbour: the warning names both shapes; Fit (pad) makes a 16:9 copy with bars.
  let inspector = await openShot(page, 'Harbour');
  await chooseStartFrame(page, inspector);
  const warning = inspector.getByRole('group', { name: 'Shape of the start image' });
  await expect(warning).toContainText('A 9:16 picture on a 16:9 shot: the video crops it to fill the frame');
  await inspector.getByRole('group', { name: 'Start frame' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS_DIR, 'frame-fit-warning-1280x720.png') });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await inspector.getByRole('group', { name: 'Start frame' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS_DIR, 'frame-fit-warning-1920x1080.png') });
  const original = (await project()).shots[0].startFrame as string;
  await warning.getByRole('button', { name: 'Fit (pad)' }).click();
  await expect(warning).toHaveCount(0);
  await expect.poll(async () => (await project()).shots[0].startFrame).not.toBe(original);
  const padded = (await project()).shots[0].startFrame as string;
  expect(padded).toMatch(/^media\/refs\/[0-9a-f]{16}\.png$/);
  expect(await size(path.join(studio.dir, padded))).toBe('1138x640');
  // The original is kept beside it, and the well shows the fitted picture.
  await access(path.join(studio.dir, original));
  await expect.poll(() => inspector.getByRole('img', { name: 'Start frame of this shot' }).evaluate((img: HTMLImageElement) => `${img.naturalWidth}x${img.naturalHeight}`)).toBe('1138x640');
  await page.screenshot({ path: path.join(SHOTS_DIR, 'frame-fit-padded-1920x1080.png') });

  // Market: Crop keeps the middle, at 16:9.
  inspector = await openShot(page, 'Market');
  await chooseStartFrame(page, inspector);
  const marketWarning = inspector.getByRole('group', { name: 'Shape of the start image' });
  await expect(marketWarning).toBeVisible();
  await marketWarning.getByRole('button', { name: 'Crop' }).click();
  await expect(marketWarning).toHaveCount(0);
  await expect.poll(async () => (await project()).shots[1].startFrame).not.toBe(original);
  const cropped = (await project()).shots[1].startFrame as string;
  // 360 wide, 202.5 high → grown so each side is at least 300 px (a provider's minimum).
  expect(await size(path.join(studio.dir, cropped))).toBe('534x300');

  // The animatic renders exactly these: bars either side of the red picture, and red edge to edge.
  await page.getByRole('button', { name: /^Generate all/ }).click();
  await expect
    .poll(async () => (await project()).shots.map((s: { takes: { status: string }[] }) => s.takes.at(-1)?.status).join(','), { timeout: 90_000 })
    .toBe('ready,ready');
  const doc = await project();
  const clip = (i: number) => path.join(studio.dir, doc.shots[i].takes.at(-1).media.path);
  const harbour = await row(clip(0));
  expect(harbour.slice(0, 3)).toBe('kkk');
  expect(harbour.slice(-3)).toBe('kkk');
  expect(harbour.slice(7, 9)).toBe('rr');
  expect(await row(clip(1))).toBe('r'.repeat(16));
});
