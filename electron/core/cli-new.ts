// `storyreel new <dir> [--shots shots.csv] [--name "Title"]`: a project folder from a shot list.
import path from 'node:path';
import { StudioError } from '../../shared/errors';
import { totalDurationSec } from '../../shared/schema';
import { formatDuration } from '../../shared/time';
import { fail } from './cli-util';
import { createProjectFolder, newProject, saveProjectFolder } from './project/project-folder';
import { shotListFromCsv } from './project/csv-shots';
import { decodeCsv } from './project/csv-text';
import { readRegularFile } from './project/incoming';
import { IMAGE_LIMITS } from './providers/assets';
import { checkImage, importImage } from './project/refs';

function projectName(dir: string): string {
  return path.basename(path.resolve(dir)).replace(/\.storyreel$/i, '') || 'Untitled';
}

/** A shot list is text: far below this; anything larger is not one. */
const MAX_CSV_BYTES = 16 * 1024 * 1024;

/** The CSV's bytes; a device, pipe, folder or oversized file is refused before it is read. */
function readShotList(file: string): Promise<Buffer> {
  return readRegularFile(path.resolve(file), { shown: file, maxBytes: MAX_CSV_BYTES }).catch((err: Error) =>
    fail(`Cannot use the shot list: ${err.message}. No project was written.`),
  );
}

export async function cmdNew(dir: string, opts: { shots?: string; name?: string }): Promise<void> {
  const list = opts.shots
    ? shotListFromCsv(decodeCsv(await readShotList(opts.shots)))
    : { shots: [], groups: [], images: [] };
  // Every image is read and checked before anything is written, so a bad row leaves no half project.
  const csvDir = opts.shots ? path.dirname(path.resolve(opts.shots)) : process.cwd();
  const loaded: { ref: (typeof list.images)[number]; data: Buffer }[] = [];
  const problems: string[] = [];
  for (const ref of list.images) {
    const file = path.resolve(csvDir, ref.path);
    const data = await readRegularFile(file, { shown: ref.path, maxBytes: IMAGE_LIMITS.maxBytes }).catch((err: Error) => err);
    if (data instanceof Error) problems.push(`row ${ref.row}, column ${ref.column}: ${data.message}`);
    else {
      const bad = checkImage(data, ref.path);
      if (bad.length) problems.push(...bad.map((b) => `row ${ref.row}, column ${ref.column}: ${b}`));
      else loaded.push({ ref, data });
    }
  }
  if (problems.length) throw new StudioError('INVALID_INPUT', `The shot list was refused; no project was written. ${problems.join('; ')}`, problems);
  const project = newProject(opts.name ?? projectName(dir), list.shots);
  project.groups = list.groups;
  const abs = path.resolve(dir);
  await createProjectFolder(abs, project);
  if (loaded.length) {
    for (const { ref, data } of loaded) {
      const shot = project.shots.find((s) => s.id === ref.shotId)!;
      shot[ref.field] = await importImage(abs, data);
    }
    await saveProjectFolder(abs, project);
  }
  const grouped = list.groups.length ? `, ${list.groups.length} multi-shot group${list.groups.length === 1 ? '' : 's'}` : '';
  console.log(`Created ${dir} with ${list.shots.length} shot${list.shots.length === 1 ? '' : 's'} (${formatDuration(totalDurationSec(project))})${grouped}.`);
}
