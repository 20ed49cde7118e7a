// Which project the desktop app opens at start. Plain Node (no electron import), so it stays easy to reason about:
//   1. a folder given on the command line (`electron . /path/to/Project.storyreel`)
//   2. STORYREEL_PROJECT
//   3. the most recently opened project that still exists
//   4. the Lighthouse sample, copied once into <Documents>/Storyreel/Lighthouse.storyreel
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { looksLikeProject } from '../core/project/project-paths';

export { looksLikeProject };

export type ProjectSource = 'argument' | 'env' | 'recent' | 'sample';

export interface ProjectCandidate {
  dir: string;
  source: ProjectSource;
}

export const SAMPLE_FOLDER_NAME = 'Lighthouse.storyreel';
/** Inside the app (source tree or packaged app.asar); electron-builder.yml ships this one file. */
export const SAMPLE_PROJECT_FILE = path.join('examples', 'lighthouse.storyreel', 'project.json');

/**
 * The project folder named on a command line, if any. Chromium and Playwright add switches (`--inspect=0`,
 * `--no-sandbox`, macOS `-psn_…`), so anything starting with '-' is skipped. When run as `electron <app>`
 * (process.defaultApp) the first argument is the app itself.
 */
export function projectFromArgv(argv: readonly string[], opts: { defaultApp: boolean; cwd: string }): string | undefined {
  const positional = argv.slice(1).filter((a) => !a.startsWith('-'));
  const arg = (opts.defaultApp ? positional.slice(1) : positional)[0];
  return arg ? path.resolve(opts.cwd, arg) : undefined;
}

/**
 * Makes sure the writable copy of the sample exists and returns its folder. Only project.json and its
 * reference images are copied:
 * everything else (takes, caches, renders) the app generates on demand. An existing copy is never touched.
 */
export async function ensureSampleProject(appRoot: string, documentsDir: string): Promise<string> {
  const dir = path.join(documentsDir, 'Storyreel', SAMPLE_FOLDER_NAME);
  if (await looksLikeProject(dir)) return dir;
  await fs.mkdir(dir, { recursive: true });
  try {
    await fs.copyFile(path.join(appRoot, SAMPLE_PROJECT_FILE), path.join(dir, 'project.json'), constants.COPYFILE_EXCL);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // The reference images the sample's shots move over (the animatic's camera moves); never overwritten.
  await fs.cp(path.join(appRoot, path.dirname(SAMPLE_PROJECT_FILE), 'media', 'refs'), path.join(dir, 'media', 'refs'), { recursive: true, force: false });
  return dir;
}

/** Candidates in the order they are tried; the sample is added by the caller only when all of these fail. */
export async function startupCandidates(input: {
  argProject?: string;
  envProject?: string;
  recent: readonly string[];
}): Promise<ProjectCandidate[]> {
  const out: ProjectCandidate[] = [];
  if (input.argProject) out.push({ dir: input.argProject, source: 'argument' });
  if (input.envProject) out.push({ dir: path.resolve(input.envProject), source: 'env' });
  // Recent projects that were moved or deleted are skipped quietly; one that exists but fails to open is reported.
  for (const dir of input.recent) {
    if (await looksLikeProject(dir)) {
      out.push({ dir, source: 'recent' });
      break;
    }
  }
  return out;
}

/**
 * The folder and name of a new project from the path chosen in a save dialog: `…/Night Ferry` becomes
 * `…/Night Ferry.storyreel` named "Night Ferry" (a chosen `.storyreel` suffix is kept, not doubled).
 */
export function newProjectTarget(chosen: string): { dir: string; name: string } {
  const abs = path.resolve(chosen);
  const base = path.basename(abs).replace(/\.storyreel$/i, '').trim() || 'Untitled';
  return { dir: path.join(path.dirname(abs), `${base}.storyreel`), name: base };
}
