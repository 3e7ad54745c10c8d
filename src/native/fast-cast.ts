// The recording's native helpers (fast-cast.c, built by `npm run build` into dist/native/): a scan
// for runs of output the redactor has nothing to do with, and a JSON escaper for such runs, both on
// UTF-8 bytes; and a way to start writing a file back to disk without waiting. Optional: without the
// addon (not built, or SDD_NATIVE=off) every byte takes the redactor's JavaScript path, which gives
// the same recording more slowly (and the cast's write-back waits for its fsyncs).

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** A keyword table built once, handed back to cleanUntil. */
export type NativePrefilter = { readonly __brand: 'NativePrefilter' };

export interface FastCast {
  /** A table for cleanUntil: the redactor's keywords, and the last letters of its secret words. */
  prefilter(keywords: readonly Uint8Array[], nameEnds: Uint8Array): NativePrefilter;
  /**
   * The first place in [start, end) where the redactor could find something: a keyword, a `:` or `=`
   * after a name ending in a secret word's last letter, a character that is ill-formed or cut off by
   * `end`. `end` when there is none.
   */
  cleanUntil(prefilter: NativePrefilter, bytes: Uint8Array, start: number, end: number): number;
  /**
   * Writes bytes[start, end), well-formed UTF-8, into out at offset as JSON.stringify would write the
   * string they hold, without its quotes; the bytes written. out needs 6 bytes of room per byte, and
   * what lies in that room past the bytes written may be overwritten (a block is stored whole).
   */
  escapeJson(bytes: Uint8Array, start: number, end: number, out: Uint8Array, offset: number): number;
  /**
   * Starts writing the file's dirty pages to disk and returns at once (Linux's sync_file_range); true
   * when started, false where the system has no such call. Not a promise of durability: fsync is.
   */
  startWriteback(fd: number): boolean;
}

const FILE = 'fast_cast.node';
let loaded: FastCast | null | undefined;

/** The addon, or null where it is not built or is switched off (SDD_NATIVE=off). */
export function fastCast(): FastCast | null {
  if (loaded !== undefined) return loaded;
  // dist/native/ seen from tsc's output (dist/src/native/), the bundle (dist/bundle/ and its chunks/)
  // and the sources (src/native/, under vitest).
  const candidates = [`../../native/${FILE}`, `../native/${FILE}`, `../../dist/native/${FILE}`];
  loaded =
    process.env.SDD_NATIVE === 'off'
      ? null
      : loadFastCast(candidates.map((c) => new URL(c, import.meta.url)));
  return loaded;
}

/**
 * The first of the files that exists, loaded; null when none does, or when it will not load (built for
 * another machine, say): the recording then takes the JavaScript path, the same recording more slowly.
 */
export function loadFastCast(candidates: readonly URL[]): FastCast | null {
  const file = candidates.find((url) => existsSync(url));
  if (!file) return null;
  try {
    const addon = createRequire(import.meta.url)(fileURLToPath(file)) as Partial<FastCast>;
    const complete =
      typeof addon.prefilter === 'function' &&
      typeof addon.cleanUntil === 'function' &&
      typeof addon.escapeJson === 'function' &&
      typeof addon.startWriteback === 'function';
    return complete ? (addon as FastCast) : null;
  } catch {
    return null;
  }
}
