// The keyframe index file beside a cast (`<cast>.keyframes.jsonl`), JSON lines: one serialized screen per
// line, then a table of the keyframes (times, cast offsets, where each screen line is), then a fixed-width
// footer pointing at the table. A reader loads the small table and the one screen it needs, never the rest.

import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { open, rename, rm } from 'node:fs/promises';
import { SddError } from '../core/errors.js';

export interface KeyframeEntry {
  /** The screen after every event before `offset`; `time` is the last of those events' times. */
  time: number;
  offset: number;
  /** The line number of the event at `offset`. */
  line: number;
  cols: number;
  rows: number;
  scrollback: number;
  /** The screen's line in the index file: byte offset and length, '\n' excluded. */
  at: number;
  length: number;
}

export interface KeyframeTable {
  format: 'sdd-keyframes';
  version: 1;
  /** How far the cast was read for the index, and a hash of the bytes before that, to notice a rewrite. */
  cast: { scannedBytes: number; tailSha1: string };
  spacing: { bytes: number; seconds: number; minBytes: number };
  keyframes: KeyframeEntry[];
}

const FOOTER_BYTES = 64;
const COPY_CHUNK_BYTES = 1024 * 1024;

export function keyframeIndexPath(castPath: string): string {
  return `${castPath}.keyframes.jsonl`;
}

/** An open index: its table read at once, screens on demand from the same file even if it is replaced. */
export class KeyframeIndexReader {
  private constructor(
    private readonly file: FileHandle,
    readonly table: KeyframeTable,
    /** Where the screens end: a rewrite that extends the index keeps the bytes before. */
    readonly screensEnd: number,
  ) {}

  /** The index at `path`, or undefined when there is none or it is not one this version reads. */
  static async open(path: string): Promise<KeyframeIndexReader | undefined> {
    let file: FileHandle;
    try {
      file = await open(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const found = await readTable(file);
      if (found) return new KeyframeIndexReader(file, found.table, found.tableAt);
    } catch (error) {
      await file.close();
      throw error;
    }
    await file.close();
    return undefined;
  }

  /** The last keyframe at or before `time` (keyframes are in cast order, so times never decrease). */
  lastAtOrBefore(time: number): KeyframeEntry | undefined {
    const keyframes = this.table.keyframes;
    let low = 0;
    let high = keyframes.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (keyframes[middle]!.time <= time) low = middle + 1;
      else high = middle;
    }
    return keyframes[low - 1];
  }

  async readScreen(entry: KeyframeEntry): Promise<string> {
    const buffer = Buffer.alloc(entry.length);
    await this.file.read(buffer, 0, entry.length, entry.at);
    return JSON.parse(buffer.toString('utf8')) as string;
  }

  /** Copies the screen lines (of the file opened, even if replaced) to `target`; returns their size. */
  async copyScreensTo(target: FileHandle): Promise<number> {
    const buffer = Buffer.alloc(Math.min(COPY_CHUNK_BYTES, this.screensEnd));
    for (let position = 0; position < this.screensEnd; ) {
      const length = Math.min(buffer.length, this.screensEnd - position);
      const { bytesRead } = await this.file.read(buffer, 0, length, position);
      if (bytesRead === 0)
        throw new SddError(
          'INTERNAL',
          `The keyframe index ended early at byte ${position}; delete it to rebuild.`,
        );
      await target.write(buffer, 0, bytesRead);
      position += bytesRead;
    }
    return this.screensEnd;
  }

  close(): Promise<void> {
    return this.file.close();
  }
}

/**
 * Writes a new index beside the old one and renames it into place at commit, so readers always see a complete
 * index and two processes building at once cannot mix their lines (the last rename wins).
 */
export class KeyframeIndexWriter {
  private constructor(
    private readonly file: FileHandle,
    private readonly tempPath: string,
    private readonly path: string,
    private size: number,
  ) {}

  /** Starts a new index; with `keep`, it starts with that open index's screens, whose entries stay valid. */
  static async create(path: string, keep?: KeyframeIndexReader): Promise<KeyframeIndexWriter> {
    const tempPath = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const file = await open(tempPath, 'w');
    const writer = new KeyframeIndexWriter(file, tempPath, path, 0);
    try {
      if (keep) writer.size = await keep.copyScreensTo(file);
    } catch (error) {
      await writer.abort();
      throw error;
    }
    return writer;
  }

  /** Appends a screen line; returns where it is. */
  async addScreen(screen: string): Promise<{ at: number; length: number }> {
    const line = Buffer.from(`${JSON.stringify(screen)}\n`, 'utf8');
    await this.file.write(line);
    const at = this.size;
    this.size += line.length;
    return { at, length: line.length - 1 };
  }

  async commit(table: KeyframeTable): Promise<void> {
    const tableAt = this.size;
    const footer = JSON.stringify({ keyframeTable: tableAt }).padEnd(FOOTER_BYTES - 1, ' ');
    await this.file.write(`${JSON.stringify(table)}\n${footer}\n`);
    await this.file.close();
    await rename(this.tempPath, this.path);
  }

  async abort(): Promise<void> {
    await this.file.close().catch(() => {});
    await rm(this.tempPath, { force: true });
  }
}

async function readTable(file: FileHandle): Promise<{ table: KeyframeTable; tableAt: number } | undefined> {
  const { size } = await file.stat();
  if (size < FOOTER_BYTES) return undefined;
  const footer = parseJson(await readBytes(file, size - FOOTER_BYTES, FOOTER_BYTES)) as {
    keyframeTable?: unknown;
  };
  const tableAt = footer?.keyframeTable;
  if (
    typeof tableAt !== 'number' ||
    !Number.isInteger(tableAt) ||
    tableAt < 0 ||
    tableAt >= size - FOOTER_BYTES
  ) {
    return undefined;
  }
  const table = parseJson(await readBytes(file, tableAt, size - FOOTER_BYTES - tableAt)) as
    | KeyframeTable
    | undefined;
  if (table?.format !== 'sdd-keyframes' || table.version !== 1 || !Array.isArray(table.keyframes))
    return undefined;
  return { table, tableAt };
}

async function readBytes(file: FileHandle, position: number, length: number): Promise<string> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.toString('utf8', 0, bytesRead);
}

/** An index is a cache: one that does not parse is rebuilt, not reported. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
