// StudioClient over the Electron preload bridge (window.storyreel). Errors travel as data in an Envelope
// because ipcRenderer.invoke drops custom error fields.
import type { EventMap, EventName, MethodInput, MethodName, MethodOutput, StudioClient } from '../../../shared/api';
import { deserializeError, StudioError } from '../../../shared/errors';
import type { PreloadBridge } from '../../../shared/transport';
import type { ConnectionSource, ConnectionState } from './connection';
import { desktopMediaUrl } from './media-url';

export class PreloadClient implements StudioClient, ConnectionSource {
  constructor(private readonly bridge: PreloadBridge) {}

  async invoke<M extends MethodName>(method: M, input?: MethodInput<M>): Promise<MethodOutput<M>> {
    const envelope = await this.bridge.invoke(method, input ?? {});
    if (!envelope.ok) throw deserializeError(envelope.error);
    return envelope.result as MethodOutput<M>;
  }

  on<E extends EventName>(event: E, cb: (payload: EventMap[E]) => void): () => void {
    return this.bridge.on(event, (payload) => cb(payload as EventMap[E]));
  }

  mediaUrl(relPath: string, cacheKey?: string): string {
    return desktopMediaUrl(relPath, cacheKey);
  }

  async stageFile(file: File): Promise<string> {
    const path = this.bridge.pathForFile?.(file) ?? '';
    if (!path) throw new StudioError('INVALID_INPUT', `${file.name} has no place on disk Storyreel can read; save it to a folder first, then drop it again.`);
    return path;
  }

  connection(): ConnectionState {
    return { status: 'open' };
  }

  onConnection(): () => void {
    return () => {};
  }
}
