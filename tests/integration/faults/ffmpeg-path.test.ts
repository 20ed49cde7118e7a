// Settings › ffmpeg is run for every stitch and export. From a browser page (anyone with the token) it must
// not become a way to run any program: only a program named ffmpeg, outside the project folder, executable.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Studio } from '../../../electron/core/api';
import { AppSettingsFile } from '../../../electron/core/app-settings';
import { createProjectFolder, newProject, newShot } from '../../../electron/core/project/project-folder';
import { tempDir } from '../helpers';

let base: string;
let dir: string;
let browser: Studio;

async function script(file: string): Promise<string> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, '#!/bin/sh\necho pwned > "$0.ran"\n', { mode: 0o755 });
  return file;
}

beforeAll(async () => {
  base = await tempDir('sr-ffmpegpath-');
  dir = path.join(base, 'p.storyreel');
  await createProjectFolder(dir, newProject('Paths', [newShot({ title: 'One', prompt: 'storm', durationSec: 5 })]));
  const appSettings = new AppSettingsFile(path.join(base, 'config'));
  browser = await Studio.open(dir, { host: 'browser', appSettings, providerSettings: appSettings.providerStore() });
});
afterAll(async () => {
  await browser?.close();
});

describe('choosing ffmpeg from a browser page', () => {
  it('refuses a program that is not named ffmpeg, and saves nothing', async () => {
    const evil = await script(path.join(base, 'tools', 'evil.sh'));
    await expect(browser.dispatch('app.updateSettings', { ffmpegPath: evil })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/only accepts a program named ffmpeg.*Nothing was saved/),
    });
    expect((await browser.dispatch('app.settings', {})) as object).not.toHaveProperty('ffmpegPath');
  });

  it('refuses a program called ffmpeg inside the project folder (where a page can put files)', async () => {
    const inside = await script(path.join(dir, 'cache', 'imports', 'ffmpeg'));
    await expect(browser.dispatch('app.updateSettings', { ffmpegPath: inside })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // Nor through a symlink outside the folder that points inside it.
    const link = path.join(base, 'elsewhere', 'ffmpeg');
    await fs.mkdir(path.dirname(link), { recursive: true });
    await fs.symlink(inside, link);
    await expect(browser.dispatch('app.updateSettings', { ffmpegPath: link })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('accepts an executable named ffmpeg outside the project', async () => {
    const real = await script(path.join(base, 'bin', 'ffmpeg'));
    await expect(browser.dispatch('app.updateSettings', { ffmpegPath: real })).resolves.toMatchObject({ ffmpegPath: real });
    await browser.dispatch('app.updateSettings', { ffmpegPath: '' });
  });
});
