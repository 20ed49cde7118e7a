// New project / Open… from the studio itself (the browser host); elsewhere projects are chosen by the
// desktop app's menu or the CLI, and these methods say so.
import { StudioError } from '../../../shared/errors';
import type { ProjectSwitcher } from '../host/projects';
import type { Handlers } from './handlers';

export function projectHandlers(projects: ProjectSwitcher | undefined) {
  const switcher = (): ProjectSwitcher => {
    if (projects) return projects;
    throw new StudioError('FORBIDDEN', 'Projects are not opened from here: use File › New Project… / Open Project… in the desktop app, or storyreel serve <folder>.');
  };
  return {
    'projects.recent': () => switcher().recent(),
    'projects.open': ({ path: dir }) => switcher().open(dir),
    'projects.create': ({ name, folder }) => switcher().create(name, folder),
  } satisfies Partial<Handlers>;
}
