// One `sdd watch` connection as the server sees it: frames go out as they are applied, held while its
// snapshot is taken; a watcher that does not keep up (its socket backs up) is closed with a reason,
// never waited for, and reconnects for a fresh snapshot.

import type WebSocket from 'ws';
import { CLOSE_TOO_SLOW, encodeFrame, type WatcherMessage } from '../../api/live-frames.js';
import type { TerminalSnapshot } from '../../replay/virtual-terminal.js';

/** Queued for one watcher (in its socket, or held behind its snapshot) before it is dropped. */
export const SLOW_WATCHER_BYTES = 4 * 1024 * 1024;

export class LiveWatcher {
  private held: Buffer[] | null = null;
  private heldBytes = 0;
  private closed = false;
  /** An end that came while the snapshot was being taken: it goes after the snapshot and its frames. */
  private endAfterSnapshot: 'finished' | 'lost' | null = null;

  constructor(
    private readonly socket: WebSocket,
    private readonly session: string,
    private readonly onClose: () => void,
  ) {
    socket.once('close', () => {
      this.closed = true;
      onClose();
    });
  }

  /** Frames from now on wait until snapshot() has been sent. */
  hold(): void {
    this.held ??= [];
  }

  snapshot(snapshot: TerminalSnapshot & { offset: number }): void {
    if (this.closed) return;
    const message: WatcherMessage = {
      type: 'snapshot',
      session: this.session,
      cols: snapshot.cols,
      rows: snapshot.rows,
      screen: snapshot.screen,
      offset: snapshot.offset,
    };
    this.socket.send(JSON.stringify(message));
    const held = this.held ?? [];
    this.held = null;
    this.heldBytes = 0;
    for (const frame of held) this.socket.send(frame);
    if (this.endAfterSnapshot) this.end(this.endAfterSnapshot);
  }

  frame(offset: number, lines: Buffer, encoded?: Buffer): void {
    if (this.closed) return;
    const frame = encoded ?? encodeFrame(offset, lines);
    if (this.held) {
      this.held.push(frame);
      this.heldBytes += frame.length;
      if (this.heldBytes > SLOW_WATCHER_BYTES) this.drop();
      return;
    }
    if (this.socket.bufferedAmount > SLOW_WATCHER_BYTES) {
      this.drop();
      return;
    }
    this.socket.send(frame);
  }

  end(reason: 'finished' | 'lost'): void {
    if (this.closed) return;
    // A watcher that joined just before the end still gets the last screen, then the end.
    if (this.held) {
      this.endAfterSnapshot = reason;
      return;
    }
    this.closed = true;
    const message: WatcherMessage = { type: 'end', reason };
    this.socket.send(JSON.stringify(message));
    this.socket.close(1000, reason === 'finished' ? 'the session ended' : 'the session stopped publishing');
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close(code, reason);
  }

  private drop(): void {
    this.closed = true;
    this.held = null;
    // close() would wait behind the backlog: the socket goes at once, with the reason in the close frame.
    this.socket.close(CLOSE_TOO_SLOW, 'too slow: reconnect for a fresh screen');
    setTimeout(() => this.socket.terminate(), 1000).unref();
    this.onClose();
  }
}
