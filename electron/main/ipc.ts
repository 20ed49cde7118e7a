// The IPC side of the contract: one invoke channel that hands every call to studio.dispatch (which validates
// the method name and the input against shared/api.ts), and one event channel for the core's events.
import { ipcMain, type BrowserWindow } from 'electron';
import type { Studio } from '../core/api';
import { serializeError } from '../../shared/errors';
import { IPC_EVENT, IPC_INVOKE, type Envelope } from '../../shared/transport';
import { isAppUrl, isTrustedSender } from './security';

export interface IpcTargets {
  window: () => BrowserWindow | undefined;
  studio: () => Studio | undefined;
}

export function handleInvoke(targets: IpcTargets): void {
  ipcMain.handle(IPC_INVOKE, async (event, method: unknown, input: unknown): Promise<Envelope> => {
    if (!isTrustedSender(event, targets.window())) {
      const from = event.senderFrame?.url ?? 'an unknown frame';
      console.warn(`storyreel: refused IPC call ${String(method).slice(0, 60)} from ${from.slice(0, 200)}`);
      return { ok: false, error: { code: 'FORBIDDEN', message: 'This page may not talk to the Storyreel core.' } };
    }
    const studio = targets.studio();
    if (!studio) {
      return { ok: false, error: { code: 'NOT_FOUND', message: 'No project is open yet. Use File › Open Project… to open one.' } };
    }
    try {
      return { ok: true, result: await studio.dispatch(method, input) };
    } catch (err) {
      const error = serializeError(err);
      if (error.code === 'INTERNAL') console.error(`storyreel: ${String(method).slice(0, 60)} failed:`, err);
      return { ok: false, error };
    }
  });
}

/** Forwards every core event of this studio to the window, for as long as it is the open one. */
export function forwardEvents(studio: Studio, targets: IpcTargets): void {
  studio.on('event', (name, payload) => {
    if (targets.studio() !== studio) return;
    const win = targets.window();
    if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return;
    if (!isAppUrl(win.webContents.getURL())) return; // only our own page ever receives core events
    win.webContents.send(IPC_EVENT, name, payload);
  });
}
