// shots.updateMany: the inspector's multi-selection edit. One patch on several shots is one undo step,
// and bad input is refused whole by the same checks as a single-shot edit, changing nothing.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Studio } from '../../electron/core/api';
import { AppSettingsFile } from '../../electron/core/app-settings';
import { createProjectFolder, newProject, newShot } from '../../electron/core/project/project-folder';
import { tempDir } from './helpers';

let base: string;
let dir: string;
let studio: Studio;
let n = 0;

beforeAll(async () => {
  base = await tempDir('sr-many-');
});
afterAll(() => fs.rm(base, { recursive: true, force: true }));

beforeEach(async () => {
  dir = path.join(base, `p${++n}.storyreel`);
  const shots = ['Harbour', 'Storm', 'Keeper', 'Lamp'].map((title, i) => newShot({ title, prompt: `${title} prompt`, durationSec: 3 + i }));
  await createProjectFolder(dir, newProject('Many', shots));
  const appSettings = new AppSettingsFile(path.join(base, `config${n}`));
  studio = await Studio.open(dir, { host: 'cli', appSettings, providerSettings: appSettings.providerStore() });
});
afterEach(() => studio.close());

const shot = (title: string) => studio.session.current.shots.find((s) => s.title === title)!;
const durations = () => studio.session.current.shots.map((s) => s.durationSec);
const call = (method: string, input: unknown) => studio.dispatch(method, input);

describe('shots.updateMany', () => {
  it('sets one field on every selected shot as one undo step, leaving the others alone', async () => {
    const ids = ['Harbour', 'Storm', 'Keeper'].map((t) => shot(t).id);
    await call('shots.updateMany', { ids, patch: { durationSec: 8, aspectRatio: '9:16', audio: { native: true } } });
    expect(durations()).toEqual([8, 8, 8, 6]);
    expect(['Harbour', 'Storm', 'Keeper'].map((t) => shot(t).aspectRatio)).toEqual(['9:16', '9:16', '9:16']);
    expect(shot('Lamp').aspectRatio).toBeUndefined();
    expect(shot('Storm').audio.native).toBe(true);
    // Prompts, titles and the rest of audio are untouched.
    expect(shot('Storm').prompt).toBe('Storm prompt');
    expect(studio.session.state().history.undo).toBe('Edit duration, aspect ratio, audio of 3 shots');

    await call('project.undo', {});
    expect(durations()).toEqual([3, 4, 5, 6]);
    expect(shot('Harbour').aspectRatio).toBeUndefined();
    expect(shot('Storm').audio.native).toBe(false);
    expect(studio.session.state().history.undo).toBeUndefined();
    await call('project.redo', {});
    expect(durations()).toEqual([8, 8, 8, 6]);
  });

  it('refuses what a single edit refuses, for all of them, and changes nothing', async () => {
    const ids = ['Harbour', 'Storm'].map((t) => shot(t).id);
    await expect(call('shots.updateMany', { ids, patch: { durationSec: 20 } })).rejects.toThrow(/durationSec/);
    await expect(call('shots.updateMany', { ids, patch: { negativePrompt: 'x'.repeat(2600) } })).rejects.toThrow(/negativePrompt/);
    await expect(call('shots.updateMany', { ids: [...ids, 'shot_gone'], patch: { durationSec: 9 } })).rejects.toThrow(/no shot with id shot_gone/);
    await expect(call('shots.updateMany', { ids, patch: { audio: { voiceIds: ['voice_nope'] } } })).rejects.toThrow(/audio\.voiceIds: voice_nope/);
    expect(durations()).toEqual([3, 4, 5, 6]);
    expect(shot('Harbour').negativePrompt).toBe(newShot({ title: 'x', prompt: '', durationSec: 5 }).negativePrompt);
    expect(studio.session.state().history.undo).toBeUndefined();
  });
});
