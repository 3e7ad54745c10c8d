// A terminal stream's bytes on their way into the recording, in runs: what the redactor has nothing to
// do with (src/redact/clean-runs.ts) passes as bytes, everything else is decoded and redacted. The
// runs are cut at whole characters, so neither way ever splits one; a character that the stream's
// latest bytes leave unfinished waits for the next ones.

import type { CleanRuns } from '../redact/clean-runs.js';

export interface RunSink {
  /** Text of whole characters, to be redacted (the redactor may hold some back) and recorded. */
  redact(text: string, at: number): void;
  /** Whether clean bytes may go around the redactor now (not while it holds text back, say). */
  maySkip(): boolean;
  /** bytes[start, end): clean, well-formed UTF-8, recorded as they are; `tail` is their last characters. */
  pass(bytes: Buffer, start: number, end: number, tail: string, at: number): void;
}

/**
 * Bytes decoded and redacted at a time. Below V8's large-object size (128 KB) every string of the way
 * is a young one that dies young: larger pieces cost a page-faulted large object per copy and frequent
 * full collections, more CPU than the redactor itself.
 */
const PIECE_BYTES = 32 * 1024;
/**
 * With the clean-run scan: what goes to the redactor after a place it could act on. Doubled while such
 * places come closer together than MIN_CLEAN_RUN (a JSON log: its `"name":` everywhere), so a dense
 * stretch costs a few large pieces rather than many small ones.
 */
const FIRST_SLOW_BYTES = 64;
/** A clean run shorter than this goes through the redactor with what is around it. */
const MIN_CLEAN_RUN = 64;
/**
 * The most bytes passed as one event: the cast reserves 6 bytes of room per byte. Each run costs a
 * line of the cast and a look at its last characters, so longer runs are cheaper (64 KB: about 3,000
 * lines per 200 MB of output).
 */
const MAX_CLEAN_RUN = 64 * 1024;
/** The redactor's look-behind (CONTEXT_CHARS): that many bytes of ASCII, up to 4 times as many otherwise. */
const TAIL_CHARS = 256;

export class StreamRuns {
  /** The first bytes of a character the latest bytes did not finish. */
  private carry: Buffer | null = null;
  private slowBytes = FIRST_SLOW_BYTES;

  constructor(
    private readonly sink: RunSink,
    private readonly cleanRuns: CleanRuns | null,
  ) {}

  add(data: Buffer, at: number): void {
    let bytes = this.carry ? Buffer.concat([this.carry, data]) : data;
    this.carry = null;
    const whole = wholeCharacters(bytes);
    // A copy: `data` may be a buffer that goes back to be filled again.
    if (whole < bytes.length) this.carry = Buffer.from(bytes.subarray(whole));
    bytes = bytes.subarray(0, whole);
    if (this.cleanRuns) this.addScanned(bytes, this.cleanRuns, at);
    else for (let start = 0; start < bytes.length; ) start = this.redactPiece(bytes, start, PIECE_BYTES, at);
  }

  /** What the stream left unfinished: ill-formed now, decoded as U+FFFD. */
  end(): void {
    if (this.carry) this.sink.redact(this.carry.toString('utf8'), 0);
    this.carry = null;
  }

  private addScanned(bytes: Buffer, cleanRuns: CleanRuns, at: number): void {
    // The last bytes may begin a secret that the next ones finish: the redactor sees them whole.
    const limit = Math.max(0, bytes.length - cleanRuns.tailBytes);
    // The first place at or after `start` the redactor could act on, once looked for.
    let next = -1;
    for (let start = 0; start < bytes.length; ) {
      if (start < limit && this.sink.maySkip()) {
        if (next < start) next = cleanRuns.until(bytes, start, bytes.length);
        const stop = characterStart(bytes, Math.min(next, limit, start + MAX_CLEAN_RUN), start);
        if (stop - start >= MIN_CLEAN_RUN) {
          this.sink.pass(bytes, start, stop, lastCharacters(bytes, start, stop), at);
          this.slowBytes = FIRST_SLOW_BYTES;
          start = stop;
          continue;
        }
      }
      // Through the redactor: from here past the place it could act on.
      const reach = Math.max(next, start) - start + this.slowBytes;
      this.slowBytes = Math.min(2 * this.slowBytes, PIECE_BYTES);
      start = this.redactPiece(bytes, start, Math.min(reach, PIECE_BYTES), at);
    }
  }

  /** Redacts up to `length` bytes from `start`, cut at a character; where it stopped. */
  private redactPiece(bytes: Buffer, start: number, length: number, at: number): number {
    const end = start + length >= bytes.length ? bytes.length : characterStart(bytes, start + length, start);
    // A piece with no character start in it (ill-formed bytes) is taken whole.
    const stop = end > start ? end : Math.min(bytes.length, start + length);
    this.sink.redact(bytes.toString('utf8', start, stop), at);
    return stop;
  }
}

/** How many of the bytes end in a whole character: a last character still missing bytes waits. */
export function wholeCharacters(bytes: Uint8Array): number {
  const end = bytes.length;
  for (let back = 1; back <= Math.min(4, end); back++) {
    const byte = bytes[end - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: its lead is further back
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? end - back : end;
  }
  return end;
}

/** `at`, or the start of the character it falls inside (not before `floor`). */
function characterStart(bytes: Uint8Array, at: number, floor: number): number {
  let position = at;
  while (position > floor && position < bytes.length && (bytes[position]! & 0xc0) === 0x80) position--;
  return position;
}

/** At least the last TAIL_CHARS UTF-16 units of bytes[start, stop), or all of them. */
function lastCharacters(bytes: Buffer, start: number, stop: number): string {
  let tail = '';
  for (let reach = TAIL_CHARS; tail.length < TAIL_CHARS; reach *= 4) {
    const from = characterAfter(bytes, Math.max(start, stop - reach), stop);
    tail = bytes.toString('utf8', from, stop);
    if (from === start || reach >= 4 * TAIL_CHARS) break;
  }
  return tail;
}

/** `at`, or the start of the character after the one it falls inside (not after `ceiling`). */
function characterAfter(bytes: Uint8Array, at: number, ceiling: number): number {
  let position = at;
  while (position < ceiling && (bytes[position]! & 0xc0) === 0x80) position++;
  return position;
}
