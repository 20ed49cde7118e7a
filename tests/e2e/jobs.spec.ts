// The Jobs drawer's actions, as a person would use them against fal's mock: cancel a paid job while the
// provider still has it queued; retry a job the provider refused; and settle the jobs a crash left
// "needing attention" (a request was on its way when Storyreel died, so nobody knows whether fal got it).
import { test, expect, type Locator, type Page } from '@playwright/test';
import path from 'node:path';
import { falEnv, killRenderWhen, mockForFile, SHOTS_DIR, studiosPerTest, type RunningStudio } from './helpers/studio-server';
import { jobRow, jobsDrawer, watchPageErrors } from './helpers/studio-page';
import { readJournal, readProject } from './helpers/project-files';
import { startFalMock } from '../mock-providers/fal';

interface SavedTake {
  id: string;
  jobId: string;
  status: string;
  media?: { path: string };
}
interface SavedShot {
  id: string;
  title: string;
  selectedTakeId?: string;
  takes: SavedTake[];
}
interface JournalJob {
  id: string;
  status: string;
  label: string;
  error?: string;
  retryOf?: string;
}

const projectJson = (studio: RunningStudio) => readProject<{ shots: SavedShot[] }>(studio.dir);
const journal = (dir: string) => readJournal<JournalJob>(dir);

/** "Generate all" on a one-shot fal project, through the price confirmation. */
async function generateConfirmed(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Generate all/ }).click();
  const confirm = page.getByRole('dialog', { name: /^Generate 1 clip for \$/ });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: /^Generate for \$/ }).click();
  await expect(confirm).toBeHidden();
}

/** The elapsed time a job row shows, in seconds ("4.2 s", "12 s", "1 m 5 s"). */
async function elapsedOf(row: Locator): Promise<number> {
  const text = (await row.getByTitle('Time since the request was sent').textContent()) ?? '';
  const m = /^(?:(\d+) m )?([\d.]+) s$/.exec(text.trim());
  if (!m) return Number.NaN;
  return Number(m[1] ?? 0) * 60 + Number(m[2]);
}

test.describe('jobs drawer actions with fal', () => {
  const mock = mockForFile(startFalMock);
  let studio: RunningStudio | undefined;
  test.beforeEach(() => {
    mock.state.log.length = 0;
    mock.state.jobs.clear();
    mock.state.faults = [];
  });
  const startStudio = studiosPerTest();

  /** A fresh project whose provider is fal (the mock), so generating costs money and asks first. */
  const falStudio = (csv: string, name: string, prepare?: (dir: string) => Promise<void>) => startStudio({ csv, name, env: falEnv(mock), provider: 'fal', prepare });

  test('cancel a queued paid job: it stops at the provider, nothing is downloaded, no take is ready', async ({ page }) => {
    // fal keeps the request in its queue long enough to cancel it there.
    mock.state.timing = { queueMs: 60_000, runMs: 1_000 };
    studio = await falStudio('title,prompt,duration\nHarbour,The harbour at dawn,5\n', 'cancel');
    const errors = watchPageErrors(page);
    await page.goto(studio.url);
    await generateConfirmed(page);

    const jobs = jobsDrawer(page);
    const row = jobRow(jobs, 'Harbour');
    await expect(row).toBeVisible();
    await expect(row).toContainText('fal.ai');
    await expect(row).toContainText('~$0.42');
    await expect(jobs.getByLabel('Jobs: 1 running')).toBeVisible();
    // Sent, then waiting in fal's queue (the mock pretends others are ahead at first).
    await expect.poll(() => mock.state.submissions().length).toBe(1);
    await expect(row.getByText(/^(Submitted|Queued)/)).toBeVisible({ timeout: 10_000 });
    // Once fal reports it, the job's place in fal's queue.
    await expect(row.getByText(/^Submitted · (\d+ ahead|next)$/)).toBeVisible({ timeout: 10_000 });
    // The elapsed time moves between events, once a second.
    await expect.poll(() => elapsedOf(row)).toBeGreaterThan(0);
    const first = await elapsedOf(row);
    await expect.poll(() => elapsedOf(row), { timeout: 5_000 }).toBeGreaterThanOrEqual(first + 1);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'jobs-running.png') });

    const beforeCancel = await elapsedOf(row);
    await row.getByRole('button', { name: 'Cancel' }).click();
    await expect(row.getByText('Canceled', { exact: true })).toBeVisible();
    // The elapsed time stops at the job's end and is never less than what was shown before it.
    const atEnd = await elapsedOf(row);
    expect(atEnd).toBeGreaterThanOrEqual(beforeCancel);
    await expect(row.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
    await expect(row.getByRole('button', { name: 'Retry' })).toBeVisible();
    await expect(jobs.getByLabel('Jobs: 1', { exact: true })).toBeVisible();

    // fal was asked to stop it; the job never completed, so nothing was fetched.
    await expect.poll(() => mock.state.submissions('cancel').length).toBe(1);
    expect([...mock.state.jobs.values()].every((j) => j.canceled)).toBe(true);
    expect(mock.state.submissions('download')).toHaveLength(0);
    expect(mock.state.submissions('result')).toHaveLength(0);
    await expect.poll(async () => (await projectJson(studio!)).shots[0].takes.map((t) => t.status)).toEqual(['canceled']);
    const shot = (await projectJson(studio)).shots[0];
    expect(shot.takes[0].media).toBeUndefined();
    expect((await journal(studio.dir)).map((j) => j.status)).toEqual(['canceled']);

    // And it stays canceled after a reload.
    await page.reload();
    await expect(jobRow(jobsDrawer(page), 'Harbour').getByText('Canceled', { exact: true })).toBeVisible();
    expect(errors).toEqual([]);
  });

  test('retry a job fal refused: the failed take is kept and a new one becomes the shot’s take', async ({ page }) => {
    mock.state.timing = { queueMs: 200, runMs: 400 };
    // fal accepts the request, then its moderation fails the job.
    mock.state.faults.push({ stage: 'status', kind: 'policy' });
    studio = await falStudio('title,prompt,duration\nMarket,A busy market at noon,5\n', 'retry');
    const errors = watchPageErrors(page);
    await page.goto(studio.url);
    await generateConfirmed(page);

    const jobs = jobsDrawer(page);
    const rows = jobRow(jobs, 'Market');
    await expect(rows).toHaveCount(1);
    const failed = rows.first();
    await expect(failed.getByText('Failed', { exact: true })).toBeVisible({ timeout: 30_000 });
    // The provider's own reason is shown, not a generic error.
    await expect(failed).toContainText(/flagged|content/i);
    // The same news arrives as an alert; the person reads it and closes it.
    const alert = page.getByRole('alert').filter({ hasText: 'Market' });
    await expect(alert).toContainText('content safety system');
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await expect(alert).toHaveCount(0);
    await expect(failed.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
    const retry = failed.getByRole('button', { name: 'Retry' });
    await expect(retry).toHaveAttribute('title', /new take.*old one is kept/);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'jobs-failed.png') });
    const before = (await projectJson(studio)).shots[0];
    expect(before.takes.map((t) => t.status)).toEqual(['failed']);

    // Keyboard: focus Retry and press Enter.
    await retry.focus();
    await page.keyboard.press('Enter');
    await expect(rows).toHaveCount(2);
    await expect(jobs.getByText('Ready', { exact: true })).toHaveCount(1, { timeout: 40_000 });
    await expect(jobs.getByText('Failed', { exact: true })).toHaveCount(1);
    expect(mock.state.submissions()).toHaveLength(2);

    // Both takes are in the file: the failed one kept, the new one ready and in the cut.
    await expect
      .poll(async () => (await projectJson(studio!)).shots[0].takes.map((t) => t.status).sort())
      .toEqual(['failed', 'ready']);
    const after = (await projectJson(studio)).shots[0];
    const ready = after.takes.find((t) => t.status === 'ready')!;
    expect(after.takes.find((t) => t.status === 'failed')!.id).toBe(before.takes[0].id);
    expect(ready.media?.path).toMatch(/\.mp4$/);
    expect(after.selectedTakeId).toBe(ready.id);
    const log = await journal(studio.dir);
    expect(log.find((j) => j.status === 'ready')?.retryOf).toBe(log.find((j) => j.status === 'failed')?.id);

    // The inspector shows the two takes.
    await page.getByRole('listitem', { name: 'Market' }).click();
    const takes = page.getByRole('region', { name: 'Inspector' }).getByRole('region', { name: 'Takes' });
    await expect(takes.getByRole('listitem', { name: /^Take / })).toHaveCount(2);
    expect(errors).toEqual([]);
  });

  test('jobs a crash left mid-submit need attention: mark one failed, submit the other again', async ({ page }) => {
    // `storyreel render` sends two requests that fal holds; it is killed before either answer arrives.
    mock.state.timing = { queueMs: 200, runMs: 400, submitDelayMs: 15_000 };
    const csv = 'title,prompt,duration\nHarbour,The harbour at dawn,5\nKeeper,The keeper lights the lamp,5\n';
    studio = await falStudio(csv, 'attention', (dir) =>
      killRenderWhen({
        dir,
        env: { ...falEnv(mock), STORYREEL_CONCURRENCY: 'fal:2' },
        args: ['--provider', 'fal'],
        until: async () => (await journal(dir)).filter((j) => j.status === 'submitting').length >= 2 && mock.state.submissions().length >= 2,
      }),
    );
    // The provider answers promptly again; the held requests were lost with the process.
    mock.state.timing = { queueMs: 200, runMs: 400 };
    const sentBefore = mock.state.submissions().length;
    expect(sentBefore).toBe(2);

    const errors = watchPageErrors(page);
    await page.goto(studio.url);
    const jobs = jobsDrawer(page);
    await expect(jobs.getByLabel('Jobs: 2 need attention')).toBeVisible({ timeout: 20_000 });
    const harbour = jobRow(jobs, 'Harbour');
    const keeper = jobRow(jobs, 'Keeper');
    for (const row of [harbour, keeper]) {
      await expect(row.getByText('Needs attention', { exact: true })).toBeVisible();
      const note = row.getByRole('note');
      await expect(note).toContainText(/fal\.ai(’s|'s)? dashboard/);
      await expect(note).toContainText('Submitting again may charge twice.');
      await expect(note.getByRole('button', { name: 'Submit again' })).toBeEnabled();
      await expect(note.getByRole('button', { name: 'Mark failed' })).toBeEnabled();
    }
    // Nothing is sent again on its own.
    expect(mock.state.submissions()).toHaveLength(sentBefore);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'jobs-attention.png') });

    // Mark failed: settled without sending anything.
    await harbour.getByRole('button', { name: 'Mark failed' }).click();
    await expect(harbour.getByText('Failed', { exact: true })).toBeVisible();
    await expect(harbour).toContainText('Marked failed by you');
    await expect(harbour.getByRole('note')).toHaveCount(0);
    await expect(harbour.getByRole('button', { name: 'Retry' })).toBeVisible();
    await expect(jobs.getByLabel('Jobs: 1 need attention')).toBeVisible();

    // Submit again: the person accepts the risk; it is sent once more and completes.
    await keeper.getByRole('button', { name: 'Submit again' }).click();
    await expect(keeper.getByRole('note')).toHaveCount(0);
    await expect.poll(() => mock.state.submissions().length).toBe(sentBefore + 1);
    expect(JSON.stringify(mock.state.submissions().at(-1)!.body)).toContain('The keeper lights the lamp');
    await expect(keeper.getByText('Ready', { exact: true })).toBeVisible({ timeout: 40_000 });
    await expect(jobs.getByLabel('Jobs: 2', { exact: true })).toBeVisible();
    expect(mock.state.submissions()).toHaveLength(sentBefore + 1);

    const log = await journal(studio.dir);
    expect(log.map((j) => [/“(.*)”/.exec(j.label)?.[1], j.status]).sort()).toEqual([
      ['Harbour', 'failed'],
      ['Keeper', 'ready'],
    ]);
    await expect
      .poll(async () => (await projectJson(studio!)).shots.map((s) => [s.title, s.takes.map((t) => t.status)]))
      .toEqual([
        ['Harbour', ['failed']],
        ['Keeper', ['ready']],
      ]);
    expect(errors).toEqual([]);
  });
});
