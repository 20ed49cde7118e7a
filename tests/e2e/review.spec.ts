// Reviewing takes and watching jobs, as a person would: generate with the free animatic, generate a
// shot again, compare the two takes, rate / circle / annotate them, swap the take in the cut, and find
// it all saved after a restart. Then with a paid provider (fal's mock): the estimate in the toolbar,
// the budget stopping "Generate all", the confirmation with the right total, and jobs running to ready.
import { test, expect, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SHOTS_DIR, startStudio, type RunningStudio } from './helpers/studio-server';
import type { RunningMock } from '../mock-providers/common';
import { FAL_MOCK_KEY, startFalMock } from '../mock-providers/fal';

const CSV = 'title,prompt,duration\nHarbour,The harbour at dawn,5\nMarket,A busy market at noon,5\n';

async function projectJson(studio: RunningStudio) {
  return JSON.parse(await readFile(path.join(studio.dir, 'project.json'), 'utf8'));
}

/** Restarts the server on the same project and returns its new address (new port and token). */
async function restart(studio: RunningStudio): Promise<string> {
  await studio.restart();
  return studio.url;
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

test.describe('takes', () => {
  let studio: RunningStudio;
  test.beforeAll(async () => {
    studio = await startStudio({ csv: CSV, name: 'review' });
  });
  test.afterAll(async () => studio?.stop());

  test('generate, compare, rate, circle, annotate and swap takes; all saved', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(studio.url);
    const jobs = page.getByRole('region', { name: 'Jobs' });
    await expect(jobs.getByText(/No jobs yet/)).toBeVisible();

    // The animatic is free: no confirmation, the jobs start at once.
    await page.getByRole('button', { name: /^Generate all/ }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(jobs.getByRole('group', { name: /^Job / })).toHaveCount(2);
    await expect(jobs.getByText('Ready', { exact: true })).toHaveCount(2, { timeout: 60_000 });

    await page.getByRole('listitem', { name: 'Harbour' }).click();
    const inspector = page.getByRole('region', { name: 'Inspector' });
    const takes = inspector.getByRole('region', { name: 'Takes' });
    const take1 = takes.getByRole('listitem', { name: 'Take 1' });
    await expect(take1).toContainText('Free');
    await expect(take1).toContainText('In cut');
    await expect(take1.locator('img')).toBeVisible({ timeout: 30_000 });

    // ⌘↵ (Ctrl+Enter here) generates the selected shot again: a second take.
    await page.getByRole('region', { name: 'Timeline' }).click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+Enter');
    const take2 = takes.getByRole('listitem', { name: 'Take 2' });
    await expect(take2).toContainText('Ready', { timeout: 60_000 });
    await expect(take2.locator('img')).toBeVisible({ timeout: 30_000 });
    const before = await projectJson(studio);
    const [t1, t2] = before.shots[0].takes.map((t: { id: string }) => t.id);
    const inCutBefore = before.shots[0].selectedTakeId;
    await take2.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS_DIR, 'review-takes.png') });

    // Compare: tick two takes, play both side by side, Esc closes.
    await takes.getByRole('checkbox', { name: 'Compare take 1' }).check();
    await takes.getByRole('checkbox', { name: 'Compare take 2' }).check();
    await takes.getByRole('button', { name: /^Compare/ }).click();
    const compare = page.getByRole('dialog', { name: /Compare take/ });
    await expect(compare).toBeVisible();
    await expect(compare.getByText('Take 1', { exact: true })).toBeVisible();
    await expect(compare.getByText('Take 2', { exact: true })).toBeVisible();
    const videos = compare.locator('video');
    await expect.poll(() => videos.evaluateAll((vs) => vs.every((v) => (v as HTMLVideoElement).readyState >= 1))).toBe(true);
    await compare.getByRole('button', { name: 'Play both' }).click();
    await expect.poll(() => videos.evaluateAll((vs) => Math.min(...vs.map((v) => (v as HTMLVideoElement).currentTime))), { timeout: 10_000 }).toBeGreaterThan(0.5);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'review-compare.png') });
    await compare.getByRole('button', { name: 'Pause both' }).click();
    const times = await videos.evaluateAll((vs) => vs.map((v) => (v as HTMLVideoElement).currentTime));
    expect(Math.abs(times[0] - times[1])).toBeLessThan(0.3);
    // One scrubber drives both.
    await compare.getByRole('slider', { name: 'Scrub both takes' }).fill('2.5');
    await expect.poll(() => videos.evaluateAll((vs) => vs.map((v) => Math.round((v as HTMLVideoElement).currentTime * 10) / 10))).toEqual([2.5, 2.5]);
    await page.keyboard.press('Escape');
    await expect(compare).toBeHidden();

    // Review take 1: four stars, circled, a note at 0:01.5 of its clip.
    await takes.getByRole('button', { name: 'Review take 1' }).click();
    const review = takes.getByRole('group', { name: 'Review of take 1' });
    await review.getByRole('button', { name: '4 stars' }).click();
    await expect(review.getByRole('button', { name: '4 stars' })).toHaveAttribute('aria-pressed', 'true');
    await review.getByRole('button', { name: 'Circle' }).click();
    await expect(review.getByRole('button', { name: 'Circle' })).toHaveAttribute('aria-pressed', 'true');
    await review.locator('video').evaluate(async (v: HTMLVideoElement) => {
      v.currentTime = 1.5;
      await new Promise((r) => v.addEventListener('seeked', r, { once: true }));
    });
    await review.getByRole('textbox', { name: 'Note on take 1' }).fill('Horizon tilts here');
    await review.getByRole('button', { name: 'Add note' }).click();
    await expect(review.getByRole('list', { name: 'Notes on take 1' })).toContainText('0:01.5');
    await expect(review.getByRole('list', { name: 'Notes on take 1' })).toContainText('Horizon tilts here');
    await expect(take1).toContainText('★★★★');
    await review.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS_DIR, 'review-notes.png') });

    // Reject take 2 (dimmed), then put whichever take is not in the cut into it: "In cut" moves.
    await takes.getByRole('button', { name: 'Review take 2' }).click();
    await takes.getByRole('group', { name: 'Review of take 2' }).getByRole('button', { name: 'Reject' }).click();
    await expect(take2).toHaveClass(/take--rejected/);
    const other = inCutBefore === t1 ? 2 : 1;
    const otherCard = takes.getByRole('listitem', { name: `Take ${other}` });
    await takes.getByRole('button', { name: `Review take ${other}` }).click();
    await takes.getByRole('group', { name: `Review of take ${other}` }).getByRole('button', { name: 'Use this take' }).click();
    await expect(otherCard).toContainText('In cut');
    await expect(takes.getByRole('listitem', { name: `Take ${3 - other}` })).not.toContainText('In cut');

    // Everything is in project.json and back after a restart and a reload.
    await expect.poll(async () => (await projectJson(studio)).shots[0].selectedTakeId).toBe(other === 1 ? t1 : t2);
    await page.goto(await restart(studio));
    const doc = await projectJson(studio);
    const saved1 = doc.shots[0].takes.find((t: { id: string }) => t.id === t1);
    const saved2 = doc.shots[0].takes.find((t: { id: string }) => t.id === t2);
    expect(saved1.review).toEqual({ rating: 4, flag: 'circle', notes: [{ atSec: 1.5, text: 'Horizon tilts here' }] });
    expect(saved2.review.flag).toBe('reject');
    await page.getByRole('listitem', { name: 'Harbour' }).click();
    const takesAfter = page.getByRole('region', { name: 'Inspector' }).getByRole('region', { name: 'Takes' });
    await expect(takesAfter.getByRole('listitem', { name: `Take ${other}` })).toContainText('In cut');
    await takesAfter.getByRole('button', { name: 'Review take 1' }).click();
    const reviewAfter = takesAfter.getByRole('group', { name: 'Review of take 1' });
    await expect(reviewAfter.getByRole('button', { name: '4 stars' })).toHaveAttribute('aria-pressed', 'true');
    await expect(reviewAfter.getByRole('button', { name: 'Circle' })).toHaveAttribute('aria-pressed', 'true');
    await expect(reviewAfter.getByRole('list', { name: 'Notes on take 1' })).toContainText('0:01.5');
    // Removing the note removes it from the file too.
    await reviewAfter.getByRole('button', { name: 'Remove note at 0:01.5' }).click();
    await expect.poll(async () => (await projectJson(studio)).shots[0].takes.find((t: { id: string }) => t.id === t1).review.notes).toEqual([]);
    expect(errors).toEqual([]);
  });
});

test.describe('paid generation', () => {
  let studio: RunningStudio;
  let mock: RunningMock;
  test.beforeAll(async () => {
    mock = await startFalMock();
    mock.state.timing = { queueMs: 300, runMs: 1200 };
    studio = await startStudio({ csv: CSV, name: 'paid', env: { FAL_KEY: FAL_MOCK_KEY, STORYREEL_FAL_URL: mock.url } });
  });
  test.afterAll(async () => {
    await studio?.stop();
    await mock?.close();
  });

  test('estimate, budget, confirmation and jobs to ready with fal', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(studio.url);
    const provider = page.getByRole('combobox', { name: 'Provider', exact: true });
    await expect(provider.locator('option', { hasText: 'fal.ai' })).toBeEnabled();
    // Replicate has no key here: it is listed but cannot be chosen.
    await expect(provider.locator('option', { hasText: 'Replicate (no key)' })).toBeDisabled();
    await provider.selectOption('fal');
    await expect.poll(async () => (await projectJson(studio)).settings.provider).toBe('fal');

    // Two 5 s clips at fal's standard rate ($0.084/s): $0.84, shown before anything is sent.
    const estimate = page.getByTestId('pending-estimate');
    await expect(estimate).toContainText('$0.84');
    await expect(estimate).toContainText('2 clips');

    // A budget below the estimate turns "Generate all" off and says why.
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    const budget = settings.getByLabel('Budget (USD)');
    await budget.fill('0.5');
    await budget.press('Enter');
    await expect.poll(async () => (await projectJson(studio)).settings.budgetUsd).toBe(0.5);
    await settings.getByRole('button', { name: 'Done' }).click();
    const generate = page.getByRole('button', { name: /^Generate all/ });
    await expect(generate).toBeDisabled();
    const reason = '$0.84 would pass the $0.50 budget by $0.34 — raise the budget in Settings';
    await expect(generate).toHaveAttribute('title', reason);
    await expect(page.getByRole('note', { name: 'Why Generate all is off' })).toContainText(reason);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'review-budget.png') });

    // Raise it from the note's own button.
    await page.getByRole('note', { name: 'Why Generate all is off' }).getByRole('button', { name: 'Open Settings' }).click();
    await budget.fill('5');
    await budget.press('Enter');
    await expect.poll(async () => (await projectJson(studio)).settings.budgetUsd).toBe(5);
    await page.keyboard.press('Escape');
    await expect(generate).toBeEnabled();

    // Paid: a confirmation with the total, the provider and each request; nothing is sent until confirmed.
    await generate.click();
    const confirm = page.getByRole('dialog', { name: 'Generate 2 clips for $0.84?' });
    await expect(confirm).toBeVisible();
    await expect(confirm).toContainText('fal.ai');
    await expect(confirm.getByRole('list', { name: 'Requests to send' }).getByRole('listitem')).toHaveCount(3);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'review-confirm.png') });
    expect(mock.state.submissions()).toHaveLength(0);
    await confirm.getByRole('button', { name: 'Generate for $0.84' }).click();
    await expect(confirm).toBeHidden();

    const jobs = page.getByRole('region', { name: 'Jobs' });
    await expect(jobs.getByRole('group', { name: /^Job / })).toHaveCount(2);
    await expect(jobs.getByRole('group', { name: /^Job / }).first()).toContainText('fal.ai');
    await expect(jobs.getByRole('button', { name: 'Cancel' }).first()).toBeVisible();
    await page.screenshot({ path: path.join(SHOTS_DIR, 'review-jobs-running.png') });
    await expect(jobs.getByText('Ready', { exact: true })).toHaveCount(2, { timeout: 90_000 });
    await expect(jobs).toContainText('$0.42');
    expect(mock.state.submissions()).toHaveLength(2);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'review-jobs.png') });

    // The drawer folds away and keeps its count.
    await jobs.getByRole('button', { name: 'Jobs' }).click();
    await expect(jobs.getByRole('group', { name: /^Job / })).toHaveCount(0);
    await expect(jobs.getByLabel('Jobs: 2')).toBeVisible();
    await jobs.getByRole('button', { name: 'Jobs' }).click();
    await expect(jobs.getByRole('group', { name: /^Job / })).toHaveCount(2);
    expect(errors).toEqual([]);
  });
});
