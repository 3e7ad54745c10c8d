// What the server processes of one team share about live sessions: the cast lines a publisher sends
// to one process reach the others (PostgreSQL's LISTEN/NOTIFY), with a heartbeat per live session
// and its end. Best effort: a lost message is a gap, which a process fills from the session's upload.

export type LiveRelayMessage =
  /** Cast lines at `offset` of the session's terminal.cast (a piece may cut a line). */
  | { kind: 'frame'; project: string; session: string; offset: number; lines: Uint8Array }
  /** A process holds the session's publisher now; `next` is the offset after its last byte. */
  | { kind: 'beat'; project: string; session: string; next: number }
  | { kind: 'end'; project: string; session: string }
  /** A process has watchers of the session: its bytes are relayed only while someone wants them. */
  | { kind: 'want'; project: string; session: string };

export interface LiveRelay {
  /** Sends to every other process; never waits, drops when too much is queued. */
  publish(message: LiveRelayMessage): void;
  /** Messages from the other processes (never this one's own). */
  onMessage(handler: (message: LiveRelayMessage) => void): void;
  close(): Promise<void>;
}
