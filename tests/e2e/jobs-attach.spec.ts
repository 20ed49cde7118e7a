// Issue 11, item 3, in the jobs drawer: a request cut off mid-submit at fal (which cannot be asked whether it
// arrived) can be settled by attaching the job id from fal's dashboard. A wrong id is refused with fal's
// answer and the job keeps waiting; the right one is followed and its clip downloaded — nothing sent again.
import { test, expect, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CLI, ROOT, SHOTS_DIR, startStudio, type RunningStudio } from './helpers/studio-server';
import type { RunningMock } from '../mock-providers/common';
import { FAL_MOCK_KEY, startFalMock } from '../mock-providers/fal';

async function journalStatuses(dir: string): Promise<string[]> {
  const text = await readFile(path.join(dir, 'jobs.json'), 'utf8').catch(() => '');
  try {
    return (JSON.parse(text) as { jobs: { status: string }[] }).jobs.map((j) => j.status);
  } catch {
    return [];
  }
}

test.describe('attach a provider job id in the jobs drawer', () => {
  let mock: RunningMock;
  let studio: RunningStudio | undefined;
  test.beforeAll(async () => {
    mock = await startFalMock();
  });
  test.afterEach(async () => {
    await studio?.stop();
    studio = undefined;
  });
  test.afterAll(async () => mock?.close());

  async function cutOff(name: string): Promise<RunningStudio> {
    mock.state.log.length = 0;
    mock.state.jobs.clear();
    mock.state.timing = { queueMs: 200, runMs: 400, submitDelayMs: 15_000 };
    const started = await startStudio({
      csv: 'title,prompt,duration\nHarbour,The harbour at dawn,5\n',
      name,
      env: { FAL_KEY: FAL_MOCK_KEY, STORYREEL_FAL_URL: mock.url },
      async prepare(dir) {
        const file = path.join(dir, 'project.json');
        const doc = JSON.parse(await readFile(file, 'utf8'));
        doc.settings.provider = 'fal';
        await writeFile(file, JSON.stringify(doc, null, 2));
        const env = { ...process.env, FAL_KEY: FAL_MOCK_KEY, STORYREEL_FAL_URL: mock.url, STORYREEL_CONFIG_DIR: path.join(dir, '..', 'config') };
        const child = spawn(process.execPath, [CLI, 'render', dir, '--yes'], { cwd: ROOT, env, stdio: 'ignore' });
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        try {
          await expect.poll(async () => (await journalStatuses(dir)).includes('submitting') && mock.state.submissions().length === 1, { timeout: 30_000 }).toBe(true);
        } finally {
          child.kill('SIGKILL');
          await exited;
        }
        // fal made the job all the same; its id is on fal's dashboard, not in the project.
        await expect.poll(() => mock.state.jobs.size, { timeout: 30_000 }).toBe(1);
      },
    });
    mock.state.timing = { queueMs: 200, runMs: 400 };
    return started;
  }

  async function shoot(page: Page, name: string) {
    for (const [w, h] of [
      [1280, 720],
      [1920, 1080],
    ]) {
      await page.setViewportSize({ width: w, height: h });
      await page.screenshot({ path: path.join(SHOTS_DIR, `${name}-${w}x${h}.png`) });
    }
  }

  test('a wrong id is refused and the job waits; the right id is followed and its clip downloaded, nothing sent again', async ({ page }) => {
    studio = await cutOff('attach');
    const providerJobId = [...mock.state.jobs.keys()][0];
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(studio.url);
    const jobs = page.getByRole('region', { name: 'Jobs' });
    await expect(jobs.getByLabel('Jobs: 1 need attention')).toBeVisible({ timeout: 20_000 });
    const row = jobs.getByRole('group', { name: /^Job Shot 1 “Harbour”$/ });
    const note = row.getByRole('note');
    await note.getByRole('button', { name: 'Attach job id…' }).click();
    const form = note.getByRole('form', { name: 'Attach a fal.ai job id' });
    const input = form.getByRole('textbox', { name: 'fal.ai job id' });
    await expect(input).toBeFocused();
    await expect(form.getByRole('button', { name: 'Attach' })).toBeDisabled();

    // A mistyped id: fal does not know it, so nothing changes.
    await input.fill('not-a-real-request-0000');
    await shoot(page, 'jobs-attach-form');
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
    await expect.poll(() => journalStatuses(studio!.dir)).toEqual(['ready']);
    await shoot(page, 'jobs-attach-ready');
    expect(errors).toEqual([]);
  });
});
