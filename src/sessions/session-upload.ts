// Moves a session from one SessionStore to another (the clone's spool to the team server) by byte
// offset: the target says how much of each file it holds, and only the rest is sent, in pieces.
// Safe to run again at any time, while the session still records, or after either side died: a
// piece the target already has is refused by offset, and the upload goes on from what it holds.

import { OffsetMismatchError, SddError } from '../core/errors.js';
import type { SessionStore } from '../core/session-store.js';

/**
 * The server's default limit for one append: with an fsync per append, big pieces are what make an
 * upload fast (bench/session-upload.mjs). A server set lower answers TOO_LARGE: the piece is halved.
 */
export const UPLOAD_PIECE_BYTES = 8 * 1024 * 1024;
const SMALLEST_PIECE_BYTES = 64 * 1024;

export interface UploadResult {
  id: string;
  /** Bytes sent this time. */
  bytes: number;
  /** Each file's size as the target acknowledged it. */
  files: Record<string, number>;
  /** Files the target holds more of than the source: not touched, reported (should never happen). */
  diverged: string[];
}

export interface UploadOptions {
  pieceBytes?: number;
  onProgress?: (sent: number, total: number) => void;
}

export async function uploadSession(
  source: SessionStore,
  target: SessionStore,
  id: string,
  options: UploadOptions = {},
): Promise<UploadResult> {
  let piece = options.pieceBytes ?? UPLOAD_PIECE_BYTES;
  const record = await source.get(id);
  // The record first: the target knows the session before any of its bytes.
  await target.putRecord(record);
  const held = new Map((await target.listFiles(record.id)).map((f) => [f.name, f.size]));
  const files = await source.listFiles(record.id);
  const total = files.reduce((sum, f) => sum + Math.max(0, f.size - (held.get(f.name) ?? 0)), 0);
  const result: UploadResult = { id: record.id, bytes: 0, files: {}, diverged: [] };
  for (const file of files) {
    let offset = held.get(file.name) ?? 0;
    if (offset > file.size) {
      result.diverged.push(file.name);
      continue;
    }
    while (offset < file.size) {
      const bytes = await source.readFile(record.id, file.name, offset, Math.min(piece, file.size - offset));
      if (bytes.length === 0) break; // the file shrank under us: nothing more to send
      try {
        offset = await target.appendFile(record.id, file.name, offset, bytes);
        result.bytes += bytes.length;
        options.onProgress?.(result.bytes, total);
      } catch (error) {
        if (error instanceof SddError && error.code === 'TOO_LARGE' && piece > SMALLEST_PIECE_BYTES) {
          piece = Math.max(SMALLEST_PIECE_BYTES, Math.floor(piece / 2));
          continue;
        }
        const held = heldOf(error);
        if (held === null || held > file.size || held === offset) throw error;
        offset = held; // another upload (or a lost answer) got further: go on from there
      }
    }
    result.files[file.name] = offset;
  }
  // Once more at the end: the record may have changed (finished) while the files went.
  const latest = await source.get(record.id);
  if (JSON.stringify(latest) !== JSON.stringify(record)) await target.putRecord(latest);
  return result;
}

/** The size the target holds, from an offset refusal (local, or rebuilt from the server's JSON). */
function heldOf(error: unknown): number | null {
  if (error instanceof OffsetMismatchError) return error.held;
  if (error instanceof SddError && error.code === 'OFFSET_MISMATCH') {
    const held = error.details?.held;
    return typeof held === 'number' ? held : null;
  }
  return null;
}
