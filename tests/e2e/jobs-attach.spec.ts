// Issue 11, item 3, in the jobs drawer: a request cut off mid-submit at fal (which cannot be asked whether it
// arrived) can be settled by attaching the job id from fal's dashboard. A wrong id is refused with fal's
// answer and the job keeps waiting; the right one is followed and its clip downloaded — nothing sent again.
import { test, expect } from '@playwright/test';
import { falEnv, killRenderWhen, mockForFile, studiosPerTest } from './helpers/studio-server';
import { jobRow, jobsDrawer, screens, watchPageErrors } from './helpers/studio-page';
import { readJournal } from './helpers/project-files';
import { startFalMock } from '../mock-providers/fal';

const journalStatuses = async (dir: string) => (await readJournal(dir)).map((j) => j.status);

test.describe('attach a provider job id in the jobs drawer', () => {
  const mock = mockForFile(startFalMock);
  const startStudio = studiosPerTest();

  /** A fal project whose one request was cut off mid-submit: fal made the job, the project never heard back. */
  async function cutOff(name: string) {
    mock.state.log.length = 0;
    mock.state.jobs.clear();
    mock.state.timing = { queueMs: 200, runMs: 400, submitDelayMs: 15_000 };
    const started = await startStudio({
      csv: 'title,prompt,duration\nHarbour,The harbour at dawn,5\n',
      name,
      env: falEnv(mock),
      provider: 'fal',
      async prepare(dir) {
        await killRenderWhen({ dir, env: falEnv(mock), until: async () => (await journalStatuses(dir)).includes('submitting') && mock.state.submissions().length === 1 });
        // fal made the job all the same; its id is on fal's dashboard, not in the project.
        await expect.poll(() => mock.state.jobs.size, { timeout: 30_000 }).toBe(1);
      },
    });
    mock.state.timing = { queueMs: 200, runMs: 400 };
    return started;
  }

  test('a wrong id is refused and the job waits; the right id is followed and its clip downloaded, nothing sent again', async ({ page }) => {
    const studio = await cutOff('attach');
    const providerJobId = [...mock.state.jobs.keys()][0];
    const errors = watchPageErrors(page);
    await page.goto(studio.url);
    const jobs = jobsDrawer(page);
    await expect(jobs.getByLabel('Jobs: 1 need attention')).toBeVisible({ timeout: 20_000 });
    const row = jobRow(jobs, 'Harbour');
    const note = row.getByRole('note');
    await note.getByRole('button', { name: 'Attach job id…' }).click();
    const form = note.getByRole('form', { name: 'Attach a fal.ai job id' });
    const input = form.getByRole('textbox', { name: 'fal.ai job id' });
    await expect(input).toBeFocused();
    await expect(form.getByRole('button', { name: 'Attach' })).toBeDisabled();

    // A mistyped id: fal does not know it, so nothing changes.
    await input.fill('not-a-real-request-0000');
    await screens(page, 'jobs-attach-form');
    await form.getByRole('button', { name: 'Attach' }).click();
    // Said beside the field (a toast would cover the drawer and the button to try again).
    await expect(form.getByRole('alert')).toContainText(/fal\.ai does not know a job not-a-real-request-0000/);
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel('Notifications').getByRole('alert')).toHaveCount(0);
    await expect(row.getByText('Needs attention', { exact: true })).toBeVisible();

    // The id from the dashboard: followed, downloaded, ready.
    await input.fill(providerJobId);
    await form.getByRole('button', { name: 'Attach' }).click();
    await expect(row.getByRole('note')).toHaveCount(0);
    await expect(row.getByText('Ready', { exact: true })).toBeVisible({ timeout: 40_000 });
    await expect(row).toHaveAttribute('title', new RegExp(`fal\\.ai job id: ${providerJobId}`));
    expect(mock.state.submissions()).toHaveLength(1);
    await expect.poll(() => journalStatuses(studio.dir)).toEqual(['ready']);
    await screens(page, 'jobs-attach-ready');
    expect(errors).toEqual([]);
  });
});
