// The recording of a session's terminal: bytes in, decoded and redacted, out as asciicast events in
// the order they happened. Runs in the recording worker (see recording-worker.ts), or in-thread where
// there is no worker to start.

import { AsciicastWriter, type CastHeaderInput } from '../../recorders/terminal/asciicast-writer.js';
import { fastCast } from '../native/fast-cast.js';
import { CleanRuns } from '../redact/clean-runs.js';
import type { RedactCounts } from '../redact/index.js';
import type { LivePublisher, LiveSummary, LiveTarget } from './live-publisher.js';
import { SessionRedaction } from './session-redaction.js';
import { StreamRuns } from './stream-runs.js';

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
  /** Whether output the redactor has nothing to do with may skip it (with the native addon); yes by default. */
  fastPath?: boolean;
}

/** Held-back text (the start of what may be a token) is written anyway after this long without output. */
const IDLE_FLUSH_MS = 1000;
/** The buffers holding the bytes of a batch's events, each once (the runs of a batch share one). */
export function dataBuffers(events: readonly RecordingEvent[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const event of events) if ('data' in event) buffers.add(event.data.buffer as ArrayBuffer);
  return [...buffers];
}

export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

export class RedactedCast {
  private lastOutputAt = 0;
  private readonly idleTimer: NodeJS.Timeout;
  private readonly output: StreamRuns;
  private readonly input: StreamRuns;

  private constructor(
    private readonly cast: AsciicastWriter,
    private readonly redaction: SessionRedaction,
    private readonly live: LivePublisher | null,
    cleanRuns: CleanRuns | null,
  ) {
    this.idleTimer = setInterval(() => this.flushIdle(), IDLE_FLUSH_MS / 2);
    this.idleTimer.unref();
    this.output = new StreamRuns(
      {
        redact: (text, at) => cast.output(redaction.streamText('output', text), at),
        maySkip: () => redaction.maySkip('output'),
        pass: (bytes, start, end, tail, at) => {
          cast.outputUtf8(bytes, start, end, at);
          redaction.passed('output', tail);
        },
      },
      cleanRuns,
    );
    // Keystrokes are few: they always go through the redactor.
    this.input = new StreamRuns(
      {
        redact: (text, at) => cast.input(redaction.streamText('input', text), at),
        maySkip: () => false,
        pass: () => {},
      },
      null,
    );
  }

  static async open(options: RedactedCastOptions): Promise<RedactedCast> {
    // Loaded only for a session with a team server: ws stays out of every other recording.
    const live = options.live ? new (await import('./live-publisher.js')).LivePublisher(options.live) : null;
    const native = options.fastPath === false ? null : fastCast();
    const cast = await AsciicastWriter.open(options.castPath, options.header, {
      now: epochNow,
      startedAt: options.startedAt,
      ...(live && { onLines: (lines: Buffer, offset: number) => live.push(lines, offset) }),
      ...(native && { escapeJson: native.escapeJson, startWriteback: native.startWriteback }),
    }).catch(async (error: unknown) => {
      await live?.end();
      throw error;
    });
    const redaction = new SessionRedaction(options.env);
    const cleanRuns = native ? new CleanRuns(native, redaction.options) : null;
    return new RedactedCast(cast, redaction, live, cleanRuns);
  }

  /** How the live copy went (null without a team server); known once close() has returned. */
  liveSummary: LiveSummary | null = null;

  record(event: RecordingEvent): void {
    switch (event.type) {
      case 'output':
        this.lastOutputAt = epochNow();
        this.output.add(asBuffer(event.data), event.at);
        break;
      case 'input':
        this.input.add(asBuffer(event.data), event.at);
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
      this.output.end();
      this.input.end();
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

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
