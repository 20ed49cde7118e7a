// Connection state of a transport, for the "reconnecting" banner. The Electron bridge is always connected.
export type ConnectionState =
  | { status: 'connecting' }
  | { status: 'open' }
  | { status: 'closed'; retryInMs: number; attempt: number; reason?: string }
  | { status: 'refused'; reason: string };

export interface ConnectionSource {
  connection(): ConnectionState;
  /** Calls cb on every change; returns an unsubscribe function. */
  onConnection(cb: (state: ConnectionState) => void): () => void;
}
