// StudioClient over the browser host's WebSocket (frames in shared/transport.ts). Reconnects with
// jittered exponential backoff when the socket drops; calls made while it is down wait for the next
// connection instead of failing at once, so a debounced edit typed during a blip is not lost.
import type { EventMap, EventName, MethodInput, MethodName, MethodOutput, StudioClient } from '../../../shared/api';
import { isEventName } from '../../../shared/api';
import { StudioError, deserializeError } from '../../../shared/errors';
import type { ClientFrame, ServerFrame } from '../../../shared/transport';
import type { ConnectionSource, ConnectionState } from './connection';
import { EventHub } from './listeners';
import { hostMediaUrl } from './media-url';

export interface WsClientOptions {
  /** ws(s)://host/api?token=… */
  url: string;
  token: string;
  /** First retry delay; doubles per failed attempt up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** How long a call waits for a connection before it gives up. */
  offlineCallTimeoutMs?: number;
  /** Injected in tests. */
  createSocket?: (url: string) => WebSocket;
}

interface PendingCall {
  method: string;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

export class WsClient implements StudioClient, ConnectionSource {
  private readonly opts: Required<Omit<WsClientOptions, 'createSocket'>> & Pick<WsClientOptions, 'createSocket'>;
  private readonly hub = new EventHub();
  private readonly calls = new Map<number, PendingCall>();
  private readonly waitingForOpen = new Set<() => void>();
  private readonly connListeners = new Set<(s: ConnectionState) => void>();
  private socket: WebSocket | undefined;
  private state: ConnectionState = { status: 'connecting' };
  private nextId = 1;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: WsClientOptions) {
    this.opts = { initialDelayMs: 500, maxDelayMs: 10_000, offlineCallTimeoutMs: 30_000, ...options };
    this.connect();
  }

  connection(): ConnectionState {
    return this.state;
  }

  onConnection(cb: (state: ConnectionState) => void): () => void {
    this.connListeners.add(cb);
    return () => void this.connListeners.delete(cb);
  }

  on<E extends EventName>(event: E, cb: (payload: EventMap[E]) => void): () => void {
    return this.hub.on(event, cb);
  }

  mediaUrl(relPath: string, cacheKey?: string): string {
    return hostMediaUrl({ relPath, token: this.opts.token, cacheKey });
  }

  /** The browser cannot name a file on disk, so a dropped clip is uploaded into the project's cache/imports/. */
  async stageFile(file: File): Promise<string> {
    const query = `token=${encodeURIComponent(this.opts.token)}&name=${encodeURIComponent(file.name)}`;
    const res = await fetch(`/upload?${query}`, { method: 'POST', body: file });
    if (!res.ok) throw new StudioError('INVALID_INPUT', `${file.name} could not be handed to Storyreel (${res.status} ${await res.text()}). Nothing was imported.`);
    return ((await res.json()) as { path: string }).path;
  }

  async invoke<M extends MethodName>(method: M, input?: MethodInput<M>): Promise<MethodOutput<M>> {
    await this.whenOpen(method);
    const id = this.nextId++;
    const frame: ClientFrame = { id, method, input: input ?? {} };
    return new Promise<MethodOutput<M>>((resolve, reject) => {
      this.calls.set(id, { method, resolve: resolve as (v: unknown) => void, reject });
      try {
        this.socket!.send(JSON.stringify(frame));
      } catch (err) {
        this.calls.delete(id);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  /** Retry now instead of waiting out the backoff (the banner's "Retry now"). */
  retryNow(): void {
    if (this.state.status !== 'closed') return;
    clearTimeout(this.retryTimer);
    this.connect();
  }

  private whenOpen(method: string): Promise<void> {
    if (this.state.status === 'open' && this.socket?.readyState === WebSocket.OPEN) return Promise.resolve();
    if (this.state.status === 'refused') return Promise.reject(new StudioError('FORBIDDEN', this.state.reason));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waitingForOpen.delete(go);
        reject(
          new StudioError(
            'INTERNAL',
            `Storyreel is not reachable, so "${method}" was not sent. Check that \`storyreel serve\` is still running, then try again.`,
          ),
        );
      }, this.opts.offlineCallTimeoutMs);
      const go = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waitingForOpen.add(go);
    });
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    for (const cb of this.connListeners) cb(state);
  }

  private connect(): void {
    // While reconnecting the state stays `closed` (the banner stays up between attempts).
    if (this.state.status !== 'closed') this.setState({ status: 'connecting' });
    let socket: WebSocket;
    try {
      socket = this.opts.createSocket ? this.opts.createSocket(this.opts.url) : new WebSocket(this.opts.url);
    } catch (err) {
      this.scheduleRetry((err as Error).message);
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setState({ status: 'open' });
      for (const go of [...this.waitingForOpen]) go();
      this.waitingForOpen.clear();
    };
    socket.onmessage = (ev) => this.receive(ev.data);
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      // Calls in flight may or may not have been applied; the store resyncs from project.get on reconnect.
      for (const [id, call] of this.calls) {
        this.calls.delete(id);
        call.reject(
          new StudioError(
            'INTERNAL',
            `The connection to Storyreel dropped before "${call.method}" finished; it may or may not have been applied. Storyreel is reconnecting and will show the project as it is.`,
          ),
        );
      }
      this.scheduleRetry(ev.reason || undefined);
    };
  }

  private scheduleRetry(reason?: string): void {
    this.attempt += 1;
    const base = Math.min(this.opts.maxDelayMs, this.opts.initialDelayMs * 2 ** (this.attempt - 1));
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    this.setState({ status: 'closed', retryInMs: delay, attempt: this.attempt, ...(reason ? { reason } : {}) });
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private receive(data: unknown): void {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(String(data)) as ServerFrame;
    } catch {
      console.error('storyreel: ignored a malformed frame from the host');
      return;
    }
    if ('event' in frame) {
      if (isEventName(frame.event)) this.hub.emit(frame.event, frame.payload);
      return;
    }
    const call = this.calls.get(frame.id);
    if (!call) return;
    this.calls.delete(frame.id);
    if (frame.ok) call.resolve(frame.result);
    else call.reject(deserializeError(frame.error));
  }
}
