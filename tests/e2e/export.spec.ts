// Export from the studio, as a film editor delivers: open the dialog from the toolbar and with ⌘E/Ctrl+E,
// have a bad file name refused on the field (nothing sent), pick 720p with a crossfade, export, watch the
// progress, get the file (its facts in the dialog, the file in renders/ as ffprobe reads it, the Download
// link serving it); and cancel a longer 1080p export, which leaves nothing in renders/.
import { test, expect, type Page } from '@playwright/test';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CLI, exec, ROOT, SHOTS_DIR, startStudio, type RunningStudio } from './helpers/studio-server';
import { filmLength, fitCrossfade, formatBytes } from '../../renderer/src/features/export/export-plan';

const CSV_SHORT = [
  'title,prompt,duration',
  'Harbour,"Wide shot: the harbour at dawn, fishing boats leave through the mist",3',
  'Market,"Medium shot: a busy fish market, gulls over the stalls",3',
  'Night,"The quay at night, lamps reflected in black water",3',
  '',
].join('\n');

const CSV_LONG = ['title,prompt,duration', ...Array.from({ length: 6 }, (_, i) => `Scene ${i + 1},"A long held shot number ${i + 1} of the coast road",10`), ''].join('\n');

let studio: RunningStudio | undefined;
let pageErrors: string[] = [];
/** Every method the page sent to the core over the WebSocket. */
let sentMethods: string[] = [];

test.beforeEach(({ page }) => {
  pageErrors = [];
  sentMethods = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('websocket', (ws) =>
    ws.on('framesent', (frame) => {
      try {
        const method = (JSON.parse(String(frame.payload)) as { method?: string }).method;
        if (method) sentMethods.push(method);
      } catch {
        /* not a call */
      }
    }),
  );
});

test.afterEach(async () => {
  expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  await studio?.stop();
  studio = undefined;
});

const dialog = (page: Page) => page.getByRole('dialog', { name: 'Export' });
const toolbarExport = (page: Page) => page.locator('header.toolbar').getByRole('button', { name: /^Export…/ });

async function shot(page: Page, name: string) {
  await mkdir(SHOTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS_DIR, `export-${name}.png`) });
}

interface Probed {
  format: { duration: string };
  streams: { codec_type: string; codec_name: string; width?: number; height?: number; duration?: string }[];
}

async function ffprobe(file: string): Promise<Probed> {
  const { stdout } = await exec('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
  return JSON.parse(stdout) as Probed;
}

async function rendersFiles(dir: string): Promise<string[]> {
  return readdir(path.join(dir, 'renders')).catch(() => []);
}

test('toolbar and Ctrl+E open Export; a bad name is refused on the field; 720p with crossfades exports, shows the file and downloads it', async ({ page }) => {
  studio = await startStudio({
    csv: CSV_SHORT,
    name: 'harbour',
    // Takes from the local animatic before the studio opens: the export then has real clips with sound.
    prepare: async (dir) => {
      await exec(process.execPath, [CLI, 'render', dir, '--yes'], { cwd: ROOT, timeout: 120_000 });
    },
  });
  await page.goto(studio.url);
  await expect(page.getByRole('region', { name: 'Shots' }).getByRole('listitem')).toHaveCount(3);

  // The button in the toolbar opens it; Esc closes it; Ctrl+E (⌘E on a Mac) opens it again.
  await toolbarExport(page).click();
  await expect(dialog(page)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog(page)).toBeHidden();
  await page.keyboard.press('ControlOrMeta+e');
  const d = dialog(page);
  await expect(d).toBeVisible();

  // Every preset as a card saying what it is; 1080p is chosen, quality at its default.
  for (const name of ['H.264 1080p — MP4 for delivery, −14 LUFS', 'H.264 720p', 'WebM VP9/Opus', 'GIF preview', 'WebP preview']) {
    await expect(d.getByRole('radio', { name: new RegExp(name.replace(/[.()]/g, '\\$&')) })).toBeVisible();
  }
  await expect(d.getByRole('radio', { name: /H\.264 1080p/ })).toBeChecked();
  await expect(d.getByRole('radio', { name: /H\.264 1080p/ })).toHaveAccessibleName(/1920×1080 · 24 fps · AAC stereo at −14 LUFS/);
  const quality = d.getByRole('slider', { name: 'Quality' });
  await expect(quality).toHaveValue('90');
  await expect(d.getByRole('region', { name: 'What goes in' })).toContainText('0:09.00 film · 3 shots, straight cuts');
  await expect(d.getByRole('region', { name: 'What goes in' })).not.toContainText('no take yet');
  const fileName = d.getByRole('textbox', { name: 'File name' });
  await expect(fileName).toHaveValue('harbour-1080p');
  await shot(page, 'idle');

  // 720p: the name follows the preset until it is typed; the quality starts at 720p's default.
  await d.getByRole('radio', { name: /H\.264 720p/ }).check();
  await expect(fileName).toHaveValue('harbour-720p');
  await expect(quality).toHaveValue('90');
  // Two steps of 0.25 s on the crossfade slider, with the keyboard as an editor would.
  const crossfade = d.getByRole('slider', { name: 'Crossfade between shots' });
  await expect(crossfade).toHaveValue('0');
  await crossfade.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(crossfade).toHaveValue('0.5');
  await expect(d.getByRole('region', { name: 'What goes in' })).toContainText('0:08.00 film · 3 shots with 0.50 s crossfades');

  // A folder in the name is refused on the field, and nothing reaches the core.
  await fileName.fill('../outside/film');
  await d.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(d.getByText('Just a file name, without folders')).toBeVisible();
  await expect(fileName).toHaveAttribute('aria-invalid', 'true');
  await fileName.fill('   ');
  await d.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(d.getByText('Give the file a name.')).toBeVisible();
  await page.waitForTimeout(300);
  expect(sentMethods).not.toContain('media.export');

  await fileName.fill('harbour cut');
  await expect(fileName).toHaveAttribute('aria-invalid', 'false');
  await d.getByRole('button', { name: 'Export', exact: true }).click();
  // Progress appears (or the export was quicker than the first look: then it is done already).
  const progress = d.getByRole('progressbar', { name: /Export progress/ });
  const done = d.getByText('Exported harbour cut.mp4');
  await expect(progress.or(done)).toBeVisible();
  if (await progress.isVisible()) {
    await expect(d.getByRole('button', { name: 'Cancel export' })).toBeVisible();
    await expect(d).toContainText('Exporting harbour cut.mp4');
    await shot(page, 'exporting');
  }
  await expect(done).toBeVisible({ timeout: 90_000 });
  expect(sentMethods.filter((m) => m === 'media.export')).toHaveLength(1);

  // The file in renders/: 1280×720 H.264 with AAC, as long as the cut less the two crossfade overlaps.
  const file = path.join(studio.dir, 'renders', 'harbour cut.mp4');
  const probed = await ffprobe(file);
  const v = probed.streams.find((s) => s.codec_type === 'video');
  const a = probed.streams.find((s) => s.codec_type === 'audio');
  expect(v).toMatchObject({ codec_name: 'h264', width: 1280, height: 720 });
  expect(a?.codec_name).toBe('aac');
  // As export.ts counts: each take's frames at the project's rate, the crossfade fitted, the overlaps taken off.
  const project = JSON.parse(await readFile(path.join(studio.dir, 'project.json'), 'utf8')) as { settings: { fps: number }; shots: { selectedTakeId: string; takes: { id: string; media: { path: string } }[] }[] };
  const lengths: number[] = [];
  for (const s of project.shots) {
    const take = s.takes.find((t) => t.id === s.selectedTakeId)!;
    const info = await ffprobe(path.join(studio.dir, take.media.path));
    const seconds = Number(info.streams.find((x) => x.codec_type === 'video')?.duration ?? info.format.duration);
    lengths.push(Math.max(1, Math.round(seconds * project.settings.fps)) / project.settings.fps);
  }
  const expected = filmLength(lengths, fitCrossfade(lengths, 0.5));
  expect(Math.abs(Number(v?.duration ?? probed.format.duration) - expected)).toBeLessThan(0.05);
  expect(Math.abs(Number(probed.format.duration) - expected)).toBeLessThan(0.1);
  expect((await rendersFiles(studio.dir)).filter((f) => f.includes('partial'))).toEqual([]);

  // The dialog names the file, its size, length and where it is.
  const size = (await stat(file)).size;
  await expect(d).toContainText(formatBytes(size));
  await expect(d).toContainText('0.50 s crossfades');
  await expect(d).toContainText('renders/harbour cut.mp4');
  await shot(page, 'done');

  // The Download link serves the file itself.
  const link = d.getByRole('link', { name: /Download harbour cut\.mp4/ });
  await expect(link).toHaveAttribute('download', 'harbour cut.mp4');
  const href = await link.getAttribute('href');
  const res = await page.request.get(new URL(href!, page.url()).toString());
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toMatch(/^video\/mp4/);
  expect((await res.body()).length).toBe(size);

  // "Export another" goes back to the form with the last choices; the ? list names the shortcut.
  await d.getByRole('button', { name: 'Export another' }).click();
  await expect(d.getByRole('radio', { name: /H\.264 720p/ })).toBeChecked();
  await expect(fileName).toHaveValue('harbour cut');
  await page.keyboard.press('Escape');
  await expect(dialog(page)).toBeHidden();
  await page.locator('body').press('?');
  const keys = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(keys).toContainText('Export the cut');
  await expect(keys).toContainText(/Ctrl\+E|⌘E/);
});

test('a long 1080p export keeps running when the dialog closes, and Cancel leaves nothing in renders/', async ({ page }) => {
  studio = await startStudio({ csv: CSV_LONG, name: 'coast' });
  await page.goto(studio.url);
  await expect(page.getByRole('region', { name: 'Shots' }).getByRole('listitem')).toHaveCount(6);
  const before = await rendersFiles(studio.dir);

  await toolbarExport(page).click();
  const d = dialog(page);
  await expect(d.getByRole('region', { name: 'What goes in' })).toContainText('1:00.00 film · 6 shots');
  await expect(d.getByRole('region', { name: 'What goes in' })).toContainText('6 shots have no take yet and will be slates.');
  await expect(d.getByRole('radio', { name: /H\.264 1080p/ })).toBeChecked();
  await d.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(d.getByRole('progressbar', { name: /Export progress/ })).toBeVisible();
  await expect(d.getByText('Closing this window keeps the export running')).toBeVisible();

  // Closed while it runs: the export goes on and the toolbar button says so; reopening shows it again.
  await d.getByRole('button', { name: 'Keep running in background' }).click();
  await expect(dialog(page)).toBeHidden();
  await expect(toolbarExport(page)).toHaveAttribute('title', /Export running/);
  await page.keyboard.press('ControlOrMeta+e');
  await expect(d.getByRole('progressbar', { name: /Export progress/ })).toBeVisible();
  await shot(page, 'running');

  await d.getByRole('button', { name: 'Cancel export' }).click();
  await expect(d.getByText('Export of coast-1080p.mp4 canceled')).toBeVisible({ timeout: 60_000 });
  await expect(d).toContainText('your project and clips are unchanged');
  await shot(page, 'canceled');
  expect(sentMethods).toContain('media.cancelExport');
  // No file, whole or partial, in renders/.
  const after = await rendersFiles(studio.dir);
  expect(after.filter((f) => !before.includes(f) && f !== 'preview.mp4')).toEqual([]);

  // Back to the settings, then Done: the next opening starts from the form.
  await d.getByRole('button', { name: 'Back to the settings' }).click();
  await expect(d.getByRole('button', { name: 'Export', exact: true })).toBeVisible();
});

test('an export the core refuses shows its message, says nothing was changed, and goes back to the settings', async ({ page }) => {
  studio = await startStudio({
    csv: CSV_SHORT,
    name: 'lanes',
    // A music lane whose file has gone from the project folder: the core refuses before encoding.
    prepare: async (dir) => {
      const file = path.join(dir, 'project.json');
      const project = JSON.parse(await readFile(file, 'utf8'));
      project.audioLanes = [{ id: 'lane-1', kind: 'music', path: 'media/audio/gone.wav', name: 'score.wav', startSec: 0, gainDb: 0, duck: true }];
      await writeFile(file, JSON.stringify(project, null, 2));
    },
  });
  await page.goto(studio.url);
  await expect(page.getByRole('region', { name: 'Shots' }).getByRole('listitem')).toHaveCount(3);
  await page.keyboard.press('ControlOrMeta+e');
  const d = dialog(page);
  const summary = d.getByRole('region', { name: 'What goes in' });
  await expect(summary).toContainText('1 audio lane mixed with the shots’ sound (music ducked under dialogue).');
  await expect(summary).toContainText('3 shots have no take yet and will be slates.');
  // The silent previews say so instead.
  await d.getByRole('radio', { name: /GIF preview/ }).check();
  await expect(summary).toContainText('No sound: previews are silent.');
  await expect(d.getByRole('slider', { name: 'Quality' })).toHaveValue('80');
  await d.getByRole('radio', { name: /H\.264 720p/ }).check();

  await d.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(d.getByText('The export of lanes-720p.mp4 stopped')).toBeVisible({ timeout: 60_000 });
  await expect(d).toContainText('media/audio/gone.wav is missing from the project folder');
  await expect(d).toContainText('Nothing in the project was changed');
  await shot(page, 'error');
  expect(await rendersFiles(studio.dir)).not.toContain('lanes-720p.mp4');
  await d.getByRole('button', { name: 'Try again' }).click();
  await expect(d.getByRole('radio', { name: /H\.264 720p/ })).toBeChecked();
});
