// The session's terminal recording as the PTY side sees it: events stamped as they happen, batched and
// handed to the recording worker, which redacts and writes them. Costs the PTY side a copy of each
// chunk (into the batch's buffer, as it comes) and a message per batch; holds the program back
// (isFull/drained) when the worker falls far behind.

import type { Worker } from 'node:worker_threads';
import type { CastHeaderInput } from '../../recorders/terminal/asciicast-writer.js';
import type { RedactCounts } from '../redact/index.js';
import type { LiveSummary, LiveTarget } from './live-publisher.js';
import type { FromWorker, ToWorker } from './recording-worker.js';
import { RecordingWorker } from './recording-worker-start.js';
import { dataBuffers, epochNow, type RecordingEvent, RedactedCast } from './redacted-cast.js';

// Bytes gathered before a batch goes to the worker, and the longest a byte waits for its batch. Each
// message costs this thread a wake-up of the worker's (100-350 µs on a virtual machine, most of it the
// kernel's): per 200 MB of output, 128 KB batches cost 205 ms of it, 512 KB ones 78-140 ms, 1 MB ones
// 56-77 ms. A program printing at full speed (~60 MB/s through a PTY here) fills 1 MB in ~17 ms, so
// the time limit must allow that much; 20 ms is still finer than a player shows.
const BATCH_BYTES = 1024 * 1024;
const BATCH_MS = 20;
// The program waits while this much is with the worker, and goes on once it is down to DRAINED_BYTES:
// memory stays flat however fast the program prints.
const FULL_BYTES = 4 * 1024 * 1024;
const DRAINED_BYTES = 1024 * 1024;
// A batch's bytes are copied into one of these buffers as they come, and the worker hands it back once
// recorded: a fresh buffer per batch would be a fresh mapping (page faults, zeroing), allocated on this
// thread and freed on the other. A batch ends past BATCH_BYTES by at most one read of the PTY (64 KB);
// a chunk that does not fit in the rest of the buffer starts the next batch, and one longer than a
// whole buffer gets a buffer of its own.
const POOLED_BUFFER_BYTES = BATCH_BYTES + 64 * 1024;
const MAX_POOLED_BUFFERS = Math.ceil(FULL_BYTES / BATCH_BYTES) + 8;

interface Backend {
  send(events: RecordingEvent[], bytes: number): void;
  close(): Promise<RedactCounts>;
}

/** Buffers for the batches' bytes, taken here and given back by the worker once it recorded them. */
class BufferPool {
  private readonly free: ArrayBuffer[] = [];
  /** Buffers made so far (the rest of the batches reused one). */
  made = 0;

  take(): Uint8Array {
    let buffer = this.free.pop();
    if (!buffer) {
      buffer = new ArrayBuffer(POOLED_BUFFER_BYTES);
      this.made++;
    }
    return new Uint8Array(buffer);
  }

  giveBack(buffers: readonly ArrayBuffer[]): void {
    for (const buffer of buffers) {
      if (buffer.byteLength === POOLED_BUFFER_BYTES && this.free.length < MAX_POOLED_BUFFERS)
        this.free.push(buffer);
    }
  }
}

/** Output (or input) chunks in a row, copied into the batch's buffer at [start, end). */
interface PendingRun {
  type: 'output' | 'input';
  at: number;
  start: number;
  end: number;
}

export class SessionRecording {
  // The batch so far: events, and runs of bytes in `batchBuffer` (its first `batchUsed` bytes).
  private pending: (RecordingEvent | PendingRun)[] = [];
  private pendingBytes = 0;
  private batchBuffer: Uint8Array | null = null;
  private batchUsed = 0;
  // The batch's last entry while it is a run: the next chunk of its kind extends it.
  private lastRun: PendingRun | null = null;
  private lastStamp = 0;
  private batchTimer: NodeJS.Timeout | null = null;
  private inFlight = 0;
  private failure: Error | null = null;
  private drainWaiters: (() => void)[] = [];
  private closing: Promise<RedactCounts> | null = null;
  private started: () => void = () => {};
  private readonly whenStarted = new Promise<void>((resolve) => {
    this.started = resolve;
  });
  private readonly backend: Backend;
  private readonly pool = new BufferPool();
  /** How the live copy to the team server went (null without one); set once close() has returned. */
  liveSummary: LiveSummary | null = null;

  private constructor(
    private readonly startedAt: number,
    makeBackend: (recording: SessionRecording) => Backend,
  ) {
    this.backend = makeBackend(this);
  }

  /**
   * Starts the recording, in a worker where there is one (`worker`, started ahead by the caller, or
   * one started now); the cast's header is on disk when it returns.
   */
  static async open(
    castPath: string,
    header: CastHeaderInput,
    env: NodeJS.ProcessEnv,
    live?: LiveTarget,
    worker: RecordingWorker | null = RecordingWorker.start(),
  ): Promise<SessionRecording> {
    const startedAt = epochNow();
    const options = { castPath, header, env: plainEnv(env), startedAt, ...(live && { live }) };
    if (!worker) {
      const cast = await RedactedCast.open(options);
      return new SessionRecording(startedAt, (recording) => inThread(cast, recording));
    }
    const thread = worker.take();
    const recording = new SessionRecording(startedAt, (recording) => inWorker(thread, recording));
    // Opening (and closing) waits on the worker; while the program runs, the PTY keeps sdd alive.
    thread.ref();
    thread.postMessage({ type: 'open', options } satisfies ToWorker);
    await recording.whenStarted;
    if (recording.failure) {
      await thread.terminate();
      throw recording.failure;
    }
    return recording;
  }

  /** Seconds since the recording started: the clock of the cast and of the session's events. */
  elapsedSeconds(): number {
    return (epochNow() - this.startedAt) / 1000;
  }

  /** Output that came ageMs ago (the pump hands it over in batches). The buffer may be reused after. */
  output(data: Buffer, ageMs = 0): void {
    this.addBytes('output', data, ageMs);
    // Held by the pump for a batch's time already: it goes now, not a batch's time later (live watch).
    if (ageMs >= BATCH_MS) this.sendBatch();
  }

  input(data: Buffer): void {
    this.addBytes('input', data);
  }

  resize(cols: number, rows: number): void {
    this.add({ type: 'resize', at: this.stamp(), cols, rows }, 0);
  }

  /** A marker; its label must be redacted already. */
  marker(label: string): void {
    this.add({ type: 'marker', at: this.stamp(), label }, 0);
  }

  /** How many batch buffers were made so far: stays small however much is recorded (tests, metrics). */
  get batchBuffersMade(): number {
    return this.pool.made;
  }

  /** True while so much waits for the worker that the program should pause until drained() resolves. */
  isFull(): boolean {
    return this.failure === null && this.inFlight + this.pendingBytes >= FULL_BYTES;
  }

  drained(): Promise<void> {
    if (!this.isFull()) return Promise.resolve();
    this.sendBatch(); // what waits in the batch counts too: let the worker have it
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Sends what is left, waits for the cast to be written and closed; the terminal streams' redaction counts. */
  close(): Promise<RedactCounts> {
    this.closing ??= (async () => {
      this.sendBatch();
      if (this.failure) throw this.failure;
      return this.backend.close();
    })();
    return this.closing;
  }

  /**
   * The time of an event that happened ageMs ago, never before the last one stamped: output read
   * before a key was typed may be stamped, a batch later, a little after it came, never out of order.
   */
  private stamp(ageMs = 0): number {
    this.lastStamp = Math.max(this.lastStamp, this.elapsedSeconds() - ageMs / 1000);
    return this.lastStamp;
  }

  private add(event: RecordingEvent, bytes: number): void {
    if (this.failure || this.closing) return;
    this.pending.push(event);
    this.lastRun = null;
    this.added(bytes);
  }

  /**
   * Copies a chunk into the batch's buffer (PTY chunks share node's pooled memory, which cannot be
   * transferred), as part of the run before it when that is of the same kind. A run is stamped with
   * its first chunk's time; a batch spans at most BATCH_MS, finer than a player shows.
   */
  private addBytes(type: 'output' | 'input', data: Uint8Array, ageMs = 0): void {
    if (this.failure || this.closing || data.length === 0) return;
    if (data.length > POOLED_BUFFER_BYTES) {
      this.add({ type, at: this.stamp(ageMs), data: Uint8Array.from(data) }, data.length);
      return;
    }
    if (this.batchBuffer && this.batchUsed + data.length > this.batchBuffer.length) this.sendBatch();
    this.batchBuffer ??= this.pool.take();
    const start = this.batchUsed;
    this.batchBuffer.set(data, start);
    this.batchUsed = start + data.length;
    if (this.lastRun?.type === type) this.lastRun.end = this.batchUsed;
    else {
      this.lastRun = { type, at: this.stamp(ageMs), start, end: this.batchUsed };
      this.pending.push(this.lastRun);
    }
    this.added(data.length);
  }

  private added(bytes: number): void {
    this.pendingBytes += bytes;
    if (this.pendingBytes >= BATCH_BYTES) this.sendBatch();
    else this.batchTimer ??= setTimeout(() => this.sendBatch(), BATCH_MS);
  }

  private sendBatch(): void {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    if (this.pending.length === 0 || this.failure) return;
    const buffer = this.batchBuffer;
    const events = this.pending.map((entry): RecordingEvent => {
      if (!('start' in entry)) return entry;
      return { type: entry.type, at: entry.at, data: buffer!.subarray(entry.start, entry.end) };
    });
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    this.batchBuffer = null;
    this.batchUsed = 0;
    this.lastRun = null;
    this.inFlight += bytes;
    this.backend.send(events, bytes);
  }

  /** Called by the backend: bytes written to the cast, so the program may go on; their buffers, free again. */
  recorded(bytes: number, buffers: readonly ArrayBuffer[]): void {
    this.pool.giveBack(buffers);
    this.inFlight -= bytes;
    if (this.inFlight <= DRAINED_BYTES) this.wakeDrainWaiters();
  }

  /** Called by the backend: the recording cannot go on; the program and the screen do. */
  failed(error: Error): void {
    this.failure ??= error;
    this.started();
    this.wakeDrainWaiters();
  }

  private wakeDrainWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Called by the backend once the cast is open. */
  opened(): void {
    this.started();
  }
}

function inThread(cast: RedactedCast, recording: SessionRecording): Backend {
  recording.opened();
  return {
    send(events, bytes) {
      try {
        for (const event of events) cast.record(event);
      } catch (error) {
        recording.failed(error as Error);
        return;
      }
      // The cast has made text of the bytes: their buffers are free at once.
      const buffers = dataBuffers(events);
      if (cast.isFull()) void cast.drained().then(() => recording.recorded(bytes, buffers));
      else recording.recorded(bytes, buffers);
    },
    close: async () => {
      const counts = await cast.close();
      recording.liveSummary = cast.liveSummary;
      return counts;
    },
  };
}

function inWorker(worker: Worker, recording: SessionRecording): Backend {
  let closed: { resolve(counts: RedactCounts): void; reject(error: Error): void } | null = null;
  let failure: Error | null = null;
  const fail = (error: Error) => {
    failure ??= error;
    recording.failed(failure);
    closed?.reject(failure);
  };
  worker.on('message', (message: FromWorker) => {
    if (message.type === 'recorded') recording.recorded(message.bytes, message.buffers);
    else if (message.type === 'opened') {
      worker.unref();
      recording.opened();
    } else if (message.type === 'closed') closed?.resolve(message.counts);
    else fail(new Error(message.message));
  });
  worker.on('error', fail);
  worker.on('exit', (code) => {
    if (!closed) fail(new Error(`the recording worker stopped (exit ${code})`));
  });
  return {
    send(events, bytes) {
      // The batch's bytes move to the worker (its buffers are this recording's own) rather than being copied again.
      worker.postMessage({ type: 'events', events, bytes } satisfies ToWorker, dataBuffers(events));
    },
    close() {
      if (failure) {
        void worker.terminate();
        return Promise.reject(failure);
      }
      worker.ref();
      return new Promise<RedactCounts>((resolve, reject) => {
        closed = { resolve, reject };
        worker.postMessage({ type: 'close' } satisfies ToWorker);
      }).finally(() => void worker.terminate());
    },
  };
}

function plainEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}
