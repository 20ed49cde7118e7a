// The only bridge between the sandboxed page and the main process. It exposes exactly
// window.storyreel = { invoke(method, input), on(event, cb) } and refuses any method or event name that is
// not in the contract (shared/api.ts). The main process validates again; this just keeps the surface small.
// Bundled to CommonJS: sandboxed preloads cannot load ESM and may only require 'electron'. The contract's
// names arrive from the main process as switches (see contract-args.ts), so zod stays out of this bundle.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { IPC_EVENT, IPC_INVOKE, type Envelope, type PreloadBridge } from '../../shared/transport';
import { readContractArguments } from './contract-args';

const contract = readContractArguments(process.argv);
if (contract.methods.size === 0) console.error('storyreel: the preload received no contract names; every call will be refused.');
const isMethodName = (name: unknown): name is string => typeof name === 'string' && contract.methods.has(name);
const isEventName = (name: unknown): name is string => typeof name === 'string' && contract.events.has(name);

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

// One IPC listener for all subscriptions; the page never sees the IpcRendererEvent (it carries `sender`).
ipcRenderer.on(IPC_EVENT, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (typeof name !== 'string') return;
  for (const cb of listeners.get(name) ?? []) {
    try {
      cb(payload);
    } catch (err) {
      console.error(`storyreel: a listener for ${name} threw`, err);
    }
  }
});

const bridge: PreloadBridge = {
  invoke(method: string, input?: unknown): Promise<Envelope> {
    if (!isMethodName(method)) return Promise.reject(new Error(`storyreel: ${String(method).slice(0, 60)} is not a Storyreel method.`));
    return ipcRenderer.invoke(IPC_INVOKE, method, input) as Promise<Envelope>;
  },
  on(event: string, cb: (payload: unknown) => void): () => void {
    if (!isEventName(event)) throw new Error(`storyreel: ${String(event).slice(0, 60)} is not a Storyreel event.`);
    if (typeof cb !== 'function') throw new TypeError('storyreel: on(event, cb) needs a callback function.');
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    // Wrap, so subscribing the same function twice gives two independent subscriptions.
    const listener: Listener = (payload) => cb(payload);
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  },
  pathForFile(file: unknown): string {
    // Only a real dropped File has a path; anything else yields '' and the import is refused in main.
    return typeof File !== 'undefined' && file instanceof File ? webUtils.getPathForFile(file) : '';
  },
};

contextBridge.exposeInMainWorld('storyreel', bridge);
