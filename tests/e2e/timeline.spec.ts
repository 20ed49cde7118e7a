// The timeline driven with a mouse and keyboard as an editor would: reorder by dragging, retime by
// dragging an edge, group shots into one multi-shot request, zoom, seek from the ruler, and lay music
// under the cut. Every edit is checked where it matters: on screen and in project.json.
import { test, expect } from '@playwright/test';
import path from 'node:path';
import { exec, SHOTS_DIR, studioForEachTest } from './helpers/studio-server';
import { failOnPageErrors } from './helpers/studio-page';
import { readProject } from './helpers/project-files';
import { block, box, drag, shotTitles, timeline, video, videoDuration } from './helpers/timeline-page';

const CSV = 'title,prompt,duration\nHarbour,The harbour at dawn,3\nMarket,A busy fish market,4\nLighthouse,The lighthouse at noon,5\nNight,The quay at night,3\n';

failOnPageErrors();
const studio = studioForEachTest({ csv: CSV, name: 'timeline' }, { open: true });
test.beforeEach(async ({ page }) => {
  await expect(timeline(page).getByRole('group', { name: 'Video lane' })).toBeVisible();
});

const project = () => readProject(studio.dir);

test('drag to reorder and drag an edge to retime; the cut follows', async ({ page }) => {
  // Generate with the local animatic so the cut is made of real takes.
  await page.getByRole('button', { name: /Generate all/ }).click();
  const list = page.getByRole('region', { name: 'Shots' });
  for (const title of ['Harbour', 'Market', 'Lighthouse', 'Night']) {
    await expect(list.getByRole('listitem', { name: title })).toContainText('Ready', { timeout: 90_000 });
  }
  await expect(page.getByText('All shots have takes')).toBeVisible({ timeout: 60_000 });
  await expect.poll(() => videoDuration(page), { timeout: 60_000 }).toBeCloseTo(15, 0);
  const cutBefore = await video(page).getAttribute('src');

  // Drag shot 3 (Lighthouse) onto the start of shot 1.
  const lighthouse = await box(block(page, 'Lighthouse'));
  const harbour = await box(block(page, 'Harbour'));
  await drag(page, { x: lighthouse.x + lighthouse.width / 2, y: lighthouse.y + lighthouse.height / 2 }, { x: harbour.x + 4, y: harbour.y + harbour.height / 2 });
  await expect.poll(() => shotTitles(page)).toEqual(['Lighthouse', 'Harbour', 'Market', 'Night']);
  await expect(block(page, 'Lighthouse')).toHaveAccessibleName(/^1\. Lighthouse,/);
  await expect.poll(async () => (await project()).shots.map((s: { title: string }) => s.title)).toEqual(['Lighthouse', 'Harbour', 'Market', 'Night']);
  // The preview is re-stitched in the new order.
  await expect.poll(() => video(page).getAttribute('src'), { timeout: 60_000 }).not.toBe(cutBefore);
  await page.screenshot({ path: path.join(SHOTS_DIR, 'timeline-main.png') });

  // Esc during a drag puts the block back and changes nothing.
  const night = await box(block(page, 'Night'));
  await page.mouse.move(night.x + night.width / 2, night.y + 20);
  await page.mouse.down();
  await page.mouse.move(night.x - 200, night.y + 20, { steps: 8 });
  await page.keyboard.press('Escape');
  await page.mouse.up();
  await expect.poll(() => shotTitles(page)).toEqual(['Lighthouse', 'Harbour', 'Market', 'Night']);

  // Drag Market's right edge two seconds to the right: 4 s → 6 s.
  const market = await box(block(page, 'Market'));
  const pps = (market.width + 2) / 4;
  const edge = { x: market.x + market.width - 3, y: market.y + market.height / 2 };
  await drag(page, edge, { x: edge.x + 2 * pps, y: edge.y });
  await expect(block(page, 'Market')).toHaveAccessibleName(/Market, 6 seconds/);
  await block(page, 'Market').click();
  await expect(page.getByRole('region', { name: 'Inspector' }).getByRole('spinbutton', { name: /^Duration/ })).toHaveValue('6');
  await expect.poll(async () => (await project()).shots.find((s: { title: string }) => s.title === 'Market').durationSec).toBe(6);
  expect((await project()).shots.map((s: { durationSec: number }) => s.durationSec)).toEqual([5, 3, 6, 3]);
  // Its 4 s take is too short now (held on its last frame); generating again makes the cut 5 + 3 + 6 + 3 s.
  const marketRow = list.getByRole('listitem', { name: 'Market' });
  await expect(marketRow).toContainText('Needs a longer take');
  await page.getByRole('button', { name: /Generate all/ }).click();
  await expect(marketRow).toContainText('Ready', { timeout: 90_000 });
  await expect.poll(() => videoDuration(page), { timeout: 60_000 }).toBeCloseTo(17, 0);

  // Keyboard: ] lengthens the focused shot, ⌥→ moves it one place later.
  await block(page, 'Market').focus();
  await page.keyboard.press(']');
  await expect(block(page, 'Market')).toHaveAccessibleName(/Market, 7 seconds/);
  await page.keyboard.press('Alt+ArrowRight');
  await expect.poll(() => shotTitles(page)).toEqual(['Lighthouse', 'Harbour', 'Night', 'Market']);
});

test('select a range, group it into one multi-shot request, ungroup; zoom; seek from the ruler', async ({ page }) => {
  const group = timeline(page).getByRole('button', { name: 'Group', exact: true });
  const ungroup = timeline(page).getByRole('button', { name: 'Ungroup', exact: true });
  await expect(group).toBeDisabled();
  await expect(group).toHaveAttribute('title', /Select 2–6 neighbouring shots/);

  await block(page, 'Harbour').click();
  await block(page, 'Market').click({ modifiers: ['Shift'] });
  await expect(block(page, 'Harbour')).toHaveAttribute('aria-pressed', 'true');
  await expect(block(page, 'Market')).toHaveAttribute('aria-pressed', 'true');
  await expect(block(page, 'Lighthouse')).toHaveAttribute('aria-pressed', 'false');
  // The shot list shows the same selection.
  await expect(page.getByRole('region', { name: 'Shots' }).locator('.shot--multi, .shot--selected')).toHaveCount(2);

  // Three shots of 3 + 4 + 5 s are 12 s (fine); all four are 15 s (fine); Harbour + Lighthouse are not neighbours.
  await block(page, 'Lighthouse').click({ modifiers: ['ControlOrMeta'] });
  await block(page, 'Market').click({ modifiers: ['ControlOrMeta'] });
  await expect(group).toBeDisabled();
  await expect(group).toHaveAttribute('title', /next to each other/);

  await block(page, 'Harbour').click();
  await block(page, 'Market').click({ modifiers: ['Shift'] });
  await expect(group).toBeEnabled();
  await group.click();
  const bracket = timeline(page).getByRole('note', { name: /Multi-shot group of 2 shots/ });
  await expect(bracket).toContainText('Multi-shot · 2 shots · 7s');
  await expect.poll(async () => (await project()).groups.length).toBe(1);
  const doc = await project();
  expect(doc.groups[0].shotIds).toEqual([doc.shots[0].id, doc.shots[1].id]);
  await expect(page.getByRole('region', { name: 'Shots' }).getByRole('listitem', { name: 'Market' })).toContainText('Multi-shot');
  await page.screenshot({ path: path.join(SHOTS_DIR, 'timeline-group.png') });

  // A grouped shot cannot grow past the group's 15 s: dragged 10 s longer, Market stops at 12 s.
  const market = await box(block(page, 'Market'));
  const pps = (market.width + 2) / 4;
  const edge = { x: market.x + market.width - 3, y: market.y + market.height / 2 };
  await drag(page, edge, { x: edge.x + 10 * pps, y: edge.y });
  await expect(block(page, 'Market')).toHaveAccessibleName(/Market, 12 seconds/);
  await expect(bracket).toContainText('Multi-shot · 2 shots · 15s');

  await expect(ungroup).toBeEnabled();
  await ungroup.click();
  await expect(bracket).toHaveCount(0);
  await expect.poll(async () => (await project()).groups.length).toBe(0);
  await expect(ungroup).toBeDisabled();

  // Zoom in: blocks widen; Fit brings the whole cut back into view.
  const before = (await box(block(page, 'Lighthouse'))).width;
  await timeline(page).getByRole('button', { name: 'Zoom in' }).click();
  await expect.poll(async () => (await box(block(page, 'Lighthouse'))).width).toBeGreaterThan(before * 1.4);
  await timeline(page).getByRole('button', { name: 'Fit' }).click();
  await expect.poll(async () => (await box(block(page, 'Lighthouse'))).width).toBeCloseTo(before, 0);

  // Click the ruler at 0:04: the preview (slates until generated) moves there and the readout says so.
  await expect.poll(() => videoDuration(page), { timeout: 60_000 }).toBeCloseTo(23, 0);
  const ruler = timeline(page).getByRole('slider', { name: 'Playhead' });
  const tick = await box(ruler.getByText('0:04', { exact: true }));
  const rulerBox = await box(ruler);
  await page.mouse.click(tick.x + 1, rulerBox.y + rulerBox.height / 2);
  await expect.poll(() => video(page).evaluate((v: HTMLVideoElement) => v.currentTime)).toBeCloseTo(4, 0);
  await expect(ruler).toHaveAttribute('aria-valuetext', /^0:04\.\d$/);
  // Keyboard on the ruler: → one second later.
  await ruler.press('ArrowRight');
  await expect.poll(() => video(page).evaluate((v: HTMLVideoElement) => v.currentTime)).toBeCloseTo(5, 0);
});

test('music lane: waveform, drag to position, duck and gain are saved', async ({ page }) => {
  const wav = path.join(studio.tmp, 'music.wav');
  await exec('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=f=220:d=8', wav]);
  await expect(timeline(page).getByText('No music or voice-over yet')).toBeVisible();

  const chooser = page.waitForEvent('filechooser');
  await timeline(page).getByRole('button', { name: 'Add music…' }).click();
  await (await chooser).setFiles(wav);

  const lane = timeline(page).getByRole('group', { name: /^Music 1 · music\.wav lane$/ });
  await expect(lane).toBeVisible();
  const wave = lane.getByRole('img', { name: /^Waveform of Music 1 · music\.wav$/ });
  await expect(wave).toBeVisible({ timeout: 30_000 });
  await expect.poll(() => wave.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  let doc = await project();
  expect(doc.audioLanes).toHaveLength(1);
  expect(doc.audioLanes[0]).toMatchObject({ kind: 'music', startSec: 0, duck: true });
  expect(doc.audioLanes[0].path).toMatch(/^media\/audio\//);

  // Duck off, gain down to −12 dB.
  const duck = lane.getByRole('button', { name: 'Duck under dialogue' });
  await expect(duck).toHaveAttribute('aria-pressed', 'true');
  await duck.click();
  await expect(duck).toHaveAttribute('aria-pressed', 'false');
  await lane.getByLabel('Gain (dB)').fill('-12');
  await expect(lane.getByText('-12 dB')).toBeVisible();
  await expect.poll(async () => (await project()).audioLanes[0].gainDb).toBe(-12);
  expect((await project()).audioLanes[0].duck).toBe(false);

  // Drag the clip about two seconds later; it lands on a tenth of a second.
  const clip = lane.getByRole('button', { name: /^Music 1 · music\.wav, starts at/ });
  const harbour = await box(block(page, 'Harbour'));
  const pps = (harbour.width + 2) / 3;
  const c = await box(clip);
  await drag(page, { x: c.x + 30, y: c.y + c.height / 2 }, { x: c.x + 30 + 2 * pps, y: c.y + c.height / 2 });
  await expect.poll(async () => (await project()).audioLanes[0].startSec, { timeout: 10_000 }).toBeCloseTo(2, 0);
  doc = await project();
  expect(Math.round(doc.audioLanes[0].startSec * 10)).toBe(doc.audioLanes[0].startSec * 10);
  await expect(clip).toHaveAccessibleName(new RegExp(`starts at ${doc.audioLanes[0].startSec.toFixed(1)} seconds`));
  await page.screenshot({ path: path.join(SHOTS_DIR, 'timeline-audio.png') });

  // Everything is still there after the studio restarts.
  await studio.restart();
  await page.goto(studio.url);
  const again = timeline(page).getByRole('group', { name: /^Music 1 · music\.wav lane$/ });
  await expect(again.getByRole('button', { name: 'Duck under dialogue' })).toHaveAttribute('aria-pressed', 'false');
  await expect(again.getByText('-12 dB')).toBeVisible();

  await again.getByRole('button', { name: 'Remove lane' }).click();
  await expect(again).toHaveCount(0);
  await expect.poll(async () => (await project()).audioLanes.length).toBe(0);
});

test.describe('a long storyboard', () => {
  test('300 shots open, a click selects one, and one drag reorders them as one edit', async ({ page }) => {
    // The default 4-shot studio from beforeEach is replaced by a 300-shot one.
    const rows = Array.from({ length: 300 }, (_, i) => `Shot ${i + 1},Plate ${i + 1},${3 + (i % 5)}`).join('\n');
    await studio.replace({ csv: `title,prompt,duration\n${rows}\n`, name: 'long' });
    const started = Date.now();
    await page.goto(studio.url);
    await expect(block(page, 'Shot 300')).toBeAttached();
    await expect(page.getByRole('region', { name: 'Shots' }).getByRole('listitem')).toHaveCount(300);
    const openMs = Date.now() - started;
    // How fast is the benchmark's to say (`npm run bench -- ui`: open time and frame times against 10 shots, in
    // one run); a timed assertion here only failed on a busy machine. What a person sees: the click selects.
    const selectMs = await page.evaluate(async () => {
      const t0 = performance.now();
      (document.querySelectorAll('[data-shot-id]')[5] as HTMLElement).click();
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return performance.now() - t0;
    });
    await expect(page.getByRole('region', { name: 'Shots' }).getByRole('listitem').nth(5)).toHaveAttribute('aria-current', 'true'); // Shot 6, the block clicked
    console.log(`300 shots: opened in ${openMs} ms, selection painted in ${selectMs.toFixed(0)} ms`);

    // Zoomed out to fit, 3 s shots are a few pixels wide; zoom in to grab one.
    for (let i = 0; i < 4; i++) await timeline(page).getByRole('button', { name: 'Zoom in' }).click();
    await expect.poll(async () => (await box(block(page, 'Shot 2'))).width).toBeGreaterThan(30);
    const second = await box(block(page, 'Shot 2'));
    const first = await box(block(page, 'Shot 1'));
    await drag(page, { x: second.x + second.width / 2, y: second.y + 20 }, { x: first.x + 3, y: first.y + 20 });
    await expect.poll(async () => (await project()).shots.slice(0, 2).map((s: { title: string }) => s.title)).toEqual(['Shot 2', 'Shot 1']);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'timeline-300.png') });
  });
});
