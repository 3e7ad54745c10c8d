// The program's output read by the native pump (src/native/pty-pump.c) instead of node-pty's socket:
// a thread copies the PTY to the screen as `script` does, and this side takes the bytes for the
// recording in batches. JavaScript then runs per batch rather than per 4 KB read, and the program's
// output no longer waits for the main thread to be scheduled. Where the pump cannot be used (no
// addon, SDD_NATIVE=off, a screen without a descriptor, a node-pty without the internals below),
// start() returns null and the runner reads node-pty's socket as before.
//
// node-pty still does what it does well: spawn, input, resize, the exit's status. Two of its
// internals are used, both checked before use:
// - its socket on the PTY must never read (the pump does): its `_read`, the one place a net.Socket
//   starts reading, is made a no-op before the tick after spawn in which the socket would start;
// - node-pty reports the exit only once that socket closes, and closes it 200 ms after the exit, read
//   or not. Here it is closed once the pump has read the PTY to its end (EIO), or after
//   DRAIN_LIMIT_MS past the exit when something else (a background process) still holds it open.

import { getSystemErrorName } from 'node:util';
import type { IPty } from 'node-pty';
import { type PtyPump, type PtyPumpHandle, ptyPump } from '../native/pty-pump.js';

const DRAIN_LIMIT_MS = 5000;
// Bytes taken at a time: a batch of the recording's, and a read more (as session-recording.ts).
const TAKE_BYTES = 1024 * 1024 + 64 * 1024;

const INPUT_WAIT_MS = 250;

interface PtyInternals {
  _fd?: unknown;
  _socket?: { _read?: unknown; destroy?: (...args: unknown[]) => unknown };
  _writeStream?: { _writeQueue?: unknown[] };
}

export interface OutputPumpOptions {
  /**
   * Bytes read from the PTY, already on the screen, and how long ago the first of them was read. The
   * buffer is reused once the call returns (as node-pty's are): copy what is kept.
   */
  onOutput(data: Buffer, ageMs: number): void;
  /** The screen failed (EPIPE when the reader of a pipe went away): the output is only recorded now. */
  onScreenClosed(error: NodeJS.ErrnoException): void;
}

export class OutputPump {
  private ended = false;
  private screenClosed = false;
  private readonly endWaiters: (() => void)[] = [];
  private readonly into = Buffer.allocUnsafeSlow(TAKE_BYTES);
  private handle!: PtyPumpHandle;

  private constructor(
    private readonly native: PtyPump,
    private readonly options: OutputPumpOptions,
  ) {}

  /** Starts the pump on the child's PTY, showing its output on `screen`; null where it cannot run. */
  static start(child: IPty, screen: NodeJS.WriteStream, options: OutputPumpOptions): OutputPump | null {
    const native = ptyPump();
    const socket = (child as unknown as PtyInternals)._socket;
    const fd = (child as unknown as PtyInternals)._fd;
    const screenFd = (screen as { fd?: unknown }).fd;
    if (!native || typeof fd !== 'number' || typeof screenFd !== 'number') return null;
    if (typeof socket?._read !== 'function' || typeof socket.destroy !== 'function') return null;
    const pump = new OutputPump(native, options);
    try {
      pump.handle = native.startPump(fd, screenFd, () => pump.takeAll());
    } catch {
      return null; // no thread to be had: the socket reads, as without the addon
    }
    socket._read = () => {};
    const destroy = socket.destroy.bind(socket);
    let limit: NodeJS.Timeout | null = null;
    void pump.whenEnded().then(async () => {
      if (limit) clearTimeout(limit);
      await inputWritten(child);
      destroy();
    });
    socket.destroy = (...args: unknown[]) => {
      if (pump.ended || args.length > 0) return destroy(...args);
      limit ??= setTimeout(() => pump.stop(), DRAIN_LIMIT_MS);
      return socket;
    };
    return pump;
  }

  /** The program waits (its output stays in the PTY) until resume(). */
  pause(): void {
    if (!this.ended) this.native.pausePump(this.handle);
  }

  resume(): void {
    if (!this.ended) this.native.resumePump(this.handle);
  }

  /**
   * Takes everything the pump holds now. Called when it says it holds a batch, and before input, a
   * resize or a marker is recorded: the recording keeps the order in which sdd saw them.
   */
  takeAll(): void {
    if (this.ended) return;
    for (;;) {
      const taken = this.native.takePump(this.handle, this.into);
      if (taken.screenError !== 0 && !this.screenClosed) {
        this.screenClosed = true;
        this.options.onScreenClosed(screenError(taken.screenError));
      }
      if (taken.length > 0) this.options.onOutput(this.into.subarray(0, taken.length), taken.ageMs);
      if (taken.ended) {
        this.end();
        return;
      }
      if (taken.length < this.into.length) return;
    }
  }

  whenEnded(): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve) => this.endWaiters.push(resolve));
  }

  /** Stops reading the PTY (the pump's thread is joined) and takes what was read. */
  stop(): void {
    if (this.ended) return;
    this.native.stopPump(this.handle);
    this.takeAll();
  }

  private end(): void {
    this.ended = true;
    this.native.stopPump(this.handle); // the thread has ended by itself: this joins it
    for (const wake of this.endWaiters.splice(0)) wake();
  }
}

/**
 * Closing the socket closes the PTY's descriptor: input node-pty still has on its way (the ^D sent
 * when piped input ends, as the program exits) would be written to a closed descriptor, or to the
 * next file given its number. The program is gone, so nothing more is sent, and what is on its way
 * is let finish (it fails at once with EIO), for at most INPUT_WAIT_MS.
 */
async function inputWritten(child: IPty): Promise<void> {
  const internals = child as unknown as PtyInternals & { write: unknown };
  internals.write = () => {};
  const queue = internals._writeStream?._writeQueue;
  const end = Date.now() + INPUT_WAIT_MS;
  while (Array.isArray(queue) && queue.length > 0 && Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

function screenError(errno: number): NodeJS.ErrnoException {
  const code = getSystemErrorName(-errno);
  return Object.assign(new Error(`write ${code}`), { code, errno: -errno, syscall: 'write' });
}
