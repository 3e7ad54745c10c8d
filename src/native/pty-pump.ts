// The PTY's output pump (pty-pump.c, in the same addon as fast-cast.c): a thread that reads a PTY to
// its end, shows each read on a screen at once, and holds the bytes for the main thread to take.

import { fastCast } from './fast-cast.js';

export type PtyPumpHandle = { readonly __brand: 'PtyPumpHandle' };

export interface PtyPumpTaken {
  /** Bytes moved to the start of `into`: the oldest held, as many as fit. */
  length: number;
  /** Milliseconds since the first of the bytes held was read. */
  ageMs: number;
  /** The PTY was read to its end (or the pump was stopped), and nothing is held any more. */
  ended: boolean;
  /** errno of the screen's failed write (nothing is shown after it), 0 while the screen works. */
  screenError: number;
  /** errno of a failed read other than the PTY's end (which ends the pump too), 0 if none. */
  readError: number;
}

export interface PtyPump {
  /**
   * Reads fd (a PTY's master) on a thread of its own until its end (EIO), writing each read to
   * screenFd at once (-1: nowhere) and holding it for takePump. onReady() is called on this thread
   * when a batch is held (1 MB, or 20 ms since its first byte), and once more at the end. While 4 MB
   * are held and not taken, the thread stops reading (the program then waits on its full PTY).
   */
  startPump(fd: number, screenFd: number, onReady: () => void): PtyPumpHandle;
  takePump(pump: PtyPumpHandle, into: Uint8Array): PtyPumpTaken;
  /** Stops reading (the program waits on its full PTY) until resumePump. */
  pausePump(pump: PtyPumpHandle): void;
  resumePump(pump: PtyPumpHandle): void;
  /** Stops the thread and waits for it; what it held stays to be taken. */
  stopPump(pump: PtyPumpHandle): void;
}

/**
 * The pump, or null where the addon is not built or is switched off (SDD_NATIVE=off), and off Linux:
 * it waits on the PTY with poll(2), which macOS does not promise for terminals (libuv itself falls
 * back to select there).
 */
export function ptyPump(): PtyPump | null {
  if (process.platform !== 'linux') return null;
  const addon = fastCast() as (Partial<PtyPump> & object) | null;
  if (!addon || typeof addon.startPump !== 'function') return null;
  return addon as PtyPump;
}
