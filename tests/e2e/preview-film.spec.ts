// "The preview is the film" (issue 12), driven in Chromium against the browser host as a director would: add
// music and hear it in the preview, rename a shot that has no take and see the new title on its slate, give
// it a start frame and see the picture on the slate, its board card, its shot-list thumbnail and its timeline
// block; and while a new cut is built the old one stays on screen and the swap keeps the same shot and moment.
import { test, expect, type Page } from '@playwright/test';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exec, studioForEachTest } from './helpers/studio-server';
import { failOnPageErrors, screens } from './helpers/studio-page';
import { editProject, readProject } from './helpers/project-files';
import { rmsLevel } from '../helpers/av-measure';
import { onScreen, previewKey as previewKeyOf, previewRegion as preview, shownPreview } from './helpers/preview';

const CSV = [
  'title,prompt,duration',
  'Harbour,"Wide shot: the harbour at dawn, fishing boats leave one by one through the mist",3',
  'Market,"Medium shot: a busy fish market, gulls over the stalls, a vendor shouts prices",3',
  'Night,"The quay at night, lamps reflected in black water, a lone figure waits",3',
  '',
].join('\n');

failOnPageErrors();
const studio = studioForEachTest(
  {
    csv: CSV,
    prepare: async (_dir, tmp) => {
      // Music: a 4 s 220 Hz tone, so the cut has music for its first 4 s and silence after.
      await exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=220:r=48000:d=4', '-ac', '2', path.join(tmp, 'score.wav')]);
      // A warm (red) dawn picture for the start frame, a blue night one for the end frame.
      await exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'gradients=s=1280x720:c0=0xd9482b:c1=0xf2a65a:x0=0:y0=0:x1=1280:y1=720:speed=0.0001', '-frames:v', '1', path.join(tmp, 'dawn.png')]);
      await exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'gradients=s=1280x720:c0=0x0b1d51:c1=0x3a6ea5:x0=0:y0=0:x1=1280:y1=720:speed=0.0001', '-frames:v', '1', path.join(tmp, 'night.png')]);
    },
  },
  { viewport: { width: 1280, height: 720 } },
);

const previewFile = () => path.join(studio.dir, 'renders', 'preview.mp4');
const previewKey = () => previewKeyOf(studio.dir);

/** Waits for the preview the studio rebuilds by itself after an edit, and for the player to show it. */
const nextPreview = (page: Page, before: string | undefined) => shownPreview(page, studio.dir, before, 60_000);

async function firstPreview(page: Page): Promise<string> {
  await page.goto(studio.url);
  return shownPreview(page, studio.dir);
}

/** RMS level (dBFS) of a span of the preview file. */
const rms = (from: number, dur: number) => rmsLevel(previewFile(), from, dur);

/** Mean colour of the top half of the preview's frame at `t` (above a slate's text band). */
async function topColour(t: number): Promise<number[]> {
  const { stdout } = await exec(
    'ffmpeg',
    ['-v', 'error', '-ss', String(t), '-i', previewFile(), '-frames:v', '1', '-vf', 'crop=iw:ih/2:0:0,scale=1:1:flags=area', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    { encoding: 'buffer' },
  );
  return [...(stdout as unknown as Buffer)];
}

const shoot = (page: Page, name: string) => screens(page, `preview-film-${name}`, { settleMs: 300 });

async function seekAndPause(page: Page, t: number) {
  await onScreen(page).evaluate(async (v: HTMLVideoElement, at: number) => {
    v.pause();
    v.currentTime = at;
    await new Promise((r) => v.addEventListener('seeked', r, { once: true }));
  }, t);
}

test('a music lane added on the timeline is heard in the preview where it plays', async ({ page }) => {
  let key = await firstPreview(page);
  // Slates only: the cut is silent.
  expect(await rms(0.5, 3)).toBeLessThan(-70);

  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('region', { name: 'Timeline' }).getByRole('button', { name: 'Add music…' }).click();
  await (await chooser).setFiles(path.join(studio.tmp, 'score.wav'));
  key = await nextPreview(page, key);

  // The music plays over its 4 s (at the lane's −6 dB) and the rest of the cut stays silent.
  const music = await rms(0.5, 3);
  const after = await rms(5, 3.5);
  console.log(`preview level: ${music.toFixed(1)} dBFS RMS where the music plays (0.5–3.5 s), ${after} dBFS after it (5–8.5 s)`);
  expect(music).toBeGreaterThan(-40);
  expect(after).toBeLessThan(-70);
  // And the player on screen has that sound: the element plays the file and Chromium decodes its audio
  // track (the mix is FLAC in the MP4).
  expect(await onScreen(page).evaluate((v: HTMLVideoElement) => v.duration)).toBeCloseTo(9, 0);
  const decoded = await onScreen(page).evaluate(async (v: HTMLVideoElement) => {
    v.muted = true;
    v.currentTime = 0.5;
    await v.play();
    await new Promise((r) => setTimeout(r, 800));
    v.pause();
    return (v as HTMLVideoElement & { webkitAudioDecodedByteCount: number }).webkitAudioDecodedByteCount;
  });
  expect(decoded).toBeGreaterThan(0);
  await shoot(page, 'music');
});

test('a preview made before the lanes were added is rebuilt with their sound when the project opens', async ({ page }) => {
  // The project as an older Storyreel (or an edit outside the studio) left it: a lane in project.json, and a
  // silent preview made without it.
  await mkdir(path.join(studio.dir, 'media', 'audio'), { recursive: true });
  await exec('ffmpeg', ['-v', 'error', '-y', '-i', path.join(studio.tmp, 'score.wav'), path.join(studio.dir, 'media', 'audio', 'score.wav')]);
  let slateShotIds: string[] = [];
  await editProject(studio.dir, (doc) => {
    doc.audioLanes = [{ id: 'lane_old', kind: 'music', path: 'media/audio/score.wav', startSec: 0, gainDb: -6, duck: true }];
    slateShotIds = doc.shots.map((x: { id: string }) => x.id);
  });
  await mkdir(path.join(studio.dir, 'renders'), { recursive: true });
  await exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=black:s=1280x720:r=24:d=9', '-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=stereo:d=9', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', previewFile()]);
  await writeFile(path.join(studio.dir, 'renders', 'preview.json'), JSON.stringify({ path: 'renders/preview.mp4', durationSec: 9, key: 'stale', slateShotIds }));
  await studio.restart();

  await page.goto(studio.url);
  const key = await nextPreview(page, 'stale');
  expect(key).not.toBe('stale');
  expect(await rms(0.5, 3)).toBeGreaterThan(-40);
});

test('a file that is not audio is refused beside the button with the reason, and nothing changes', async ({ page }) => {
  const key = await firstPreview(page);
  const notes = path.join(studio.tmp, 'notes.wav');
  await writeFile(notes, 'these are my notes, not a score\n');
  const before = (await readProject(studio.dir)).audioLanes;

  const chooser = page.waitForEvent('filechooser');
  const timeline = page.getByRole('region', { name: 'Timeline' });
  await timeline.getByRole('button', { name: 'Add music…' }).click();
  await (await chooser).setFiles(notes);
  await expect(timeline.getByRole('alert')).toHaveText(/^Nothing was added: notes\.wav could not be read as audio\. Choose a WAV, MP3, AAC, FLAC or Opus file\.\s*×$/);
  await shoot(page, 'refused-lane');
  expect((await readProject(studio.dir)).audioLanes).toEqual(before);
  expect(await previewKey()).toBe(key);
  await timeline.getByRole('button', { name: 'Dismiss' }).click();
  await expect(timeline.getByRole('alert')).toHaveCount(0);
});

test('a shot without a take is a live slate: new title, then its start and end frames, on slate, card, thumbnail and block', async ({ page }) => {
  let key = await firstPreview(page);
  await page.getByRole('listitem', { name: 'Harbour' }).click();
  const inspector = page.getByRole('region', { name: 'Inspector' });
  await expect(inspector.getByLabel('Title')).toHaveValue('Harbour');

  const before = await topColour(1);
  await inspector.getByLabel('Title').fill('Lighthouse at first light');
  await inspector.getByLabel('Title').blur();
  key = await nextPreview(page, key);
  await seekAndPause(page, 1);
  await shoot(page, 'renamed-slate');

  const chooser = page.waitForEvent('filechooser');
  await inspector.getByRole('button', { name: 'Choose start frame image' }).click();
  await (await chooser).setFiles(path.join(studio.tmp, 'dawn.png'));
  key = await nextPreview(page, key);

  // The slate shows the picture: the top of the frame is the dawn's red, where it was the slate's dark ground.
  const [r, g, b] = await topColour(1);
  expect(before[0]).toBeLessThan(80);
  expect(r).toBeGreaterThan(170);
  expect(r - b).toBeGreaterThan(80);
  expect(g).toBeGreaterThan(60);

  // The shot-list thumbnail and the timeline block show the start frame, not an empty "01".
  const row = page.getByRole('listitem', { name: 'Lighthouse at first light' });
  const thumb = row.locator('img[data-picture="start-frame"]');
  await expect(thumb).toBeVisible();
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1280);
  await expect(page.getByRole('region', { name: 'Timeline' }).locator('[data-picture="start-frame"]')).toHaveCount(1);
  await seekAndPause(page, 1);
  await shoot(page, 'start-frame');

  // An end frame crossfades in across the shot.
  const endChooser = page.waitForEvent('filechooser');
  await inspector.getByRole('button', { name: 'Choose end frame image' }).click();
  await (await endChooser).setFiles(path.join(studio.tmp, 'night.png'));
  key = await nextPreview(page, key);
  const end = await topColour(2.9);
  expect(end[2] - end[0]).toBeGreaterThan(40);

  // The board: a real storyboard before any money is spent.
  await preview(page).getByRole('radio', { name: 'Board' }).check();
  const card = page.getByRole('listbox', { name: 'Board' }).getByRole('option', { name: /^1\. Lighthouse at first light,/ });
  const cardPicture = card.locator('img[data-picture="start-frame"]');
  await expect(cardPicture).toBeVisible();
  await expect.poll(() => cardPicture.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1280);
  await shoot(page, 'board');
});

test('while the cut is rebuilt the old one stays on screen; the swap keeps the same shot and moment', async ({ page }) => {
  let key = await firstPreview(page);
  // Selecting a shot cues the paused player to it: select first, then stand 1.5 s into Night (shot 3, from 6 s).
  await page.getByRole('listitem', { name: 'Harbour' }).click();
  await expect(page.getByRole('region', { name: 'Inspector' }).getByLabel('Title')).toHaveValue('Harbour');
  await seekAndPause(page, 7.5);
  // Watch the player from now on: it must never be without a picture.
  await page.evaluate(() => {
    const w = window as unknown as { blank: string[] };
    w.blank = [];
    const check = () => {
      const v = document.querySelector<HTMLVideoElement>('.player__video:not(.player__video--next)');
      if (!v || !v.src || v.readyState < 2) w.blank.push(v ? `readyState ${v.readyState}` : 'no video');
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });

  // Harbour (shot 1) from 3 s to 8 s: Night now starts at 11 s.
  const duration = page.getByRole('region', { name: 'Inspector' }).getByRole('spinbutton', { name: 'Duration (s)' });
  await duration.fill('8');
  await duration.blur();
  // While it is built, the status line says what for (and the old cut stays on screen, checked below).
  await expect(preview(page).locator('[data-rebuilding]')).toHaveText('Rebuilding for shot 1 (length)…');
  await shoot(page, 'rebuilding');
  key = await nextPreview(page, key);

  const state = await onScreen(page).evaluate((v: HTMLVideoElement) => ({ t: v.currentTime, d: v.duration, paused: v.paused }));
  expect(state.d).toBeCloseTo(14, 0);
  expect(state.t).toBeCloseTo(12.5, 1);
  expect(state.paused).toBe(true);
  expect(await page.evaluate(() => (window as unknown as { blank: string[] }).blank)).toEqual([]);

  // Playing: an edit further on swaps the cut under the playing picture, which plays on in the same shot.
  await page.getByRole('listitem', { name: 'Night' }).click();
  await seekAndPause(page, 0.2);
  await onScreen(page).evaluate(async (v: HTMLVideoElement) => {
    await v.play();
    // (Our own seek above had the player without a picture for a moment: watch from here.)
    (window as unknown as { blank: string[] }).blank = [];
  });
  await duration.fill('4');
  await duration.blur();
  key = await nextPreview(page, key);
  const playing = await onScreen(page).evaluate((v: HTMLVideoElement) => ({ t: v.currentTime, d: v.duration, paused: v.paused }));
  expect(playing.d).toBeCloseTo(15, 0);
  expect(playing.paused).toBe(false);
  expect(playing.t).toBeGreaterThan(0.2);
  expect(playing.t).toBeLessThan(8);
  await onScreen(page).evaluate((v: HTMLVideoElement) => v.pause());
  expect(await page.evaluate(() => (window as unknown as { blank: string[] }).blank)).toEqual([]);
  // The status line is back to what the cut is.
  await expect(preview(page).getByText('3 of 3 shots are slates until generated')).toBeVisible();
});
