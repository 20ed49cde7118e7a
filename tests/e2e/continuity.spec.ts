// Continuity between shots, as a person does it with the free animatic: chain shot 2 to the end of shot 1,
// and check the pixels — the chained start frame is shot 1's last frame (decoded here with ffmpeg, counted
// frame by frame), not its other take's. Choosing the other take of shot 1 marks shot 2 stale (its take
// kept) and its start frame follows. Then variations: 1–4 takes from the confirmation, each priced (fal's mock).
import { test, expect } from '@playwright/test';
import path from 'node:path';
import { falEnv, mockForFile, studioForFile, type RunningStudio } from './helpers/studio-server';
import { jobsDrawer, screens } from './helpers/studio-page';
import { editProject, readProject } from './helpers/project-files';
import { addRefPicture, lastFrame, meanDiff, rgb } from './helpers/frames';
import { startFalMock } from '../mock-providers/fal';

// Harbour's camera move comes from its prompt (pan left, later pan right): its two takes end on different frames.
const CSV = 'title,prompt,duration\nHarbour,The harbour at dawn; pan left,3\nStorm,A storm rolls in,3\n';

const projectJson = (studio: RunningStudio) => readProject(studio.dir);

test.describe('continuity', () => {
  const studio = studioForFile({
    csv: CSV,
    name: 'continuity',
    // Harbour starts from a detailed picture, so its camera moves end on clearly different frames.
    prepare: async (dir) => {
      const harbour = await addRefPicture(dir, 'harbour.png', 'testsrc2=size=1280x720');
      await editProject(dir, (project) => {
        project.shots[0].startFrame = harbour;
      });
    },
  });

  test('a chained start frame is the previous take’s last frame, and follows another take', async ({ page }) => {
    test.setTimeout(240_000);
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(studio.url);
    const jobs = jobsDrawer(page);
    await page.getByRole('button', { name: /^Generate all/ }).click();
    await expect(jobs.getByText('Ready', { exact: true })).toHaveCount(2, { timeout: 90_000 });

    // A second take of Harbour, panning the other way: it goes in the cut.
    await page.getByRole('listitem', { name: 'Harbour' }).click();
    const inspector = page.getByRole('region', { name: 'Inspector' });
    const prompt = inspector.getByRole('textbox', { name: 'Prompt', exact: true });
    await prompt.fill('The harbour at dawn; pan right');
    await prompt.blur();
    await inspector.getByRole('button', { name: /^(New take|Generate shot)/ }).click();
    await expect(jobs.getByText('Ready', { exact: true })).toHaveCount(3, { timeout: 90_000 });
    await expect.poll(async () => (await projectJson(studio)).shots[0].takes.filter((t: { status: string }) => t.status === 'ready').length, { timeout: 30_000 }).toBe(2);
    const harbour = (await projectJson(studio)).shots[0];
    const [take1, take2] = harbour.takes as { id: string; media: { path: string } }[];
    expect(harbour.selectedTakeId).toBe(take2.id);
    const last1 = await lastFrame(path.join(studio.dir, take1.media.path));
    const last2 = await lastFrame(path.join(studio.dir, take2.media.path));
    // The two candidate frames are far apart, so "close to one" below cannot be luck.
    expect(meanDiff(last1, last2)).toBeGreaterThan(8);

    // Chain Storm to the end of Harbour.
    await page.getByRole('listitem', { name: 'Storm' }).click();
    const continuity = inspector.getByRole('group', { name: 'Continuity' });
    await continuity.getByRole('button', { name: 'Start from the end of shot 1 “Harbour”' }).click();
    await expect(continuity.getByTestId('chain-badge')).toHaveText(/Chained to shot 1 “Harbour”/);
    await expect.poll(async () => (await projectJson(studio)).shots[1].startFrameFrom?.takeId, { timeout: 30_000 }).toBe(take2.id);
    let storm = (await projectJson(studio)).shots[1];
    let start = await rgb(path.join(studio.dir, storm.startFrame));
    expect(meanDiff(start, last2)).toBeLessThan(1.5);
    expect(meanDiff(start, last1)).toBeGreaterThan(8);
    // Its take was made without that start frame: stale, kept, and the chain is offered, in order.
    const stale = continuity.getByRole('status', { name: 'Chain needs new takes' });
    await expect(stale).toContainText('it is kept');
    await expect(inspector.getByRole('region', { name: 'Takes' }).getByRole('listitem', { name: 'Take 1' })).toBeVisible();
    await screens(page, 'continuity-chained-stale');

    // Regenerate the chain (free here: no confirmation): Storm gets a take from its chained frame.
    await stale.getByRole('button', { name: 'Regenerate the chain' }).click();
    await expect(jobs.getByText('Ready', { exact: true })).toHaveCount(4, { timeout: 90_000 });
    await expect(stale).toBeHidden({ timeout: 30_000 });

    // Choose Harbour's first take again: Storm's start frame follows it, and Storm's new take is stale (kept).
    await page.getByRole('listitem', { name: 'Harbour' }).click();
    const takes = inspector.getByRole('region', { name: 'Takes' });
    await takes.getByRole('listitem', { name: 'Take 1' }).click();
    await takes.getByRole('button', { name: 'Use this take' }).click();
    await expect.poll(async () => (await projectJson(studio)).shots[1].startFrameFrom?.takeId, { timeout: 30_000 }).toBe(take1.id);
    storm = (await projectJson(studio)).shots[1];
    start = await rgb(path.join(studio.dir, storm.startFrame));
    expect(meanDiff(start, last1)).toBeLessThan(1.5);
    expect(meanDiff(start, last2)).toBeGreaterThan(8);
    expect(storm.takes.map((t: { status: string }) => t.status)).toEqual(['ready', 'ready']);
    await page.getByRole('listitem', { name: 'Storm' }).click();
    await expect(continuity.getByRole('status', { name: 'Chain needs new takes' })).toBeVisible();
    await expect(continuity.getByTestId('chain-badge')).toBeVisible();
    await expect(continuity).toContainText('take 1');
    await continuity.scrollIntoViewIfNeeded();
    await screens(page, 'continuity-followed');

    // C unchains (the frame stays); C again chains it back.
    await page.getByRole('region', { name: 'Timeline' }).click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('c');
    await expect(continuity.getByRole('button', { name: /Start from the end of shot 1/ })).toBeVisible();
    await expect.poll(async () => (await projectJson(studio)).shots[1].startFrameFrom).toBeUndefined();
    expect((await projectJson(studio)).shots[1].startFrame).toBe(storm.startFrame);
  });
});

test.describe('variations', () => {
  const mock = mockForFile(startFalMock);
  const studio = studioForFile(() => ({ csv: CSV, name: 'variations', env: falEnv(mock) }));

  test('1–4 takes of a shot, each priced in the confirmation before anything is sent', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(studio.url);
    const provider = page.getByRole('combobox', { name: 'Provider', exact: true });
    await provider.selectOption('fal');
    await expect.poll(async () => (await projectJson(studio)).settings.provider).toBe('fal');
    await page.getByRole('listitem', { name: 'Storm' }).click();
    const inspector = page.getByRole('region', { name: 'Inspector' });
    await inspector.getByRole('combobox', { name: 'Takes to generate' }).selectOption('3');
    await inspector.getByRole('button', { name: 'Generate 3 takes' }).click();
    const confirm = page.getByRole('dialog', { name: /^Generate 3 clips for \$[\d.]+\?$/ });
    await expect(confirm).toBeVisible();
    const lines = page.getByRole('dialog').getByRole('list', { name: 'Requests to send' }).getByRole('listitem');
    // Each take is its own request with its own price, and the total is theirs.
    await expect(lines).toHaveCount(4);
    await expect(lines.nth(0)).toContainText('shot 2 “Storm” · take 1 of 3');
    await expect(lines.nth(2)).toContainText('shot 2 “Storm” · take 3 of 3');
    const usd = async (i: number) => Number((await lines.nth(i).innerText()).match(/\$([\d.]+)/)![1]);
    const each = await usd(0);
    expect(each).toBeGreaterThan(0);
    expect([await usd(1), await usd(2)]).toEqual([each, each]);
    const total3 = await usd(3);
    expect(total3).toBeCloseTo(each * 3, 1);
    await screens(page, 'continuity-variations-confirm');
    // Down to 2 in the confirmation: priced again.
    await page.getByRole('dialog').getByRole('combobox', { name: 'Takes per shot' }).selectOption('2');
    const two = page.getByRole('dialog', { name: /^Generate 2 clips for \$[\d.]+\?$/ });
    await expect(two).toBeVisible();
    await expect(lines).toHaveCount(3);
    const total2 = await usd(2);
    expect(total2).toBeLessThan(total3);
    expect(mock.state.submissions()).toHaveLength(0);
    await two.getByRole('button', { name: `Generate for $${total2.toFixed(2)}` }).click();
    await expect.poll(() => mock.state.submissions().length, { timeout: 30_000 }).toBe(2);
  });
});
