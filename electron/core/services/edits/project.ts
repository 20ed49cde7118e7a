// The document as a whole: its state, undo/redo, its name and its settings.
import type { ProjectSession } from '../../project/session';
import type { Handlers } from '../handlers';

export function projectEdits(session: ProjectSession) {
  return {
    'project.get': () => session.state(),
    'project.undo': () => session.undo(),
    'project.redo': () => session.redo(),
    'project.rename': ({ name }) => session.edit('Rename project', (p) => void (p.name = name)),
    'settings.update': ({ patch }) =>
      session.edit(
        `Change ${Object.keys(patch).join(', ')}`,
        (p) => {
          const { budgetUsd, shotDefaults, ...rest } = patch;
          Object.assign(p.settings, rest);
          if (shotDefaults) Object.assign(p.settings.shotDefaults, shotDefaults);
          if (budgetUsd === null) delete p.settings.budgetUsd;
          else if (budgetUsd !== undefined) p.settings.budgetUsd = budgetUsd;
        },
        `settings:${Object.keys(patch).sort().join(',')}`,
      ),
  } satisfies Partial<Handlers>;
}
