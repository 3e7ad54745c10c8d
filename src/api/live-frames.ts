// The live protocol's messages, between `sdd run` (the publisher), the server and `sdd watch`.
// Binary messages are cast bytes: an 8-byte offset in terminal.cast (float64, exact below 2^53), then
// the bytes of the file from there (whole lines from a publisher; any cut after a gap fill). Text
// messages are JSON: the publisher's end, the server's snapshot of the screen, and the session's end.

/** Watchers closed with this code were too slow: reconnect without `from` for a fresh snapshot. */
export const CLOSE_TOO_SLOW = 4001;
/** The server is stopping: reconnect (with `from`) and carry on. */
export const CLOSE_RESTART = 1012;

export const FRAME_OFFSET_BYTES = 8;

/** Publisher → server, text. */
export interface PublisherEnd {
  type: 'end';
}

/** Server → watcher, text. */
export type WatcherMessage =
  | {
      type: 'snapshot';
      session: string;
      cols: number;
      rows: number;
      /** Escape sequences that draw the screen into a fresh terminal of that size. */
      screen: string;
      /** The cast offset the screen stands at: the binary messages after it start there. */
      offset: number;
    }
  | { type: 'end'; reason: 'finished' | 'lost' };

export function encodeFrame(offset: number, lines: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_OFFSET_BYTES + lines.length);
  frame.writeDoubleBE(offset, 0);
  frame.set(lines, FRAME_OFFSET_BYTES);
  return frame;
}

export function decodeFrame(frame: Buffer): { offset: number; lines: Buffer } | null {
  if (frame.length < FRAME_OFFSET_BYTES) return null;
  const offset = frame.readDoubleBE(0);
  if (!Number.isSafeInteger(offset) || offset < 0) return null;
  return { offset, lines: frame.subarray(FRAME_OFFSET_BYTES) };
}

/** The WebSocket URL of a session's live route: http://h:p → ws://h:p/api/v1/projects/P/sessions/S/live… */
export function liveUrl(server: string, projectId: string, sessionId: string, rest = ''): string {
  const base = new URL(server);
  base.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  base.pathname = `${base.pathname.replace(/\/$/, '')}/api/v1/projects/${encodeURIComponent(projectId)}/sessions/${encodeURIComponent(sessionId)}/live${rest}`;
  return base.toString();
}
