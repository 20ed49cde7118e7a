// A keyframe shared by two shots, as a person does it with the free animatic: shot 1 shares one picture
// with shot 2 (its end frame, shot 2's start frame); both shots show the link; after generating, the
// pixels say shot 1's last frame and shot 2's first frame are that picture (decoded here with ffmpeg).
// Replacing it on shot 2 replaces it on shot 1, and both takes are shown stale, kept.
import { test, expect } from '@playwright/test';
import path from 'node:path';
import { exec, studioForFile, type RunningStudio } from './helpers/studio-server';
import { jobsDrawer, screens } from './helpers/studio-page';
import { editProject, readProject } from './helpers/project-files';
import { addRefPicture, lastFrame, meanDiff, rgb } from './helpers/frames';

const CSV = 'title,prompt,duration\nHarbour,The harbour at dawn,3\nStorm,A storm rolls in,3\n';
// One colour all over: the animatic's camera move (a push-in) cannot change what a frame of it looks like.
const KEY_RGB = [208, 48, 128];

const projectJson = (studio: RunningStudio) => readProject(studio.dir);
/** Mean distance of every pixel from one colour (0 = the picture is that colour everywhere). */
function offColour(a: Buffer, colour: number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - colour[i % 3]);
  return sum / a.length;
}

test.describe('shared keyframe', () => {
  let keyPng: string;
  let otherPng: string;
  const studio = studioForFile({
    csv: CSV,
    name: 'keyframe',
    // Harbour starts from a detailed picture (the end frame needs a start frame on the cloud providers);
    // the keyframe and its replacement are pictures outside the project, as a person picks them.
    prepare: async (dir, tmp) => {
      const harbour = await addRefPicture(dir, 'harbour.png', 'testsrc2=size=1280x720');
      keyPng = path.join(tmp, 'keyframe.png');
      otherPng = path.join(tmp, 'other.png');
      const hex = KEY_RGB.map((c) => c.toString(16).padStart(2, '0')).join('');
      await exec('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `color=c=0x${hex}:size=1280x720`, '-frames:v', '1', keyPng]);
      await exec('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=0x20a040:size=1280x720', '-frames:v', '1', otherPng]);
      await editProject(dir, (project) => {
        project.shots[0].startFrame = harbour;
      });
    },
  });

  test('one picture ends shot 1 and starts shot 2, in the pixels of both takes', async ({ page }) => {
    test.setTimeout(240_000);
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(studio.url);
    const inspector = page.getByRole('region', { name: 'Inspector' });
    const jobs = jobsDrawer(page);

    // Shot 1: share a keyframe with the next shot, picking an image.
    await page.getByRole('listitem', { name: 'Harbour' }).click();
    const field = inspector.getByRole('group', { name: 'Shared keyframe', exact: true });
    await field.getByRole('button', { name: 'Share a keyframe with the next shot…' }).click();
    const pick = field.getByRole('group', { name: 'Keyframe to share' });
    await expect(pick).toContainText('becomes this shot’s end frame and the start frame of shot 2 “Storm”');
    await field.scrollIntoViewIfNeeded();
    await screens(page, 'keyframe-choose');
    await pick.locator('input[type=file]').setInputFiles(keyPng);
    await expect(field.getByTestId('keyframe-badge')).toHaveText(/Shared keyframe with shot 2 “Storm”/);
    // The document is saved a moment later.
    await expect.poll(async () => (await projectJson(studio)).shots[1].startKeyframe, { timeout: 15_000 }).toBeTruthy();
    let doc = await projectJson(studio);
    expect(doc.shots[0].endFrame).toMatch(/^media\/refs\//);
    expect(doc.shots[1].startFrame).toBe(doc.shots[0].endFrame);
    expect(doc.shots[1].startKeyframe).toEqual({ shotId: doc.shots[0].id });

    // Shot 2 shows the same link, and its start frame is the picture.
    await page.getByRole('listitem', { name: 'Storm' }).click();
    await expect(field.getByTestId('keyframe-badge')).toHaveText(/Shared keyframe with shot 1 “Harbour”/);
    await expect(inspector.getByRole('group', { name: 'Start frame' }).getByRole('img')).toBeVisible();
    await field.scrollIntoViewIfNeeded();
    await screens(page, 'keyframe-linked');

    // Generate both: shot 1's last frame and shot 2's first frame are the keyframe picture.
    await page.getByRole('button', { name: /^Generate all/ }).click();
    await expect(jobs.getByText('Ready', { exact: true })).toHaveCount(2, { timeout: 90_000 });
    await expect.poll(async () => (await projectJson(studio)).shots.map((s: { takes: { status: string }[] }) => s.takes[0]?.status), { timeout: 30_000 }).toEqual(['ready', 'ready']);
    doc = await projectJson(studio);
    const clip1 = path.join(studio.dir, doc.shots[0].takes[0].media.path);
    const clip2 = path.join(studio.dir, doc.shots[1].takes[0].media.path);
    const last1 = await lastFrame(clip1);
    const first1 = await rgb(clip1, 0);
    const first2 = await rgb(clip2, 0);
    expect(offColour(last1, KEY_RGB)).toBeLessThan(6);
    expect(offColour(first2, KEY_RGB)).toBeLessThan(6);
    expect(meanDiff(last1, first2)).toBeLessThan(3);
    // Shot 1 starts on its own picture, far from the keyframe: "close to it" above cannot be luck.
    expect(offColour(first1, KEY_RGB)).toBeGreaterThan(40);

    // Replace the picture on shot 2's start frame: shot 1's end frame follows; both takes stale, kept.
    await inspector.getByRole('group', { name: 'Start frame' }).locator('input[type=file]').setInputFiles(otherPng);
    await expect.poll(async () => (await projectJson(studio)).shots[0].endFrame, { timeout: 15_000 }).not.toBe(doc.shots[0].endFrame);
    await expect.poll(async () => (await projectJson(studio)).shots[1].startFrame, { timeout: 15_000 }).not.toBe(doc.shots[1].startFrame);
    const after = await projectJson(studio);
    expect(after.shots[0].endFrame).toBe(after.shots[1].startFrame);
    expect(after.shots.map((s: { takes: unknown[] }) => s.takes.length)).toEqual([1, 1]);
    const stale = field.getByRole('status', { name: 'Keyframe needs new takes' });
    await expect(stale).toContainText('Both shots’ takes were made from another keyframe: kept');
    await expect(stale.getByRole('button', { name: 'Generate both again' })).toBeVisible();
    await field.scrollIntoViewIfNeeded();
    await screens(page, 'keyframe-stale');

    // Unlink: both keep the picture; the action is offered again on shot 1.
    await field.getByRole('button', { name: 'Unlink' }).click();
    await expect(field.getByTestId('keyframe-badge')).toHaveCount(0);
    await expect.poll(async () => (await projectJson(studio)).shots[1].startKeyframe).toBeUndefined();
    const unlinked = await projectJson(studio);
    expect(unlinked.shots[1].startFrame).toBe(after.shots[1].startFrame);
    expect(unlinked.shots[0].endFrame).toBe(after.shots[0].endFrame);
    await page.getByRole('listitem', { name: 'Harbour' }).click();
    await expect(field.getByRole('button', { name: 'Share a keyframe with the next shot…' })).toBeVisible();
  });
});
