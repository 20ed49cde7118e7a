// Where a project may be opened or created from the studio's own Open…/New project (browser host): only
// inside the user's home. Pure path rules plus the one check that a folder is a project.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../../shared/errors';
import { BACKUP_FILE, PROJECT_FILE } from './project-folder';

/** `~/films/x` and `~` expanded; a relative path is taken from home (there is no other sensible "here" in a browser). */
export function expandHome(input: string, home: string): string {
  const text = input.trim();
  if (text === '~') return home;
  if (text.startsWith('~/') || text.startsWith('~\\')) return path.join(home, text.slice(2));
  return path.resolve(home, text);
}

export function isWithin(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** `/home/ana/films/x.storyreel` → `~/films/x.storyreel` (how a path is shown and typed). */
export function displayPath(abs: string, home: string): string {
  return isWithin(abs, home) ? path.join('~', path.relative(home, abs)) : abs;
}

/** The real path of `abs`, or of its nearest existing ancestor with the rest appended (the folder may not exist yet). */
async function realish(abs: string): Promise<string> {
  const rest: string[] = [];
  let at = abs;
  for (;;) {
    const real = await fs.realpath(at).catch(() => undefined);
    if (real) return path.join(real, ...rest.reverse());
    const up = path.dirname(at);
    if (up === at) return abs;
    rest.push(path.basename(at));
    at = up;
  }
}

/**
 * The absolute folder a typed path names, refused unless it is inside `home` (symbolic links followed, so a
 * link in home that points elsewhere is refused too).
 */
export async function folderInHome(input: string, home: string): Promise<string> {
  const abs = expandHome(input, home);
  const realHome = await fs.realpath(home).catch(() => home);
  const real = await realish(abs);
  if (!isWithin(real, realHome)) {
    throw new StudioError('FORBIDDEN', `${input.trim()} is outside your home folder (${home}); the studio only opens and creates projects inside it. Nothing was opened or created — choose a folder under ~.`);
  }
  return real;
}

/** A folder holding project.json, or at least its backup (opening recovers from that). */
export async function looksLikeProject(dir: string): Promise<boolean> {
  for (const name of [PROJECT_FILE, BACKUP_FILE]) {
    const stat = await fs.stat(path.join(dir, name)).catch(() => undefined);
    if (stat?.isFile()) return true;
  }
  return false;
}

/** A project's folder name from its title: "Night Ferry" → "Night Ferry.storyreel"; path separators and the like dropped. */
export function projectFolderName(name: string): string {
  const safe = name
    .replace(/[/\\:*?"<>|\u0000-\u001f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  return `${safe || 'Untitled'}.storyreel`;
}
