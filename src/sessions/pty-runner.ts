// Runs a program in a PTY that is transparent to the person at the keyboard: raw keys in (Ctrl-C and
// Ctrl-Z reach the program through the PTY's line discipline), bytes out unchanged and at once (the
// screen comes before the recording), window resizes passed on, and the terminal put back as it was
// on every way out. A closed stdout (`sdd run ... | head`) ends the screen, not the program.

import { readSync } from 'node:fs';
import { type IPty, spawn as spawnPty } from 'node-pty';
import { type HotKeyAction, HotKeyFilter } from './hot-keys.js';
import { OutputPump } from './output-pump.js';
import { TerminalGuard } from './terminal-guard.js';
import { reportedSize } from './terminal-size.js';

export interface PtyRunOptions {
  file: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Size when there is no terminal to take it from (CI, a pipe). */
  cols: number;
  rows: number;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  /**
   * The output, as bytes, in order, once it went to the screen, with how long ago (ms) its first byte
   * came (read on the pump's thread, it reaches this one in batches). The buffer may be reused once
   * the call returns.
   */
  onOutput?: (data: Buffer, ageMs: number) => void;
  /** A consumer of the output that can fall behind (the recorder): the program waits while it is full. */
  outputSink?: { isFull(): boolean; drained(): Promise<void> };
  /** Every chunk of input typed by the person. */
  onInput?: (data: Buffer) => void;
  onResize?: (cols: number, rows: number) => void;
  /** sdd's own keys typed at the terminal (Ctrl-] m, Ctrl-] c); without a handler every key goes through. */
  onHotKey?: (action: HotKeyAction) => void;
  /**
   * Called once the program runs, with a way to stop it (used when sdd itself is told to stop), and
   * one to have the output read so far handed to onOutput now (before sdd records a marker of its own).
   */
  onStart?: (control: { kill(signal?: string): void; pid: number; takeOutput(): void }) => void;
}

export interface PtyRunResult {
  exitCode: number;
  signal: number | null;
}

export async function runInPty(options: PtyRunOptions): Promise<PtyRunResult> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const interactive = stdin.isTTY === true && stdout.isTTY === true;
  const fallback = { cols: options.cols, rows: options.rows };
  const { cols, rows } = interactive ? reportedSize(stdout, fallback) : fallback;
  const child = spawnPty(options.file, options.args, {
    name: options.env.TERM ?? 'xterm-256color',
    cols,
    rows,
    cwd: options.cwd,
    env: options.env as Record<string, string>,
    encoding: null, // bytes, passed through untouched; the recorder decodes UTF-8 across chunk borders
  });
  // What the pump read before a key, a resize or a marker is recorded before it.
  let takeOutput = () => {};
  options.onStart?.({ kill: (signal) => child.kill(signal), pid: child.pid, takeOutput: () => takeOutput() });
  const guard = interactive ? new TerminalGuard(stdin, stdout) : null;
  guard?.enter();

  const hotKeys = interactive && options.onHotKey ? new HotKeyFilter() : null;
  const onStdin = (typed: Buffer) => {
    takeOutput();
    let data = typed;
    if (hotKeys) {
      const { passThrough, actions } = hotKeys.filter(typed);
      for (const hotKey of actions) options.onHotKey?.(hotKey);
      data = passThrough;
    }
    if (data.length === 0) return;
    options.onInput?.(data);
    child.write(data as unknown as string);
  };
  const onResize = () => {
    takeOutput();
    const size = reportedSize(stdout, fallback);
    child.resize(size.cols, size.rows);
    options.onResize?.(size.cols, size.rows);
  };
  // Without a terminal, the end of piped input is the end of input for the program too (^D).
  const onStdinEnd = () => {
    if (!interactive) child.write('\x04');
  };
  stdin.on('data', onStdin);
  stdin.on('end', onStdinEnd);
  if (interactive) stdout.on('resize', onResize);
  stdin.resume();

  // Output faster than the terminal or the recorder takes it: hold the program back rather than
  // buffer without bound. Each holder counts; the program goes on when none is left.
  let holds = 0;
  let draining = false;
  const hold = (released: Promise<unknown>) => {
    if (holds++ === 0 && !draining) (pump ?? child).pause();
    void released.then(() => {
      if (--holds === 0 && !draining) (pump ?? child).resume();
    });
  };
  const screen = new Screen(stdout);
  const record = (data: Buffer, ageMs = 0) => {
    guard?.observe(data);
    options.onOutput?.(data, ageMs);
    if (options.outputSink?.isFull()) hold(options.outputSink.drained());
  };
  // Read by the native pump where there is one (the screen written on its thread, the recording
  // given batches); else node-pty's socket, each chunk shown, then recorded.
  const pump = OutputPump.start(child, stdout, {
    onOutput: record,
    onScreenClosed: (error) => screen.closedBy(error),
  });
  if (!pump) {
    const onPtyData = (data: Buffer) => {
      if (!screen.write(data)) hold(screen.drained());
      record(data);
    };
    child.onData((chunk) => onPtyData(chunk as unknown as Buffer));
    readToTheEnd(child, onPtyData, () => {
      draining = true;
      child.resume();
    });
  }
  takeOutput = () => pump?.takeAll();

  try {
    const { exitCode, signal } = await new Promise<{ exitCode: number; signal?: number }>((resolve) =>
      child.onExit(resolve),
    );
    // node-pty reports the exit once its output has been read; one more turn lets the last chunk land.
    await new Promise((resolve) => setImmediate(resolve));
    return { exitCode: signal ? 128 + signal : exitCode, signal: signal || null };
  } finally {
    stdin.off('data', onStdin);
    stdin.off('end', onStdinEnd);
    stdout.off('resize', onResize);
    stdin.pause();
    guard?.leave();
    screen.detach();
  }
}

/**
 * sdd's stdout as the program's screen. When it closes under sdd (the reader of a pipe went away:
 * EPIPE), the program's output goes on into the recording only, as if the screen were /dev/null.
 */
class Screen {
  private closed = false;
  private waiters: (() => void)[] = [];
  private readonly onError = (error: NodeJS.ErrnoException) => {
    // Nothing more can be shown; what the program prints from now on is only recorded.
    this.closed = true;
    this.wake();
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') {
      process.stderr.write(`sdd: the terminal output failed (${error.message}); recording goes on.\n`);
    }
  };
  private readonly onDrain = () => this.wake();

  constructor(private readonly stdout: NodeJS.WriteStream) {
    stdout.on('error', this.onError);
    stdout.on('drain', this.onDrain);
  }

  /** The pump's write to the screen failed (it shows nothing more); sdd's own writes end quietly too. */
  closedBy(error: NodeJS.ErrnoException): void {
    if (!this.closed) this.onError(error);
  }

  /** False when the program should wait for drained() (the terminal is behind). */
  write(data: Buffer): boolean {
    if (this.closed || this.stdout.destroyed) return true;
    return this.stdout.write(data);
  }

  drained(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  detach(): void {
    this.stdout.off('drain', this.onDrain);
    // A closed stdout keeps a listener: a later write (sdd's own summary) must end quietly too.
    if (!this.closed) this.stdout.off('error', this.onError);
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

// A program's last output must not be lost when it exits. Two things in node-pty lose it:
// - It destroys the terminal's socket 200 ms after the program exits, read or not (a guard against a
//   socket that never closes on macOS): output held back then (the screen or the recorder behind)
//   would be dropped. So that destroy is put off: the socket is read on, unpaused, until it ends by
//   itself, for at most DRAIN_LIMIT_MS. After the exit only what the kernel holds (or a left-over
//   background process prints) comes, so reading it without back-pressure stays small.
// - On Linux the socket can report its end while the kernel still holds the last KB of output (seen
//   losing 7-11 KB of a 3 MB burst in one run of three). At that end the descriptor is still open: it
//   is read to EIO there, synchronously, before node-pty closes it.
const DRAIN_LIMIT_MS = 5000;
const DRAIN_MAX_READS = 256;

interface PtySocket {
  destroy(...args: unknown[]): unknown;
  once(event: 'close' | 'end', listener: () => void): unknown;
  readableEnded?: boolean;
  errored?: unknown;
}

function readToTheEnd(child: IPty, onData: (data: Buffer) => void, startDraining: () => void): void {
  const internals = child as unknown as { _socket?: PtySocket; _fd?: number };
  const socket = internals._socket;
  if (!socket || typeof socket.destroy !== 'function') return;
  const destroy = socket.destroy.bind(socket);
  let deferred = false;
  socket.destroy = (...args: unknown[]) => {
    // Only node-pty's timer calls it bare; the stream's own end or error goes through.
    if (deferred || args.length > 0 || socket.readableEnded || socket.errored) return destroy(...args);
    deferred = true;
    startDraining();
    const limit = setTimeout(() => destroy(...args), DRAIN_LIMIT_MS);
    socket.once('close', () => clearTimeout(limit));
    return socket;
  };
  const fd = internals._fd;
  if (typeof fd !== 'number') return;
  socket.once('end', () => {
    const buffer = Buffer.alloc(64 * 1024);
    for (let reads = 0; reads < DRAIN_MAX_READS; reads++) {
      let length: number;
      try {
        length = readSync(fd, buffer);
      } catch {
        return; // EIO: the terminal is drained (EAGAIN: the socket's end was real after all)
      }
      if (length === 0) return;
      onData(Buffer.from(buffer.subarray(0, length)));
    }
  });
}
