// Builds and refreshes the keyframe index of a cast: the serialized screen every ~2 MiB of cast (or ~30 s
// with some output, or after a resize), so any moment's screen is one keyframe plus at most ~2 MiB of events.

import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { type CastPosition, readCastHeader, streamCastEventBatches } from './cast-reader.js';
import {
  type KeyframeEntry,
  KeyframeIndexReader,
  KeyframeIndexWriter,
  type KeyframeTable,
  keyframeIndexPath,
} from './keyframe-file.js';
import { applyCastEvent, VirtualTerminal } from './virtual-terminal.js';

/**
 * Bytes bound the work of a render: xterm.js parses ~50 MB/s, so 2 MiB of cast past a keyframe costs ~40 ms
 * (JSON escapes make a cast larger than its output, so this is an upper bound). Time puts keyframes near the
 * moments people ask for in quieter recordings, but only once 64 KiB has passed: replaying less is cheaper
 * than reading a keyframe. A resize also gets a keyframe right after it: a resize re-wraps lines from the
 * scrollback, which a keyframe holds only the end of, so no render should have to replay one.
 */
export const KEYFRAME_SPACING = { bytes: 2 * 1024 * 1024, seconds: 30, minBytes: 64 * 1024 } as const;

const TAIL_HASH_BYTES = 4096;

export interface KeyframeSummary {
  indexPath: string;
  keyframes: number;
  scannedBytes: number;
}

/** Builds the index from the start of the cast, replacing any index there is. */
export async function buildKeyframes(castPath: string): Promise<KeyframeSummary> {
  const table = await writeIndex(castPath, undefined);
  return summary(castPath, table);
}

/**
 * Opens the cast's index, building it first if it is missing, and extending it from its last keyframe when
 * the cast has grown (a live recording) or rebuilding it when the cast was rewritten. Returns undefined for
 * a short cast, or when the index cannot be written there (a read-only folder): renders then replay from the
 * start.
 */
export async function openKeyframeIndex(castPath: string): Promise<KeyframeIndexReader | undefined> {
  // A cast shorter than the spacing replays from the start as fast as from a keyframe: no index beside it.
  if ((await stat(castPath)).size < KEYFRAME_SPACING.bytes) return undefined;
  const indexPath = keyframeIndexPath(castPath);
  const index = await KeyframeIndexReader.open(indexPath);
  const freshness = index ? await compare(castPath, index.table) : 'missing';
  if (freshness === 'fresh') return index;
  try {
    await writeIndex(castPath, freshness === 'grown' ? index : undefined);
  } catch (error) {
    if (isReadOnlyError(error)) return undefined;
    throw error;
  } finally {
    await index?.close();
  }
  return KeyframeIndexReader.open(indexPath);
}

async function compare(castPath: string, table: KeyframeTable): Promise<'fresh' | 'grown' | 'stale'> {
  const spacing = table.spacing;
  const scanned = table.cast?.scannedBytes;
  if (
    typeof scanned !== 'number' ||
    spacing?.bytes !== KEYFRAME_SPACING.bytes ||
    spacing.seconds !== KEYFRAME_SPACING.seconds ||
    spacing.minBytes !== KEYFRAME_SPACING.minBytes
  ) {
    return 'stale';
  }
  const { size } = await stat(castPath);
  if (size < scanned || (await tailHash(castPath, scanned)) !== table.cast.tailSha1) return 'stale';
  return size === scanned ? 'fresh' : 'grown';
}

/** Scans the cast (from the old index's last keyframe when extending) and writes the new index. */
async function writeIndex(
  castPath: string,
  extending: KeyframeIndexReader | undefined,
): Promise<KeyframeTable> {
  const last = extending?.table.keyframes.at(-1);
  const writer = await KeyframeIndexWriter.create(keyframeIndexPath(castPath), last ? extending : undefined);
  const keyframes: KeyframeEntry[] = last ? [...extending!.table.keyframes] : [];
  try {
    const start = last
      ? {
          terminal: await VirtualTerminal.restore({ ...last, screen: await extending!.readScreen(last) }),
          from: last,
        }
      : { terminal: await freshTerminal(castPath), from: undefined };
    const scannedBytes = await scan(castPath, start.terminal, start.from, async (entry, screen) => {
      keyframes.push({ ...entry, ...(await writer.addScreen(screen)) });
    });
    const table: KeyframeTable = {
      format: 'sdd-keyframes',
      version: 1,
      cast: { scannedBytes, tailSha1: await tailHash(castPath, scannedBytes) },
      spacing: { ...KEYFRAME_SPACING },
      keyframes,
    };
    await writer.commit(table);
    return table;
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

type KeyframeFound = (entry: Omit<KeyframeEntry, 'at' | 'length'>, screen: string) => Promise<void>;

/** Replays the cast into `terminal`, with a keyframe each time the spacing is reached at a quiet moment. */
async function scan(
  castPath: string,
  terminal: VirtualTerminal,
  from: CastPosition | undefined,
  onKeyframe: KeyframeFound,
): Promise<number> {
  let time = from?.time ?? 0;
  let keyframeOffset = from?.offset ?? 0;
  let keyframeTime = time;
  let resized = false;
  let due = false;
  const batches = streamCastEventBatches(castPath, from ? { from } : {});
  try {
    for (;;) {
      const next = await batches.next();
      if (next.done) return next.value.scannedBytes;
      for (const event of next.value) {
        // Checked before the event is applied, so the keyframe is the screen after all events before
        // `offset`; never just before a resize, which would make it stale at once (dragging a window sends
        // many).
        if (due && event.code !== 'r') {
          await terminal.settle();
          if (terminal.isQuiet()) {
            const { screen, ...size } = terminal.snapshot();
            await onKeyframe({ time, offset: event.offset, line: event.line, ...size }, screen);
            keyframeOffset = event.offset;
            keyframeTime = time;
            resized = false;
          }
        }
        const pending = applyCastEvent(terminal, event);
        if (pending) await pending;
        time = Math.max(time, event.time);
        resized ||= event.code === 'r';
        const bytes = event.end - keyframeOffset;
        due =
          resized ||
          bytes >= KEYFRAME_SPACING.bytes ||
          (time - keyframeTime >= KEYFRAME_SPACING.seconds && bytes >= KEYFRAME_SPACING.minBytes);
      }
    }
  } finally {
    await batches.return({ scannedBytes: 0, truncated: false });
    terminal.dispose();
  }
}

async function freshTerminal(castPath: string): Promise<VirtualTerminal> {
  const { header } = await readCastHeader(castPath);
  return new VirtualTerminal(header.width, header.height);
}

/** A hash of the bytes just before `end`: if they still match, the cast up to `end` is the one indexed. */
async function tailHash(castPath: string, end: number): Promise<string> {
  const start = Math.max(0, end - TAIL_HASH_BYTES);
  const buffer = Buffer.alloc(end - start);
  const file = await open(castPath, 'r');
  try {
    const { bytesRead } = await file.read(buffer, 0, buffer.length, start);
    return createHash('sha1').update(buffer.subarray(0, bytesRead)).digest('hex');
  } finally {
    await file.close();
  }
}

function summary(castPath: string, table: KeyframeTable): KeyframeSummary {
  return {
    indexPath: keyframeIndexPath(castPath),
    keyframes: table.keyframes.length,
    scannedBytes: table.cast.scannedBytes,
  };
}

function isReadOnlyError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
}
