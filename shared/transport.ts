// Wire shapes shared by both transports (Electron IPC and the browser host's WebSocket).
import type { SerializedError } from './errors';

/** Result of one call. Electron's ipcRenderer.invoke drops custom error fields, so errors travel as data. */
export type Envelope = { ok: true; result: unknown } | { ok: false; error: SerializedError };

/** Browser host WebSocket frames. */
export type ClientFrame = { id: number; method: string; input?: unknown };
export type ServerFrame = ({ id: number } & Envelope) | { event: string; payload: unknown };

/** The object the Electron preload exposes as window.storyreel. */
export interface PreloadBridge {
  invoke(method: string, input?: unknown): Promise<Envelope>;
  on(event: string, cb: (payload: unknown) => void): () => void;
  /** The file system path of a file dropped on the page (Electron's webUtils), for takes.import. */
  pathForFile?(file: unknown): string;
}

export const IPC_INVOKE = 'storyreel:invoke';
export const IPC_EVENT = 'storyreel:event';
/** Desktop media URLs: storyreel-media://project/<project-relative path>. */
export const MEDIA_SCHEME = 'storyreel-media';
export const APP_SCHEME = 'app';
