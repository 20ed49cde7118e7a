import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BACKUP_FILE,
  PROJECT_FILE,
  createProjectFolder,
  newProject,
  newShot,
  openProjectFolder,
  saveProjectFolder,
} from '../../../electron/core/project/project-folder';
import { ProjectSession } from '../../../electron/core/project/session';
import { migrate } from '../../../electron/core/project/migrate';
import { StudioError } from '../../../shared/errors';

let dir: string;
beforeEach(async () => {
  dir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'sr-folder-')), 'Test.storyreel');
});
afterEach(async () => {
  await fs.rm(path.dirname(dir), { recursive: true, force: true });
});

const sample = () => newProject('Test', [newShot({ title: 'One', prompt: 'a lighthouse', durationSec: 4 })]);

describe('project folder', () => {
  it('creates the folder layout and opens what it wrote', async () => {
    const project = sample();
    await createProjectFolder(dir, project);
    for (const sub of ['media/takes', 'media/refs', 'cache', 'renders']) {
      expect((await fs.stat(path.join(dir, sub))).isDirectory()).toBe(true);
    }
    const opened = await openProjectFolder(dir);
    expect(opened.project).toEqual(project);
    expect(opened.recoveredFromBackup).toBeUndefined();
  });

  it('refuses to create a project over an existing one and leaves it untouched', async () => {
    await createProjectFolder(dir, sample());
    const before = await fs.readFile(path.join(dir, PROJECT_FILE), 'utf8');
    await expect(createProjectFolder(dir, newProject('Other'))).rejects.toMatchObject({ code: 'PROJECT_EXISTS' });
    expect(await fs.readFile(path.join(dir, PROJECT_FILE), 'utf8')).toBe(before);
  });

  it('keeps the previous save as project.json.bak and leaves no temp files', async () => {
    const project = sample();
    await createProjectFolder(dir, project);
    const renamed = { ...project, name: 'Renamed' };
    await saveProjectFolder(dir, renamed);
    const backup = JSON.parse(await fs.readFile(path.join(dir, BACKUP_FILE), 'utf8'));
    const main = JSON.parse(await fs.readFile(path.join(dir, PROJECT_FILE), 'utf8'));
    expect(backup.name).toBe('Test');
    expect(main.name).toBe('Renamed');
    expect((await fs.readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('opens a truncated project.json from its backup, says so, and keeps the damaged file', async () => {
    const project = sample();
    await createProjectFolder(dir, project);
    await saveProjectFolder(dir, { ...project, name: 'Second save' });
    const good = await fs.readFile(path.join(dir, PROJECT_FILE), 'utf8');
    const truncated = good.slice(0, Math.floor(good.length / 2));
    await fs.writeFile(path.join(dir, PROJECT_FILE), truncated);

    const opened = await openProjectFolder(dir);
    expect(opened.project.name).toBe('Test'); // the backup: the save before the damaged one
    expect(opened.project.shots[0].prompt).toBe('a lighthouse');
    expect(opened.recoveredFromBackup).toMatch(/could not be read .*truncated.*opened the backup/);
    const damaged = (await fs.readdir(dir)).find((f) => f.startsWith('project.json.damaged-'));
    expect(damaged).toBeDefined();
    expect(await fs.readFile(path.join(dir, damaged!), 'utf8')).toBe(truncated);
  });

  it('opens a project.json that is valid JSON but not a project from its backup, naming the bad fields', async () => {
    const project = sample();
    await createProjectFolder(dir, project);
    await saveProjectFolder(dir, { ...project, name: 'Second save' });
    const invalid = JSON.parse(await fs.readFile(path.join(dir, PROJECT_FILE), 'utf8'));
    invalid.shots[0].durationSec = 'five';
    const invalidText = JSON.stringify(invalid);
    await fs.writeFile(path.join(dir, PROJECT_FILE), invalidText);

    const session = await ProjectSession.open(dir);
    expect(session.recoveredFromBackup).toMatch(/does not match the project format: shot 1 “One”\.durationSec.*opened the backup/);
    expect(session.current.name).toBe('Test');
    expect(session.current.shots[0].durationSec).toBe(4);
    // The main file is whole again, and the invalid one was kept byte for byte.
    expect(JSON.parse(await fs.readFile(path.join(dir, PROJECT_FILE), 'utf8')).shots[0].durationSec).toBe(4);
    const damaged = (await fs.readdir(dir)).find((f) => f.startsWith('project.json.damaged-'));
    expect(await fs.readFile(path.join(dir, damaged!), 'utf8')).toBe(invalidText);
    await session.close();
  });

  it('with a damaged project.json and no backup at all, fails clearly and leaves the folder as it was', async () => {
    await createProjectFolder(dir, sample());
    await fs.writeFile(path.join(dir, PROJECT_FILE), '{"schemaVersion": 1, "na');
    const before = (await fs.readdir(dir)).sort();
    const err = await ProjectSession.open(dir).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PROJECT_CORRUPT' });
    expect((err as Error).message).toMatch(/project\.json is unusable \(it is not valid JSON.*truncated\) and so is its backup \(the file is missing\)\. Nothing on disk was changed/);
    expect((await fs.readdir(dir)).sort()).toEqual(before);
    expect(await fs.readFile(path.join(dir, PROJECT_FILE), 'utf8')).toBe('{"schemaVersion": 1, "na');
  });

  it('never rotates a damaged main file into the backup', async () => {
    const project = sample();
    await createProjectFolder(dir, project);
    await saveProjectFolder(dir, { ...project, name: 'Good' });
    await fs.writeFile(path.join(dir, PROJECT_FILE), '{"schemaVersion": 1, "id": "x"'); // damaged
    await saveProjectFolder(dir, { ...project, name: 'After damage' });
    const backup = JSON.parse(await fs.readFile(path.join(dir, BACKUP_FILE), 'utf8'));
    expect(backup.name).toBe('Test');
  });

  it('a session opened from the backup writes the recovered document back at once', async () => {
    await createProjectFolder(dir, sample());
    await saveProjectFolder(dir, { ...sample(), name: 'Later' });
    await fs.writeFile(path.join(dir, PROJECT_FILE), '');
    const session = await ProjectSession.open(dir);
    expect(session.recoveredFromBackup).toMatch(/the file is empty/);
    const onDisk = JSON.parse(await fs.readFile(path.join(dir, PROJECT_FILE), 'utf8'));
    expect(onDisk.name).toBe('Test');
    await session.close();
  });

  it('with no usable backup, fails with a clear error and overwrites nothing', async () => {
    await createProjectFolder(dir, sample());
    await fs.writeFile(path.join(dir, PROJECT_FILE), '{ not json');
    await fs.writeFile(path.join(dir, BACKUP_FILE), '');
    const err = await openProjectFolder(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect(err).toMatchObject({ code: 'PROJECT_CORRUPT' });
    expect((err as Error).message).toMatch(/Nothing on disk was changed/);
    expect(await fs.readFile(path.join(dir, PROJECT_FILE), 'utf8')).toBe('{ not json');
    expect(await fs.readFile(path.join(dir, BACKUP_FILE), 'utf8')).toBe('');
  });

  it('says plainly when a folder is not a project', async () => {
    await fs.mkdir(dir, { recursive: true });
    await expect(openProjectFolder(dir)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a project from a newer Storyreel without touching it', async () => {
    await createProjectFolder(dir, sample());
    const future = { ...sample(), schemaVersion: 7 };
    await fs.writeFile(path.join(dir, PROJECT_FILE), JSON.stringify(future));
    await expect(openProjectFolder(dir)).rejects.toThrow(/newer Storyreel/);
  });

  it('session edits are validated: an invalid change is refused whole', async () => {
    await createProjectFolder(dir, sample());
    const session = await ProjectSession.open(dir);
    expect(() => session.mutate((p) => void (p.shots[0].durationSec = 40))).toThrow(/durationSec: duration must be at most 15 s/);
    expect(session.current.shots[0].durationSec).toBe(4);
    session.mutate((p) => void (p.shots[0].title = 'Edited'));
    await session.flush();
    expect(JSON.parse(await fs.readFile(path.join(dir, PROJECT_FILE), 'utf8')).shots[0].title).toBe('Edited');
    await session.close();
  });
});

describe('migrations', () => {
  it('migrates the v0 draft format (shots[].duration, no settings) to the current schema', async () => {
    const v0 = JSON.parse(await fs.readFile(path.join(__dirname, '../../fixtures/project-v0.json'), 'utf8'));
    const migrated = migrate(v0);
    expect(migrated.schemaVersion).toBe(1);
    expect((migrated.shots as { durationSec: number }[]).map((s) => s.durationSec)).toEqual([4, 6]);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, PROJECT_FILE), JSON.stringify(v0));
    const opened = await openProjectFolder(dir);
    expect(opened.project.settings.provider).toBe('animatic');
    expect(opened.project.shots[1].prompt).toBe('The keeper climbs the stairs');
  });
});
