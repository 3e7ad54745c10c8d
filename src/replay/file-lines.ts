// Reads a file as lines with their byte offsets, a chunk at a time, from any offset. readline would hide
// the offsets that the keyframe index stores; splitting Buffers on '\n' keeps them exact (and is faster).

import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';

export interface FileLine {
  /** The line without its '\n' (nor a '\r' before it). */
  text: string;
  /** Byte offset of the line's first byte. */
  offset: number;
  /** Byte offset just past the line's '\n' (or the end of the file). */
  end: number;
  /** False only for a last line with no '\n' after it. */
  complete: boolean;
}

const CHUNK_BYTES = 1024 * 1024;
const FIRST_LINE_CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/** Yields the lines from `start` (which must be the start of a line) in batches, one batch per chunk read. */
export async function* readLineBatches(path: string, start = 0): AsyncGenerator<FileLine[]> {
  const stream = createReadStream(path, { start, highWaterMark: CHUNK_BYTES });
  let pending: Buffer | undefined;
  let pendingOffset = start;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const buffer: Buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
      const lines: FileLine[] = [];
      let lineStart = 0;
      for (
        let newline = buffer.indexOf(NEWLINE);
        newline !== -1;
        newline = buffer.indexOf(NEWLINE, lineStart)
      ) {
        lines.push(lineAt(buffer, lineStart, newline, pendingOffset, true));
        lineStart = newline + 1;
      }
      pending = lineStart < buffer.length ? buffer.subarray(lineStart) : undefined;
      pendingOffset += lineStart;
      if (lines.length > 0) yield lines;
    }
    if (pending) yield [lineAt(pending, 0, pending.length, pendingOffset, false)];
  } finally {
    stream.destroy();
  }
}

/**
 * The first line alone (a cast's header), reading no more of the file than it needs, nor more than `maxBytes`
 * (a longer line comes back incomplete); undefined when the file is empty.
 */
export async function readFirstLine(path: string, maxBytes = 1024 * 1024): Promise<FileLine | undefined> {
  const file = await open(path, 'r');
  try {
    let bytes = Buffer.alloc(0);
    for (;;) {
      const chunk = Buffer.alloc(FIRST_LINE_CHUNK_BYTES);
      const { bytesRead } = await file.read(chunk, 0, chunk.length, bytes.length);
      bytes = Buffer.concat([bytes, chunk.subarray(0, bytesRead)]);
      const newline = bytes.indexOf(NEWLINE);
      if (newline !== -1) return lineAt(bytes, 0, newline, 0, true);
      if (bytesRead === 0 || bytes.length >= maxBytes) {
        return bytes.length > 0 ? lineAt(bytes, 0, bytes.length, 0, false) : undefined;
      }
    }
  } finally {
    await file.close();
  }
}

function lineAt(buffer: Buffer, from: number, to: number, base: number, complete: boolean): FileLine {
  const textEnd = to > from && buffer[to - 1] === 0x0d ? to - 1 : to;
  return {
    text: buffer.toString('utf8', from, textEnd),
    offset: base + from,
    end: base + (complete ? to + 1 : to),
    complete,
  };
}
