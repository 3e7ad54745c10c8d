// The recording of a session's terminal: bytes in, decoded and redacted, out as asciicast events in
// the order they happened. Runs in the recording worker (see recording-worker.ts), or in-thread where
// there is no worker to start.

import { AsciicastWriter, type CastHeaderInput } from '../../recorders/terminal/asciicast-writer.js';
import type { RedactCounts } from '../redact/index.js';
import type { LivePublisher, LiveSummary, LiveTarget } from './live-publisher.js';
import { SessionRedaction } from './session-redaction.js';

/** One thing that happened at the terminal, `at` seconds after the start, in the order of the stream. */
export type RecordingEvent =
  | { type: 'output' | 'input'; at: number; data: Uint8Array }
  | { type: 'resize'; at: number; cols: number; rows: number }
  | { type: 'marker'; at: number; label: string };

export interface RedactedCastOptions {
  castPath: string;
  header: CastHeaderInput;
  /** The program's environment: its secret-named variables' values are redacted too. */
  env: NodeJS.ProcessEnv;
  /** Epoch milliseconds of the start; the clock is performance.timeOrigin + performance.now(). */
  startedAt: number;
  /** With a team server: where the cast's lines are pushed live as they are encoded. */
  live?: LiveTarget;
}

/** Held-back text (the start of what may be a token) is written anyway after this long without output. */
const IDLE_FLUSH_MS = 1000;
/**
 * Bytes decoded, redacted and encoded at a time. Below V8's large-object size (128 KB) every string of
 * the way is a young one that dies young: larger pieces cost a page-faulted large object per copy and
 * frequent full collections, more CPU than the redactor itself.
 */
const PIECE_BYTES = 32 * 1024;

/** The buffers holding the bytes of a batch's events (one each: see joinChunks in session-recording.ts). */
export function dataBuffers(events: readonly RecordingEvent[]): ArrayBuffer[] {
  return events.flatMap((event) => ('data' in event ? [event.data.buffer as ArrayBuffer] : []));
}

export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

export class RedactedCast {
  private lastOutputAt = 0;
  private readonly idleTimer: NodeJS.Timeout;

  private constructor(
    private readonly cast: AsciicastWriter,
    private readonly redaction: SessionRedaction,
    private readonly startedAt: number,
    private readonly live: LivePublisher | null,
  ) {
    this.idleTimer = setInterval(() => this.flushIdle(), IDLE_FLUSH_MS / 2);
    this.idleTimer.unref();
  }

  static async open(options: RedactedCastOptions): Promise<RedactedCast> {
    // Loaded only for a session with a team server: ws stays out of every other recording.
    const live = options.live ? new (await import('./live-publisher.js')).LivePublisher(options.live) : null;
    const cast = await AsciicastWriter.open(options.castPath, options.header, {
      now: epochNow,
      startedAt: options.startedAt,
      ...(live && { onLines: (lines: Buffer, offset: number) => live.push(lines, offset) }),
    }).catch(async (error: unknown) => {
      await live?.end();
      throw error;
    });
    return new RedactedCast(cast, new SessionRedaction(options.env), options.startedAt, live);
  }

  /** How the live copy went (null without a team server); known once close() has returned. */
  liveSummary: LiveSummary | null = null;

  record(event: RecordingEvent): void {
    switch (event.type) {
      case 'output':
        this.lastOutputAt = epochNow();
        for (const piece of pieces(event.data)) {
          this.cast.output(this.redaction.stream('output', piece), event.at);
        }
        break;
      case 'input':
        for (const piece of pieces(event.data)) {
          this.cast.input(this.redaction.stream('input', piece), event.at);
        }
        break;
      case 'resize':
        this.cast.resize(event.cols, event.rows, event.at);
        break;
      case 'marker':
        this.cast.marker(event.label, event.at);
        break;
    }
  }

  /** True while the cast's disk writes lag so far behind that the source should wait for drained(). */
  isFull(): boolean {
    return this.cast.isFull();
  }

  drained(): Promise<void> {
    return this.cast.drained();
  }

  /** Writes what the redactor still holds, closes the file; the counts of the terminal streams. */
  async close(): Promise<RedactCounts> {
    clearInterval(this.idleTimer);
    try {
      this.cast.output(this.redaction.endStream('output'));
      this.cast.input(this.redaction.endStream('input'));
    } finally {
      await this.cast.close();
      if (this.live) this.liveSummary = await this.live.end();
    }
    return this.redaction.totals();
  }

  // A prompt that ends in what looks like the start of a token ("ghp_") must still reach the recording
  // while the program waits for an answer: the redactor's time bound.
  private flushIdle(): void {
    if (this.lastOutputAt === 0 || epochNow() - this.lastOutputAt < IDLE_FLUSH_MS) return;
    this.lastOutputAt = 0;
    const held = this.redaction.flushStream('output');
    if (held !== '') this.cast.output(held);
  }
}

function* pieces(data: Uint8Array): Generator<Buffer> {
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.length <= PIECE_BYTES) yield bytes;
  else for (let at = 0; at < bytes.length; at += PIECE_BYTES) yield bytes.subarray(at, at + PIECE_BYTES);
}
