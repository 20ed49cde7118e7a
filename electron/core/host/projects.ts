// The browser host's projects: New project and Open… from the studio itself. One Studio is open at a time;
// opening another takes its lock first (so a busy or broken project leaves the open one as it was), then the
// host is pointed at it and the previous one is closed. The page reloads and reconnects to the same server.
// Paths are confined to the user's home; the recent list lives in this computer's settings file.
import os from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import type { MethodOutput, RecentProject } from '../../../shared/api';
import { StudioError } from '../../../shared/errors';
import type { AppSettingsFile } from '../app-settings';
import type { Studio } from '../api';
import { createProjectFolder, newProject } from '../project/project-folder';
import { displayPath, folderInHome, looksLikeProject, projectFolderName } from '../project/project-paths';

/** What the studio's projects.* methods call; absent where projects are chosen elsewhere (CLI, desktop menu). */
export interface ProjectSwitcher {
  recent(): Promise<MethodOutput<'projects.recent'>>;
  open(input: string): Promise<RecentProject>;
  create(name: string, folder: string): Promise<RecentProject>;
}

export class ServedProjects implements ProjectSwitcher {
  private studio: Studio | undefined;
  private onSwitch: (next: Studio) => void = () => {};
  private switching: Promise<unknown> = Promise.resolve();
  readonly home: string;

  constructor(
    private readonly opts: {
      settings: AppSettingsFile;
      /** Opens a Studio on a folder (with this switcher as its `projects`). */
      openStudio: (dir: string, projects: ServedProjects) => Promise<Studio>;
      home?: string;
      /** Hears the note of a lock taken over while opening (a copied folder, a crashed process). */
      onNote?: (note: string) => void;
    },
  ) {
    this.home = opts.home ?? os.homedir();
  }

  get current(): Studio {
    if (!this.studio) throw new Error('no project is open');
    return this.studio;
  }

  /** Opens the first project (the one `storyreel serve` was given). */
  async start(dir: string): Promise<Studio> {
    this.studio = await this.opts.openStudio(dir, this);
    this.remember(this.studio.session.dir);
    return this.studio;
  }

  /** Called with each newly opened Studio (the host serves it from then on). */
  follow(onSwitch: (next: Studio) => void): void {
    this.onSwitch = onSwitch;
  }

  private remember(dir: string): void {
    this.opts.settings.addRecentProject(path.resolve(dir));
  }

  private entry(dir: string, name: string): RecentProject {
    return { path: displayPath(dir, this.home), name };
  }

  async recent(): Promise<MethodOutput<'projects.recent'>> {
    const current = path.resolve(this.current.session.dir);
    const recent: RecentProject[] = [];
    for (const dir of this.opts.settings.recentProjects) {
      // Moved or deleted projects, and any outside home, are left out of the list.
      if (dir === current || !(await looksLikeProject(dir)) || !(await folderInHome(dir, this.home).then(() => true, () => false))) continue;
      recent.push(this.entry(dir, await projectName(dir)));
    }
    return { home: this.home, current: displayPath(current, this.home), recent };
  }

  /** One switch at a time: two clicks (or two tabs) cannot open two projects over each other. */
  open(input: string): Promise<RecentProject> {
    const run = this.switching.then(() => this.doOpen(input));
    this.switching = run.catch(() => {});
    return run;
  }

  private async doOpen(input: string): Promise<RecentProject> {
    const dir = await folderInHome(input, this.home);
    const previous = this.current;
    if (dir === (await fs.realpath(previous.session.dir).catch(() => previous.session.dir))) return this.entry(dir, previous.session.current.name);
    if (!(await looksLikeProject(dir))) {
      throw new StudioError('NOT_FOUND', `${displayPath(dir, this.home)} is not a Storyreel project (it has no project.json). The open project stays open; choose a folder such as Lighthouse.storyreel.`);
    }
    // Opening takes the new project's lock: when it is busy or cannot be read, nothing changes here.
    const next = await this.opts.openStudio(dir, this);
    if (next.lockNote) this.opts.onNote?.(next.lockNote);
    this.studio = next;
    this.onSwitch(next);
    this.remember(dir);
    await previous.close().catch((err: Error) => console.error(`storyreel: closing ${previous.session.dir} failed: ${err.message}`));
    return this.entry(dir, next.session.current.name);
  }

  async create(name: string, folder: string): Promise<RecentProject> {
    const parent = await folderInHome(folder, this.home);
    const dir = path.join(parent, projectFolderName(name));
    if (await fs.stat(dir).then(() => true, () => false)) {
      throw new StudioError('PROJECT_EXISTS', `${displayPath(dir, this.home)} already exists. Nothing was created; open it with Open…, or choose another name.`);
    }
    await createProjectFolder(dir, newProject(name.trim()));
    return this.open(dir);
  }
}

async function projectName(dir: string): Promise<string> {
  try {
    const doc = JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8')) as { name?: unknown };
    if (typeof doc.name === 'string' && doc.name) return doc.name;
  } catch {
    /* the folder name will do */
  }
  return path.basename(dir).replace(/\.storyreel$/i, '');
}
