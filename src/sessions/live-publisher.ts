// Pushes a recording's cast lines live to the team server over a WebSocket, as the recording worker
// encodes them (after the redactor: the same bytes as terminal.cast, each frame with its offset in
// the file). It never holds the recording back: frames wait in a small queue and are dropped when the
// socket is down or backed up; the server fills such a gap from the by-offset upload, which stays the
// source of truth. It reconnects by itself and says nothing; the session reports once at its end.

import WebSocket from 'ws';
import { encodeFrame, liveUrl } from '../api/live-frames.js';

export interface LiveTarget {
  /** The team server, http(s)://host:port. */
  url: string;
  token: string;
  projectId: string;
  sessionId: string;
}

export interface LiveSummary {
  /** Whether a connection to the server was ever open. */
  connected: boolean;
  /** The last failure, when it never was. */
  error: string | null;
  /** Frames left out while the socket was down or backed up (the upload carries them). */
  droppedFrames: number;
}

// More than this waiting in the socket or the queue: frames are dropped, never queued further.
const MAX_BUFFERED_BYTES = 1024 * 1024;
const FIRST_RETRY_MS = 200;
const LAST_RETRY_MS = 3000;
// At the end, the last frames get this long to leave before the socket is closed anyway.
const END_GRACE_MS = 1500;

export class LivePublisher {
  private socket: WebSocket | null = null;
  private open = false;
  private header: Buffer | null = null;
  // Lines gathered since the last send: one frame per turn of the event loop.
  private pending: Buffer[] = [];
  private pendingOffset = 0;
  private pendingBytes = 0;
  private sendScheduled = false;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | null = null;
  private ended = false;
  // The offset after the last byte the writer encoded: where the stream stands, sent or not.
  private streamEnd = 0;
  private readonly summary: LiveSummary = { connected: false, error: null, droppedFrames: 0 };

  constructor(private readonly target: LiveTarget) {
    this.connect();
  }

  /** Lines of the cast as the writer encoded them, at their offset in the file (the header at 0). */
  push(lines: Buffer, offset: number): void {
    if (this.ended) return;
    if (offset === 0) this.header = lines;
    this.streamEnd = offset + lines.length;
    const contiguous = this.pending.length > 0 && this.pendingOffset + this.pendingBytes === offset;
    if (this.pending.length > 0 && !contiguous) this.sendPending();
    if (!this.open || this.backedUp(lines.length)) {
      this.summary.droppedFrames++;
      return;
    }
    if (this.pending.length === 0) this.pendingOffset = offset;
    this.pending.push(lines);
    this.pendingBytes += lines.length;
    if (!this.sendScheduled) {
      this.sendScheduled = true;
      setImmediate(() => this.sendPending());
    }
  }

  /** Sends what is queued, says the recording ended, and closes (bounded in time). */
  async end(): Promise<LiveSummary> {
    if (this.ended) return this.summary;
    this.sendPending();
    this.ended = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const socket = this.socket;
    if (socket && this.open) {
      // Where the stream ends: frames dropped at its end (the socket backed up) are then a gap the
      // server reads from the upload before it tells the watchers the session ended.
      socket.send(encodeFrame(this.streamEnd, Buffer.alloc(0)));
      socket.send(JSON.stringify({ type: 'end' }));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          socket.terminate();
          resolve();
        }, END_GRACE_MS);
        socket.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        socket.close(1000, 'recording ended');
      });
    } else socket?.terminate();
    return this.summary;
  }

  private backedUp(adding: number): boolean {
    const queued = (this.socket?.bufferedAmount ?? 0) + this.pendingBytes + adding;
    return queued > MAX_BUFFERED_BYTES;
  }

  private sendPending(): void {
    this.sendScheduled = false;
    if (this.pending.length === 0) return;
    const lines =
      this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    const offset = this.pendingOffset;
    this.pending = [];
    this.pendingBytes = 0;
    if (!this.open || !this.socket) {
      this.summary.droppedFrames++;
      return;
    }
    this.socket.send(encodeFrame(offset, lines));
  }

  private connect(): void {
    if (this.ended) return;
    const socket = new WebSocket(
      liveUrl(this.target.url, this.target.projectId, this.target.sessionId, '/publish'),
      {
        headers: { authorization: `Bearer ${this.target.token}` },
        handshakeTimeout: 10_000,
        perMessageDeflate: false,
      },
    );
    this.socket = socket;
    socket.on('open', () => {
      this.open = true;
      this.summary.connected = true;
      this.summary.error = null;
      this.retryMs = FIRST_RETRY_MS;
      // The server learns the terminal's size and the session's start from the header, on every
      // connection, and where the stream stands (an empty frame at its end): what it missed while this
      // socket was down, it reads from the upload.
      if (this.header) socket.send(encodeFrame(0, this.header));
      if (this.streamEnd > (this.header?.length ?? 0))
        socket.send(encodeFrame(this.streamEnd, Buffer.alloc(0)));
    });
    let refused = false;
    socket.on('unexpected-response', (_request, response) => {
      refused = true;
      this.summary.error = `the server answered ${response.statusCode}`;
      response.resume();
      socket.terminate();
    });
    socket.on('error', (error) => {
      // The refusal says more than the error that closing the refused socket brings.
      if (!this.summary.connected && !refused) this.summary.error = error.message;
    });
    socket.on('close', () => {
      this.open = false;
      if (this.socket === socket) this.socket = null;
      if (this.ended) return;
      this.retryTimer = setTimeout(() => this.connect(), this.retryMs);
      this.retryTimer.unref();
      this.retryMs = Math.min(LAST_RETRY_MS, this.retryMs * 2);
    });
  }
}
