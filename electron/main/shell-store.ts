// What the desktop shell remembers between runs: recently opened projects and the window's bounds.
// Project content never goes here; it lives in the project folder.
import { app } from 'electron';
import Conf from 'conf';
import path from 'node:path';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized?: boolean;
}

interface ShellState {
  recentProjects: string[];
  windowBounds?: WindowBounds;
}

const MAX_RECENT = 10;

export class ShellStore {
  private readonly store: Conf<ShellState>;

  constructor() {
    // The same file electron-store wrote (userData/shell.json), so the recent projects of earlier versions stay.
    this.store = new Conf<ShellState>({
      cwd: app.getPath('userData'),
      configName: 'shell',
      defaults: { recentProjects: [] },
      // A damaged settings file must not keep the app from starting: start over with the defaults.
      clearInvalidConfig: true,
    });
  }

  recentProjects(): string[] {
    const list = this.store.get('recentProjects');
    return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string' && path.isAbsolute(p)) : [];
  }

  addRecent(dir: string): void {
    const abs = path.resolve(dir);
    this.store.set('recentProjects', [abs, ...this.recentProjects().filter((p) => p !== abs)].slice(0, MAX_RECENT));
  }

  removeRecent(dir: string): void {
    const abs = path.resolve(dir);
    this.store.set('recentProjects', this.recentProjects().filter((p) => p !== abs));
  }

  windowBounds(): WindowBounds | undefined {
    const b = this.store.get('windowBounds');
    if (!b || typeof b.width !== 'number' || typeof b.height !== 'number') return undefined;
    return b;
  }

  saveWindowBounds(bounds: WindowBounds): void {
    this.store.set('windowBounds', bounds);
  }
}
