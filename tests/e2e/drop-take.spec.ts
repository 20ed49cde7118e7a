// Drop a clip on a shot in the browser studio: it is uploaded into the project, checked, becomes the
// shot's take and goes into the cut — the editor's way of bringing in a clip made elsewhere.
import { test, expect } from '@playwright/test';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = path.join(ROOT, 'bin', 'storyreel.mjs');

let tmp = '';
let project = '';
let server: ChildProcess | undefined;
let url = '';

test.beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'storyreel-drop-'));
  project = path.join(tmp, 'drop.storyreel');
  await writeFile(path.join(tmp, 'shots.csv'), 'title,prompt,duration\nHarbour,The harbour at dawn,3\n');
  await exec(process.execPath, [CLI, 'new', project, '--shots', path.join(tmp, 'shots.csv')], { cwd: ROOT });
  // A clip made elsewhere: another size and rate than the cut, with its own sound.
  await exec('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=320x180:r=25:d=3', '-f', 'lavfi', '-i', 'sine=d=3', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', path.join(tmp, 'my-edit.mp4')]);
  server = spawn(process.execPath, [CLI, 'serve', project, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL:\n${log}`)), 90_000);
    server!.stdout!.on('data', (d: Buffer) => {
      log += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
  });
});

test.afterAll(async () => {
  server?.kill('SIGTERM');
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('a clip dropped on a shot becomes its take and plays in the cut', async ({ page }) => {
  await page.goto(url);
  const shot = page.getByRole('listitem', { name: 'Harbour' });
  await expect(shot).toContainText('No take');

  const bytes = (await readFile(path.join(tmp, 'my-edit.mp4'))).toString('base64');
  const dataTransfer = await page.evaluateHandle((b64) => {
    const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([data], 'my-edit.mp4', { type: 'video/mp4' }));
    return dt;
  }, bytes);
  await shot.dispatchEvent('dragover', { dataTransfer });
  await shot.dispatchEvent('drop', { dataTransfer });

  await expect(page.getByText('Imported my-edit.mp4')).toBeVisible({ timeout: 30_000 });
  await expect(shot).toContainText('Ready');
  await page.screenshot({ path: path.join(ROOT, 'test-results', 'studio-dropped-take.png') });

  // Saves are debounced: wait until the take is on disk.
  const readDoc = async () => JSON.parse(await readFile(path.join(project, 'project.json'), 'utf8'));
  await expect.poll(async () => (await readDoc()).shots[0].takes.length, { timeout: 10_000 }).toBe(1);
  const doc = await readDoc();
  const take = doc.shots[0].takes[0];
  expect(doc.shots[0].selectedTakeId).toBe(take.id);
  expect(take.media.path).toMatch(/^media\/takes\//);
  // The upload was only a way in: nothing is left in cache/imports/.
  expect(await readdir(path.join(project, 'cache', 'imports')).catch(() => [])).toEqual([]);

  // The preview is rebuilt with the imported clip (3 s) in place of the slate.
  await expect
    .poll(async () => page.getByRole('region', { name: 'Preview' }).locator('video:not(.player__video--next)').evaluate((v: HTMLVideoElement) => (v.readyState >= 1 ? v.duration : 0)), { timeout: 30_000 })
    .toBeCloseTo(3, 0);
});
