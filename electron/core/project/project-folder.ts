// The project folder (docs/architecture.md §3): create, open (with backup recovery) and save (atomic, with .bak).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ProjectSchema, SCHEMA_VERSION, describeIssues, type Project, type Shot } from '../../../shared/schema';
import { StudioError } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { atomicWriteFile } from './atomic-write';
import { migrate } from './migrate';

export const PROJECT_FILE = 'project.json';
export const BACKUP_FILE = 'project.json.bak';
export const PROJECT_SUBDIRS = ['media/refs', 'media/audio', 'media/takes', 'cache', 'renders'];

export interface OpenedProject {
  project: Project;
  /** A message for the person when the main file was unusable and the backup was opened instead. */
  recoveredFromBackup?: string;
}

export function projectFile(dir: string): string {
  return path.join(dir, PROJECT_FILE);
}

export function newShot(input: Partial<Shot> & { durationSec?: number } = {}): Shot {
  return ProjectSchema.shape.shots.element.parse({
    id: newId('shot'),
    title: '',
    prompt: '',
    durationSec: 5,
    ...input,
  });
}

export function newProject(name: string, shots: Shot[] = []): Project {
  return ProjectSchema.parse({
    schemaVersion: SCHEMA_VERSION,
    id: newId('prj'),
    name,
    settings: {},
    shots,
  });
}

export async function createProjectFolder(dir: string, project: Project): Promise<void> {
  try {
    await fs.access(projectFile(dir));
    throw new StudioError(
      'PROJECT_EXISTS',
      `${dir} already holds a Storyreel project. Nothing was changed; open it, or choose another folder.`,
    );
  } catch (err) {
    if (err instanceof StudioError) throw err;
  }
  await fs.mkdir(dir, { recursive: true });
  for (const sub of PROJECT_SUBDIRS) await fs.mkdir(path.join(dir, sub), { recursive: true });
  await atomicWriteFile(projectFile(dir), serialize(project));
}

function serialize(project: Project): string {
  return `${JSON.stringify(project, null, 2)}\n`;
}

/** Parses and validates one file; returns the project or the reason it is unusable. */
async function readProjectFile(file: string): Promise<{ ok: true; project: Project } | { ok: false; reason: string; missing: boolean }> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    return { ok: false, missing, reason: missing ? 'the file is missing' : (err as Error).message };
  }
  if (text.trim() === '') return { ok: false, missing: false, reason: 'the file is empty' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, missing: false, reason: `it is not valid JSON (${(err as Error).message}) — it may have been truncated` };
  }
  try {
    const migrated = migrate(raw);
    return { ok: true, project: ProjectSchema.parse(migrated) };
  } catch (err) {
    // A project from a newer Storyreel is refused whole: it is not damaged, and its backup is older.
    if (err instanceof StudioError && err.code === 'PROJECT_TOO_NEW') throw err;
    if (err instanceof z.ZodError) {
      return { ok: false, missing: false, reason: `it does not match the project format: ${describeIssues(err, '', raw).slice(0, 3).join('; ')}` };
    }
    return { ok: false, missing: false, reason: (err as Error).message };
  }
}

function notAProjectFolder(dir: string): StudioError {
  return new StudioError('NOT_FOUND', `${dir} is not a Storyreel project folder (no ${PROJECT_FILE}).`);
}

/** Refuses a folder with neither project.json nor its backup, as opening it would, without reading either. */
export async function assertProjectFolder(dir: string): Promise<void> {
  const isFile = (name: string) => fs.stat(path.join(dir, name)).then((s) => s.isFile(), () => false);
  if (!(await isFile(PROJECT_FILE)) && !(await isFile(BACKUP_FILE))) throw notAProjectFolder(dir);
}

export async function openProjectFolder(dir: string): Promise<OpenedProject> {
  const main = await readProjectFile(projectFile(dir));
  if (main.ok) return { project: main.project };
  if (main.missing) {
    const backupExists = await fs.stat(path.join(dir, BACKUP_FILE)).then(() => true, () => false);
    if (!backupExists) {
      throw notAProjectFolder(dir);
    }
  }
  const backup = await readProjectFile(path.join(dir, BACKUP_FILE));
  if (!backup.ok) {
    throw new StudioError(
      'PROJECT_CORRUPT',
      `Cannot open ${dir}: ${PROJECT_FILE} is unusable (${main.reason}) and so is its backup (${backup.reason}). ` +
        'Nothing on disk was changed. Restore project.json from a copy of the folder (the clips in media/ are untouched).',
    );
  }
  // Keep the damaged file next to the project so nothing is lost, then continue from the backup.
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const keptAs = `${PROJECT_FILE}.damaged-${stamp}`;
  if (!main.missing) await fs.copyFile(projectFile(dir), path.join(dir, keptAs));
  const message =
    `${PROJECT_FILE} could not be read (${main.reason}), so Storyreel opened the backup from the previous save. ` +
    (main.missing ? '' : `The damaged file was kept as ${keptAs}. `) +
    'Your generated clips in media/ are untouched.';
  return { project: backup.project, recoveredFromBackup: message };
}

/**
 * Saves atomically. The previous good project.json becomes project.json.bak first, so the backup is
 * always the last state that parsed — a damaged main file is never rotated into the backup.
 */
export async function saveProjectFolder(dir: string, project: Project): Promise<void> {
  const validated = ProjectSchema.parse(project);
  const current = await readProjectFile(projectFile(dir));
  if (current.ok) {
    await atomicWriteFile(path.join(dir, BACKUP_FILE), await fs.readFile(projectFile(dir)));
  }
  await atomicWriteFile(projectFile(dir), serialize(validated));
}
