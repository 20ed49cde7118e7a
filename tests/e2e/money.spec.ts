// Issue 10's money defects as a new director meets them: three shots drafted with the animatic, then the
// project switched to fal (the mock). Generate all skips the shot with an end frame and no start frame and
// says why, replaces the two animatic drafts and says so, before asking for money; a take fal refused for
// content policy shows the $0 the ledger has, not the estimate; changing the toolbar's tier does not make
// a paid take stale; regenerating at another tier is priced in the confirmation first.
import { test, expect } from '@playwright/test';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CLI, ROOT, exec, falEnv, mockForFile, studiosPerTest, type RunningStudio } from './helpers/studio-server';
import { jobsDrawer, screens, watchPageErrors } from './helpers/studio-page';
import { editProject, readProject } from './helpers/project-files';
import { startFalMock } from '../mock-providers/fal';
import { png } from '../helpers/png';

interface SavedShot {
  title: string;
  takes: { provider: string; status: string; actualUsd?: number; request: { params: { tier?: string } } }[];
}

const mock = mockForFile(startFalMock);
const startStudio = studiosPerTest();

const shots = async (s: RunningStudio): Promise<SavedShot[]> => (await readProject(s.dir)).shots;

test('Generate all on fal after animatic drafts: skipped shot listed, drafts said, refused take shows $0, tier switch keeps takes, regenerate at Pro priced first', async ({ page }) => {
  mock.state.timing = { queueMs: 100, runMs: 300 };
  mock.state.faults = [];
  const csv = 'title,prompt,duration\nHarbour,The harbour at dawn,3\nLamp,The lamp turns,3\nGulls,Gulls over the rocks,3\n';
  const studio = await startStudio({
    csv,
    name: 'money',
    env: falEnv(mock),
    async prepare(dir) {
      // The animatic drafts every shot first (free), as a new user would; fal is chosen after.
      await exec(process.execPath, [CLI, 'render', dir], { cwd: ROOT });
      await mkdir(path.join(dir, 'media', 'refs'), { recursive: true });
      await writeFile(path.join(dir, 'media', 'refs', 'end.png'), png(640, 360));
      await editProject(dir, (doc) => {
        doc.settings.provider = 'fal';
        doc.shots[2].endFrame = 'media/refs/end.png'; // an end frame without a start frame: fal refuses it
      });
    },
  });
  const errors = watchPageErrors(page);
  await page.goto(studio.url);

  // Generate all stays on, and says which shot it skips and why.
  const generateAll = page.getByRole('button', { name: /^Generate all/ });
  const note = page.getByRole('note', { name: 'Shots Generate all skips' });
  await expect(note).toContainText('shot 3 “Gulls”: an end frame needs a start frame');
  await expect(generateAll).toBeEnabled();

  // fal refuses the first request for content policy before any work.
  mock.state.faults.push({ stage: 'submit', kind: 'policy' });
  await generateAll.click();
  const confirm = page.getByRole('dialog', { name: 'Generate 2 clips for $0.50?' });
  await expect(confirm).toBeVisible();
  await expect(confirm.getByTestId('drafts-note')).toHaveText('2 shots have only animatic drafts: fal.ai generates them.');
  await expect(confirm.getByRole('list', { name: 'Requests to send' }).getByRole('listitem')).toHaveText([/shot 1 “Harbour”\s*3 s\s*\$0\.25/, /shot 2 “Lamp”\s*3 s\s*\$0\.25/, /Total\s*\$0\.50/]);
  await expect(confirm.getByRole('group', { name: 'Skipped shots' })).toContainText('shot 3 “Gulls”: an end frame needs a start frame');
  await screens(page, 'money-confirm');
  await confirm.getByRole('button', { name: 'Generate for $0.50' }).click();
  await expect(confirm).toBeHidden();

  // One refused, one made: only shot 1 and 2 reached fal (shot 3 never did).
  await expect.poll(async () => (await shots(studio)).slice(0, 2).map((s) => s.takes.filter((t) => t.provider === 'fal').map((t) => t.status).join()).sort()).toEqual(['failed', 'ready']);
  expect(mock.state.submissions()).toHaveLength(2);
  const saved = await shots(studio);
  const refusedIndex = saved.findIndex((s) => s.takes.some((t) => t.provider === 'fal' && t.status === 'failed'));
  const readyIndex = 1 - refusedIndex;
  expect(saved[refusedIndex].takes.find((t) => t.provider === 'fal')!.actualUsd).toBe(0);

  // The refused take shows what the ledger says: $0.00, not "~$0.25".
  await page.getByRole('listitem', { name: saved[refusedIndex].title }).click();
  const inspector = page.getByRole('region', { name: 'Inspector' });
  const refusedTake = inspector.getByRole('region', { name: 'Takes' }).getByRole('listitem', { name: 'Take 2' });
  await expect(refusedTake.locator('.take__cost')).toHaveText('$0.00');
  await expect(refusedTake.locator('.take__cost')).toHaveAttribute('title', /Refused before any work: nothing was charged/);
  // The Jobs drawer says the same of the job.
  const jobRow = jobsDrawer(page)
    .getByRole('group', { name: `Job Shot ${refusedIndex + 1} “${saved[refusedIndex].title}”` })
    .and(page.locator('.job--failed'));
  await expect(jobRow).toContainText('$0.00');
  await expect(jobRow).not.toContainText('~$0.25');
  await screens(page, 'money-refused-take', { reveal: refusedTake });

  // Switching the toolbar's tier to Pro leaves the fal take current: the shot stays Ready.
  const readyShot = page.getByRole('listitem', { name: saved[readyIndex].title });
  await readyShot.click();
  await expect(inspector.locator('.inspector__actions [data-status]')).toHaveAttribute('data-status', 'ready');
  await page.locator('#toolbar-tier').selectOption('pro');
  await expect.poll(async () => (await readProject(studio.dir)).settings.tier).toBe('pro');
  await expect(inspector.locator('.inspector__actions [data-status]')).toHaveAttribute('data-status', 'ready');
  await expect(inspector.getByText('Changed · regenerate')).toHaveCount(0);

  // Regenerating that take at another tier is an explicit action, priced first.
  await page.locator('#toolbar-tier').selectOption('standard');
  await inspector.getByRole('button', { name: /New take/ }).click();
  const again = page.getByRole('dialog', { name: 'Generate 1 clip for $0.25?' });
  await expect(again).toBeVisible();
  await again.getByRole('combobox', { name: 'Tier for these takes' }).selectOption('pro');
  // fal Pro, silent, 3 s: 3 × $0.112 = $0.34.
  const pro = page.getByRole('dialog', { name: 'Generate 1 clip for $0.34?' });
  await expect(pro).toBeVisible();
  await expect(pro.getByRole('list', { name: 'Requests to send' })).toContainText('$0.34');
  await screens(page, 'money-regenerate-pro');
  await pro.getByRole('button', { name: 'Generate for $0.34' }).click();
  await expect.poll(() => mock.state.submissions().length).toBe(3);
  expect(mock.state.submissions()[2].path).toContain('/pro/');
  await expect
    .poll(async () => (await shots(studio))[readyIndex].takes.filter((t) => t.provider === 'fal').map((t) => t.request.params.tier))
    .toEqual(['standard', 'pro']);
  expect(errors).toEqual([]);
});
