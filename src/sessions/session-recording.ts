// The session's terminal recording as the PTY side sees it: events stamped as they happen, batched and
// handed to the recording worker, which redacts and writes them. Costs the screen's path a copy and a
// message per batch; holds the program back (isFull/drained) when the worker falls far behind.

import type { Worker } from 'node:worker_threads';
import type { CastHeaderInput } from '../../recorders/terminal/asciicast-writer.js';
import type { RedactCounts } from '../redact/index.js';
import type { LiveSummary, LiveTarget } from './live-publisher.js';
import type { FromWorker, ToWorker } from './recording-worker.js';
import { RecordingWorker } from './recording-worker-start.js';
import { dataBuffers, epochNow, type RecordingEvent, RedactedCast } from './redacted-cast.js';

// Bytes gathered before a batch goes to the worker, and the longest a byte waits for its batch. Each
// message costs this thread a wake-up of the worker's (some 100 µs on a virtual machine, most of it
// the kernel's): 128 KB batches cost 205 ms of it per 200 MB of output, 512 KB batches 78 ms.
const BATCH_BYTES = 512 * 1024;
const BATCH_MS = 10;
// The program waits while this much is with the worker, and goes on once it is down to DRAINED_BYTES:
// memory stays flat however fast the program prints.
const FULL_BYTES = 4 * 1024 * 1024;
const DRAINED_BYTES = 1024 * 1024;
// A batch's bytes are copied into one of these buffers, which the worker hands back once recorded: a
// fresh buffer per batch would be a fresh mapping (page faults, zeroing), allocated on this thread and
// freed on the other. A batch ends past BATCH_BYTES by at most one read of the PTY (64 KB); a run longer
// than this gets a buffer of its own.
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

  take(length: number): Uint8Array {
    if (length > POOLED_BUFFER_BYTES) return new Uint8Array(length);
    let buffer = this.free.pop();
    if (!buffer) {
      buffer = new ArrayBuffer(POOLED_BUFFER_BYTES);
      this.made++;
    }
    return new Uint8Array(buffer, 0, length);
  }

  giveBack(buffers: readonly ArrayBuffer[]): void {
    for (const buffer of buffers) {
      if (buffer.byteLength === POOLED_BUFFER_BYTES && this.free.length < MAX_POOLED_BUFFERS)
        this.free.push(buffer);
    }
  }
}

export class SessionRecording {
  private pending: RecordingEvent[] = [];
  private pendingBytes = 0;
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

  output(data: Buffer): void {
    this.add({ type: 'output', at: this.elapsedSeconds(), data }, data.length);
  }

  input(data: Buffer): void {
    this.add({ type: 'input', at: this.elapsedSeconds(), data }, data.length);
  }

  resize(cols: number, rows: number): void {
    this.add({ type: 'resize', at: this.elapsedSeconds(), cols, rows }, 0);
  }

  /** A marker; its label must be redacted already. */
  marker(label: string): void {
    this.add({ type: 'marker', at: this.elapsedSeconds(), label }, 0);
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

  private add(event: RecordingEvent, bytes: number): void {
    if (this.failure || this.closing) return;
    this.pending.push(event);
    this.pendingBytes += bytes;
    if (this.pendingBytes >= BATCH_BYTES) this.sendBatch();
    else this.batchTimer ??= setTimeout(() => this.sendBatch(), BATCH_MS);
  }

  private sendBatch(): void {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    if (this.pending.length === 0 || this.failure) return;
    const events = joinChunks(this.pending, this.pool);
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
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
      // The batch's bytes move to the worker (joinChunks made them its own) rather than being copied again.
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

/**
 * Runs of output (or input) chunks in a batch become one event each, in a buffer of their own: PTY
 * chunks share pooled memory, which cannot be transferred. The run is stamped with its first chunk's
 * time; a batch spans at most BATCH_MS, finer than a player shows.
 */
function joinChunks(events: RecordingEvent[], pool: BufferPool): RecordingEvent[] {
  const joined: RecordingEvent[] = [];
  for (let i = 0; i < events.length; ) {
    const first = events[i]!;
    if (first.type !== 'output' && first.type !== 'input') {
      joined.push(first);
      i++;
      continue;
    }
    let end = i;
    let length = 0;
    while (end < events.length && events[end]!.type === first.type) {
      length += (events[end] as { data: Uint8Array }).data.length;
      end++;
    }
    const data = pool.take(length);
    for (let offset = 0; i < end; i++) {
      const chunk = (events[i] as { data: Uint8Array }).data;
      data.set(chunk, offset);
      offset += chunk.length;
    }
    joined.push({ type: first.type, at: first.at, data });
  }
  return joined;
}

function plainEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}
