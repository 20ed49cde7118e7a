// Issue 10 item 15: browser mode can make a new project and open another one — from the recent list or by a
// typed folder — without the command line. The server switches project in place (the open one is closed and
// its lock let go) and the page reloads onto the new one. Folders outside the user's home are refused.
import { test, expect, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, exec, ROOT, studiosPerTest } from './helpers/studio-server';
import { failOnPageErrors, screens } from './helpers/studio-page';
import { readProject } from './helpers/project-files';

failOnPageErrors();
const startStudio = studiosPerTest();

const dialog = (page: Page) => page.getByRole('dialog', { name: 'Projects' });
const projectName = (page: Page) => page.locator('header.toolbar h1');

const shot = (page: Page, name: string) => screens(page, `projects-${name}`);

test('New project and Open… from the recent list switch the served project; a folder outside home is refused', async ({ page }) => {
  // The server's home is the temp folder, so the test's folders are "inside home" and /etc is not.
  const home = tmpdir();
  let second = '';
  const studio = await startStudio({
    name: 'Harbour',
    csv: 'title,prompt,duration\nDawn,"The harbour at dawn",3\n',
    env: { HOME: home },
    prepare: async (_dir, tmp) => {
      // Another project this computer opened before: it is in the recent list of the settings file.
      second = path.join(tmp, 'Lighthouse.storyreel');
      await exec(process.execPath, [CLI, 'new', second, '--name', 'Lighthouse'], { cwd: ROOT });
      await mkdir(path.join(tmp, 'config'), { recursive: true });
      await writeFile(path.join(tmp, 'config', 'settings.json'), JSON.stringify({ recentProjects: [second] }));
    },
  });
  const first = studio.dir;
  await page.goto(studio.url);
  await expect(projectName(page)).toHaveText('Harbour');

  await page.getByRole('button', { name: 'Projects: new or open' }).click();
  await expect(dialog(page)).toBeVisible();
  const recent = dialog(page).getByRole('list', { name: 'Recent projects' });
  await expect(recent.getByRole('button')).toHaveCount(1);
  await expect(recent.getByRole('button')).toContainText('Lighthouse');
  await expect(recent.getByRole('button')).toContainText(`~/${path.relative(home, second)}`);
  // The new project's folder starts as the one holding the open project.
  await expect(dialog(page).getByLabel('In folder')).toHaveValue(`~/${path.relative(home, studio.tmp)}`);
  await shot(page, 'dialog');

  // A folder outside home is refused on the field; nothing changes.
  await dialog(page).getByLabel('Project folder').fill('/etc');
  await dialog(page).getByRole('button', { name: 'Open', exact: true }).click();
  await expect(dialog(page).getByRole('alert')).toContainText('outside your home folder');
  await shot(page, 'refused');
  await expect(projectName(page)).toHaveText('Harbour');
  expect(existsSync(path.join(first, '.storyreel.lock'))).toBe(true);

  // Open… from the recent list: the page comes back on Lighthouse; Harbour's lock was let go.
  await recent.getByRole('button', { name: /Lighthouse/ }).click();
  await expect(projectName(page)).toHaveText('Lighthouse');
  await expect(page.locator('.toolbar__folder')).toHaveText('Lighthouse.storyreel');
  expect(existsSync(path.join(first, '.storyreel.lock'))).toBe(false);
  expect(existsSync(path.join(second, '.storyreel.lock'))).toBe(true);

  // Harbour is now a recent project; make a new one beside it instead.
  await page.getByRole('button', { name: 'Projects: new or open' }).click();
  await expect(dialog(page).getByRole('list', { name: 'Recent projects' }).getByRole('button', { name: /Harbour/ })).toBeVisible();
  await dialog(page).getByLabel('Name').fill('Night Ferry');
  await expect(dialog(page).getByText(`Creates ~/${path.relative(home, studio.tmp)}/Night Ferry.storyreel`)).toBeVisible();
  await shot(page, 'new');
  await dialog(page).getByRole('button', { name: 'Create and open' }).click();
  await expect(projectName(page)).toHaveText('Night Ferry');
  const created = path.join(studio.tmp, 'Night Ferry.storyreel');
  expect((await readProject(created)).name).toBe('Night Ferry');
  expect(existsSync(path.join(second, '.storyreel.lock'))).toBe(false);
  // The studio works on it: a shot can be added and is saved into the new folder.
  await page.getByRole('button', { name: /add shot/i }).first().click();
  await expect.poll(async () => (await readProject(created)).shots.length).toBe(1);
  await shot(page, 'after-create');
});
