// Writes a terminal recording as asciicast v2, live: events are buffered briefly in memory and appended
// at least once per flush interval, so a killed recorder (even kill -9) loses at most that interval.
// The file is forced to disk (fsync) once per interval too, except during a burst of output: then once
// the burst ends, at the latest maxUnsyncedMs after its first unsynced write, and at close. A burst is
// not slowed by waiting on the disk while it lasts (an fsync each interval cost some 10% of the wall
// time of `cat` of 200 MB), and a machine that goes down in one loses at most what it held of the last
// maxUnsyncedMs. Where the system can start a write-back without waiting for it (startWriteback), every
// few MB of a burst are handed to the disk as they are written, so the fsync at its end (the session's
// last step) has little left to wait for: ~100 ms less at the end of 200 MB, measured.

import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { InvalidInputError } from '../../src/core/errors.js';

export interface CastHeaderInput {
  width: number;
  height: number;
  command?: string;
  title?: string;
  env?: Record<string, string>;
  /** Unix seconds of the start; now by default. */
  timestamp?: number;
}

export interface AsciicastWriterOptions {
  flushIntervalMs?: number;
  /** The longest the file goes without an fsync while output keeps coming; 10 s by default. */
  maxUnsyncedMs?: number;
  /** Milliseconds on a monotonic clock; performance.now by default. */
  now?: () => number;
  /** When the recording started, on the `now` clock (now() at open by default): a writer in a worker
   * thread shares the start of the thread that reads the terminal. */
  startedAt?: number;
  /**
   * Called with each line as it is encoded (the header first), and the byte offset in the file where it
   * goes: a live copy of the recording (src/sessions/live-publisher.ts) holds exactly the file's bytes.
   */
  onLines?: (lines: Buffer, offset: number) => void;
  /**
   * Writes bytes[start, end) (well-formed UTF-8) into out at offset as JSON string contents, the bytes
   * written; 6 bytes of room per byte, which it may overwrite past them (a native escaper:
   * src/native/fast-cast.ts). Without one, outputUtf8 decodes and uses JSON.stringify.
   */
  escapeJson?: (bytes: Uint8Array, start: number, end: number, out: Uint8Array, offset: number) => number;
  /** Starts writing the file's written pages to disk without waiting (src/native/fast-cast.ts). */
  startWriteback?: (fd: number) => unknown;
}

const DEFAULT_FLUSH_INTERVAL_MS = 1000;
const DEFAULT_MAX_UNSYNCED_MS = 10_000;
// More than this added in one flush interval is a burst of output (1 MB/s at the default interval).
const BURST_BYTES = 1024 * 1024;
// Written and not yet synced past this, the write-back is started (where there is startWriteback).
const WRITEBACK_BYTES = 4 * 1024 * 1024;
const RECORDING_FILE_MODE = 0o600;
// Past this many buffered bytes the buffer goes to disk at once, so a burst of output (a build log,
// `cat` of a big file) holds little of the recording in memory: this much, plus what arrives while the
// previous write is under way (which then goes out in one piece).
const MAX_BUFFERED_BYTES = 1024 * 1024;
// Past this much waiting behind a write under way, the writer asks its source to pause (see isFull), so
// memory stays flat when the disk is slower than the program's output.
const FULL_BYTES = 4 * MAX_BUFFERED_BYTES;
// Lines are encoded straight into byte buffers of this size, reused once written: no joined string and
// no fresh buffer per write, which at 50 MB/s of output cost more than the encoding itself (copies,
// page faults, collections).
const CHUNK_BYTES = MAX_BUFFERED_BYTES + 64 * 1024;
// As many as can wait at the pause mark, and the one being written: a writer at full speed allocates none.
const SPARE_CHUNKS = FULL_BYTES / MAX_BUFFERED_BYTES + 2;

export class AsciicastWriter {
  private readonly outputDecoder = new StringDecoder('utf8');
  private readonly inputDecoder = new StringDecoder('utf8');
  // Encoded lines not yet written: filled chunks in order, then `current` up to `currentBytes`.
  private filled: { chunk: Buffer; bytes: number }[] = [];
  private current: Buffer | null = null;
  private currentBytes = 0;
  private bufferedBytes = 0;
  private spare: Buffer[] = [];
  // One write at a time, so two never interleave and lines land in order.
  private writing: Promise<void> | undefined;
  private failure: Error | undefined;
  // When the first write since the last fsync was made (null: nothing to sync, and an idle recording
  // costs no disk flushes); the bytes of lines added since the timer last looked.
  private unsyncedSince: number | null = null;
  private addedSinceTick = 0;
  /** How many times the file was forced to disk (tests, metrics). */
  syncs = 0;
  private lastTime = 0;
  private closed = false;
  private readonly timer: NodeJS.Timeout;
  private drainWaiters: (() => void)[] = [];
  // Bytes of the file once everything encoded so far is written: where the next line goes.
  private encodedBytes = 0;
  private onLines: ((lines: Buffer, offset: number) => void) | undefined;
  private escapeJson: AsciicastWriterOptions['escapeJson'];
  private startWriteback: AsciicastWriterOptions['startWriteback'];
  // Bytes written since the last fsync or started write-back.
  private writtenSinceWriteback = 0;
  /** How many times the write-back was started (tests, metrics). */
  writebacks = 0;

  private constructor(
    private readonly file: FileHandle,
    private readonly path: string,
    private readonly now: () => number,
    private readonly startedAt: number,
    flushIntervalMs: number,
    private readonly maxUnsyncedMs: number,
  ) {
    this.timer = setInterval(() => {
      const burst = this.addedSinceTick > BURST_BYTES;
      this.addedSinceTick = 0;
      // A failed flush is kept in `failure` and reported by the next flush() or close().
      this.flushBuffered(!burst || this.syncOverdue()).catch(() => {});
    }, flushIntervalMs);
    // The recording must never keep the process alive on its own.
    this.timer.unref();
  }

  /** Creates (or opens an empty) file and writes the header at once, so even a crash leaves a valid cast. */
  static async open(
    path: string,
    header: CastHeaderInput,
    options: AsciicastWriterOptions = {},
  ): Promise<AsciicastWriter> {
    const flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    checkHeader(header, flushIntervalMs);
    const now = options.now ?? (() => performance.now());
    // A recording holds whatever the terminal showed: the owner's alone.
    const file = await open(path, 'a', RECORDING_FILE_MODE);
    const headerLine = Buffer.from(`${JSON.stringify(headerRecord(header))}\n`);
    try {
      const { size } = await file.stat();
      if (size > 0) {
        throw new InvalidInputError(
          `${path} already holds ${size} bytes; a recording starts a new file (choose another path).`,
        );
      }
      await file.appendFile(headerLine);
      await file.sync();
    } catch (error) {
      await file.close();
      throw error;
    }
    const writer = new AsciicastWriter(
      file,
      path,
      now,
      options.startedAt ?? now(),
      flushIntervalMs,
      options.maxUnsyncedMs ?? DEFAULT_MAX_UNSYNCED_MS,
    );
    writer.encodedBytes = headerLine.length;
    writer.onLines = options.onLines;
    writer.escapeJson = options.escapeJson;
    writer.startWriteback = options.startWriteback;
    writer.onLines?.(headerLine, 0);
    return writer;
  }

  // Each event is stamped now, or at `at` (seconds since the start) when it happened earlier than it is
  // written (a recording fed from another thread).

  /** Terminal output ("o"): raw PTY chunks may split a UTF-8 character; the decoder joins it. */
  output(data: Buffer | string, at?: number): void {
    this.addData('o', this.outputDecoder, data, at);
  }

  /**
   * Output that is whole, well-formed UTF-8 characters (bytes[start, end)): written as it is, escaped,
   * never made a string when there is an escaper.
   */
  outputUtf8(bytes: Buffer, start: number, end: number, at?: number): void {
    const escapeJson = this.escapeJson;
    if (!escapeJson) {
      this.output(bytes.toString('utf8', start, end), at);
      return;
    }
    // What the decoder holds of an earlier Buffer comes first.
    this.addText('o', this.outputDecoder.end(), at);
    if (end === start) return;
    this.addLine('o', at, 6 * (end - start) + 2, (chunk, offset) => {
      chunk[offset] = 0x22; // the quotes around the data
      const written = escapeJson(bytes, start, end, chunk, offset + 1);
      chunk[offset + 1 + written] = 0x22;
      return written + 2;
    });
  }

  /** Keyboard input ("i"), decoded apart from the output so the two streams never mix bytes. */
  input(data: Buffer | string, at?: number): void {
    this.addData('i', this.inputDecoder, data, at);
  }

  resize(cols: number, rows: number, at?: number): void {
    this.addEvent('r', `${cols}x${rows}`, at);
  }

  marker(label: string, at?: number): void {
    this.addEvent('m', label, at);
  }

  /** Seconds since the recording started, on the writer's clock. */
  elapsedSeconds(): number {
    return (this.now() - this.startedAt) / 1000;
  }

  /** Appends what is buffered and fsyncs; rejects with the first write error met so far. */
  flush(): Promise<void> {
    return this.flushBuffered(true);
  }

  private async flushBuffered(sync: boolean): Promise<void> {
    while (this.writing || (this.bufferedBytes > 0 && !this.failure)) {
      this.writeBuffered();
      await this.writing;
    }
    if (sync && this.unsyncedSince !== null && !this.failure) {
      this.unsyncedSince = null;
      this.writtenSinceWriteback = 0;
      this.syncs++;
      await this.file.sync().catch((error: Error) => {
        this.failure ??= error;
      });
    }
    if (this.failure) throw this.failure;
  }

  private syncOverdue(): boolean {
    return this.unsyncedSince !== null && performance.now() - this.unsyncedSince >= this.maxUnsyncedMs;
  }

  /** Flushes the decoders' incomplete characters (as U+FFFD) and all that is buffered; closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.addText('o', this.outputDecoder.end());
    this.addText('i', this.inputDecoder.end());
    this.closed = true;
    clearInterval(this.timer);
    try {
      await this.flush();
    } finally {
      await this.file.close();
    }
  }

  /** True while so much waits to be written that the source should pause until drained() resolves. */
  isFull(): boolean {
    return this.bufferedBytes >= FULL_BYTES;
  }

  /** Resolves once the backlog is below the pause mark again (at once when it is). */
  drained(): Promise<void> {
    if (!this.isFull() || this.failure) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private wakeDrainWaiters(): void {
    if (this.isFull() && !this.failure) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const wake of waiters) wake();
  }

  private addData(code: 'o' | 'i', decoder: StringDecoder, data: Buffer | string, at?: number): void {
    if (typeof data === 'string') {
      // Bytes of a character left incomplete by an earlier Buffer can no longer be completed.
      this.addText(code, decoder.end(), at);
      this.addText(code, data, at);
    } else {
      this.addText(code, decoder.write(data), at);
    }
  }

  private addText(code: 'o' | 'i', text: string, at?: number): void {
    if (text !== '') this.addEvent(code, text, at);
  }

  private addEvent(code: string, data: string, at?: number): void {
    const quoted = JSON.stringify(data);
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    this.addLine(code, at, quoted.length * 3, (chunk, offset) => chunk.write(quoted, offset, 'utf8'));
  }

  /**
   * `[time,"o",data]` as JSON.stringify writes it, in pieces so that the data is never joined to the
   * rest (a number and a one-letter code need no escaping): `writeData` puts the quoted data at an
   * offset of the chunk, in at most `dataRoom` bytes, and says how many it wrote.
   */
  private addLine(
    code: string,
    at: number | undefined,
    dataRoom: number,
    writeData: (chunk: Buffer, offset: number) => number,
  ): void {
    if (this.closed) {
      throw new InvalidInputError(`The recording ${this.path} is closed; no more events can be added.`);
    }
    if (this.failure) return;
    // Rounded to microseconds as asciinema writes them, and never earlier than the previous event.
    const time = Math.max(this.lastTime, Math.round((at ?? this.elapsedSeconds()) * 1e6) / 1e6);
    this.lastTime = time;
    const head = `[${time},"${code}",`;
    // The head is ASCII.
    const chunk = this.room(head.length + dataRoom + 2);
    let used = this.currentBytes;
    used += chunk.write(head, used, 'latin1');
    used += writeData(chunk, used);
    chunk[used++] = 0x5d; // ]
    chunk[used++] = 0x0a; // newline
    const lineBytes = used - this.currentBytes;
    // A copy: the chunk is reused once written.
    this.onLines?.(Buffer.from(chunk.subarray(this.currentBytes, used)), this.encodedBytes);
    this.encodedBytes += lineBytes;
    this.bufferedBytes += lineBytes;
    this.addedSinceTick += lineBytes;
    this.currentBytes = used;
    if (this.bufferedBytes >= MAX_BUFFERED_BYTES) this.writeBuffered();
  }

  /** The chunk to encode the next `bytes` into; a chunk without that much room left joins the queue. */
  private room(bytes: number): Buffer {
    if (this.current && this.currentBytes + bytes <= this.current.length) return this.current;
    this.sealCurrent();
    const chunk =
      bytes <= CHUNK_BYTES
        ? (this.spare.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES))
        : Buffer.allocUnsafe(bytes);
    this.current = chunk;
    return chunk;
  }

  private sealCurrent(): void {
    if (this.current && this.currentBytes > 0)
      this.filled.push({ chunk: this.current, bytes: this.currentBytes });
    else if (this.current?.length === CHUNK_BYTES) this.spare.push(this.current);
    this.current = null;
    this.currentBytes = 0;
  }

  private writeBuffered(): void {
    // A write under way takes what gathered meanwhile when it is done.
    if (this.writing || this.bufferedBytes === 0 || this.failure) return;
    this.sealCurrent();
    const filled = this.filled;
    this.filled = [];
    const written = this.bufferedBytes;
    this.bufferedBytes = 0;
    this.writing = appendWhole(
      this.file,
      filled.map(({ chunk, bytes }) => chunk.subarray(0, bytes)),
    ).then(
      () => {
        this.writing = undefined;
        this.unsyncedSince ??= performance.now();
        this.writtenSinceWriteback += written;
        if (this.startWriteback && this.writtenSinceWriteback >= WRITEBACK_BYTES) {
          this.writtenSinceWriteback = 0;
          this.writebacks++;
          this.startWriteback(this.file.fd);
        }
        for (const { chunk } of filled) {
          if (chunk.length === CHUNK_BYTES && this.spare.length < SPARE_CHUNKS) this.spare.push(chunk);
        }
        if (this.bufferedBytes >= MAX_BUFFERED_BYTES) this.writeBuffered();
        this.wakeDrainWaiters();
      },
      (error: Error) => {
        this.writing = undefined;
        this.failure ??= error;
        this.wakeDrainWaiters();
      },
    );
  }
}

/**
 * Appends whole lines in one writev(2) where the system allows (FileHandle.appendFile would cut them into
 * 512 KiB pieces): a process killed in a system call still finishes the write, so the file ends on a line
 * end.
 */
async function appendWhole(file: FileHandle, chunks: Buffer[]): Promise<void> {
  let pending = chunks.filter((chunk) => chunk.length > 0);
  while (pending.length > 0) {
    let { bytesWritten } = await file.writev(pending);
    // A short write: go on from the first byte not written.
    while (pending.length > 0 && bytesWritten >= pending[0]!.length) {
      bytesWritten -= pending[0]!.length;
      pending = pending.slice(1);
    }
    if (pending.length > 0 && bytesWritten > 0) pending[0] = pending[0]!.subarray(bytesWritten);
  }
}

function checkHeader(header: CastHeaderInput, flushIntervalMs: number): void {
  for (const [name, value] of [
    ['width', header.width],
    ['height', header.height],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new InvalidInputError(`The terminal ${name} must be a whole number of at least 1; got ${value}.`);
    }
  }
  if (!(flushIntervalMs > 0)) {
    throw new InvalidInputError(
      `flushIntervalMs must be a positive number of milliseconds; got ${flushIntervalMs}.`,
    );
  }
}

function headerRecord(header: CastHeaderInput): Record<string, unknown> {
  const record: Record<string, unknown> = {
    version: 2,
    width: header.width,
    height: header.height,
    timestamp: header.timestamp ?? Math.floor(Date.now() / 1000),
  };
  if (header.command !== undefined) record.command = header.command;
  if (header.title !== undefined) record.title = header.title;
  if (header.env !== undefined) record.env = header.env;
  return record;
}
