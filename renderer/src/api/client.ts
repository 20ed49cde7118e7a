// Picks the transport: the Electron preload bridge when present, otherwise the browser host's WebSocket.
import type { StudioClient } from '../../../shared/api';
import { StudioError } from '../../../shared/errors';
import type { PreloadBridge } from '../../../shared/transport';
import type { ConnectionSource } from './connection';
import { PreloadClient } from './preload-client';
import { WsClient } from './ws-client';

export type AppClient = StudioClient &
  ConnectionSource & {
    retryNow?: () => void;
    /** Makes a dropped file reachable by the core: its path (desktop) or an upload into the project (browser). */
    stageFile(file: File): Promise<string>;
  };

declare global {
  interface Window {
    storyreel?: PreloadBridge;
  }
}

export function createClient(win: Window = window): AppClient {
  if (win.storyreel) return new PreloadClient(win.storyreel);
  const token = new URLSearchParams(win.location.search).get('token') ?? '';
  const scheme = win.location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${win.location.host}/api?token=${encodeURIComponent(token)}`;
  if (!token) return new RefusedClient();
  return new WsClient({ url, token });
}

/** A page opened without its token can never connect; say so instead of retrying forever. */
class RefusedClient implements AppClient {
  private readonly reason =
    'This page was opened without its access token. Open the full address that `storyreel serve` printed (it ends in ?token=…).';
  invoke(): Promise<never> {
    return Promise.reject(new StudioError('FORBIDDEN', this.reason));
  }
  on(): () => void {
    return () => {};
  }
  mediaUrl(): string {
    return '';
  }
  stageFile(): Promise<never> {
    return Promise.reject(new StudioError('FORBIDDEN', this.reason));
  }
  connection() {
    return { status: 'refused' as const, reason: this.reason };
  }
  onConnection(): () => void {
    return () => {};
  }
}
