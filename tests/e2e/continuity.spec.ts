// Continuity between shots, as a person does it with the free animatic: chain shot 2 to the end of shot 1,
// and check the pixels — the chained start frame is shot 1's last frame (decoded here with ffmpeg, counted
// frame by frame), not its other take's. Choosing the other take of shot 1 marks shot 2 stale (its take
// kept) and its start frame follows. Then variations: 1–4 takes from the confirmation, each priced (fal's mock).
import { test, expect, type Page } from '@playwright/test';
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SHOTS_DIR, exec, startStudio, type RunningStudio } from './helpers/studio-server';
import type { RunningMock } from '../mock-providers/common';
import { FAL_MOCK_KEY, startFalMock } from '../mock-providers/fal';

// Harbour's camera move comes from its prompt (pan left, later pan right): its two takes end on different frames.
const CSV = 'title,prompt,duration\nHarbour,The harbour at dawn; pan left,3\nStorm,A storm rolls in,3\n';

async function projectJson(studio: RunningStudio) {
  return JSON.parse(await readFile(path.join(studio.dir, 'project.json'), 'utf8'));
}

/** RGB bytes of one picture file, or of frame `frame` of a clip (every frame decoded, that one kept). */
async function rgb(file: string, frame?: number): Promise<Buffer> {
  const select = frame === undefined ? [] : ['-vf', `select=eq(n\\,${frame})`];
  const { stdout } = await exec('ffmpeg', ['-v', 'error', '-i', file, ...select, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer', maxBuffer: 64 << 20 });
  return stdout as unknown as Buffer;
}
/** The last frame of a clip, found by decoding and counting every frame (not by seeking from the end). */
async function lastFrame(file: string): Promise<Buffer> {
  const { stdout } = await exec('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file]);
  return rgb(file, Number(stdout.trim()) - 1);
}
function meanDiff(a: Buffer, b: Buffer): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

async function shoot(page: Page, name: string) {
  for (const [w, h] of [
    [1280, 720],
    [1920, 1080],
  ]) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: path.join(SHOTS_DIR, `${name}-${w}x${h}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

test.describe('continuity', () => {
  let studio: RunningStudio;
  test.beforeAll(async () => {
    studio = await startStudio({
      csv: CSV,
      name: 'continuity',
      // Harbour starts from a detailed picture, so its camera moves end on clearly different frames.
      prepare: async (dir) => {
        await mkdir(path.join(dir, 'media', 'refs'), { recursive: true });
        await exec('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720', '-frames:v', '1', path.join(dir, 'media', 'refs', 'harbour.png')]);
        const project = JSON.parse(await readFile(path.join(dir, 'project.json'), 'utf8'));
        project.shots[0].startFrame = 'media/refs/harbour.png';
        await writeFile(path.join(dir, 'project.json'), JSON.stringify(project, null, 2));
      },
    });
  });
  test.afterAll(async () => studio?.stop());

  test('a chained start frame is the previous take’s last frame, and follows another take', async ({ page }) => {
    test.setTimeout(240_000);
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(studio.url);
    const jobs = page.getByRole('region', { name: 'Jobs' });
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
    await shoot(page, 'continuity-chained-stale');

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
    await shoot(page, 'continuity-followed');

    // C unchains (the frame stays); C again chains it back.
    await page.getByRole('region', { name: 'Timeline' }).click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('c');
    await expect(continuity.getByRole('button', { name: /Start from the end of shot 1/ })).toBeVisible();
    await expect.poll(async () => (await projectJson(studio)).shots[1].startFrameFrom).toBeUndefined();
    expect((await projectJson(studio)).shots[1].startFrame).toBe(storm.startFrame);
  });
});

test.describe('variations', () => {
  let studio: RunningStudio;
  let mock: RunningMock;
  test.beforeAll(async () => {
    mock = await startFalMock();
    studio = await startStudio({ csv: CSV, name: 'variations', env: { FAL_KEY: FAL_MOCK_KEY, STORYREEL_FAL_URL: mock.url } });
  });
  test.afterAll(async () => {
    await studio?.stop();
    await mock?.close();
  });

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
    await shoot(page, 'continuity-variations-confirm');
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
