// The application menu. Small on purpose: the studio's own commands live in the UI (with their shortcuts);
// the menu carries what only the shell can do (open a folder, quit) and the standard editing roles that
// text fields need on macOS. Roles only act when the page did not handle the key itself.
import { app, Menu, type MenuItemConstructorOptions } from 'electron';
import path from 'node:path';

export interface MenuActions {
  newProject: () => void;
  openProject: () => void;
  openRecent: (dir: string) => void;
  showProjectFolder: () => void;
  about: () => void;
}

export function buildMenu(actions: MenuActions, recent: readonly string[]): Menu {
  const isMac = process.platform === 'darwin';
  const dev = !app.isPackaged;

  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'New Project…', accelerator: 'CmdOrCtrl+N', click: () => actions.newProject() },
      { label: 'Open Project…', accelerator: 'CmdOrCtrl+O', click: () => actions.openProject() },
      {
        label: 'Open Recent',
        enabled: recent.length > 0,
        submenu: recent.map((dir) => ({ label: `${path.basename(dir)} — ${path.dirname(dir)}`, click: () => actions.openRecent(dir) })),
      },
      { type: 'separator' },
      { label: isMac ? 'Show Project in Finder' : 'Show Project Folder', click: () => actions.showProjectFolder() },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };

  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'delete' },
      { type: 'separator' },
      { role: 'selectAll' },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...(dev ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const) : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };

  const help: MenuItemConstructorOptions = {
    label: 'Help',
    role: 'help',
    submenu: [{ label: 'About Storyreel', click: () => actions.about() }],
  };

  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    file,
    edit,
    view,
    ...(isMac ? [{ role: 'windowMenu' } as MenuItemConstructorOptions] : []),
    help,
  ];
  return Menu.buildFromTemplate(template);
}
